// Sorts the parts of a report (RFC 6522 multipart/report and the looser layouts MTAs send): the
// machine-readable part, the human-readable text, the returned original. Pure; never throws.

import type { OriginalMessage } from '../../model/dsn.js';
import { parseHeaderBlock } from '../headers.js';
import { partText, type MimePart } from './mime.js';
import { findOriginalMarker, originalFromFields, originalFromQuoted } from './original.js';

export interface Layout {
  dsn: MimePart | null;
  feedback: MimePart | null;
  mdn: MimePart | null;
  text: MimePart | null;
  html: MimePart | null;
  originals: MimePart[];
}

/** Sort the report-level parts; the attached original is not descended into. */
export function layout(root: MimePart): Layout {
  const l: Layout = { dsn: null, feedback: null, mdn: null, text: null, html: null, originals: [] };
  const walk = (p: MimePart): void => {
    const t = p.type;
    if (t === 'message/delivery-status' || t === 'message/global-delivery-status' || t === 'text/delivery-status') l.dsn ??= p;
    else if (t === 'message/feedback-report') l.feedback ??= p;
    else if (t === 'message/disposition-notification') l.mdn ??= p;
    else if (t === 'text/rfc822-headers' || t === 'text/rfc822-header' || (t.startsWith('message/') && t !== 'message/partial')) {
      l.originals.push(p);
      return;
    } else if (t === 'text/plain') l.text ??= p;
    else if (t === 'text/html') l.html ??= p;
    for (const c of p.children) walk(c);
  };
  walk(root);
  return l;
}

export function readOriginal(parts: Layout, fullText: string): OriginalMessage | null {
  for (const p of parts.originals) {
    if (p.type === 'message/rfc822' || p.type === 'message/global') {
      const child = p.children[0];
      const o = child ? originalFromFields(child.fields, 'message/rfc822') : null;
      if (o) return o;
    }
    const block = parseHeaderBlock(p.body);
    const o = originalFromFields(block.fields, p.type.startsWith('text/') ? 'text/rfc822-headers' : 'message/rfc822');
    if (o) return o;
  }
  const marker = findOriginalMarker(fullText);
  return marker ? originalFromQuoted(fullText, marker.at) : null;
}

export function stripHtml(html: string): string {
  return html
    .replace(/<(?:script|style)[\s\S]{0,100000}?<\/(?:script|style)>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

/**
 * The human-readable text of a report: the first text/plain part, else its HTML stripped, else — a
 * multipart whose boundary never occurs in the body (old Sendmail) — the body itself.
 */
export function reportText(root: MimePart, parts: Layout): string {
  if (parts.text) return partText(parts.text);
  if (parts.html) return stripHtml(partText(parts.html));
  if (root.type.startsWith('multipart/') && root.children.length === 0) return partText(root);
  return '';
}

/**
 * A bounce forwarded as an attachment (a relay or a user passing it on): the outer message has no
 * delivery-status part, the attached message is itself a multipart/report that has one.
 */
export function forwardedReport(parts: Layout): MimePart | null {
  if (parts.dsn || parts.feedback) return null;
  for (const p of parts.originals) {
    const child = p.children[0];
    if (child?.type === 'multipart/report' && layout(child).dsn) return child;
  }
  return null;
}

/** RFC 3464 fields written into the text itself (no delivery-status part): from the first such field on. */
export function inlineDeliveryStatus(text: string): string | null {
  const m = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient)[ \t]*:/im.exec(text);
  if (!m) return null;
  const rest = text.slice(m.index, m.index + 20000);
  return /^Final-Recipient[ \t]*:/im.test(rest) && /^(?:Status|Action)[ \t]*:/im.test(rest) ? rest : null;
}
