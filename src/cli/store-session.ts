// Opens the store for one command and journals the command (append-only) around it.

import { isBusy, openStore, storeBusy, type Db } from '../store/db.js';
import { startRun, finishRun } from '../store/journal.js';
import type { Ctx } from './output.js';

export async function withStore<T extends { exitCode: number; summary?: unknown }>(
  ctx: Ctx,
  command: string,
  opts: { mustExist: boolean },
  fn: (db: Db, runId: number) => Promise<T> | T,
): Promise<T> {
  const db = openStore(ctx.config.db, { mustExist: opts.mustExist });
  try {
    const runId = startRunWaiting(db, ctx, { at: new Date().toISOString(), command, args: ctx.argv, toolVersion: ctx.toolVersion });
    let result: T;
    try {
      result = await fn(db, runId);
    } catch (err) {
      if (isBusy(err)) throw storeBusy(ctx.config.db);
      finishRun(db, runId, { at: new Date().toISOString(), exitCode: 2, summary: { error: (err as Error).message } });
      throw err;
    }
    finishRun(db, runId, { at: new Date().toISOString(), exitCode: result.exitCode, summary: result.summary ?? null });
    return result;
  } catch (err) {
    throw isBusy(err) ? storeBusy(ctx.config.db) : err;
  } finally {
    db.close();
  }
}

/** How long a command waits for another one's write (an ingest holds the store for each file it stores). */
const WAIT_MS = 60_000;

/**
 * Journal the command, which needs the store's write lock even for a read-only command. When another command
 * holds it, say so on stderr and wait (up to WAIT_MS) rather than fail after SQLite's 5 s default.
 */
function startRunWaiting(db: Db, ctx: Ctx, entry: Parameters<typeof startRun>[1]): number {
  db.pragma('busy_timeout = 0');
  try {
    return startRun(db, entry);
  } catch (err) {
    if (!isBusy(err)) throw err;
    if (!ctx.config.quiet) ctx.io.err(`mailtrail: another command is writing to the evidence store; waiting for it (up to ${WAIT_MS / 1000} s): ${ctx.config.db}\n`);
    db.pragma(`busy_timeout = ${WAIT_MS}`);
    return startRun(db, entry);
  } finally {
    db.pragma(`busy_timeout = ${WAIT_MS}`);
  }
}
