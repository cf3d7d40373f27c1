// Runs message preparation (parse + hash + compress) on worker threads so ingest uses every core:
// the main thread splits files and writes SQLite, workers do the CPU work. With size 0 the work runs
// in the calling thread (used by unit tests, which run TypeScript sources that workers cannot load).

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { compressBlob, prepareMessage, type PreparedMessage } from './prepare-message.js';
import type { NewMessage } from '../store/write.js';

export type PoolRequest =
  | { id: number; op: 'prepare'; buf: ArrayBuffer; sha: string; headersOnly: boolean }
  | { id: number; op: 'compress'; buf: ArrayBuffer; sha: string };
export type PoolReply =
  | { id: number; ok: true; result: Partial<PreparedMessage> & { blob: NewMessage['blob'] }; data: ArrayBuffer }
  | { id: number; ok: false; error: string };

export interface PreparePool {
  prepare(bytes: Buffer, sha: string, headersOnly: boolean): Promise<PreparedMessage>;
  /** Compress full bytes only (to upgrade a headers-only copy). */
  compress(bytes: Buffer, sha: string): Promise<NewMessage['blob']>;
  close(): Promise<void>;
}

/** Workers to start by default: one per core beyond the main thread. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function createPreparePool(size: number): PreparePool {
  if (size <= 0) {
    return {
      prepare: async (bytes, sha, headersOnly) => prepareMessage(bytes, sha, headersOnly),
      compress: async (bytes, sha) => compressBlob(bytes, sha),
      close: async () => {},
    };
  }
  const workers: Worker[] = [];
  const waiting = new Map<number, { resolve: (r: PoolReply) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failed: Error | null = null;
  for (let i = 0; i < size; i++) {
    // Small young generation: the worker's garbage is short-lived buffers and strings; this keeps RSS low.
    const w = new Worker(new URL('./prepare-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    w.on('message', (reply: PoolReply) => {
      const job = waiting.get(reply.id);
      waiting.delete(reply.id);
      job?.resolve(reply);
    });
    w.on('error', (err) => {
      failed = err;
      for (const job of waiting.values()) job.reject(err);
      waiting.clear();
    });
    workers.push(w);
  }
  type Send = { op: 'prepare'; bytes: Buffer; sha: string; headersOnly: boolean } | { op: 'compress'; bytes: Buffer; sha: string };
  const send = (req: Send): Promise<PoolReply> => {
    if (failed) return Promise.reject(failed);
    const id = next++;
    // Copy into a buffer of its own so it can be transferred (the source may be a slice of a read chunk).
    const buf = new ArrayBuffer(req.bytes.length);
    req.bytes.copy(Buffer.from(buf));
    const { bytes: _bytes, ...rest } = req;
    const msg = { ...rest, id, buf } as PoolRequest;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      workers[id % workers.length]!.postMessage(msg, [buf]);
    });
  };
  const unwrap = (r: PoolReply): Partial<PreparedMessage> & { blob: NewMessage['blob'] } => {
    if (!r.ok) throw new Error(r.error);
    return { ...r.result, blob: { ...r.result.blob, data: Buffer.from(r.data) } };
  };
  return {
    prepare: async (bytes, sha, headersOnly) => unwrap(await send({ op: 'prepare', bytes, sha, headersOnly })) as PreparedMessage,
    compress: async (bytes, sha) => unwrap(await send({ op: 'compress', bytes, sha })).blob,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
