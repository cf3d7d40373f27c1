// Open an artifact (a file, or stdin for `-`) read-only and stream its bytes once, hashing them on the way.
// Inputs are evidence: nothing here writes, renames or locks. Files are opened O_RDONLY, with O_NOATIME
// where the kernel allows it (Linux, file owner or root) so reading does not even bump the access time.
// Used by every file adapter so they all digest the same way (sha256 of the exact bytes read, size, mtime).

import { createHash } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { MailtrailError } from '../errors.js';
import type { ArtifactDigest, SourceProblem } from '../model/source.js';

/**
 * 64 KiB, below glibc's 128 KiB mmap threshold: read buffers then come from and return to the allocator's free
 * lists. With 1 MiB reads, peak RSS of a 300 MB mbox ingest was 201-209 MB (1 GB: 207-210 MB); with 64 KiB it is
 * 163-165 MB (1 GB: 166-189 MB), for 3-5% more time (measured alternately on 2 cores).
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Where stdin bytes come from. A port, so tests can feed bytes; the default reads process.stdin. */
export type StdinSource = () => AsyncIterable<Buffer | string>;

export const processStdin: StdinSource = () => (stdinPeeked === null ? process.stdin : replayStdin(stdinPeeked));

/** What peekProcessStdin has read ahead: the chunks so far, and the stream's iterator to go on with. */
let stdinPeeked: { chunks: Buffer[]; rest: AsyncIterator<Buffer | string> } | null = null;

/**
 * The first `bytes` of the process's standard input (fewer when it ends sooner), without consuming them: a later
 * read of `-` (processStdin) gets every byte, these first. Lets the format of piped input be detected like a
 * file's. Reads stdin, so only the CLI calls it.
 */
export async function peekProcessStdin(bytes: number): Promise<Buffer> {
  if (stdinPeeked === null) stdinPeeked = { chunks: [], rest: (process.stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]() };
  const p = stdinPeeked;
  let have = p.chunks.reduce((n, c) => n + c.length, 0);
  while (have < bytes) {
    const r = await p.rest.next();
    if (r.done === true) break;
    const c = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
    p.chunks.push(c);
    have += c.length;
  }
  return Buffer.concat(p.chunks).subarray(0, bytes);
}

async function* replayStdin(p: { chunks: Buffer[]; rest: AsyncIterator<Buffer | string> }): AsyncIterable<Buffer | string> {
  const head = p.chunks.splice(0);
  yield* head;
  for (let r = await p.rest.next(); r.done !== true; r = await p.rest.next()) yield r.value;
}

export interface ReadTuning {
  /** Read chunk size in bytes (files only; stdin delivers what the pipe gives). */
  chunkSize?: number;
  stdin?: StdinSource;
}

/** A streaming read in progress: iterate `chunks` once, then call `finish()` for the digest. */
export interface ArtifactReader {
  chunks: AsyncIterable<Buffer>;
  /** The digest of everything read, plus a problem if the file changed size while being read. */
  finish(): { digest: ArtifactDigest; problem: SourceProblem | null };
}

/** Open `path` (or stdin for `-`). Throws MailtrailError when it cannot be opened at all. */
export async function openArtifact(path: string, tuning: ReadTuning = {}): Promise<ArtifactReader> {
  const hash = createHash('sha256');
  let size = 0;
  const count = (chunk: Buffer): Buffer => {
    hash.update(chunk);
    size += chunk.length;
    return chunk;
  };

  if (path === '-') {
    const stdin = (tuning.stdin ?? processStdin)();
    return {
      chunks: (async function* () {
        for await (const c of stdin) yield count(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
      })(),
      finish: () => ({ digest: { sha256: hash.digest('hex'), size, mtime: null }, problem: null }),
    };
  }

  const fh = await openReadOnly(path);
  let statSize: number;
  let mtime: string;
  let regular: boolean;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new MailtrailError('BAD_INPUT', 'is a directory, not a message file', { where: path });
    statSize = st.size;
    mtime = st.mtime.toISOString();
    regular = st.isFile();
  } catch (err) {
    await fh.close();
    throw err;
  }
  const stream = fh.createReadStream({ highWaterMark: tuning.chunkSize ?? DEFAULT_CHUNK_SIZE, autoClose: true });

  return {
    chunks: (async function* () {
      try {
        for await (const c of stream as AsyncIterable<Buffer>) yield count(c);
      } catch (err) {
        // Part-way read failure (EIO, file truncated under us): there is no honest digest to give.
        throw new MailtrailError('IO', 'read failed', { where: `${path} @ byte ${size}`, cause: err });
      } finally {
        stream.destroy();
      }
    })(),
    finish: () => {
      const digest = { sha256: hash.digest('hex'), size, mtime };
      const changed = regular && size !== statSize;
      const problem = changed
        ? {
            position: `byte ${size}`,
            offset: size,
            message: `file changed while being read (${statSize} bytes when opened, ${size} bytes read); the digest covers the bytes read`,
          }
        : null;
      return { digest, problem };
    },
  };
}

/** The first `n` bytes of a file (fewer when the file is shorter), for format detection. Throws MailtrailError. */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await openReadOnly(path);
  try {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(buf, got, n - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } catch (err) {
    throw err instanceof MailtrailError ? err : openError(path, err);
  } finally {
    await fh.close();
  }
}

async function openReadOnly(path: string): Promise<FileHandle> {
  const noatime = fsc.O_NOATIME ?? 0;
  try {
    return await open(path, fsc.O_RDONLY | noatime);
  } catch (err) {
    // O_NOATIME is refused (EPERM) on files we do not own; fall back to a plain read-only open.
    if (noatime && (err as NodeJS.ErrnoException).code === 'EPERM') {
      try {
        return await open(path, fsc.O_RDONLY);
      } catch (err2) {
        throw openError(path, err2);
      }
    }
    throw openError(path, err);
  }
}

function openError(path: string, err: unknown): MailtrailError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new MailtrailError('NOT_FOUND', 'no such file', { where: path, cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    const hint = 'the file must be readable by the user running mailtrail';
    return new MailtrailError('IO', 'permission denied', { where: path, cause: err, hint });
  }
  return new MailtrailError('IO', `cannot open (${code ?? 'unknown error'})`, { where: path, cause: err });
}
