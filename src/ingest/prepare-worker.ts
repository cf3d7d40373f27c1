// Worker-thread entry: runs prepareMessage for the main thread (see prepare-pool.ts).
// Buffers travel by transfer, not copy.

import { parentPort } from 'node:worker_threads';
import { compressBlob, prepareMessage } from './prepare-message.js';
import type { PoolRequest, PoolReply } from './prepare-pool.js';

const port = parentPort;
if (port) {
  port.on('message', (req: PoolRequest) => {
    let reply: PoolReply;
    const bytes = Buffer.from(req.buf);
    try {
      const result = req.op === 'prepare' ? prepareMessage(bytes, req.sha, req.headersOnly) : { blob: compressBlob(bytes, req.sha) };
      const data = result.blob.data;
      // Hand over the compressed bytes without a copy (a fresh ArrayBuffer owned by this result only).
      const out = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      reply = { id: req.id, ok: true, result: { ...result, blob: { ...result.blob, data: Buffer.alloc(0) } }, data: out as ArrayBuffer };
      port.postMessage(reply, [out as ArrayBuffer]);
    } catch (err) {
      reply = { id: req.id, ok: false, error: (err as Error).message };
      port.postMessage(reply);
    }
  });
}
