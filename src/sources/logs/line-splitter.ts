// Splits a byte stream into lines ON BYTES, so every line keeps its exact byte offset even when it holds
// non-UTF-8 bytes (decoding first would shift offsets). A trailing `\r` is dropped from the text, not from the
// offsets. Lines longer than `maxLineBytes` are never assembled: their bytes are counted and skipped up to the
// next `\n`, and the line is reported as overlong — a 2 GB single line costs 2 GB of scanning, not 2 GB of memory.
// Pure: no I/O; the caller pushes chunks and receives lines through a callback.

export interface LineSink {
  /** A complete line (text without `\n`/`\r`), its 1-based number and the byte offset of its first byte. */
  line(text: string, no: number, offset: number, bytes: number): void;
  /** A line longer than the cap: not decoded. `bytes` is its full length (without the `\n`). */
  overlong(no: number, offset: number, bytes: number): void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private carry: Buffer | null = null;
  /** Bytes of the current line so far when it is being skipped as overlong; -1 when not skipping. */
  private skipping = -1;
  private lineNo = 0;
  /** Offset of the next byte to be pushed. */
  private pos = 0;
  private lineStart = 0;

  constructor(private readonly sink: LineSink, private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Lines completed so far. */
  get lines(): number {
    return this.lineNo;
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.pos;
  }

  push(chunk: Buffer): void {
    const base = this.pos;
    this.pos += chunk.length;
    if (chunk.length === 0) return;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const nl = chunk.indexOf(10, i);
      if (this.skipping >= 0) {
        if (nl < 0) { this.skipping += n - i; return; }
        this.skipping += nl - i;
        this.sink.overlong(++this.lineNo, this.lineStart, this.skipping);
        this.skipping = -1;
        i = nl + 1;
        this.lineStart = base + i;
        continue;
      }
      if (nl < 0) {
        const have = (this.carry?.length ?? 0) + (n - i);
        if (have > this.maxLineBytes) {
          this.skipping = have;
          this.carry = null;
        } else {
          const rest = chunk.subarray(i);
          this.carry = this.carry === null ? Buffer.from(rest) : Buffer.concat([this.carry, rest]);
        }
        return;
      }
      if (this.carry !== null) {
        const total = this.carry.length + (nl - i);
        if (total > this.maxLineBytes) {
          this.sink.overlong(++this.lineNo, this.lineStart, total);
        } else {
          const whole = Buffer.concat([this.carry, chunk.subarray(i, nl)]);
          this.emit(whole, 0, whole.length);
        }
        this.carry = null;
      } else if (nl - i > this.maxLineBytes) {
        this.sink.overlong(++this.lineNo, this.lineStart, nl - i);
      } else {
        this.emit(chunk, i, nl);
      }
      i = nl + 1;
      this.lineStart = base + i;
    }
  }

  private emit(buf: Buffer, start: number, end: number): void {
    const bytes = end - start;
    let e = end;
    if (e > start && buf[e - 1] === 13) e--;
    this.sink.line(buf.toString('utf8', start, e), ++this.lineNo, this.lineStart, bytes);
  }

  /** Flush a final line that has no `\n`. Returns true when there was one (it may be a cut line). */
  finish(): boolean {
    if (this.skipping >= 0) {
      this.sink.overlong(++this.lineNo, this.lineStart, this.skipping);
      this.skipping = -1;
      return true;
    }
    if (this.carry !== null && this.carry.length > 0) {
      const c = this.carry;
      this.carry = null;
      this.emit(c, 0, c.length);
      return true;
    }
    return false;
  }
}
