// Worker-thread entry: reads and parses one log artifact (readLog) and posts compact event batches to the thread
// that writes the store (see batched-read.ts). Never runs ahead by more than MAX_IN_FLIGHT unacknowledged batches.

import { parentPort, workerData } from 'node:worker_threads';
import { MailtrailError } from '../../errors.js';
import { MAX_IN_FLIGHT, type WorkerAck, type WorkerMessage, type WorkerRequest } from './batched-read.js';
import { EventBatchBuilder, isMeaningful } from './event-batch.js';
import { readLog } from './read-log.js';

const port = parentPort;
if (port) void run(port, workerData as WorkerRequest);

async function run(p: NonNullable<typeof parentPort>, req: WorkerRequest): Promise<void> {
  const post = (m: WorkerMessage, transfer?: ArrayBuffer[]): void => p.postMessage(m, transfer);
  const builder = new EventBatchBuilder();
  let credits = MAX_IN_FLIGHT;
  let wake: (() => void) | null = null;
  p.on('message', (ack: WorkerAck) => {
    builder.recycle(ack.nums, ack.lens);
    credits++;
    const w = wake;
    wake = null;
    w?.();
  });
  const send = (): void => {
    const batch = builder.take();
    credits--;
    post({ type: 'batch', batch }, [batch.nums.buffer as ArrayBuffer, batch.lens.buffer as ArrayBuffer]);
  };
  const { nowIso, ...opts } = req.opts;
  try {
    const result = await readLog(req.path, { ...opts, now: () => new Date(nowIso) }, {
      event(ev) {
        if (!isMeaningful(ev)) return;
        builder.add(ev);
        if (builder.full) send();
      },
      problem: (problem) => post({ type: 'problem', problem }),
      async drain() {
        if (builder.size > 0) send();
        while (credits <= 0) await new Promise<void>((res) => { wake = res; });
      },
    }, { mtime: req.mtime });
    if (builder.size > 0) send();
    post({ type: 'done', result });
  } catch (err) {
    const e = err as Error;
    post(err instanceof MailtrailError
      ? { type: 'error', code: err.code, message: err.message, where: err.where, hint: err.hint }
      : { type: 'error', code: null, message: e.message, where: undefined, hint: undefined });
  }
  // The port stays open: the calling thread terminates this worker once it has the result.
}
