// Streaming mbox splitter. Pure: bytes are pushed in chunk by chunk, events come out; no I/O.
//
// Format (RFC 4155; mboxrd/mboxo quoting as in qmail's mbox(5) and Rahul Dhesi's "mboxrd"):
// - A message starts after a `From ` separator line: a line beginning `From ` at the start of the file or
//   right after an LF. LF and CRLF files both work (the LF ends every line); CR-only files have no
//   separators and read as one preamble. Content-Length (mboxcl/mboxcl2) is not honoured: every unquoted
//   `From ` line at a line start is a separator, which is what mboxo/mboxrd writers guarantee.
// - Stored bytes of a message: from the byte after the separator's LF up to (not including) the next
//   separator line, or EOF. locator.offset/length describe exactly these bytes.
// - Message bytes = decodeStoredMessage(stored): (1) trailing separator rule: when the stored bytes end
//   with an empty line (their final line ending, LF or CRLF, starts at a line start), exactly that one
//   final line ending is removed — it is the blank line writers put before the next `From `;
//   (2) un-quoting: mboxrd removes one `>` from lines matching `^>+From `, mboxo from lines matching
//   `^>From `. Other bytes, line endings included, are kept as they are.
// - Bytes before the first separator are not a message: they are reported (count and range), not dropped
//   silently. A message longer than maxMessageBytes is reported and skipped without being buffered.
//
// Memory: at most one message's stored bytes (as views into the read chunks) plus the current chunk.

import type { ArtifactEvent, MessageLocator, SourceProblem } from '../model/source.js';

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const SEP = Buffer.from('\nFrom ', 'latin1');
const FROM = Buffer.from('From ', 'latin1');
const QUOTED_FROM = Buffer.from('>From ', 'latin1');
const EMPTY = Buffer.alloc(0);
/** Keep at most this much of a separator line's text (the rest is skipped, not buffered). */
const MAX_FROM_LINE = 4096;

export type Unquote = 'mboxrd' | 'mboxo';
export type SplitEvent = Extract<ArtifactEvent, { type: 'message' | 'problem' }>;

export interface SplitOptions {
  unquote: Unquote;
  maxMessageBytes: number;
}

interface Current {
  /** 0 for the preamble (bytes before the first separator), 1.. for messages. */
  index: number;
  offset: number;
  fromLine: string | null;
  parts: Buffer[];
  length: number;
  skipping: boolean;
}

export class MboxSplitter {
  private readonly opts: SplitOptions;
  private state: 'body' | 'fromLine' = 'body';
  /** A separator may begin at the next unconsumed byte (start of file, or the last byte consumed was LF). */
  private lineStart = true;
  /** Bytes after a line start that are a proper prefix of `From `: undecided until more bytes arrive. */
  private carry: Buffer = EMPTY;
  /** Absolute offset of the next byte to be pushed. */
  private pos = 0;
  private msg: Current = { index: 0, offset: 0, fromLine: null, parts: [], length: 0, skipping: true };
  private fromParts: Buffer[] = [];
  private fromLength = 0;
  private fromOffset = 0;
  private nextIndex = 1;

  constructor(opts: SplitOptions) {
    this.opts = opts;
  }

  /** Feed the next chunk. The chunk must not be modified afterwards (message bytes may be views into it). */
  push(chunk: Buffer): SplitEvent[] {
    const out: SplitEvent[] = [];
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const base = this.pos - this.carry.length;
    this.pos += chunk.length;
    this.carry = EMPTY;
    let i = 0;
    while (i < data.length) {
      if (this.state === 'fromLine') {
        const nl = data.indexOf(LF, i);
        this.addFromLine(data.subarray(i, nl < 0 ? data.length : nl));
        if (nl < 0) return out;
        this.startMessage(base + nl + 1);
        i = nl + 1;
        this.lineStart = true;
        continue;
      }
      // Body (or preamble): find the 'F' of the next separator.
      let f = -1;
      if (this.lineStart) {
        const rest = data.length - i;
        if (rest < FROM.length) {
          if (data.compare(FROM, 0, rest, i, data.length) === 0) {
            this.carry = data.subarray(i);
            return out;
          }
        } else if (data.compare(FROM, 0, FROM.length, i, i + FROM.length) === 0) {
          f = i;
        }
      }
      if (f < 0) {
        const j = data.indexOf(SEP, i);
        if (j >= 0) f = j + 1;
      }
      if (f < 0) {
        this.consumeTail(data, i);
        return out;
      }
      this.append(data.subarray(i, f));
      this.finishMessage(out);
      this.state = 'fromLine';
      this.fromOffset = base + f;
      i = f;
    }
    return out;
  }

  /** Signal end of input; returns the last message and any problems. */
  end(): SplitEvent[] {
    const out: SplitEvent[] = [];
    if (this.carry.length) {
      // The file ended with a partial `From` at a line start: it is body text after all.
      this.append(this.carry);
      this.carry = EMPTY;
      this.lineStart = false;
    }
    if (this.state === 'fromLine') {
      const text = `file ended inside the From_ line of message #${this.nextIndex} (no line ending and no message after it)`;
      out.push(problem(`byte ${this.fromOffset}`, this.fromOffset, text));
      return out;
    }
    const { msg } = this;
    if (msg.index > 0 && !this.lineStart) {
      const text = `file ended mid-line (no final line ending): message #${msg.index} may be truncated`;
      out.push(problem(`message #${msg.index}`, this.pos, text));
    }
    if (msg.index === 0 && msg.length > 0) {
      const text = `does not start with a From_ line, and no From_ line was found in its ${msg.length} bytes: nothing was read as an mbox message`;
      out.push(problem('byte 0', 0, text));
      msg.length = 0;
    }
    this.finishMessage(out);
    return out;
  }

  /** No separator in data[i..]: keep the LF-plus-partial-`From` tail undecided, take the rest as body. */
  private consumeTail(data: Buffer, i: number): void {
    const n = data.length;
    // Look for an LF within the final 5 bytes; what follows it may be the start of `From `.
    let lastLf = -1;
    for (let k = n - 1; k >= Math.max(i, n - FROM.length); k--) {
      if (data[k] === LF) {
        lastLf = k;
        break;
      }
    }
    if (lastLf >= 0) {
      const tail = data.subarray(lastLf + 1);
      if (data.compare(FROM, 0, tail.length, lastLf + 1, n) === 0) {
        this.append(data.subarray(i, lastLf + 1));
        this.carry = tail.length ? tail : EMPTY;
        this.lineStart = true;
        return;
      }
    }
    this.append(data.subarray(i));
    this.lineStart = n > i ? data[n - 1] === LF : this.lineStart;
  }

  private append(b: Buffer): void {
    if (b.length === 0) return;
    const m = this.msg;
    m.length += b.length;
    if (m.skipping) return;
    if (m.length > this.opts.maxMessageBytes) {
      m.skipping = true;
      m.parts = [];
      return;
    }
    m.parts.push(b);
  }

  private addFromLine(b: Buffer): void {
    const room = MAX_FROM_LINE - this.fromLength;
    if (room > 0 && b.length > 0) {
      const kept = b.length > room ? b.subarray(0, room) : b;
      // Copy: the separator text must not pin a whole read chunk.
      this.fromParts.push(Buffer.from(kept));
      this.fromLength += kept.length;
    }
  }

  private startMessage(offset: number): void {
    let line = Buffer.concat(this.fromParts);
    if (line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    this.fromParts = [];
    this.fromLength = 0;
    this.state = 'body';
    this.msg = { index: this.nextIndex++, offset, fromLine: line.toString('utf8'), parts: [], length: 0, skipping: false };
  }

  private finishMessage(out: SplitEvent[]): void {
    const m = this.msg;
    if (m.index === 0) {
      if (m.length > 0) {
        const range = `bytes 0-${m.length - 1} (${m.length} bytes)`;
        out.push(problem('byte 0', 0, `does not start with a From_ line: ${range} before the first From_ line are not part of any message`));
      }
      return;
    }
    if (m.skipping) {
      const limit = `more than the limit of ${this.opts.maxMessageBytes} bytes`;
      out.push(problem(`message #${m.index}`, m.offset, `message #${m.index} at byte ${m.offset} is ${m.length} bytes, ${limit}: skipped`));
      return;
    }
    const stored = Buffer.concat(m.parts, m.length);
    const bytes = decodeStoredMessage(stored, this.opts.unquote);
    if (bytes.length === 0) {
      const text = `message #${m.index} at byte ${m.offset} is empty (a From_ line with no message after it): skipped`;
      out.push(problem(`message #${m.index}`, m.offset, text));
      return;
    }
    const locator: MessageLocator = {
      index: m.index,
      offset: m.offset,
      length: m.length,
      folder: null,
      fromLine: m.fromLine,
      unquote: this.opts.unquote,
      maildirFlags: null,
      maildirSubdir: null,
    };
    out.push({ type: 'message', message: { bytes, locator } });
  }
}

function problem(position: string, offset: number, message: string): SplitEvent {
  const p: SourceProblem = { position, offset, message };
  return { type: 'problem', problem: p };
}

/** Turn a message's stored bytes (as located by offset/length) into its message bytes. See header comment. */
export function decodeStoredMessage(stored: Buffer, unquote: Unquote | 'none'): Buffer {
  const trimmed = stripSeparatorLine(stored);
  return unquote === 'none' ? trimmed : unquoteFromLines(trimmed, unquote);
}

/** Remove the final line ending when the stored bytes end with an empty line (LF or CRLF). */
export function stripSeparatorLine(b: Buffer): Buffer {
  const n = b.length;
  if (n === 0 || b[n - 1] !== LF) return b;
  const start = n >= 2 && b[n - 2] === CR ? n - 2 : n - 1;
  return start === 0 || b[start - 1] === LF ? b.subarray(0, start) : b;
}

/** Undo `>From ` quoting. A no-op (same buffer back) when the bytes contain no `>From ` at all. */
export function unquoteFromLines(b: Buffer, mode: Unquote): Buffer {
  let p = b.indexOf(QUOTED_FROM);
  if (p < 0) return b;
  const parts: Buffer[] = [];
  let last = 0;
  while (p >= 0) {
    let q = p;
    // mboxrd: `^>+From ` — walk back over the run of `>` to the line start.
    if (mode === 'mboxrd') while (q > 0 && b[q - 1] === GT) q--;
    if (q === 0 || b[q - 1] === LF) {
      parts.push(b.subarray(last, q));
      last = q + 1;
    }
    p = b.indexOf(QUOTED_FROM, p + QUOTED_FROM.length);
  }
  if (last === 0) return b;
  parts.push(b.subarray(last));
  return Buffer.concat(parts);
}
