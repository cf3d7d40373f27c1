// Split a message's header block into fields (RFC 5322 §2.2, §3.2.2 folding).
// Pure: bytes in, fields out. Never throws; anything odd becomes a warning and the text is kept.
// Works on CRLF, LF and bare-CR line endings, and on bytes that are not valid UTF-8
// (decoded as latin1 so every byte survives and offsets stay byte offsets).

import type { HeaderBlock, HeaderField } from '../model/header.js';

/** Stop looking for the end of the header block after this many bytes (a 50 MB header block is hostile). */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** Find the byte length of the header block (including the blank line), or -1 when there is no blank line. */
export function findHeaderEnd(buf: Buffer, limit = MAX_HEADER_BYTES): number {
  const end = Math.min(buf.length, limit);
  // A message that starts with a blank line has an empty header block.
  if (buf[0] === 0x0a) return 1;
  if (buf[0] === 0x0d && buf[1] === 0x0a) return 2;
  let i = 0;
  while (i < end) {
    const nl = buf.indexOf(0x0a, i);
    if (nl < 0 || nl >= end) return -1;
    // next line empty? (LF LF) or (LF CR LF)
    if (buf[nl + 1] === 0x0a) return nl + 2;
    if (buf[nl + 1] === 0x0d && buf[nl + 2] === 0x0a) return nl + 3;
    i = nl + 1;
  }
  return -1;
}

/** Parse the header block at the start of `buf`. */
export function parseHeaderBlock(buf: Buffer, limit = MAX_HEADER_BYTES): HeaderBlock {
  const warnings: string[] = [];
  let headerLength = findHeaderEnd(buf, limit);
  let hasBody = true;
  if (headerLength < 0) {
    hasBody = false;
    if (buf.length > limit) {
      warnings.push(`header block longer than ${limit} bytes; only the first ${limit} bytes were read`);
      headerLength = limit;
    } else {
      headerLength = buf.length;
    }
  }
  // latin1 keeps one char per byte, so string offsets are byte offsets.
  const text = buf.toString('latin1', 0, headerLength);
  const fields: HeaderField[] = [];
  let pos = 0;
  let current: { name: string; start: number; valueStart: number; end: number } | null = null;

  const flush = (): void => {
    if (!current) return;
    let raw = text.slice(current.valueStart, current.end).replace(/\r?\n$|\r$/, '');
    if (raw.startsWith(' ')) raw = raw.slice(1);
    const value = raw.replace(/\r\n|\n|\r/g, '').replace(/[\t ]+/g, ' ').trim();
    fields.push({
      index: fields.length,
      name: current.name,
      key: current.name.toLowerCase(),
      raw: decodeHeaderText(raw),
      value: decodeHeaderText(value),
      offset: current.start,
    });
    current = null;
  };

  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    let lineEnd = nl < 0 ? text.length : nl + 1;
    // Bare CR line endings (old Mac files): treat a CR not followed by LF as a line end.
    const cr = text.indexOf('\r', pos);
    if (cr >= 0 && cr < lineEnd - 1 && text[cr + 1] !== '\n') {
      nl = cr;
      lineEnd = cr + 1;
    }
    const line = text.slice(pos, lineEnd);
    if (line === '\n' || line === '\r\n' || line === '\r') break; // the blank separator
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (current) current.end = lineEnd;
      else warnings.push(`continuation line with no field before it at byte ${pos}`);
    } else {
      flush();
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(name.trimEnd())) {
        // Not a field. An mbox "From " line that leaked in is common; keep it out of the fields.
        warnings.push(`line without a field name at byte ${pos}: ${JSON.stringify(line.slice(0, 60).trimEnd())}`);
      } else {
        current = { name: name.trimEnd(), start: pos, valueStart: colon + 1 + pos, end: lineEnd };
      }
    }
    pos = lineEnd;
  }
  flush();
  return { fields, headerLength, hasBody, warnings };
}

/**
 * Header bytes are meant to be ASCII; real mail carries UTF-8 (RFC 6532) and legacy 8-bit text.
 * Re-decode as UTF-8 when the bytes are valid UTF-8, otherwise keep the latin1 reading (no byte lost).
 */
function decodeHeaderText(latin1: string): string {
  // Fast path: pure ASCII.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  const bytes = Buffer.from(latin1, 'latin1');
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\ufffd') ? latin1 : utf8;
}

/** All fields named `key` (case-insensitive), in header order. */
export function fieldsNamed(block: HeaderBlock, key: string): HeaderField[] {
  const k = key.toLowerCase();
  return block.fields.filter((f) => f.key === k);
}

/** The first field named `key`, or undefined. */
export function firstField(block: HeaderBlock, key: string): HeaderField | undefined {
  const k = key.toLowerCase();
  return block.fields.find((f) => f.key === k);
}
