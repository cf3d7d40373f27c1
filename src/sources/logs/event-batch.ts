// Compact, columnar batches of stored log events: what crosses from the reading/parsing thread to the thread that
// writes SQLite. Numbers travel in one Float64Array (NaN = null); every string cell of the batch in one string,
// cut by the lengths in an Int32Array (-1 = null). Both arrays are transferred, not copied, and the writer hands
// them back to be filled again; one string is cloned as one copy, where an array of strings is cloned cell by
// cell. Strings are interned (log_strings ids) by the writer, not here: the parsing thread is the busier of the
// two. Every row keeps its line and byte offset, so the cited line stays re-readable.
// Pure: no I/O, no threads (batched-read.ts moves batches; store/log-events.ts writes them).

import type { LogEvent, LogStatus, TimeBasis } from '../../model/log-event.js';
import { LOG_STATUSES } from '../../model/log-event.js';
import { endpointText } from './endpoint-text.js';
import { LOG_FORMATS } from './formats.js';
import { isoMs } from './iso-ms.js';

export const TIME_BASES: readonly TimeBasis[] = ['explicit-zone', 'assumed-zone', 'assumed-year-and-zone', 'unknown'];
const STATUS_INDEX = new Map<LogStatus, number>(LOG_STATUSES.map((s, i) => [s, i]));
const BASIS_INDEX = new Map<TimeBasis, number>(TIME_BASES.map((s, i) => [s, i]));
const FORMAT_INDEX = new Map<string, number>(LOG_FORMATS.map((s, i) => [s, i]));

/** Numeric columns, in this order, NUM_COLS per row. */
export const N = { line: 0, offset: 1, timeMs: 2, basis: 3, fmt: 4, pid: 5, status: 6, delay: 7, size: 8, nrcpt: 9 } as const;
export const NUM_COLS = 10;
/** String columns, in this order, STR_COLS per row; the first INTERNED_COLS are stored as log_strings ids. */
export const S = {
  host: 0, program: 1, from: 2, to: 3, origTo: 4, relay: 5, client: 6, detail: 7,
  queueId: 8, messageId: 9, dsn: 10, reply: 11, remoteQueueId: 12, relatedQueueId: 13,
} as const;
export const STR_COLS = 14;
export const INTERNED_COLS = 8;

export interface EventBatch {
  rows: number;
  nums: Float64Array;
  /** Length of each string cell in `text`, STR_COLS per row, in row and column order; -1 = null. */
  lens: Int32Array;
  /** The non-null string cells, concatenated. */
  text: string;
}

/** Lines worth a row: they name a message (queue id, Message-ID) or change its status. */
export function isMeaningful(ev: LogEvent): boolean {
  return ev.queueId !== null || ev.status !== null || ev.messageId !== null;
}

/** A batch is also full at this many characters of text (bounds memory on hostile logs with long fields). */
const TEXT_MAX = 1 << 20;

export class EventBatchBuilder {
  private nums: Float64Array;
  private lens: Int32Array;
  private parts: string[] = [];
  private chars = 0;
  private rows = 0;
  /** Arrays handed back by the writer (recycle), filled again instead of allocating new ones. */
  private readonly spare: Array<{ nums: Float64Array; lens: Int32Array }> = [];

  constructor(private readonly capacity = 4096) {
    this.nums = new Float64Array(capacity * NUM_COLS);
    this.lens = new Int32Array(capacity * STR_COLS);
  }

  get size(): number {
    return this.rows;
  }
  get full(): boolean {
    return this.rows >= this.capacity || this.chars >= TEXT_MAX;
  }

  private str(at: number, v: string | null): void {
    if (v === null) { this.lens[at] = -1; return; }
    this.lens[at] = v.length;
    if (v.length > 0) { this.parts.push(v); this.chars += v.length; }
  }

  add(ev: LogEvent): void {
    const o = this.rows * NUM_COLS;
    const a = this.nums;
    a[o + N.line] = ev.line;
    a[o + N.offset] = ev.offset;
    a[o + N.timeMs] = ev.time === null ? NaN : isoMs(ev.time);
    a[o + N.basis] = BASIS_INDEX.get(ev.timeBasis) ?? 3;
    a[o + N.fmt] = FORMAT_INDEX.get(ev.format) ?? 0;
    a[o + N.pid] = ev.pid ?? NaN;
    a[o + N.status] = ev.status === null ? NaN : (STATUS_INDEX.get(ev.status) ?? NaN);
    a[o + N.delay] = ev.delay ?? NaN;
    a[o + N.size] = ev.size ?? NaN;
    a[o + N.nrcpt] = ev.nrcpt ?? NaN;
    const q = this.rows * STR_COLS;
    this.str(q + S.host, ev.host);
    this.str(q + S.program, ev.program);
    this.str(q + S.from, ev.from);
    this.str(q + S.to, ev.to);
    this.str(q + S.origTo, ev.origTo);
    this.str(q + S.relay, endpointText(ev.relay));
    this.str(q + S.client, endpointText(ev.client));
    this.str(q + S.detail, ev.detail);
    this.str(q + S.queueId, ev.queueId);
    this.str(q + S.messageId, ev.messageId);
    this.str(q + S.dsn, ev.dsn);
    this.str(q + S.reply, ev.reply);
    this.str(q + S.remoteQueueId, ev.remoteQueueId);
    this.str(q + S.relatedQueueId, ev.relatedQueueId);
    this.rows++;
  }

  /** The batch so far (its arrays are the caller's, to transfer); the builder starts a new one. */
  take(): EventBatch {
    const full = this.rows === this.capacity;
    const b: EventBatch = {
      rows: this.rows,
      nums: full ? this.nums : this.nums.slice(0, this.rows * NUM_COLS),
      lens: full ? this.lens : this.lens.slice(0, this.rows * STR_COLS),
      text: this.parts.join(''),
    };
    if (full) {
      const s = this.spare.pop();
      this.nums = s?.nums ?? new Float64Array(this.capacity * NUM_COLS);
      this.lens = s?.lens ?? new Int32Array(this.capacity * STR_COLS);
    }
    this.parts = [];
    this.chars = 0;
    this.rows = 0;
    return b;
  }

  /** Arrays of a batch the writer is done with, to fill again (ignored unless they are full-size). */
  recycle(nums: Float64Array, lens: Int32Array): void {
    if (nums.length === this.capacity * NUM_COLS && lens.length === this.capacity * STR_COLS && this.spare.length < 8) this.spare.push({ nums, lens });
  }
}

/** The string cells of a batch, row by row: `cells` is filled with the row's STR_COLS values. */
export class BatchCells {
  private pos = 0;
  readonly cells: Array<string | null> = new Array<string | null>(STR_COLS).fill(null);
  constructor(private readonly b: EventBatch) {}

  row(r: number): Array<string | null> {
    const { lens, text } = this.b;
    const q = r * STR_COLS;
    for (let c = 0; c < STR_COLS; c++) {
      const n = lens[q + c]!;
      if (n < 0) this.cells[c] = null;
      else { this.cells[c] = text.slice(this.pos, this.pos + n); this.pos += n; }
    }
    return this.cells;
  }
}
