// DNS snapshots in mailauth's `--dns-cache` format: `{"name": {"TXT": [["v=spf1 …"]], "MX": [...]}}`.
// A name or type absent from the snapshot is NXDOMAIN (as in mailauth's own --dns-cache reader).
// mailtrail adds one reserved key, `$mailtrail`, that mailauth ignores: failures other than NXDOMAIN
// (SERVFAIL, timeout) and the time each answer was recorded, so a replay says exactly what it relied on.
// Pure: JSON value in, resolver out; no fs here.

import { z } from 'zod';
import { type DnsAnswer, type DnsResolver, type DnsStatus, errorForStatus, normalizeDnsName, answerSize, MAX_ANSWER_BYTES } from './dns.js';

export const SNAPSHOT_META_KEY = '$mailtrail';

const MetaSchema = z
  .object({
    /** `name` -> `type` -> status for recorded failures (NXDOMAIN is implied by absence, but kept when recorded). */
    failures: z.record(z.string(), z.record(z.string(), z.object({ status: z.string(), error: z.string().nullable().optional(), at: z.string().optional() }))).optional(),
    /** `name` -> `type` -> ISO time the answer was recorded. */
    recordedAt: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  })
  .loose();

export type DnsSnapshot = Record<string, unknown>;

export interface SnapshotEntry {
  status: DnsStatus;
  answer: unknown;
  error: string | null;
  at: string | null;
}

/** Read a snapshot document into a lookup table. Throws a plain Error naming what is wrong. */
export function readSnapshot(doc: unknown): Map<string, SnapshotEntry> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a DNS snapshot is a JSON object of names');
  const table = new Map<string, SnapshotEntry>();
  const meta = MetaSchema.safeParse((doc as Record<string, unknown>)[SNAPSHOT_META_KEY] ?? {});
  const recordedAt = meta.success ? (meta.data.recordedAt ?? {}) : {};
  for (const [rawName, types] of Object.entries(doc as Record<string, unknown>)) {
    if (rawName === SNAPSHOT_META_KEY) continue;
    if (!types || typeof types !== 'object' || Array.isArray(types)) throw new Error(`snapshot entry ${JSON.stringify(rawName.slice(0, 80))} is not an object of record types`);
    const name = normalizeDnsName(rawName);
    for (const [type, answer] of Object.entries(types as Record<string, unknown>)) {
      table.set(key(name, type), { status: 'answer', answer, error: null, at: recordedAt[rawName]?.[type] ?? null });
    }
  }
  if (meta.success) {
    for (const [rawName, types] of Object.entries(meta.data.failures ?? {})) {
      for (const [type, f] of Object.entries(types)) {
        table.set(key(normalizeDnsName(rawName), type.toUpperCase()), { status: f.status as DnsStatus, answer: null, error: f.error ?? null, at: f.at ?? null });
      }
    }
  }
  return table;
}

function key(name: string, type: string): string {
  return `${name}\u0000${type.toUpperCase()}`;
}

/** A resolver answering only from a snapshot; `source` says where the answers came from. */
export function snapshotResolver(table: Map<string, SnapshotEntry>): DnsResolver & { lookup(name: string, type: string): SnapshotEntry | undefined } {
  const lookup = (name: string, type: string): SnapshotEntry | undefined => table.get(key(normalizeDnsName(name), type));
  const fn = async (name: string, type: string): Promise<unknown> => {
    const hit = lookup(name, type);
    if (!hit) throw errorForStatus('NXDOMAIN', name, type, `${type} ${name}: not in the DNS snapshot (treated as NXDOMAIN)`);
    if (hit.status !== 'answer') throw errorForStatus(hit.status, name, type, hit.error);
    if (answerSize(hit.answer) > MAX_ANSWER_BYTES) {
      throw errorForStatus('error', name, type, `${type} ${name}: recorded answer larger than any DNS message (${MAX_ANSWER_BYTES} bytes)`);
    }
    return structuredClone(hit.answer);
  };
  return Object.assign(fn, { lookup });
}

/**
 * Recorded answers as a snapshot document. The newest answer for each name/type wins; failures other than
 * NXDOMAIN go under `$mailtrail.failures`, recording times under `$mailtrail.recordedAt`. Keys are sorted so the
 * same answers give the same bytes.
 */
export function toSnapshot(answers: readonly DnsAnswer[]): DnsSnapshot {
  const latest = new Map<string, DnsAnswer>();
  for (const a of answers) {
    const k = key(normalizeDnsName(a.name), a.type);
    const prev = latest.get(k);
    if (!prev || prev.at <= a.at) latest.set(k, a);
  }
  const out: Record<string, Record<string, unknown>> = {};
  const failures: Record<string, Record<string, { status: string; error: string | null; at: string }>> = {};
  const recordedAt: Record<string, Record<string, string>> = {};
  for (const a of [...latest.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.type < y.type ? -1 : x.type > y.type ? 1 : 0))) {
    const name = normalizeDnsName(a.name);
    if (a.status === 'answer') {
      (out[name] ??= {})[a.type] = a.answer;
      (recordedAt[name] ??= {})[a.type] = a.at;
    } else {
      (failures[name] ??= {})[a.type] = { status: a.status, error: a.error, at: a.at };
    }
  }
  const sorted: DnsSnapshot = {};
  for (const n of Object.keys(out).sort()) sorted[n] = out[n];
  sorted[SNAPSHOT_META_KEY] = { failures, recordedAt };
  return sorted;
}
