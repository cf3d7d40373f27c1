// The identity of the message a report is about (Message-ID, From, To, Subject, Date), so a bounce can
// be linked to what was sent. Read from the attached message/rfc822 or text/rfc822-headers part
// (RFC 3462/6522 §3) or, for plain-text bounces, from the copy quoted after the MTA's marker line.
// Pure; never throws.

import { parseHeaderBlock } from '../headers.js';
import { summarizeHeaders } from '../message-summary.js';
import type { OriginalMessage } from '../../model/dsn.js';
import type { HeaderField } from '../../model/header.js';

/** Lines MTAs put before the returned copy of the message. */
export const ORIGINAL_MARKERS: RegExp[] = [
  /^-{2,}\s*below this line is a copy of the message/im, // qmail
  /^-{2,}\s*this is a copy of the message/im, // Exim
  /^[ \t]*-{2,}\s*(?:the )?original message/im, // Sendmail indents it: "   ----- Original message follows -----"
  /^\s*original message follows/im,
  /^\s*-{2,}\s*(?:returned|unsent|undelivered) message/im,
  /^\|?-{2,}\s*message text follows/im,
  /^-{2,}\s*the header of the original message is following/im,
  /^[ \t]*-{2,}\s*message (?:header|text) follows/im, // Sendmail: "   ----- Message header follows -----"
  /^-{2,}\s*(?:copy of the )?(?:original )?message headers? follows?/im,
  /^\s*the original message (?:headers? )?(?:was|were|is|are)(?: as follows)?[:.]?\s*$/im,
  /^\s*-+\s*(?:message|headers?) (?:of|from) (?:the )?original/im,
  /^\s*bounced e-?mail:\s*$/im,
  /^\s*content-type:\s*message\/(?:rfc822|partial)/im,
  /^\s*original-message:/im,
  /^original message:[ \t]*$/im, // Verizon MMS gateway
];

/** Offset of the first marker in `text`, or -1. */
export function findOriginalMarker(text: string): { at: number; end: number } | null {
  let best: { at: number; end: number } | null = null;
  for (const re of ORIGINAL_MARKERS) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.at)) best = { at: m.index, end: m.index + m[0].length };
  }
  return best;
}

export function originalFromFields(fields: HeaderField[], source: OriginalMessage['source']): OriginalMessage | null {
  if (fields.length === 0) return null;
  const s = summarizeHeaders({ fields, headerLength: 0, hasBody: false, warnings: [] });
  if (!s.messageId && !s.fromAddr && s.to.length === 0 && !s.subject) return null;
  return {
    messageId: s.messageId,
    from: s.fromAddr,
    to: s.to,
    subject: s.subject,
    date: s.date ?? s.dateRaw,
    source,
  };
}

/** Parse the header block found in the text after `from` (quoted copy in a plain-text bounce). */
export function originalFromQuoted(text: string, from: number): OriginalMessage | null {
  const rest = text.slice(from, from + 200_000);
  // Skip to the end of the marker line, then to the first header-looking line.
  const nl = rest.indexOf('\n');
  const body = nl < 0 ? '' : rest.slice(nl + 1);
  const start = /^[ \t>]*[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]/m.exec(body);
  if (!start) return null;
  // Unindent quoted headers ("  Subject: x" and "> From: y" both occur).
  const block = body
    .slice(start.index)
    .split('\n')
    .map((l) => l.replace(/^> ?/, '').replace(/^ {1,4}(?=[A-Za-z][A-Za-z0-9-]*:)/, ''))
    .join('\n');
  const parsed = parseHeaderBlock(Buffer.from(block, 'utf8'));
  return originalFromFields(parsed.fields, 'quoted');
}
