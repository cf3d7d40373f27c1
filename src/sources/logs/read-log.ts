// Reads one log artifact: raw bytes hashed as read (the artifact's sha256 is of the exact file), gzip/bzip2
// decoded on the fly (the decoded stream is hashed too, and offsets are in it), lines split on bytes with a
// length cap, the format detected from the first lines (or forced), each line parsed, and every event handed to
// the sink with its line number and byte offset. Problems (lines that are not log lines, overlong lines, cut
// lines, time jumping backwards, a truncated compressed stream) are reported with their line and the reading
// goes on; only an unreadable file or an unrecognised format stops it (MailtrailError).
// I/O through openArtifact (read-only); no store access.

import type { LineContext, LogEvent, LogFormat } from '../../model/log-event.js';
import type { ArtifactDigest, SourceProblem } from '../../model/source.js';
import { MailtrailError } from '../../errors.js';
import { openArtifact, type ReadTuning } from '../read-artifact.js';
import { CoverageTracker, DEFAULT_GAP_SECONDS, type Coverage } from '../../correlate/coverage.js';
import { chooseClock, createYearRoller } from './clock.js';
import { decodeStream, type Compression } from './decompress.js';
import { detectLogFormat } from './detect.js';
import { createLineParser, LOG_FORMATS, type LineParser } from './formats.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './line-splitter.js';
import { isoMs } from './iso-ms.js';
import { offsetLabel } from '../../parse/logs/log-time.js';

export interface LogReadOptions {
  /** Forced format; detected from the first lines when absent. */
  format?: LogFormat | undefined;
  year?: number | undefined;
  tz?: number | string | undefined;
  now?: () => Date;
  maxLineBytes?: number;
  gapSeconds?: number;
  /** Line problems reported one by one; the rest are counted in one closing problem. */
  maxProblems?: number;
}

export interface LogSink {
  event(ev: LogEvent): void;
  problem(p: SourceProblem): void;
  /** Awaited after each chunk of input: lets a consumer in another thread hold the reading back (bounded memory). */
  drain?(): Promise<void> | void;
}

export interface LogReadResult {
  digest: ArtifactDigest;
  format: LogFormat;
  formatSource: 'detected' | 'forced';
  compression: Compression;
  /** `file` for plain files; `decompressed` when line offsets count bytes of the decoded stream. */
  offsetsIn: 'file' | 'decompressed';
  stream: { sha256: string; size: number } | null;
  lines: number;
  events: number;
  badLines: number;
  /** What was assumed to place timestamps without year/zone; null when every time was explicit. */
  timeAssumption: string | null;
  coverage: Coverage;
  /** False when reading stopped before the end of the data (truncated compressed stream). */
  complete: boolean;
}

const SAMPLE_LINES = 200;
const SAMPLE_BYTES = 256 * 1024;

function clipLine(s: string): string {
  const t = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return t.length > 80 ? `${t.slice(0, 80)}…` : t;
}

export async function readLog(path: string, opts: LogReadOptions, sink: LogSink, tuning: ReadTuning & { mtime?: string | null } = {}): Promise<LogReadResult> {
  const reader = await openArtifact(path, tuning);
  const decoded = decodeStream(reader.chunks);
  const maxProblems = opts.maxProblems ?? 100;
  let reported = 0, suppressed = 0, badLines = 0, events = 0;
  const problem = (p: SourceProblem, isLine = true): void => {
    if (isLine) badLines++;
    if (reported < maxProblems || !isLine) { reported++; sink.problem(p); } else suppressed++;
  };

  // --- before detection: hold the first lines -----------------------------------------------------------
  const held: Array<{ text: string; no: number; offset: number }> = [];
  let heldBytes = 0;
  let parser: LineParser | null = null;
  let format: LogFormat | null = opts.format ?? null;
  let handle: ((text: string, no: number, offset: number) => void) | null = null;
  const coverage = new CoverageTracker(opts.gapSeconds ?? DEFAULT_GAP_SECONDS);
  // What the times of stored events rest on: a zone only (Exim, Exchange: the year is in the line), or a year too.
  let assumedZone = false, assumedYear = false;
  let rolledAt: Array<[number, number]> = [];
  let yearNote = '';

  // A jump back starts a new segment (see correlate/coverage.ts) and is reported once, on the line that makes it.
  // Lines that yield no event are checked too: otherwise a concatenated log whose second part opens with such a
  // line would jump back without a word.
  const observeTime = (ms: number, no: number, offset: number | null): void => {
    const back = coverage.observe(ms, no);
    if (back === null) return;
    problem({ position: `line ${back.line}`, offset, message: `time goes backwards by ${Math.round(back.seconds)} s (${back.time}, after ${back.previousTime} at line ${back.previousLine})` });
  };

  const start = (): void => {
    const sample = held.map((h) => h.text);
    if (format === null) {
      const d = detectLogFormat(sample);
      if (d.format === null) {
        const bad = d.firstBadLine === null ? null : held[d.firstBadLine - 1];
        throw new MailtrailError('FORMAT_UNKNOWN', `format not recognised, try --format ${LOG_FORMATS.join('|')}`, {
          where: bad ? `${path} line ${bad.no}: "${clipLine(bad.text)}"` : `${path} (no lines)`,
          hint: 'mailtrail reads Postfix, Exim and Sendmail logs, Dovecot logs, Exchange message tracking logs and Microsoft 365 / Google Workspace CSV exports',
        });
      }
      format = d.format;
    }
    const mixed = opts.format === undefined;
    const p = createLineParser(format, mixed);
    parser = p;
    const clock = chooseClock({ year: opts.year, tz: opts.tz }, tuning.mtime ?? null, (opts.now ?? (() => new Date()))(), sample);
    yearNote = `year ${clock.startYear} (${clock.yearSource})`;
    const roller = createYearRoller(clock.startYear);
    const ctxs = new Map<number, LineContext>();
    const ctxFor = (year: number): LineContext => {
      let c = ctxs.get(year);
      if (c === undefined) {
        c = { line: 0, offset: 0, year, yearSource: year === clock.startYear ? clock.yearSource : `${clock.yearSource}, rolled over at Dec→Jan`, tz: clock.tz, tzSource: clock.tzSource };
        ctxs.set(year, c);
      }
      return c;
    };
    let curYear = clock.startYear;
    let ctx = ctxFor(curYear);
    const emit = (ev: LogEvent): void => {
      if (ev.time !== null) {
        observeTime(isoMs(ev.time), ev.line, ev.offset);
        if (ev.timeBasis !== 'explicit-zone') assumedZone = true;
        if (ev.timeBasis === 'assumed-year-and-zone') assumedYear = true;
      }
      // A line cut in half leaves an address without its closing `>`.
      if ((ev.from !== null && ev.from.charCodeAt(0) === 60) || (ev.to !== null && ev.to.charCodeAt(0) === 60)) {
        problem({ position: `line ${ev.line}`, offset: ev.offset, message: 'line looks cut (an address has no closing ">"); kept as read' });
      }
      events++;
      sink.event(ev);
    };
    handle = (text, no, offset) => {
      if (text.length === 0) return;
      if (p.syslog) {
        const y = roller(text);
        if (y !== curYear) {
          if (y > curYear && !ctxs.has(y)) rolledAt.push([y, no]);
          curYear = y;
          ctx = ctxFor(y);
        }
      }
      ctx.line = no;
      ctx.offset = offset;
      let r;
      try {
        r = p.parse(text, ctx);
      } catch (err) {
        r = `parser error (${(err as Error).message})`;
      }
      if (r === null) {
        const t = p.lastTime;
        if (t !== null) observeTime(isoMs(t), no, offset);
        return;
      }
      if (typeof r === 'string') {
        problem({ position: `line ${no}`, offset, message: `${r}: "${clipLine(text)}"` });
        return;
      }
      if (Array.isArray(r)) for (const ev of r) emit(ev);
      else emit(r);
    };
    for (const h of held) handle(h.text, h.no, h.offset);
    held.length = 0;
  };

  const splitter = new LineSplitter({
    line(text, no, offset, bytes) {
      if (handle !== null) { handle(text, no, offset); return; }
      held.push({ text, no, offset });
      heldBytes += bytes;
      if (held.length >= SAMPLE_LINES || heldBytes >= SAMPLE_BYTES) start();
    },
    overlong(no, offset, bytes) {
      problem({ position: `line ${no}`, offset, message: `line of ${bytes} bytes is longer than the ${opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte cap: not read` });
    },
  }, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);

  for await (const chunk of decoded.chunks) {
    splitter.push(chunk);
    if (sink.drain !== undefined) await sink.drain();
  }
  const unterminated = splitter.finish();
  const decodeError = decoded.error();
  if (handle === null && held.length === 0 && decodeError !== null) {
    // Nothing came out of the decompressor: the format cannot be told, and the reason is the stream, not the format.
    throw new MailtrailError('BAD_INPUT', `${decoded.compression()} stream is corrupt or cut short before its first line (${decodeError})`, {
      where: path, hint: `check the file with ${decoded.compression() === 'bzip2' ? 'bzip2' : 'gzip'} -t; a copy cut short in transfer is the usual cause`,
    });
  }
  if (handle === null) start();
  if (decodeError !== null) {
    problem({
      position: `line ${splitter.lines + 1}`,
      offset: splitter.bytes,
      message: `compressed stream ends early or is corrupt (${decodeError}); the ${splitter.lines} line(s) before it were read`,
    }, false);
  } else if (unterminated) {
    problem({ position: `line ${splitter.lines}`, offset: null, message: 'last line has no line end (the file may have been cut while being written)' });
  }
  if (suppressed > 0) problem({ position: 'file', offset: null, message: `${suppressed} more line problem(s) not listed one by one` }, false);
  const fin = reader.finish();
  if (fin.problem !== null) problem(fin.problem, false);
  const compression = decoded.compression();
  const rolled = rolledAt.map(([y, n]) => `${y} from line ${n}`).join(', ');
  const zone = opts.tz === undefined ? 'zone UTC (none given; pass --tz)' : `zone ${typeof opts.tz === 'number' ? (opts.tz === 0 ? 'UTC' : offsetLabel(opts.tz)) : opts.tz} (--tz)`;
  return {
    digest: fin.digest,
    format: format ?? 'postfix',
    formatSource: opts.format === undefined ? 'detected' : 'forced',
    compression,
    offsetsIn: compression === 'none' ? 'file' : 'decompressed',
    stream: decoded.stream(),
    lines: splitter.lines,
    events,
    badLines,
    timeAssumption: assumedYear ? `${yearNote}${rolled ? `, rolled over to ${rolled}` : ''}, ${zone}` : assumedZone ? zone : null,
    coverage: coverage.result(),
    complete: decodeError === null,
  };
}
