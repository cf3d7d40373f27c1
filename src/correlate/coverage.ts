// Coverage of one log artifact: the time span its lines cover and the holes in it (rotation gaps, a stopped
// daemon, lost lines), plus lines whose time goes backwards. Absence of a log entry only means something inside
// a covered span without gaps — the verdict work (issue 6) asks this before saying "not sent" or "not received".
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

export class CoverageTracker {
  private firstMs = NaN;
  private maxMs = NaN;
  private maxLine = 0;
  private timed = 0;
  private readonly gaps: CoverageGap[] = [];

  constructor(private readonly gapSeconds = DEFAULT_GAP_SECONDS, private readonly backwardsSeconds = DEFAULT_BACKWARDS_SECONDS) {}

  /** Feed one timed line; returns a description when the time jumps back further than the tolerance. */
  observe(ms: number, line: number): Backwards | null {
    this.timed++;
    if (Number.isNaN(this.firstMs)) { this.firstMs = ms; this.maxMs = ms; this.maxLine = line; return null; }
    if (ms > this.maxMs) {
      const gap = (ms - this.maxMs) / 1000;
      if (gap > this.gapSeconds && this.gaps.length < MAX_GAPS) {
        this.gaps.push({ from: iso(this.maxMs), to: iso(ms), seconds: gap, afterLine: this.maxLine, beforeLine: line });
      }
      this.maxMs = ms; this.maxLine = line;
      return null;
    }
    const back = (this.maxMs - ms) / 1000;
    if (back > this.backwardsSeconds) return { line, time: iso(ms), previousLine: this.maxLine, previousTime: iso(this.maxMs), seconds: back };
    return null;
  }

  result(): Coverage {
    const has = !Number.isNaN(this.firstMs);
    return { first: has ? iso(this.firstMs) : null, last: has ? iso(this.maxMs) : null, timedLines: this.timed, gaps: [...this.gaps], gapSeconds: this.gapSeconds };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Does a coverage span include `time` with no gap around it? `covered`, `gap` (inside a hole) or `outside`. */
export function coverageAt(c: Coverage, time: string): 'covered' | 'gap' | 'outside' {
  if (c.first === null || c.last === null || time < c.first || time > c.last) return 'outside';
  return c.gaps.some((g) => time > g.from && time < g.to) ? 'gap' : 'covered';
}
