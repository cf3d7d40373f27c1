// The append-only journal: every command run against the store, with secrets removed from its
// arguments. Rows are never updated (triggers refuse it); the outcome is a second, separate row.

import type { Db } from './db.js';

/** Option names whose values are secrets and never reach the store. */
const SECRET_OPTIONS = /^--?(password|pass|token|secret|key|redact-key|api-key)(=|$)/i;

/** Remove secrets: values of secret options, and passwords inside URLs (`imaps://u:pw@h`). */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const m = SECRET_OPTIONS.exec(a);
    if (m) {
      if (m[2] === '=') out.push(`${a.slice(0, a.indexOf('=') + 1)}[redacted]`);
      else {
        out.push(a);
        if (i + 1 < args.length) {
          out.push('[redacted]');
          i++;
        }
      }
      continue;
    }
    out.push(a.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+):[^@/\s]*@/i, '$1:[redacted]@'));
  }
  return out;
}

export function startRun(db: Db, entry: { at: string; command: string; args: readonly string[]; toolVersion: string }): number {
  const info = db
    .prepare('INSERT INTO journal (at, command, args, tool_version) VALUES (?, ?, ?, ?)')
    .run(entry.at, entry.command, JSON.stringify(redactArgs(entry.args)), entry.toolVersion);
  return Number(info.lastInsertRowid);
}

export function finishRun(db: Db, runId: number, outcome: { at: string; exitCode: number; summary: unknown }): void {
  db.prepare('INSERT INTO journal_outcomes (run_id, finished_at, exit_code, summary) VALUES (?, ?, ?, ?)').run(
    runId,
    outcome.at,
    outcome.exitCode,
    JSON.stringify(outcome.summary ?? null),
  );
}

export interface JournalEntry {
  id: number;
  at: string;
  command: string;
  args: string[];
  toolVersion: string;
  finishedAt: string | null;
  exitCode: number | null;
}

export function readJournal(db: Db): JournalEntry[] {
  const rows = db
    .prepare(
      `SELECT j.id, j.at, j.command, j.args, j.tool_version AS toolVersion, o.finished_at AS finishedAt, o.exit_code AS exitCode
       FROM journal j LEFT JOIN journal_outcomes o ON o.run_id = j.id ORDER BY j.id`,
    )
    .all() as (Omit<JournalEntry, 'args'> & { args: string })[];
  return rows.map((r) => ({ ...r, args: JSON.parse(r.args) as string[] }));
}
