// Message Disposition Notifications — read receipts (RFC 8098): the message/disposition-notification part
// says what happened to a message once it reached the recipient's mail user agent.
// Pure: bytes in, MdnReport or null (not an MDN) out; never throws.

import type { MdnReport } from '../model/dsn.js';
import { readFieldGroups, stripType } from './dsn/fields.js';
import { dateOf } from './dsn/recipient.js';
import { fieldValue, normalizeNewlines, parseMime, partText, type MimePart } from './dsn/mime.js';

export function parseMdn(bytes: Buffer): MdnReport | null {
  try {
    return readMdn(bytes);
  } catch {
    return null;
  }
}

function findPart(p: MimePart): MimePart | null {
  if (p.type === 'message/disposition-notification' || p.type === 'message/global-disposition-notification') return p;
  if (p.type === 'message/rfc822') return null; // an attached original is not this report
  for (const c of p.children) {
    const f = findPart(c);
    if (f) return f;
  }
  return null;
}

function readMdn(bytes: Buffer): MdnReport | null {
  const root = parseMime(normalizeNewlines(bytes));
  const part = findPart(root);
  if (!part) return null;
  const { all } = readFieldGroups(partText(part));
  const one = (k: string): string | null => all.find(([key]) => key === k)?.[1] ?? null;
  const disposition = one('disposition');
  if (disposition === null) return null;
  // RFC 8098 §3.2.6: disposition-mode ";" disposition-type [ "/" modifier *( "," modifier ) ]
  const warnings: string[] = [];
  const semi = disposition.indexOf(';');
  const mode = semi < 0 ? '' : disposition.slice(0, semi).trim();
  const rest = (semi < 0 ? disposition : disposition.slice(semi + 1)).trim();
  if (semi < 0) warnings.push('Disposition has no disposition-mode (RFC 8098 §3.2.6)');
  const [typePart = '', modPart = ''] = rest.split('/', 2);
  const [actionMode = null, sendingMode = null] = mode ? mode.split('/').map((s) => s.trim().toLowerCase()) : [];
  const omid = one('original-message-id');
  return {
    disposition: typePart.trim().toLowerCase(),
    actionMode,
    sendingMode,
    modifiers: modPart ? modPart.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [],
    originalMessageId: omid ? (omid.match(/<[^<>\s]*>/)?.[0] ?? omid) : null,
    finalRecipient: stripType(one('final-recipient') ?? undefined),
    originalRecipient: stripType(one('original-recipient') ?? undefined),
    reportingUa: stripType(one('reporting-ua') ?? undefined) ?? one('reporting-ua'),
    mdnGateway: stripType(one('mdn-gateway') ?? undefined),
    report: {
      subject: fieldValue(root.fields, 'subject'),
      from: fieldValue(root.fields, 'from'),
      // As a DSN's: UTC ISO when the Date header can be read, else as written.
      date: dateOf(fieldValue(root.fields, 'date')),
      messageId: fieldValue(root.fields, 'message-id')?.match(/<[^<>\s]*>/)?.[0] ?? null,
    },
    warnings,
  };
}
