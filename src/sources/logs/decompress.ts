// Transparent decompression of rotated logs: gzip (Node's zlib, multi-member files included) and bzip2
// (unbzip2-stream, pure JavaScript, streaming). Compression is told by magic bytes, not by file name.
// A truncated or corrupt compressed stream does not throw: the bytes decoded so far are yielded, then the
// error is reported through `onError` and decoding stops — the caller keeps what was read and says where it stopped.
// The compressed bytes are consumed to the end either way, so the artifact's own sha256 covers the whole file.

import { createHash, type Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { Transform } from 'node:stream';
import bz2 from 'unbzip2-stream';

export type Compression = 'none' | 'gzip' | 'bzip2';

/** Compression of a stream from its first bytes. */
export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  return 'none';
}

export interface Decoded {
  /** Decompressed chunks, in order. */
  chunks: AsyncIterable<Buffer>;
  compression(): Compression;
  /** sha256 and size of the decompressed stream (null for uncompressed input), valid once `chunks` is done. */
  stream(): { sha256: string; size: number } | null;
  /** Why decoding stopped early, or null. */
  error(): string | null;
}

/**
 * The decoder's complaint in words a user can act on. zlib's messages say what went wrong ("unexpected end of
 * file"); unbzip2-stream throws its own internals on bad data ("Cannot read properties of undefined"), which say
 * nothing about the file.
 */
function decodeFailure(kind: Compression, e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (kind === 'bzip2' && (e instanceof TypeError || e instanceof RangeError || /undefined|not a function/.test(m))) return 'not valid bzip2 data';
  return m;
}

/** Wrap raw chunks: detect compression from the first chunk and decode on the fly. */
export function decodeStream(raw: AsyncIterable<Buffer>): Decoded {
  let kind: Compression = 'none';
  let hash: Hash | null = null;
  let size = 0;
  let err: string | null = null;
  let digest: { sha256: string; size: number } | null = null;

  async function* run(): AsyncGenerator<Buffer> {
    const it = raw[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    kind = sniffCompression(first.value);
    if (kind === 'none') {
      yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      return;
    }
    hash = createHash('sha256');
    const z: Transform = kind === 'gzip' ? createGunzip() : (bz2() as unknown as Transform);
    const out: Buffer[] = [];
    let ended = false;
    let wake: (() => void) | null = null;
    z.on('data', (c: Buffer) => { out.push(c); });
    const fail = (e: unknown): void => { if (err === null) err = decodeFailure(kind, e); ended = true; };
    z.on('error', (e: Error) => { fail(e); wake?.(); });
    z.on('end', () => { ended = true; wake?.(); });
    // zlib calls back once the chunk is processed; unbzip2-stream is a classic `through` stream that decodes
    // synchronously inside write() and takes no callback. An error also resolves (through `wake`).
    const feed = (chunk: Buffer): Promise<void> => new Promise((resolve) => {
      if (ended) { resolve(); return; }
      if (kind === 'bzip2') {
        try { z.write(chunk); } catch (e) { fail(e); }
        resolve();
        return;
      }
      wake = resolve;
      z.write(chunk, () => resolve());
    });
    const drain = function* (): Generator<Buffer> {
      while (out.length > 0) {
        const c = out.shift()!;
        hash!.update(c);
        size += c.length;
        yield c;
      }
    };
    for (let r: IteratorResult<Buffer> = first; !r.done; r = await it.next()) {
      if (!ended) await feed(r.value);
      yield* drain();
    }
    if (!ended) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        try { z.end(); } catch (e) { fail(e); }
        if (ended) resolve();
      });
    }
    // zlib may emit the last data after end() was called but before 'end'.
    yield* drain();
    digest = { sha256: (hash as Hash).digest('hex'), size };
  }

  return {
    chunks: run(),
    compression: () => kind,
    stream: () => digest,
    error: () => err,
  };
}
