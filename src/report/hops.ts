// The `hops` report: one message's Received chain, oldest hop first, as a JSON document or a table.
// Pure: takes data, returns strings.

import type { Hop } from '../model/hop.js';
import { formatDelay, formatTime, orDash } from './format.js';

/** Protocol words of RFC 3848 / RFC 8314 that say TLS was NOT used (the S-forms say it was). */
const PLAIN_PROTOCOLS = new Set(['SMTP', 'ESMTP', 'ESMTPA', 'LMTP', 'LMTPA', 'UTF8SMTP', 'UTF8SMTPA', 'UTF8LMTP', 'UTF8LMTPA']);

/** true when the hop states TLS; false when its protocol word says plain text; null when unknown. */
export function hopUsedTls(hop: Hop): boolean | null {
  if (hop.tls) return true;
  if (hop.with && PLAIN_PROTOCOLS.has(hop.with.toUpperCase())) return false;
  return null;
}

export interface HopJson {
  index: number;
  headerIndex: number;
  date: string | null;
  dateOffset: string | null;
  delaySeconds: number | null;
  fromHost: string | null;
  helo: string | null;
  rdns: string | null;
  fromIp: string | null;
  fromPort: number | null;
  ident: string | null;
  byHost: string | null;
  via: string | null;
  with: string | null;
  id: string | null;
  for: string | null;
  envelopeFrom: string | null;
  tls: boolean | null;
  tlsVersion: string | null;
  tlsCipher: string | null;
  authenticated: boolean;
  authenticatedAs: string | null;
  skew: string[];
  warnings: string[];
  raw: string;
}

export function hopToJson(h: Hop): HopJson {
  return {
    index: h.index,
    headerIndex: h.headerIndex,
    date: h.date,
    dateOffset: h.dateOffset,
    delaySeconds: h.delaySeconds,
    fromHost: h.fromHost,
    helo: h.helo,
    rdns: h.rdns,
    fromIp: h.fromIp,
    fromPort: h.fromPort,
    ident: h.ident,
    byHost: h.byHost,
    via: h.via,
    with: h.with,
    id: h.id,
    for: h.for,
    envelopeFrom: h.envelopeFrom,
    tls: hopUsedTls(h),
    tlsVersion: h.tls?.version ?? null,
    tlsCipher: h.tls?.cipher ?? null,
    authenticated: h.authenticated,
    authenticatedAs: h.authenticatedAs,
    skew: [...h.skew],
    warnings: [...h.warnings],
    raw: h.raw,
  };
}

export interface HopsDocument {
  schemaVersion: 1;
  message: { messageId: string | null; sha256: string };
  hops: HopJson[];
}

export function hopsDocument(message: { messageId: string | null; sha256: string }, hops: Hop[]): HopsDocument {
  return { schemaVersion: 1, message: { messageId: message.messageId, sha256: message.sha256 }, hops: hops.map(hopToJson) };
}

export function hopsJsonl(doc: HopsDocument): unknown[] {
  return [
    { type: 'message', ...doc.message },
    ...doc.hops.map((h) => ({ type: 'hop', ...h })),
    { type: 'summary', schemaVersion: 1, hops: doc.hops.length, warnings: doc.hops.reduce((n, h) => n + h.warnings.length, 0) },
  ];
}

/** Rows for the human table; the caller adds borders and colour. */
export function hopsTableRows(doc: HopsDocument): { head: string[]; rows: string[][]; notes: string[] } {
  const notes: string[] = [];
  const rows = doc.hops.map((h) => {
    const marks: string[] = [];
    for (const w of h.warnings) {
      notes.push(`hop ${h.index}: ${w}`);
      marks.push(String(notes.length));
    }
    const host = h.fromHost ?? h.helo;
    const ip = h.fromIp ? `[${h.fromIp}]` : null;
    const from = [host === ip ? null : host, ip].filter(Boolean).join('\n');
    return [
      String(h.index),
      formatTime(h.date).replace(' ', '\n'),
      formatDelay(h.delaySeconds),
      orDash(from),
      orDash(h.byHost),
      orDash(h.with),
      orDash(h.id),
      h.tls === null ? '?' : h.tls ? (h.tlsVersion ?? 'yes') : 'no',
      marks.length ? `(${marks.join(',')})` : '',
    ];
  });
  const head = ['hop', 'time UTC', 'delay', 'from', 'by', 'with', 'id', 'TLS', '!'];
  // The warnings column only when a hop has one: at 80 columns its four characters are better spent on host names.
  if (notes.length === 0) return { head: head.slice(0, -1), rows: rows.map((r) => r.slice(0, -1)), notes };
  return { head, rows, notes };
}
