// Automatic responses (RFC 3834): vacation notices and out-of-office replies. They say the recipient
// is away, not that delivery failed, so parseBounce reports them as `kind: 'auto-reply'`.
// Pure. Evidence, strongest first: Auto-Submitted (RFC 3834 §5), X-Autoreply / X-Autorespond
// (common MUA/MTA extensions), Precedence: auto_reply, then subject wording.

import type { HeaderField } from '../../model/header.js';

const SUBJECT =
  /^(?:auto(?:matic)?[ -]?(?:reply|response|antwort|risposta|respuesta)|out of (?:the )?office|away from (?:my|the) office|on vacation|vacation(?: reply)?|abwesenheit|absence|r[ée]ponse automatique|autoreply)\b|\b(?:out of (?:the )?office|auto(?:matic)? ?reply|away until)\b/i;

/** Why the message is an automatic response, or null. */
export function autoReplyEvidence(fields: HeaderField[]): string | null {
  for (const f of fields) {
    const v = f.value.trim().toLowerCase();
    // RFC 3834 §5.2: "auto-replied" marks a response; "auto-generated" (DSNs, notifications) does not.
    if (f.key === 'auto-submitted' && v !== '' && !v.startsWith('no') && !v.startsWith('auto-generated')) return `Auto-Submitted: ${f.value}`;
    if ((f.key === 'x-autoreply' || f.key === 'x-autorespond' || f.key === 'x-autoresponder') && v !== 'no' && v !== '') {
      return `${f.name}: ${f.value}`;
    }
    if (f.key === 'precedence' && v === 'auto_reply') return `Precedence: ${f.value}`;
    if (f.key === 'x-auto-response' && v !== '') return `${f.name}: ${f.value}`;
  }
  const subject = fields.find((f) => f.key === 'subject')?.value ?? '';
  if (SUBJECT.test(subject)) return `Subject: ${subject}`;
  return null;
}
