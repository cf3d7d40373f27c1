// ARF feedback reports (RFC 5965 §3; auth-failure reports RFC 6591): the machine-readable
// message/feedback-report part. Pure; never throws. Values are kept as written except the
// Feedback-Type, which is lower-cased (RFC 5965 registers lower-case tokens; senders vary the case).

import type { FeedbackInfo } from '../../model/dsn.js';
import { readFieldGroups, stripType } from './fields.js';

export function readFeedbackReport(text: string): FeedbackInfo {
  const { all } = readFieldGroups(text);
  const one = (k: string): string | null => all.find(([key]) => key === k)?.[1] ?? null;
  const many = (k: string): string[] => all.filter(([key]) => key === k).map(([, v]) => v);
  const incidents = one('incidents');
  return {
    feedbackType: (one('feedback-type') ?? 'other').toLowerCase(),
    userAgent: one('user-agent'),
    version: one('version'),
    sourceIp: one('source-ip'),
    originalMailFrom: stripType(one('original-mail-from') ?? undefined),
    originalRcptTo: many('original-rcpt-to').map((v) => stripType(v) ?? v).filter((v) => v !== ''),
    arrivalDate: one('arrival-date') ?? one('received-date'),
    reportingMta: stripType(one('reporting-mta') ?? undefined),
    reportedDomain: many('reported-domain'),
    reportedUri: many('reported-uri'),
    authFailure: one('auth-failure'),
    incidents: incidents !== null && /^\d{1,9}$/.test(incidents) ? Number(incidents) : null,
  };
}
