// Which log artifacts are a domain's sending server's and which its receiving server's, judged from what
// each log did (handed on mail whose envelope sender is at the domain; delivered or refused mail for
// recipients at the domain), never from host names, which logs often shorten (`smtp`, `mx`). And whether a
// set of logs covers a claimed time without a gap — absence means something only there. Pure.

import type { SideRow } from './evidence-types.js';
import type { StoredCoverage } from '../store/log-events.js';

export function domainOf(addr: string | null): string | null {
  if (addr === null) return null;
  const at = addr.lastIndexOf('@');
  return at < 0 ? null : addr.slice(at + 1).toLowerCase().replace(/>$/, '');
}

function inDomain(addr: string, domain: string): boolean {
  const d = domainOf(addr);
  return d !== null && (d === domain || d.endsWith(`.${domain}`));
}

/** Artifact ids of logs that handed on (`out`) or delivered/refused (`in`) mail for the domain. */
export function sideArtifacts(rows: readonly SideRow[], role: 'out' | 'in', domain: string | null): Set<number> {
  const ids = new Set<number>();
  if (domain === null) return ids;
  for (const r of rows) if (r.role === role && inDomain(r.addr, domain)) ids.add(r.artifactId);
  return ids;
}

export interface CoverageJudgement {
  state: 'covered' | 'gap' | 'outside' | 'no-logs';
  /** The logs that were judged, with what each covers. */
  logs: StoredCoverage[];
  /** One sentence: which logs cover what, and where the hole is. */
  detail: string;
  /**
   * `covered` by a mailbox server's log only (Dovecot's: where LMTP saved each message), no mail server's (MTA's):
   * its silence says the message was not delivered into a mailbox there, not that no server took it.
   */
  mailboxServerOnly?: boolean;
}

/** Logs of a mailbox server (delivery into mailboxes, IMAP), not of a mail server that accepts and relays. */
const MAILBOX_SERVER_FORMATS: ReadonlySet<string> = new Set(['dovecot']);

export function isMailboxServerLog(c: Pick<StoredCoverage, 'format'>): boolean {
  return MAILBOX_SERVER_FORMATS.has(c.format);
}

const hm = (iso: string | null): string => (iso === null ? '?' : iso.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC'));

/**
 * Coverage when there is no time to judge it at (no time in the question, or a window open at one end, and nothing
 * dating the message): the side's logs are named, and none can be said to cover the message's time (`why`).
 */
export function unjudgedCoverage(all: readonly StoredCoverage[], ids: ReadonlySet<number>, why: string): CoverageJudgement {
  const logs = all.filter((c) => ids.has(c.artifactId));
  return logs.length === 0 ? { state: 'no-logs', logs, detail: 'no log of that server is in the evidence' } : { state: 'outside', logs, detail: why };
}

/** Does one of these logs cover [from, to] with no gap inside? A mail server's log is asked before a mailbox server's. */
export function judgeCoverage(all: readonly StoredCoverage[], ids: ReadonlySet<number>, span: { from: string; to: string }): CoverageJudgement {
  const logs = all.filter((c) => ids.has(c.artifactId));
  const asked = [...logs.filter((c) => !isMailboxServerLog(c)), ...logs.filter(isMailboxServerLog)];
  if (logs.length === 0) return { state: 'no-logs', logs, detail: 'no log of that server is in the evidence' };
  const what = span.from === span.to ? hm(span.from) : `${hm(span.from)} to ${hm(span.to)}`;
  let best: CoverageJudgement | null = null;
  for (const c of asked) {
    if (c.first === null || c.last === null || c.first > span.from || c.last < span.to) {
      const why = c.first === null || c.last === null ? 'has no timed lines'
        : c.first <= span.to && c.last >= span.from ? `covers only ${hm(c.first)} to ${hm(c.last)}, not all of ${what}`
        : c.first > span.from ? `starts at ${hm(c.first)}, after ${what}` : `ends at ${hm(c.last)}, before ${what}`;
      best ??= { state: 'outside', logs, detail: `${c.path} ${why}` };
      continue;
    }
    const gap = c.gaps.find((g) => g.from < span.to && g.to > span.from);
    if (gap) {
      if (best === null || best.state === 'outside') best = { state: 'gap', logs, detail: `${c.path} has a gap from ${hm(gap.from)} to ${hm(gap.to)} (lines ${gap.afterLine}–${gap.beforeLine}) around ${what}` };
      continue;
    }
    const judged: CoverageJudgement = { state: 'covered', logs, detail: `${c.path} covers ${hm(c.first)} to ${hm(c.last)} without a gap around ${what}` };
    return isMailboxServerLog(c) ? { ...judged, mailboxServerOnly: true } : judged;
  }
  return best!;
}
