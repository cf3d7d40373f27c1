// Compact, columnar batches of stored log events: what crosses from the reading/parsing thread to the thread that
// writes SQLite. Numbers travel in one Float64Array (NaN = null) that is transferred, not copied; the free-text
// columns in one string array; repeated strings (host, program, addresses, peers, details) as small local ids
// whose text is sent once, the first time it is seen. Every row keeps its line and byte offset, so the cited line
// stays re-readable. The local string table is bounded: when full it is cleared and the next batch says so.
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

/** Numeric columns, in this order, NUM_COLS per row. The `S_*` ones are local string ids. */
export const N = {
  line: 0, offset: 1, timeMs: 2, basis: 3, fmt: 4, pid: 5, status: 6, delay: 7, size: 8, nrcpt: 9,
  host: 10, program: 11, from: 12, to: 13, origTo: 14, relay: 15, client: 16, detail: 17,
} as const;
export const NUM_COLS = 18;
/** Text columns, TEXT_COLS per row: queueId, messageId, dsn, reply, remoteQueueId, relatedQueueId. */
export const TEXT_COLS = 6;

export interface EventBatch {
  rows: number;
  nums: Float64Array;
  texts: Array<string | null>;
  /** The local string table was cleared before this batch: ids restart at 0. */
  resetStrings: boolean;
  /** Strings first seen in this batch; their local ids follow the previous ones. */
  newStrings: string[];
}

/** Lines worth a row: they name a message (queue id, Message-ID) or change its status. */
export function isMeaningful(ev: LogEvent): boolean {
  return ev.queueId !== null || ev.status !== null || ev.messageId !== null;
}

/** Local strings kept before the table is cleared (bounds memory on hostile logs with unique values per line). */
const STRINGS_MAX = 200_000;

export class EventBatchBuilder {
  private readonly local = new Map<string, number>();
  private nums: Float64Array;
  private texts: Array<string | null> = [];
  private rows = 0;
  private newStrings: string[] = [];
  private resetStrings = false;

  constructor(private readonly capacity = 4096) {
    this.nums = new Float64Array(capacity * NUM_COLS);
  }

  get size(): number {
    return this.rows;
  }
  get full(): boolean {
    return this.rows >= this.capacity;
  }

  private id(v: string | null): number {
    if (v === null) return NaN;
    const hit = this.local.get(v);
    if (hit !== undefined) return hit;
    const id = this.local.size;
    this.local.set(v, id);
    this.newStrings.push(v);
    return id;
  }

  /**
   * True when the row was added; false when the batch must be taken first: the string table is full, and ids
   * already written in this batch refer to it (a row adds at most 8 strings, hence the margin).
   */
  add(ev: LogEvent): boolean {
    if (this.local.size >= STRINGS_MAX - 8) {
      if (this.rows > 0) return false;
      this.local.clear();
      this.newStrings = [];
      this.resetStrings = true;
    }
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
    a[o + N.host] = this.id(ev.host);
    a[o + N.program] = this.id(ev.program);
    a[o + N.from] = this.id(ev.from);
    a[o + N.to] = this.id(ev.to);
    a[o + N.origTo] = this.id(ev.origTo);
    a[o + N.relay] = this.id(endpointText(ev.relay));
    a[o + N.client] = this.id(endpointText(ev.client));
    a[o + N.detail] = this.id(ev.detail);
    this.texts.push(ev.queueId, ev.messageId, ev.dsn, ev.reply, ev.remoteQueueId, ev.relatedQueueId);
    this.rows++;
    return true;
  }

  /** The batch so far (its number buffer is the caller's, to transfer); the builder starts a new one. */
  take(): EventBatch {
    const b: EventBatch = {
      rows: this.rows,
      nums: this.rows === this.capacity ? this.nums : this.nums.slice(0, this.rows * NUM_COLS),
      texts: this.texts,
      resetStrings: this.resetStrings,
      newStrings: this.newStrings,
    };
    this.nums = new Float64Array(this.capacity * NUM_COLS);
    this.texts = [];
    this.rows = 0;
    this.newStrings = [];
    this.resetStrings = false;
    return b;
  }
}
