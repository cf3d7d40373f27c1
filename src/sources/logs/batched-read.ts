// Reads one log artifact into compact event batches (event-batch.ts) for the store writer. For a large file the
// reading, hashing, decompressing and parsing run on a worker thread (read-log-worker.ts) while the calling
// thread writes SQLite, so both cores work; batches come over by transfer, their arrays go back with the
// acknowledgement to be filled again, and the reader is held back by credits (at most MAX_IN_FLIGHT unconsumed
// batches), so memory stays bounded whatever the file size. Small files, stdin
// and runs from TypeScript sources (tests: a worker can only load the built .js) read in the calling thread,
// through the same builder, so both paths produce the same batches.

import { Worker } from 'node:worker_threads';
import type { SourceProblem } from '../../model/source.js';
import { MailtrailError, type ErrorCode } from '../../errors.js';
import { EventBatchBuilder, isMeaningful, type EventBatch } from './event-batch.js';
import { readLog, type LogReadOptions, type LogReadResult } from './read-log.js';

export interface BatchSink {
  /** A batch of meaningful events, in line order. Synchronous: the next batch waits for it, and reuses its arrays. */
  batch(b: EventBatch): void;
  problem(p: SourceProblem): void;
}

/** The writer is done with a batch: its arrays, handed back to be filled again. */
export interface WorkerAck { nums: Float64Array; lens: Int32Array }

/** What the worker is asked: LogReadOptions without functions (the clock is sent as its reading). */
export interface WorkerRequest {
  path: string;
  opts: Omit<LogReadOptions, 'now'> & { nowIso: string };
  mtime: string | null;
}
export type WorkerMessage =
  | { type: 'batch'; batch: EventBatch }
  | { type: 'problem'; problem: SourceProblem }
  | { type: 'done'; result: LogReadResult }
  | { type: 'error'; code: ErrorCode | null; message: string; where: string | undefined; hint: string | undefined };

/** Batches the worker may run ahead of the writer. */
export const MAX_IN_FLIGHT = 4;
/** Below this size a thread costs more to start than it saves. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
const WORKER_URL = new URL('./read-log-worker.js', import.meta.url);
/** Workers load compiled JavaScript; under a TypeScript test runner this module is a .ts file. */
export const WORKER_AVAILABLE = import.meta.url.endsWith('.js');

export interface BatchedReadTuning {
  mtime?: string | null;
  /** Read on a worker thread (ignored when no compiled worker is available). */
  thread?: boolean;
}

export async function readLogBatches(path: string, opts: LogReadOptions, sink: BatchSink, tuning: BatchedReadTuning = {}): Promise<LogReadResult> {
  if (tuning.thread === true && WORKER_AVAILABLE && path !== '-') {
    const now = (opts.now ?? (() => new Date()))();
    const { now: _now, ...rest } = opts;
    return readOnWorker({ path, opts: { ...rest, nowIso: now.toISOString() }, mtime: tuning.mtime ?? null }, sink);
  }
  const builder = new EventBatchBuilder();
  const pass = (b: EventBatch): void => { sink.batch(b); builder.recycle(b.nums, b.lens); };
  const r = await readLog(path, opts, {
    event(ev) {
      if (!isMeaningful(ev)) return;
      builder.add(ev);
      if (builder.full) pass(builder.take());
    },
    problem: (p) => sink.problem(p),
  }, { mtime: tuning.mtime ?? null });
  if (builder.size > 0) pass(builder.take());
  return r;
}

function readOnWorker(req: WorkerRequest, sink: BatchSink): Promise<LogReadResult> {
  const worker = new Worker(WORKER_URL, { workerData: req });
  return new Promise<LogReadResult>((resolve, reject) => {
    let settled = false;
    const settle = (err: Error | null, result?: LogReadResult): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (err !== null) reject(err);
      else resolve(result as LogReadResult);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      try {
        switch (m.type) {
          case 'batch':
            sink.batch(m.batch);
            worker.postMessage({ nums: m.batch.nums, lens: m.batch.lens } satisfies WorkerAck, [m.batch.nums.buffer as ArrayBuffer, m.batch.lens.buffer as ArrayBuffer]);
            break;
          case 'problem':
            sink.problem(m.problem);
            break;
          case 'done':
            settle(null, m.result);
            break;
          case 'error':
            settle(m.code === null ? new Error(m.message) : new MailtrailError(m.code, m.message, { where: m.where, hint: m.hint }));
            break;
        }
      } catch (err) {
        settle(err as Error);
      }
    });
    worker.on('error', (err) => settle(err));
    worker.on('exit', (code) => settle(new Error(`the log reader thread stopped (exit code ${code})`)));
  });
}
