// Who submitted the message: the SMTP AUTH login (RFC 4954) a server's log names on the line where it accepted
// the message (parse/logs/submission-auth.ts). Whichever log it is in, that server took the message from an
// authenticated client, i.e. it acted as the submission server for it. A login proves which account submitted
// it there, not who wrote the From header, so it never authenticates the From domain (the sender verdict only
// quotes it); when the login is not the From address, the finding says so plainly (`submitted-by-other-login`).
// Pure: events and the From address in, findings out.

import type { StoredLogEvent } from '../correlate/types.js';
import { submissionAuthOf } from '../parse/logs/submission-auth.js';
import { splitAddr } from '../correlate/question.js';
import { logRef, type Finding } from './evidence-types.js';
import { at } from './sent.js';
import { methodText } from './login-words.js';

/** The address the login is compared with: the From header of a copy, else the envelope sender. Lower-case. */
export interface ClaimedFrom { address: string; source: 'header' | 'envelope' }

/**
 * How the login differs from the From address, or null when it is the same account. The words name no address:
 * the summary prints both in full (so a redacted report pseudonymises them where they stand).
 */
function difference(login: string, from: string): string | null {
  const [f, fd] = splitAddr(from);
  const fl = f === null ? null : baseLocal(f);
  if (login.lastIndexOf('@') <= 0) {
    // A bare login (Exim, Cyrus): only its name can be compared, with the From address's local part.
    return fl !== null && baseLocal(login.toLowerCase()) === fl ? null : "a login without a domain whose name is not the From address's local part";
  }
  const [l, ld] = splitAddr(login);
  const ll = l === null ? null : baseLocal(l);
  if (ll === fl && ld === fd) return null;
  return ld !== fd ? 'an account of another domain' : 'another account of the same domain';
}

/** One finding per line of the message that logged an authenticated submission. */
export function submissionFindings(events: readonly StoredLogEvent[], from: ClaimedFrom | null): Finding[] {
  const out: Finding[] = [];
  for (const e of events) {
    const a = submissionAuthOf(e);
    if (a === null) continue;
    const m = methodText(e, a);
    const client = e.client ?? 'a client';
    const server = `the server${e.host === null ? '' : ` ${e.host}`}${e.program === null ? '' : ` (${e.program})`}`;
    const where = `${server} accepted it from ${client}${e.queueId ? ` as ${e.queueId}` : ''} at ${at(e)}`;
    const label = from?.source === 'envelope' ? 'envelope sender' : 'From address';
    if (a.login === null) {
      out.push({
        kind: 'authenticated-submission', severity: 'info',
        summary: `Submitted after SMTP authentication (${m}): ${where}; the line does not name the login${e.format === 'sendmail' ? " (Sendmail logs it on the session's AUTH=server line)" : ''}.`,
        evidence: [logRef(e, `accepted from ${client} after SMTP AUTH (${m})`)],
      });
      continue;
    }
    const ref = logRef(e, `accepted from ${client} after SMTP AUTH as login ${a.login}${m === null ? '' : ` (${m})`}`);
    const how = m === null ? '' : ` (${m})`;
    const diff = from === null ? null : difference(a.login, from.address);
    if (from !== null && diff !== null) {
      out.push({
        kind: 'submitted-by-other-login', severity: 'warning', evidence: [ref],
        summary: `Submitted by login ${a.login}${how}, not by the ${label} ${from.address}: ${diff}. ${cap(where)} once that login had authenticated, and let that account send as ${from.address}.`,
      });
      continue;
    }
    const match = from === null ? `No ${label} is known to compare it with.` : `The login matches the ${label} ${from.address}.`;
    out.push({
      kind: 'authenticated-submission', severity: 'info', evidence: [ref],
      summary: `Submitted by login ${a.login}${how}: ${where} once that login had authenticated. ${match} A login proves which account submitted it to that server, not by itself who wrote the From header.`,
    });
  }
  return out;
}

/** The mailbox of a sub-address (`alice+lists` → `alice`; the common `+` recipient delimiter): the same account. */
const baseLocal = (local: string): string => { const p = local.indexOf('+'); return p > 0 ? local.slice(0, p) : local; };
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
