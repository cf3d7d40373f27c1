// One bounced recipient, read from an RFC 3464 per-recipient field group (§2.3) or from the text a
// non-standard notice gives for it: status code, reply code, diagnostic, remote MTA, failed command,
// then the reason (./reason.ts) and Sisimai-style pseudo status when the report wrote no code.
// Pure; never throws.

import type { BounceReason, BounceRecipient, DsnAction } from '../../model/dsn.js';
import { parseReceivedDate } from '../received-date.js';
import { findReplyCode, findStatus, isGenericStatus, joinReplyLines, isHardBounce, isTemporaryText, pseudoStatus, specificStatus } from './codes.js';
import { stripType, typeOf, type FieldMap } from './fields.js';
import { decideReason } from './reason.js';
import type { SesRecipient } from './ses-json.js';
import { cleanAddress, findCommand, findRemoteHost, unfold, type TextRecipient } from './text.js';

const ACTIONS: Record<string, DsnAction> = {
  failed: 'failed', failure: 'failed', delayed: 'delayed', delivered: 'delivered', relayed: 'relayed',
  expanded: 'expanded', expired: 'failed',
};

export function fromDsnGroup(g: FieldMap, text: TextRecipient[], notice: string, only: boolean): BounceRecipient | null {
  const address = cleanAddress(stripType(g.get('final-recipient')) ?? stripType(g.get('x-actual-recipient')) ?? stripType(g.get('original-recipient')) ?? '');
  if (!address) return null;
  const actionRaw = (g.get('action') ?? '').trim().toLowerCase().split(/[\s(;]/)[0] ?? '';
  const action = ACTIONS[actionRaw] ?? null;
  const diagField = g.get('diagnostic-code');
  let diagnostic = diagField !== undefined ? joinReplyLines(unfold(stripType(diagField) ?? diagField)) : null;
  const diagnosticType = typeOf(diagField);
  const fromText = text.find((t) => t.address === address) ?? (only && text.length === 1 ? text[0] : undefined);
  if (!diagnostic && fromText) diagnostic = unfold(fromText.block);
  if (!diagnostic && only) diagnostic = unfold(notice, 1000) || null;
  const replyCode = diagnostic ? findReplyCode(diagnostic) : null;
  const status = chooseStatus(validStatus(g.get('status')), diagnostic, fromText?.block ?? null, replyCode);
  // The Diagnostic-Code rarely names the command; the notice's transcript often does (">>> DATA").
  const command =
    (diagnostic ? findCommand(diagnostic) : null) ?? (fromText ? findCommand(fromText.block) : null) ?? (only ? findCommand(notice) : null);
  return finish({
    address,
    originalRecipient: cleanAddress(stripType(g.get('original-recipient')) ?? ''),
    action,
    status,
    replyCode,
    diagnosticType,
    diagnostic,
    remoteMta: stripType(g.get('remote-mta')) ?? (diagnostic ? findRemoteHost(diagnostic) : null),
    command,
    lastAttemptDate: dateOf(g.get('last-attempt-date') ?? null),
    willRetryUntil: dateOf(g.get('will-retry-until') ?? null),
  });
}

/**
 * The Status field, unless it is generic (X.0.0, X.4.7) and the diagnostic or the notice's text for this
 * recipient names the actual problem (RFC 3463 §3.5): a code with subject and detail set wins first.
 */
function chooseStatus(field: string | null, diagnostic: string | null, block: string | null, replyCode: string | null): string | null {
  if (!field) return diagnostic ? findStatus(diagnostic, replyCode?.[0]) : null;
  if (!isGenericStatus(field)) return field;
  for (const t of [diagnostic, block]) {
    if (!t) continue;
    const better = specificStatus(t) ?? findStatus(t, field[0]);
    if (better && !isGenericStatus(better) && better[0] === field[0]) return better;
  }
  return field;
}

export function fromText(address: string, block: string, notice: string, delayed: boolean, only: boolean): BounceRecipient {
  // The sole recipient's line may carry no error at all (Apache James lists it under "Message details:"
  // after the error): then the notice as a whole is its diagnostic.
  const bare = only && block !== notice && findReplyCode(block) === null && findReplyCode(notice) !== null;
  const diagnostic = unfold(bare ? notice : block) || null;
  const replyCode = diagnostic ? findReplyCode(diagnostic) : null;
  let status = diagnostic ? findStatus(diagnostic, replyCode?.[0]) : null;
  if (!status && only && block !== notice) status = findStatus(notice, replyCode?.[0]);
  const temporary = delayed && !/permanent/i.test(block);
  return finish({
    address,
    originalRecipient: null,
    action: temporary || status?.startsWith('4.') ? 'delayed' : 'failed',
    status,
    replyCode,
    diagnosticType: null,
    diagnostic,
    remoteMta: findRemoteHost(block) ?? (only ? findRemoteHost(notice) : null),
    command: findCommand(block) ?? (only ? findCommand(notice) : null),
    lastAttemptDate: null,
    willRetryUntil: null,
  });
}

/** A recipient of an Amazon SES JSON notification (./ses-json.ts). */
export function fromSes(r: SesRecipient): BounceRecipient {
  return finish({
    address: r.address.toLowerCase(), originalRecipient: null, action: r.action, status: r.status, replyCode: r.replyCode,
    diagnosticType: r.diagnostic ? 'smtp' : null, diagnostic: r.diagnostic, remoteMta: r.remoteMta,
    command: r.diagnostic ? findCommand(r.diagnostic) : null, lastAttemptDate: null, willRetryUntil: null,
  });
}

type Draft = Omit<BounceRecipient, 'reason' | 'hardBounce' | 'statusInferred'>;

/** A post a mailing list refused (./list-refusal.ts): the sender was not allowed to post. */
export function refusedByList(address: string, text: string): BounceRecipient {
  const diagnostic = unfold(text, 1000) || null;
  return finish({
    address, originalRecipient: null, action: 'failed', status: null, replyCode: null, diagnosticType: null, diagnostic,
    remoteMta: null, command: null, lastAttemptDate: null, willRetryUntil: null,
  }, 'rejected');
}

/** `known`: a reason the report's format settles by itself (as Sisimai's per-MTA modules do). */
function finish(d: Draft, known?: BounceReason): BounceRecipient {
  const reason = known ?? decideReason(d);
  let status = d.status;
  let statusInferred = false;
  if (!status) {
    // Sisimai's rule for its pseudo codes: temporary only when the error text itself says so (4xx, "temporary").
    const temporary = isTemporaryText(`${d.replyCode ?? ''} ${d.diagnostic ?? ''}`);
    status = reason === 'delivered' ? null : pseudoStatus(reason, temporary);
    statusInferred = status !== null;
  }
  return { ...d, status, statusInferred, reason, hardBounce: isHardBounce(reason, status) };
}

function validStatus(v: string | undefined): string | null {
  if (!v) return null;
  const m = /([245])\.(\d{1,3})\.(\d{1,3})/.exec(v);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** A date field as ISO 8601 when it parses, else as written. */
/** A date as dateOf gives it, when it is a UTC ISO time (dateOf keeps text it could not read as written); else null. */
export function isoDateOrNull(v: string | null | undefined): string | null {
  return v != null && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/.test(v) ? v : null;
}

export function dateOf(v: string | null): string | null {
  if (!v) return null;
  const d = parseReceivedDate(v.replace(/^[^;]*;\s*(?=\w{3},|\d)/, ''));
  return d.date ?? v;
}
