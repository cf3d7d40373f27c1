// Amazon SES event notifications delivered by email (SNS → email subscription): the body is one JSON
// object with notificationType Bounce, Complaint or Delivery (AWS SES Developer Guide, "Contents of
// notifications"). Turns it into per-recipient drafts; the caller builds the report. Pure; never throws.

import type { DsnAction } from '../../model/dsn.js';
import { findReplyCode, findStatus } from './codes.js';

export interface SesRecipient {
  address: string;
  action: DsnAction | null;
  status: string | null;
  replyCode: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
}

export interface SesNotification {
  type: 'bounce' | 'complaint' | 'delivery';
  reportingMta: string | null;
  /** SES's own message id of the sent message (mail.messageId). */
  messageId: string | null;
  feedbackType: string | null;
  recipients: SesRecipient[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, 1000) : []);

/** The SES notification in `text`, or null when there is none (or it does not parse). */
export function readSesNotification(text: string): SesNotification | null {
  const at = text.indexOf('{"notificationType"');
  if (at < 0) return null;
  const end = text.indexOf('\n', at);
  let json: Obj | null;
  try {
    json = obj(JSON.parse(text.slice(at, end < 0 ? undefined : end)));
  } catch {
    return null;
  }
  if (!json) return null;
  const kind = str(json.notificationType)?.toLowerCase();
  const mail = obj(json.mail);
  const messageId = str(mail?.messageId);
  if (kind === 'delivery') {
    const d = obj(json.delivery);
    const response = str(d?.smtpResponse);
    return {
      type: 'delivery', reportingMta: str(d?.reportingMTA), messageId, feedbackType: null,
      recipients: list(d?.recipients).flatMap((a) => {
        const address = str(a);
        if (!address) return [];
        const status = response ? findStatus(response, '2') : null;
        return [{ address, action: 'delivered' as const, status, replyCode: response ? findReplyCode(response) : null, diagnostic: response, remoteMta: str(d?.remoteMtaIp) }];
      }),
    };
  }
  if (kind === 'bounce') {
    const b = obj(json.bounce);
    const permanent = str(b?.bounceType) === 'Permanent';
    return {
      type: 'bounce', reportingMta: str(b?.reportingMTA), messageId, feedbackType: null,
      recipients: list(b?.bouncedRecipients).flatMap((r) => {
        const o = obj(r);
        const address = str(o?.emailAddress);
        if (!o || !address) return [];
        const diagnostic = str(o.diagnosticCode);
        const status = str(o.status) ?? (diagnostic ? findStatus(diagnostic) : null);
        return [{ address, action: permanent ? 'failed' as const : 'delayed' as const, status, replyCode: diagnostic ? findReplyCode(diagnostic) : null, diagnostic, remoteMta: null }];
      }),
    };
  }
  if (kind === 'complaint') {
    const c = obj(json.complaint);
    return {
      type: 'complaint', reportingMta: null, messageId, feedbackType: str(c?.complaintFeedbackType) ?? 'abuse',
      recipients: list(c?.complainedRecipients).flatMap((r) => {
        const address = str(obj(r)?.emailAddress);
        return address ? [{ address, action: null, status: null, replyCode: null, diagnostic: null, remoteMta: null }] : [];
      }),
    };
  }
  return null;
}
