// A small synchronous MIME walker for reports (RFC 2045/2046), enough to find the parts of a bounce:
// multipart/report, message/delivery-status, message/rfc822, text/rfc822-headers, text/plain.
// Pure: bytes in, tree out; never throws. Bounded: depth, part count and input size are capped.
// Why not mailparser: its API is asynchronous (a stream), and parseBounce must be a plain function.

import { parseHeaderBlock } from '../headers.js';
import type { HeaderField } from '../../model/header.js';

export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 8;
const MAX_PARTS = 200;

export interface MimePart {
  fields: HeaderField[];
  /** Lower-cased `type/subtype`; `text/plain` when absent (RFC 2045 §5.2). */
  type: string;
  params: Map<string, string>;
  /** Body after Content-Transfer-Encoding decoding (charset not applied). */
  body: Buffer;
  children: MimePart[];
}

/** CRLF and bare CR become LF, so one code path reads every file (see dsn/sisimai-cr-only). */
export function normalizeNewlines(bytes: Buffer): Buffer {
  const cut = bytes.length > MAX_REPORT_BYTES ? bytes.subarray(0, MAX_REPORT_BYTES) : bytes;
  if (!cut.includes(0x0d)) return cut;
  return Buffer.from(cut.toString('latin1').replace(/\r\n?/g, '\n'), 'latin1');
}

/** Parse a whole message (already newline-normalised) into a part tree. */
export function parseMime(bytes: Buffer): MimePart {
  const budget = { parts: 0 };
  return parsePart(bytes, 0, budget, 'text/plain');
}

function parsePart(bytes: Buffer, depth: number, budget: { parts: number }, defaultType: string): MimePart {
  budget.parts++;
  const block = parseHeaderBlock(bytes);
  const rawBody = block.hasBody ? bytes.subarray(block.headerLength) : Buffer.alloc(0);
  const ctField = block.fields.find((f) => f.key === 'content-type');
  const { type, params } = parseContentType(ctField?.value ?? '', defaultType);
  const cte = (block.fields.find((f) => f.key === 'content-transfer-encoding')?.value ?? '').trim().toLowerCase();
  const part: MimePart = { fields: block.fields, type, params, body: rawBody, children: [] };
  if (depth >= MAX_DEPTH || budget.parts >= MAX_PARTS) {
    part.body = decodeTransfer(rawBody, cte);
    return part;
  }
  const boundary = params.get('boundary') ?? (type.startsWith('multipart/') ? strayBoundary(bytes, block.headerLength) : undefined);
  if (type.startsWith('multipart/') && boundary) {
    const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    for (const chunk of splitMultipart(rawBody, boundary)) {
      if (budget.parts >= MAX_PARTS) break;
      part.children.push(parsePart(chunk, depth + 1, budget, childDefault));
    }
    return part;
  }
  part.body = decodeTransfer(rawBody, cte);
  if (type === 'message/rfc822' || type === 'message/global') {
    part.children.push(parsePart(part.body, depth + 1, budget, 'text/plain'));
  }
  return part;
}

/**
 * A boundary parameter left on its own unindented line after `Content-Type: multipart/…;` (broken folding,
 * seen in Apache James bounces): header parsing drops it, so look for it in the raw header block.
 */
function strayBoundary(bytes: Buffer, headerLength: number): string | undefined {
  const head = bytes.subarray(0, Math.min(headerLength, 64 * 1024)).toString('latin1');
  return /^[ \t]*boundary[ \t]*=[ \t]*"([^"\n]{1,200})"/im.exec(head)?.[1] ?? /^[ \t]*boundary[ \t]*=[ \t]*([^\s";]{1,200})/im.exec(head)?.[1];
}

/** `text/plain; charset="x"` → type and a Map of lower-cased parameter names (quoted strings kept whole). */
export function parseContentType(value: string, defaultType = 'text/plain'): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const semi = value.indexOf(';');
  const head = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(head) ? head : defaultType;
  const rest = semi < 0 ? '' : value.slice(semi + 1);
  // name=value or name="quoted \" value"; tolerant of spaces around '='.
  const re = /([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^;\s]*))/g;
  for (const m of rest.matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase().replace(/\*$/, '');
    if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return { type, params };
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const marker = `--${boundary}`;
  const chunks: Buffer[] = [];
  let start = -1;
  let pos = 0;
  while (pos <= text.length) {
    const at = text.indexOf(marker, pos);
    if (at < 0) break;
    const atLineStart = at === 0 || text[at - 1] === '\n';
    const lineEnd = text.indexOf('\n', at);
    const next = lineEnd < 0 ? text.length : lineEnd + 1;
    if (!atLineStart) {
      pos = at + marker.length;
      continue;
    }
    if (start >= 0) {
      // The newline before the delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      const end = at > start && text[at - 1] === '\n' ? at - 1 : at;
      chunks.push(body.subarray(start, Math.max(start, end)));
    }
    if (text.startsWith('--', at + marker.length)) return chunks;
    start = next;
    pos = next;
  }
  // No closing delimiter: keep what followed the last opening one (truncated bounces are common).
  if (start >= 0 && start < text.length) chunks.push(body.subarray(start));
  return chunks;
}

export function decodeTransfer(body: Buffer, cte: string): Buffer {
  if (cte === 'base64') {
    const clean = body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
    return Buffer.from(clean, 'base64');
  }
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body.toString('latin1'));
  return body;
}

/** RFC 2045 §6.7. Invalid escapes are kept as written. */
function decodeQuotedPrintable(s: string): Buffer {
  const text = s.replace(/[ \t]+$/gm, '').replace(/=\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(c & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Decode a part's body to text with its charset; unknown charsets fall back to UTF-8, then latin1. */
export function partText(part: MimePart): string {
  return decodeCharset(part.body, part.params.get('charset') ?? '');
}

export function decodeCharset(bytes: Buffer, charset: string): string {
  let label = charset.trim().toLowerCase();
  // Undeclared ISO-2022-JP (ESC $ B) is common in Japanese bounces' report parts.
  if ((label === '' || label === 'us-ascii') && bytes.includes('\x1b$B')) label = 'iso-2022-jp';
  // ISO-2022 is 7-bit: 8-bit bytes under that label mean the label is wrong (re-encoded mail keeps its old header).
  if (label.startsWith('iso-2022-') && bytes.some((b) => b >= 0x80)) label = '';
  if (label && label !== 'us-ascii' && label !== 'utf-8' && label !== 'utf8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // unknown label: fall through
    }
  }
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\ufffd') ? bytes.toString('latin1') : utf8;
}

/** Depth-first list of every part (the root first). */
export function flattenParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const walk = (p: MimePart): void => {
    out.push(p);
    for (const c of p.children) walk(c);
  };
  walk(root);
  return out;
}

export function fieldValue(fields: HeaderField[], key: string): string | null {
  return fields.find((f) => f.key === key)?.value ?? null;
}
