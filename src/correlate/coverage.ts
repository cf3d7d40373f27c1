// Coverage of one log artifact: the time span its lines cover and the holes in it (rotation gaps, a stopped
// daemon, lost lines), plus lines whose time goes backwards. Absence of a log entry only means something inside
// a covered span without gaps — the verdict work (issue 6) asks this before saying "not sent" or "not received".
// A log can be several logs concatenated out of order (`cat mail.log mail.log.1 > all.log`): a jump back starts
// a new segment, reported once, and coverage is the union of every segment's runs (a run is a stretch of lines
// with no internal hole longer than the gap threshold), so the earlier segment counts and holes are real holes.
// Pure: the ingest feeds times in file order; nothing here reads files or the store.

export interface CoverageGap {
  /** Last time before the hole and first time after it (ISO UTC). */
  from: string;
  to: string;
  seconds: number;
  /** Lines either side of the hole. */
  afterLine: number;
  beforeLine: number;
}

export interface Coverage {
  first: string | null;
  last: string | null;
  /** Lines that carried a usable time. */
  timedLines: number;
  gaps: CoverageGap[];
  /** Gap threshold used, in seconds. */
  gapSeconds: number;
}

export interface Backwards { line: number; time: string; previousLine: number; previousTime: string; seconds: number }

/** Default hole worth reporting: a busy MTA logs every few minutes (queue runs, anvil statistics, postscreen). */
export const DEFAULT_GAP_SECONDS = 3600;
/** Lines of different processes can be logged a little out of order; only larger jumps back are reported. */
export const DEFAULT_BACKWARDS_SECONDS = 60;
const MAX_GAPS = 1000;
/**
 * Closed runs kept before they are merged; a log whose time jumps about on every line would otherwise keep one
 * run per line. About 50 bytes each.
 */
const MAX_RUNS = 16_384;

/** One stretch of covered time; the lines are those holding its earliest and latest time. */
interface Run { startMs: number; startLine: number; endMs: number; endLine: number }

export class CoverageTracker {
  private cur: Run | null = null;
  private closed: Run[] = [];
  private timed = 0;
  private readonly gapMs: number;

  constructor(private readonly gapSeconds = DEFAULT_GAP_SECONDS, private readonly backwardsSeconds = DEFAULT_BACKWARDS_SECONDS) {
    this.gapMs = gapSeconds * 1000;
  }

  /** Feed one timed line; returns a description when the time jumps back further than the tolerance. */
  observe(ms: number, line: number): Backwards | null {
    this.timed++;
    const cur = this.cur;
    if (cur === null) { this.cur = { startMs: ms, startLine: line, endMs: ms, endLine: line }; return null; }
    if (ms > cur.endMs) {
      if (ms - cur.endMs > this.gapMs) this.startRun(ms, line);
      else { cur.endMs = ms; cur.endLine = line; }
      return null;
    }
    // The current run's end is its segment's latest time: later runs of a segment only move forward.
    const back = (cur.endMs - ms) / 1000;
    if (back > this.backwardsSeconds) {
      const b = { line, time: iso(ms), previousLine: cur.endLine, previousTime: iso(cur.endMs), seconds: back };
      this.startRun(ms, line);
      return b;
    }
    if (ms < cur.startMs) { cur.startMs = ms; cur.startLine = line; }
    return null;
  }

  result(): Coverage {
    const runs = this.cur === null ? this.closed : [...this.closed, this.cur];
    const merged = mergeRuns(runs, this.gapMs);
    const first = merged[0];
    const last = merged[merged.length - 1];
    return {
      first: first ? iso(first.startMs) : null,
      last: last ? iso(last.endMs) : null,
      timedLines: this.timed,
      gaps: capGaps(holes(merged)),
      gapSeconds: this.gapSeconds,
    };
  }

  private startRun(ms: number, line: number): void {
    if (this.cur !== null) this.closed.push(this.cur);
    this.cur = { startMs: ms, startLine: line, endMs: ms, endLine: line };
    if (this.closed.length >= MAX_RUNS) this.closed = shrinkRuns(mergeRuns(this.closed, this.gapMs), MAX_RUNS / 2);
  }
}

/**
 * The union of runs, sorted, as disjoint runs separated by holes longer than `gapMs`. Ties keep the earlier
 * run's lines (the sort is stable), so a file concatenated with itself reports the first copy's line numbers.
 */
function mergeRuns(runs: readonly Run[], gapMs: number): Run[] {
  const sorted = [...runs].sort((a, b) => a.startMs - b.startMs);
  const out: Run[] = [];
  for (const r of sorted) {
    const acc = out[out.length - 1];
    if (acc === undefined || r.startMs - acc.endMs > gapMs) { out.push({ ...r }); continue; }
    if (r.endMs > acc.endMs) { acc.endMs = r.endMs; acc.endLine = r.endLine; }
  }
  return out;
}

/**
 * Bound memory when even the merged runs are too many: drop the shortest inner runs, so their time becomes part
 * of a gap. This understates coverage (a verdict then says "undetermined"), never overstates it; the first and
 * last runs stay, so `first` and `last` are still exact.
 */
function shrinkRuns(runs: Run[], target: number): Run[] {
  if (runs.length <= target) return runs;
  const inner = runs.slice(1, -1).map((r, i) => ({ i: i + 1, len: r.endMs - r.startMs })).sort((a, b) => a.len - b.len);
  const drop = new Set(inner.slice(0, runs.length - target).map((x) => x.i));
  return runs.filter((_, i) => !drop.has(i));
}

function holes(merged: readonly Run[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (let i = 1; i < merged.length; i++) {
    const a = merged[i - 1]!, b = merged[i]!;
    gaps.push({ from: iso(a.endMs), to: iso(b.startMs), seconds: (b.startMs - a.endMs) / 1000, afterLine: a.endLine, beforeLine: b.startLine });
  }
  return gaps;
}

/**
 * At most MAX_GAPS gaps: the last one kept is widened to end where the last hole ends, so the time in between
 * reads as a gap (understated coverage) rather than silently as covered.
 */
function capGaps(gaps: CoverageGap[]): CoverageGap[] {
  if (gaps.length <= MAX_GAPS) return gaps;
  const keep = gaps.slice(0, MAX_GAPS);
  const head = keep[MAX_GAPS - 1]!, tail = gaps[gaps.length - 1]!;
  keep[MAX_GAPS - 1] = { ...head, to: tail.to, seconds: (Date.parse(tail.to) - Date.parse(head.from)) / 1000, beforeLine: tail.beforeLine };
  return keep;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Does a coverage span include `time` with no gap around it? `covered`, `gap` (inside a hole) or `outside`. */
export function coverageAt(c: Coverage, time: string): 'covered' | 'gap' | 'outside' {
  if (c.first === null || c.last === null || time < c.first || time > c.last) return 'outside';
  return c.gaps.some((g) => time > g.from && time < g.to) ? 'gap' : 'covered';
}
