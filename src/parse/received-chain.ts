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

/** Hops from the `received` fields of one message (in header order), oldest first. */
export function buildHopChain(fields: HeaderField[]): Hop[] {
  const received = fields.filter((f) => f.key === 'received');
  const hops: Hop[] = [];
  for (let k = received.length - 1; k >= 0; k--) {
    const f = received[k]!;
    const p = parseReceived(f.raw);
    hops.push({
      ...p,
      warnings: [...p.warnings],
      index: hops.length,
      headerIndex: f.index,
      delaySeconds: null,
      skew: [],
      raw: f.raw,
    });
  }
  // Our own ISO strings (toISOString output), not untrusted text.
  const instants = hops.map((h) => (h.date === null ? null : new Date(h.date).getTime()));
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
