// Decide a bounce reason (Sisimai's vocabulary) from the status code, the diagnostic text, the SMTP
// command that failed, the reply code and the DSN action. Pure. The message patterns live in
// ./reason-patterns.ts. The decision order follows Sisimai's (lib/Sisimai/Reason.pm, "get" then
// "anotherone"; https://libsisimai.org/en/reason/): causes specific enough to trust first, each weighed
// with the status code and the command (a "user unknown" after DATA is a filter's answer), then the
// status code's meaning, then broader text patterns, then what the code class, command or action imply.

import type { BounceReason } from '../../model/dsn.js';
import { reasonOfStatus, VAGUE_REASONS } from './codes.js';
import { TEXT } from './reason-patterns.js';

export interface ReasonInput {
  status: string | null;
  diagnostic: string | null;
  command: string | null;
  action: string | null;
  diagnosticType: string | null;
  /** SMTP reply code (RFC 5321 §4.2), when known. */
  replyCode?: string | null;
}

function matches(r: BounceReason, text: string): boolean {
  // "Recipient address rejected: …" is Postfix refusing the recipient, whatever follows.
  if (r === 'rejected' && text.includes('recipient address rejected')) return false;
  return TEXT[r]?.test(text) ?? false;
}

/** Commands sent before DATA: a filter that reads content cannot have rejected there. */
const BEFORE_DATA = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'CONN', 'STARTTLS', 'AUTH']);

/**
 * First pass: causes whose wording or code is specific enough to trust outright,
 * in the order that resolves overlaps (a full mailbox is not an unknown user, and so on).
 */
const FIRST: BounceReason[] = [
  'mailboxfull', 'mesgtoobig', 'exceedlimit', 'suspend', 'hasmoved', 'norelaying', 'authfailure', 'userunknown',
  'filtered', 'requireptr', 'notcompliantrfc', 'badreputation', 'contenterror', 'rejected', 'hostunknown',
  'spamdetected', 'speeding', 'toomanyconn', 'blocked',
];
/** Second pass, when the first found nothing definite. */
const SECOND: BounceReason[] = [
  'mailboxfull', 'authfailure', 'badreputation', 'speeding', 'spamdetected', 'virusdetected', 'policyviolation',
  'norelaying', 'systemerror', 'networkerror', 'suspend', 'contenterror', 'systemfull', 'notaccept', 'expired',
  'failedstarttls', 'securityerror', 'suppressed', 'mailererror',
];

/** Reasons a status name leaves open: the text decides (Sisimai's "retry" list, plus no name at all). */
function retried(s: BounceReason | null): boolean {
  return s === null || VAGUE_REASONS.has(s);
}

/** Last resort for non-SMTP diagnostics: the words alone, in the order that resolves overlaps. */
const TEXT_ONLY: BounceReason[] = [
  'mailboxfull', 'mesgtoobig', 'exceedlimit', 'suspend', 'userunknown', 'filtered', 'rejected', 'hostunknown',
  'spamdetected', 'speeding', 'toomanyconn', 'blocked', 'authfailure', 'failedstarttls', 'hasmoved', 'norelaying',
];

function probe(r: BounceReason, s: BounceReason | null, text: string, command: string | null): boolean {
  switch (r) {
    case 'userunknown':
      if (command === 'MAIL') return false; // the sender, not the recipient, was refused
      if (s === 'userunknown') {
        return !(['norelaying', 'authfailure', 'blocked', 'mailboxfull', 'hasmoved', 'rejected', 'notaccept', 'speeding'] as BounceReason[]).some(
          (o) => matches(o, text),
        );
      }
      // Text alone says "unknown user" unless the answer came after DATA: there the same words come from a
      // filter that read the message, which Sisimai calls "filtered". Sisimai also reads them as "filtered"
      // when the command is unknown; we take the words at face value then (see the SKIP list).
      return (command === 'RCPT' || command === null) && matches('userunknown', text);
    case 'filtered':
      if (s === 'filtered') return matches('userunknown', text) || matches('filtered', text);
      if (command && BEFORE_DATA.has(command)) return false;
      return matches('filtered', text) || matches('userunknown', text);
    case 'rejected':
      if (s === 'rejected') return true;
      if (command === 'MAIL') return matches('rejected', text) || matches('userunknown', text);
      if (command === 'DATA') return s !== 'userunknown' && matches('rejected', text);
      if (s === null || s === 'securityerror' || s === 'systemerror') return matches('rejected', text);
      return false;
    case 'hostunknown':
      if (s === 'hostunknown') return !matches('networkerror', text) || matches('hostunknown', text);
      return matches('hostunknown', text);
    case 'spamdetected':
      if (s === 'spamdetected') return true;
      if (command && BEFORE_DATA.has(command) && command !== 'RCPT') return false;
      return matches('spamdetected', text);
    default:
      return s === r || matches(r, text);
  }
}

export function decideReason(input: ReasonInput): BounceReason {
  const status = input.status;
  if (status?.startsWith('2.')) return 'delivered';
  if (input.action === 'delivered' || input.action === 'relayed' || input.action === 'expanded') return 'delivered';
  const text = (input.diagnostic ?? '').toLowerCase().replace(/\s+/g, ' ');
  const s = reasonOfStatus(status);
  const smtp = input.diagnosticType === null || input.diagnosticType === 'smtp';
  if (smtp) {
    // Refused before any command was answered: the connecting host itself was turned away.
    if (input.command === 'CONN' && !matches('mailboxfull', text)) return 'blocked';
    for (const r of FIRST) if (probe(r, s, text, input.command)) return r;
  }
  if (s && !retried(s) && smtp) return s;
  for (const r of SECOND) if (matches(r, text)) return r;
  if (s) return s;
  const sub = status?.slice(0, 3);
  if (sub === '5.6' || sub === '4.6') return 'contenterror';
  if (sub === '5.7' || sub === '4.7') return 'securityerror';
  if (input.diagnosticType?.startsWith('x-unix')) return 'mailererror';
  // A diagnostic that is no SMTP reply (X-Notes, X-Local…) skipped the first pass: read its words now.
  if (!smtp) for (const r of TEXT_ONLY) if (matches(r, text)) return r;
  // RFC 5321 §4.2.2: x0z replies are about syntax (500 unrecognised, 501 bad arguments, 503 bad sequence…).
  if (matches('syntaxerror', text) || /^[45]0[0-7]$/.test(input.replyCode ?? '')) return 'syntaxerror';
  if (input.action === 'delayed' || input.action === 'expired') return 'expired';
  if (input.command === 'EHLO' || input.command === 'HELO') return 'blocked';
  if (/out of (?:the )?office|on vacation|auto(?:matic)? ?reply/.test(text)) return 'vacation';
  if (text.trim() !== '') return 'onhold';
  return 'undefined';
}
