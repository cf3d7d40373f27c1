// Place a message's Received headers in a chain of hops, oldest first, with signed delays and clock-skew
// flags (RFC 5321 §4.4: each MTA prepends its Received header, so header order is newest first).
// Pure: fields in, hops out. Delays are computed from the parsed instants (milliseconds kept as fractional
// seconds), never wrapped; a hop whose date did not parse keeps its raw text and gets a null delay.

import type { HeaderField } from '../model/header.js';
import type { Hop } from '../model/hop.js';
import { parseHeaderBlock } from './headers.js';
import { parseReceived } from './received.js';

function seconds(ms: number): string {
  const s = Math.abs(ms) / 1000;
  return `${s} s`;
}

/** Two ASCII digits at i as a number (NaN when not digits). */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 0x30;
  const b = s.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** Milliseconds of one of our own ISO strings (toISOString output, not untrusted text): the common
 *  `YYYY-MM-DDTHH:MM:SS.mmmZ` form is read directly, anything else (years before 100, six-digit years)
 *  goes through Date. Same value either way. */
function instantOf(iso: string): number {
  if (iso.length === 24 && iso.charCodeAt(10) === 0x54 && iso.charCodeAt(19) === 0x2e) {
    const y = two(iso, 0) * 100 + two(iso, 2);
    const ms = two(iso, 20) * 10 + (iso.charCodeAt(22) - 0x30);
    if (y >= 100) return Date.UTC(y, two(iso, 5) - 1, two(iso, 8), two(iso, 11), two(iso, 14), two(iso, 17), ms);
  }
  return new Date(iso).getTime();
}

/** Hops from the `received` fields of one message (in header order), oldest first. */
export function buildHopChain(fields: HeaderField[]): Hop[] {
  const hops: Hop[] = [];
  for (let k = fields.length - 1; k >= 0; k--) {
    const f = fields[k]!;
    if (f.key !== 'received') continue;
    const p = parseReceived(f.raw);
    // Spelled out rather than `{ ...p, … }`: the spread-with-overrides form is a slow generic copy in V8
    // (~10 µs per hop). Key order is the JSON order: ParsedReceived fields, then the Hop fields.
    hops.push({
      helo: p.helo,
      rdns: p.rdns,
      fromHost: p.fromHost,
      fromIp: p.fromIp,
      fromPort: p.fromPort,
      ident: p.ident,
      byHost: p.byHost,
      via: p.via,
      with: p.with,
      id: p.id,
      for: p.for,
      envelopeFrom: p.envelopeFrom,
      tls: p.tls,
      authenticatedAs: p.authenticatedAs,
      authenticated: p.authenticated,
      date: p.date,
      dateOffset: p.dateOffset,
      dateRaw: p.dateRaw,
      warnings: p.warnings, // a fresh array per parseReceived call
      index: hops.length,
      headerIndex: f.index,
      delaySeconds: null,
      skew: [],
      raw: f.raw,
    });
  }
  const instants = hops.map((h) => (h.date === null ? null : instantOf(h.date)));
  for (let i = 0; i < hops.length; i++) {
    const hop = hops[i]!;
    const t = instants[i] ?? null;
    const prev = i > 0 ? (instants[i - 1] ?? null) : null;
    const next = i + 1 < hops.length ? (instants[i + 1] ?? null) : null;
    if (t !== null && prev !== null) {
      const diff = t - prev;
      hop.delaySeconds = diff / 1000;
      if (diff < 0) {
        hop.skew.push('negative-delay');
        hop.warnings.push(
          `negative-delay: this hop is dated ${seconds(diff)} before the previous hop (hop ${i - 1}); one of the two clocks is wrong`,
        );
      }
    }
    if (t !== null && next !== null && t > next) {
      hop.skew.push('future-date');
      hop.warnings.push(
        `future-date: this hop is dated ${seconds(t - next)} after the next hop (hop ${i + 1}); one of the two clocks is wrong`,
      );
    }
  }
  return hops;
}

/** Convenience: split a message's header block and build its hop chain. */
export function parseHopsFromMessage(bytes: Buffer): Hop[] {
  return buildHopChain(parseHeaderBlock(bytes).fields);
}
