// Opens the store for one command and journals the command (append-only) around it.

import { openStore, type Db } from '../store/db.js';
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
    const runId = startRun(db, { at: new Date().toISOString(), command, args: ctx.argv, toolVersion: ctx.toolVersion });
    let result: T;
    try {
      result = await fn(db, runId);
    } catch (err) {
      finishRun(db, runId, { at: new Date().toISOString(), exitCode: 2, summary: { error: (err as Error).message } });
      throw err;
    }
    finishRun(db, runId, { at: new Date().toISOString(), exitCode: result.exitCode, summary: result.summary ?? null });
    return result;
  } finally {
    db.close();
  }
}
