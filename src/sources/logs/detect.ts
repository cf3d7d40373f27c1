// Which log format a file is, from its first lines. Vendor exports announce themselves in a header line
// (Exchange `#Software:`/`#Fields:`, the CSV header rows of Microsoft 365 and Google Workspace exports), so they
// are tried first. Syslog-prefixed files score by the share of lines from each MTA's programs; Postfix and
// Sendmail share the prefix, so the program name decides, and on an exact tie the order below (Postfix, Exim,
// Sendmail — most to least common on current systems) breaks it, so the answer never depends on map order.
// Dovecot comes after the MTAs and only when no MTA line is in the sample: a mail.log that holds Postfix lines and
// many `dovecot:` lines stays a (mixed) Postfix log, whose Dovecot lines are read all the same; a file of Dovecot
// lines only (its own log_path file, or the syslog of an IMAP-only host) is a Dovecot log.

import type { LogFormat } from '../../model/log-event.js';
import { detectDovecot } from '../../parse/logs/dovecot.js';
import { detectExchange } from '../../parse/logs/exchange.js';
import { detectExim } from '../../parse/logs/exim.js';
import { detectGws } from '../../parse/logs/gws.js';
import { detectM365 } from '../../parse/logs/m365.js';
import { detectPostfix } from '../../parse/logs/postfix.js';
import { detectSendmail } from '../../parse/logs/sendmail.js';
import { detectSyslogPrefix, parseSyslogPrefix } from '../../parse/logs/syslog-prefix.js';

export interface Detection {
  format: LogFormat | null;
  scores: Record<string, number>;
  /** 1-based index (within the sample) of the first line no format accepts, when the format is unknown. */
  firstBadLine: number | null;
}

const VENDOR: Array<[LogFormat, (l: string[]) => number]> = [['exchange', detectExchange], ['m365', detectM365], ['gws', detectGws]];
/** Share of lines that start with Exim's own `YYYY-MM-DD HH:MM:SS ` stamp (authenticator failures and other lines
 * detectExim does not count still carry it, and no other log read here starts that way). */
function eximStamped(lines: string[]): number {
  const n = lines.filter((l) => l.trim() !== '').length;
  const hit = lines.filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[ .]/.test(l)).length;
  return n === 0 ? 0 : hit / n;
}

const SYSLOG: Array<[LogFormat, (l: string[]) => number]> = [
  ['postfix', detectPostfix], ['exim', (l) => Math.max(detectExim(l), eximStamped(l))], ['sendmail', detectSendmail],
];

export function detectLogFormat(all: string[]): Detection {
  const scores: Record<string, number> = {};
  // `#` lines are comments (annotated samples, W3C headers): vendor detectors see them, syslog scoring does not.
  const sample = all.filter((l) => !l.startsWith('#'));
  for (const [f, d] of VENDOR) {
    const s = d(all);
    scores[f] = s;
    if (s >= 0.5) return { format: f, scores, firstBadLine: null };
  }
  let best: LogFormat | null = null;
  let bestScore = 0;
  for (const [f, d] of SYSLOG) {
    const s = d(sample);
    scores[f] = s;
    if (s > bestScore) { best = f; bestScore = s; } // strict `>`: on a tie the earlier format keeps it
  }
  const dovecot = detectDovecot(sample);
  scores.dovecot = dovecot;
  if (best === null && dovecot > 0) { best = 'dovecot'; bestScore = dovecot; }
  // A mail.log shares its file with dovecot, amavis, opendkim…: any MTA lines at all, among syslog lines, will do.
  if (best !== null && detectSyslogPrefix(sample) >= 0.5) return { format: best, scores, firstBadLine: null };
  if (best !== null && bestScore >= 0.5) return { format: best, scores, firstBadLine: null };
  const ctx = { line: 0, offset: 0, year: 2000 };
  let bad = all.findIndex((l) => l.trim() !== '' && !l.startsWith('#') && parseSyslogPrefix(l, ctx) === null);
  if (bad < 0) bad = all.findIndex((l) => l.trim() !== '');
  return { format: null, scores, firstBadLine: bad < 0 ? null : bad + 1 };
}
