// Registry entries for logs. Detection on the first bytes (decompressing a gzip head when needed): a file is a
// log when a format recognises its first complete lines, or when it is bzip2 (its first block cannot be decoded
// from a few KiB, so the reader decides, and says "format not recognised" with the first bad line if it is not a
// log). Kind `log` means "detect the format while reading"; `postfix`, `exim`, … are forced with --format.
// Logs carry no messages: `read` only digests the bytes; ingest reads logs with readLog (ingest-log.ts).

import { gunzipSync, constants as zc } from 'node:zlib';
import type { ArtifactEvent, ArtifactInput, SourceAdapter } from '../../model/source.js';
import { openArtifact } from '../read-artifact.js';
import { sniffCompression } from './decompress.js';
import { detectLogFormat } from './detect.js';
import { LOG_FORMATS } from './formats.js';

export const LOG_KINDS: readonly string[] = ['log', ...LOG_FORMATS];

export function isLogKind(kind: string): boolean {
  return LOG_KINDS.includes(kind);
}

function headLines(head: Buffer): string[] {
  let text = head;
  const c = sniffCompression(head);
  if (c === 'gzip') {
    try {
      text = gunzipSync(head, { finishFlush: zc.Z_SYNC_FLUSH });
    } catch {
      return [];
    }
  }
  const lines = text.toString('utf8').split('\n');
  if (lines.length > 1) lines.pop(); // the head may end mid-line
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).slice(0, 200);
}

/**
 * Why a gzip file is damaged, judged from its first bytes (`whole`: they are the whole file), or null when nothing
 * shows it: corrupt data, a whole file whose stream does not end (cut short), or a head that yields no byte. Lets a
 * truncated `.gz` be called that, not "not a log".
 */
export function gzipHeadFailure(head: Buffer, whole: boolean): string | null {
  try {
    const out = gunzipSync(head, whole ? {} : { finishFlush: zc.Z_SYNC_FLUSH });
    return out.length > 0 || whole ? null : 'cut short before any data';
  } catch (e) {
    return (e as Error).message;
  }
}

/** True when the first bytes look like a log mailtrail reads. */
export function looksLikeLog(head: Buffer): boolean {
  if (head.length === 0) return false;
  if (sniffCompression(head) === 'bzip2') return true;
  const lines = headLines(head);
  return lines.length > 0 && detectLogFormat(lines).format !== null;
}

function logAdapter(kind: string): SourceAdapter {
  return {
    kind,
    detect: ({ head }) => kind === 'log' && looksLikeLog(head),
    async *read(input: ArtifactInput): AsyncIterable<ArtifactEvent> {
      const r = await openArtifact(input.path);
      for await (const _ of r.chunks) { /* digest only */ }
      const { digest, problem } = r.finish();
      if (problem) yield { type: 'problem', problem };
      yield { type: 'end', digest };
    },
  };
}

export const LOG_ADAPTERS: ReadonlyArray<[string, SourceAdapter]> = LOG_KINDS.map((k) => [k, logAdapter(k)]);
