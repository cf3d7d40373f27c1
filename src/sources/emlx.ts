// Apple Mail's message files (.emlx, in ~/Library/Mail/V*/…/Folder.mbox/…/Messages/): a first line holding the
// message's length in bytes, the RFC 5322 message of exactly that length, then an XML property list of Apple
// Mail's own (flags, dates; the flags are kept, as Maildir letters). One message per file; its locator's offset
// and length say where the message lies in the file, so its sha256 can be checked against the file as an mbox
// message's can.
// A `.partial.emlx` is a message Apple Mail kept without its attachments: the headers are the message's, the body
// is not. Only its header block is kept (as --headers-only does), so no check ever reads a body with parts
// missing as a body altered since signing.
// Read-only; the file's bytes are hashed whole as every artifact's are.

import type { ArtifactEvent, ArtifactInput, ReadOptions, SourceAdapter } from '../model/source.js';
import { looksLikeMessage } from './eml.js';
import { openArtifact, type ReadTuning } from './read-artifact.js';

const LENGTH_LINE = /^(\d{1,10})[ \t]*\r?\n/;
const FLAGS = /<key>flags<\/key>\s*<integer>(\d{1,20})<\/integer>/;
/** Apple Mail's flag bits (jwz.org/blog/2005/07/emlx-flags) as the Maildir info letters they mean, in Maildir's order. */
const FLAG_LETTERS: ReadonlyArray<[bit: number, letter: string]> = [[6, 'D'], [4, 'F'], [8, 'P'], [2, 'R'], [0, 'S'], [1, 'T']];

/**
 * The message flags Apple Mail keeps in the property list after the message (read, answered, flagged, deleted…),
 * as Maildir info letters (cr.yp.to/proto/maildir.html: D draft, F flagged, P passed, R replied, S seen, T trashed),
 * so they mean to every reader what a Maildir file's do; null when the list has no flags.
 */
export function emlxFlags(trailer: string): string | null {
  const m = FLAGS.exec(trailer);
  if (!m) return null;
  const n = BigInt(m[1]!);
  return FLAG_LETTERS.filter(([bit]) => (n >> BigInt(bit)) & 1n).map(([, l]) => l).join('');
}

/** True when the head is an emlx: a length line, then what looks like the start of a message. */
export function looksLikeEmlx(head: Buffer): boolean {
  const m = LENGTH_LINE.exec(head.toString('latin1', 0, 16));
  return m !== null && looksLikeMessage(head.subarray(m[0].length));
}

/** A `.partial.emlx`: Apple Mail kept the message without its attachments. */
export function isPartialEmlx(path: string): boolean {
  return /\.partial\.emlx$/i.test(path);
}

export function createEmlxAdapter(tuning: ReadTuning = {}): SourceAdapter {
  return {
    kind: 'emlx',
    detect: ({ head }) => looksLikeEmlx(head),
    read: (input, opts) => readEmlx(input, opts, tuning),
  };
}

export const emlxAdapter = createEmlxAdapter();

async function* readEmlx(input: ArtifactInput, opts: ReadOptions, tuning: ReadTuning): AsyncIterable<ArtifactEvent> {
  const reader = await openArtifact(input.path, tuning);
  const parts: Buffer[] = [];
  let size = 0;
  // The declared length is checked against the limit before the message is kept; the file is hashed whole anyway.
  const limit = opts.maxMessageBytes + 64 * 1024;
  for await (const chunk of reader.chunks) {
    size += chunk.length;
    if (size <= limit) parts.push(chunk);
  }
  const { digest, problem } = reader.finish();
  const buf = Buffer.concat(parts);
  const m = LENGTH_LINE.exec(buf.toString('latin1', 0, 16));
  const declared = m ? Number(m[1]) : NaN;
  const offset = m ? m[0].length : 0;
  if (!m) {
    yield { type: 'problem', problem: { position: 'byte 0', offset: 0, message: 'not an emlx file: the first line is not the message length' } };
  } else if (declared > opts.maxMessageBytes) {
    yield { type: 'problem', problem: { position: 'message #1', offset, message: `message is ${declared} bytes, more than the limit of ${opts.maxMessageBytes} bytes: skipped` } };
  } else {
    const length = Math.min(declared, size - offset);
    if (length < declared) {
      yield { type: 'problem', problem: { position: `byte ${size}`, offset: size, message: `the file ends ${declared - length} bytes before the message length its first line gives (${declared}): cut short` } };
    }
    const message = {
      bytes: Buffer.from(buf.subarray(offset, offset + length)),
      locator: {
        index: 1, offset, length, folder: input.folder, fromLine: null, unquote: 'none' as const,
        maildirFlags: emlxFlags(buf.toString('latin1', offset + length, Math.min(buf.length, offset + length + 64 * 1024))), maildirSubdir: null,
      },
      ...(isPartialEmlx(input.path) ? { headersOnly: true } : {}),
    };
    yield { type: 'message', message };
  }
  if (problem) yield { type: 'problem', problem };
  yield { type: 'end', digest };
}
