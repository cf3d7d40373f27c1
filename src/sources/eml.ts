// Single-message source adapter: one file holds one RFC 5322 message (.eml, .msg text, a Maildir file),
// or stdin when the path is `-` (digest mtime null). Read-only; the bytes are kept exactly as stored.
// Messages larger than ReadOptions.maxMessageBytes are reported and skipped (the file is still hashed).

import type { ArtifactEvent, ArtifactInput, MessageLocator, ReadOptions, SourceAdapter } from '../model/source.js';
import { openArtifact, type ReadTuning } from './read-artifact.js';

/**
 * A header field line: a field name, optional WSP (RFC 5322 §4.5.1 obsolete syntax), `:`. RFC 5322 §3.6.8
 * allows any printable ASCII but `:` in names; detection asks for the names seen in practice (letters,
 * digits, `-`, `_`, `.`) so that JSON, code and prose are not taken for mail. --format overrides.
 */
const FIELD_LINE = /^[A-Za-z][A-Za-z0-9_.-]{0,199}[ \t]*:/;
/** How many leading lines must look like a header block before we call it a message. */
const LINES_TO_CHECK = 8;
const MAX_LEADING_BLANK = 3;

/**
 * True when the head looks like the start of a message: the first line is a header field (`Name: value`,
 * e.g. `Return-Path:`, `Received:`, `Delivered-To:`, `From:`), and the following lines, up to the first blank
 * line or LINES_TO_CHECK lines, are header fields or folded continuations. Accepts LF, CRLF and bare-CR
 * line endings, a leading UTF-8 BOM and up to 3 leading whitespace-only lines. An mbox `From ` line (no colon) does not match.
 */
export function looksLikeMessage(head: Buffer): boolean {
  return headerBreak(head) === 0;
}

/**
 * For a head that starts with a header field: 0 when it looks like a message, else the 1-based line that is
 * neither a header field nor a folded continuation (a message whose folding was broken, e.g. by copying). Null
 * when the head does not start like a message at all.
 */
export function headerBreak(head: Buffer): number | null {
  if (head.length === 0 || head.includes(0)) return null;
  let text = head.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  const lines = text.split(/\r\n|\r|\n/);
  // The head may end mid-line: do not judge the last, possibly partial, line unless it is the only one.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  // Tolerate a few whitespace-only lines before the header (seen in the wild: flanker's iphone.eml).
  let start = 0;
  while (start < MAX_LEADING_BLANK && /^[ \t]*$/.test(complete[start] ?? 'x')) start++;
  const first = complete[start];
  if (first === undefined || !FIELD_LINE.test(first)) return null;
  for (let i = start + 1; i < Math.min(complete.length, start + LINES_TO_CHECK); i++) {
    const line = complete[i]!;
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    if (!FIELD_LINE.test(line)) return i + 1;
  }
  return 0;
}

export function createEmlAdapter(tuning: ReadTuning = {}): SourceAdapter {
  return {
    kind: 'eml',
    detect: ({ head }) => looksLikeMessage(head),
    read: (input, opts) => readSingleMessage(input, opts, tuning, { maildirFlags: null, maildirSubdir: null }),
  };
}

export const emlAdapter = createEmlAdapter();

/** Read a whole one-message artifact. Shared with the Maildir adapter, which supplies its locator fields. */
export async function* readSingleMessage(
  input: ArtifactInput,
  opts: ReadOptions,
  tuning: ReadTuning,
  extra: Pick<MessageLocator, 'maildirFlags' | 'maildirSubdir'>,
): AsyncIterable<ArtifactEvent> {
  const reader = await openArtifact(input.path, tuning);
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of reader.chunks) {
    length += chunk.length;
    if (length > opts.maxMessageBytes) parts = []; // keep hashing, stop buffering
    else parts.push(chunk);
  }
  const { digest, problem } = reader.finish();
  if (length > opts.maxMessageBytes) {
    yield {
      type: 'problem',
      problem: {
        position: 'message #1',
        offset: 0,
        message: `message is ${length} bytes, more than the limit of ${opts.maxMessageBytes} bytes: skipped`,
      },
    };
  } else if (length === 0) {
    yield { type: 'problem', problem: { position: 'byte 0', offset: 0, message: 'empty file: no message in it' } };
  } else {
    const locator: MessageLocator = {
      index: 1,
      offset: 0,
      length,
      folder: input.folder,
      fromLine: null,
      unquote: 'none',
      ...extra,
    };
    yield { type: 'message', message: { bytes: Buffer.concat(parts, length), locator } };
  }
  if (problem) yield { type: 'problem', problem };
  yield { type: 'end', digest };
}
