// What to look for in each folder, and its translation into an IMAP SEARCH that the server runs
// (RFC 3501 §6.4.4 / RFC 9051 §6.4.4), so finding one message in a 200,000-message mailbox downloads
// one message. Pure: no I/O. Criteria are ANDed; no criteria means every message (ALL).

import { MailtrailError } from '../../errors.js';

export interface ImapCriteria {
  /** HEADER Message-ID <value> (a substring match on the server, as IMAP defines it). */
  messageId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  subject?: string | undefined;
  /** INTERNALDATE on or after this UTC day (`YYYY-MM-DD`). */
  since?: string | undefined;
  /** INTERNALDATE before this UTC day (`YYYY-MM-DD`). */
  before?: string | undefined;
}

/** The subset of imapflow's SearchObject we produce (kept local so this module stays dependency-free). */
export interface ImapSearchQuery {
  all?: true;
  header?: Record<string, string>;
  from?: string;
  to?: string;
  subject?: string;
  since?: Date;
  before?: Date;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TEXT = 998; // RFC 5322 line limit: nothing longer can match a header anyway

/** Parse a `YYYY-MM-DD` option into UTC midnight; throws USAGE naming the option. */
export function parseDay(value: string, option: string): Date {
  const m = DAY.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value) {
    throw new MailtrailError('USAGE', `${option} must be a date as YYYY-MM-DD, got '${value}'`);
  }
  return d;
}

/** True when the criteria narrow the search (a targeted search), false for a full-folder ingest. */
export function isTargeted(c: ImapCriteria): boolean {
  return [c.messageId, c.from, c.to, c.subject, c.since, c.before].some((v) => v !== undefined);
}

export function buildSearch(c: ImapCriteria): ImapSearchQuery {
  const q: ImapSearchQuery = {};
  const text = (v: string | undefined, option: string): string | undefined => {
    if (v === undefined) return undefined;
    if (v === '' || v.length > MAX_TEXT || /[\r\n\0]/.test(v)) {
      throw new MailtrailError('USAGE', `${option} must be 1-${MAX_TEXT} characters on one line`);
    }
    return v;
  };
  const mid = text(c.messageId, '--message-id');
  if (mid !== undefined) q.header = { 'Message-ID': mid };
  const from = text(c.from, '--from');
  if (from !== undefined) q.from = from;
  const to = text(c.to, '--to');
  if (to !== undefined) q.to = to;
  const subject = text(c.subject, '--subject');
  if (subject !== undefined) q.subject = subject;
  if (c.since !== undefined) q.since = parseDay(c.since, '--since');
  if (c.before !== undefined) q.before = parseDay(c.before, '--before');
  if (q.since && q.before && q.since >= q.before) {
    throw new MailtrailError('USAGE', `--since ${c.since} is not before --before ${c.before}: nothing can match`);
  }
  if (Object.keys(q).length === 0) q.all = true;
  return q;
}

/** A compact UID set for a command: [1,2,3,7,9,10] -> `1:3,7,9:10`. Input need not be sorted. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] as number;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i] as number;
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}
