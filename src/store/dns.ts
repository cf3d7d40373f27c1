// Recorded DNS answers: write each answer verify obtained, read them back for --offline replay and export.

import type { Db } from './db.js';
import type { DnsAnswer, DnsStatus } from '../auth/dns.js';

interface Row {
  name: string;
  type: string;
  status: string;
  answer: string | null;
  error: string | null;
  at: string;
  source: string;
}

/** Record answers (idempotent: the same answer at the same time is kept once). */
export function recordDnsAnswers(db: Db, answers: readonly DnsAnswer[], runId: number | null): number {
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO dns_answers (name, type, status, answer, error, at, source, run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let n = 0;
  db.transaction(() => {
    for (const a of answers) {
      // Answers replayed from the store are already there.
      if (a.source === 'store') continue;
      const r = stmt.run(a.name.toLowerCase().replace(/\.$/, ''), a.type, a.status, a.answer === null ? null : JSON.stringify(a.answer), a.error, a.at, a.source, runId);
      n += r.changes;
    }
  })();
  return n;
}

/** Every recorded answer, oldest first. */
export function readDnsAnswers(db: Db): DnsAnswer[] {
  const rows = db.prepare('SELECT name, type, status, answer, error, at, source FROM dns_answers ORDER BY at, id').all() as Row[];
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    status: r.status as DnsStatus,
    answer: r.answer === null ? null : (JSON.parse(r.answer) as unknown),
    error: r.error,
    at: r.at,
    source: r.source as DnsAnswer['source'],
  }));
}

/** Domains seen in the store's From addresses (for lookalike comparisons), most frequent first. */
export function knownFromDomains(db: Db, limit = 5000): string[] {
  const rows = db
    .prepare(
      `SELECT lower(substr(from_addr, instr(from_addr, '@') + 1)) AS d, count(*) AS n FROM messages
       WHERE from_addr LIKE '%@%' GROUP BY d ORDER BY n DESC, d LIMIT ?`,
    )
    .all(limit) as { d: string; n: number }[];
  return rows.map((r) => r.d).filter((d) => d.length > 0);
}

/** Display names seen in the store with the addresses used under them (for display-name spoof checks). */
export function knownSenders(db: Db, limit = 20000): Map<string, string[]> {
  const rows = db
    .prepare(`SELECT DISTINCT lower(from_name) AS name, from_addr AS addr FROM messages WHERE from_name IS NOT NULL AND from_addr IS NOT NULL LIMIT ?`)
    .all(limit) as { name: string; addr: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.name) ?? [];
    list.push(r.addr);
    out.set(r.name, list);
  }
  return out;
}

const TRUST_KEY = 'verify.trust';

/** The store's trusted hosts/CIDRs for the trust boundary (settings table). */
export function readTrustSetting(db: Db): string[] {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(TRUST_KEY) as { value: string } | undefined;
  if (!row) return [];
  try {
    const v = JSON.parse(row.value) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function writeTrustSetting(db: Db, trust: readonly string[]): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(TRUST_KEY, JSON.stringify([...new Set(trust)]));
}
