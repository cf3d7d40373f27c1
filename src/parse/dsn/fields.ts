// Reads the "field groups" of a report body: RFC 3464 §2.1 (message/delivery-status),
// RFC 8098 §3.1 (message/disposition-notification) and RFC 5965 §3 (message/feedback-report) share the
// grammar: header-style fields, per-message fields first, then blank-line separated per-recipient groups.
// Pure; tolerant of missing blank lines (a new Final-Recipient starts a new group) and of folding.

export type FieldMap = Map<string, string>;

export interface FieldGroups {
  message: FieldMap;
  recipients: FieldMap[];
  /** Every field in order, including repeated ones (ARF repeats Reported-Domain, Original-Rcpt-To…). */
  all: [string, string][];
}

const RECIPIENT_KEYS = new Set([
  'final-recipient', 'original-recipient', 'action', 'status', 'remote-mta', 'diagnostic-code',
  'last-attempt-date', 'will-retry-until', 'final-log-id', 'x-actual-recipient',
]);

export function readFieldGroups(text: string): FieldGroups {
  const message: FieldMap = new Map();
  const recipients: FieldMap[] = [];
  const all: [string, string][] = [];
  let current: FieldMap | null = null;
  let last: { map: FieldMap; key: string } | null = null;
  const lines = text.split('\n', 4000);
  for (const line of lines) {
    if (line.trim() === '') {
      current = null;
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (last) last.map.set(last.key, `${last.map.get(last.key) ?? ''} ${line.trim()}`.trim());
      const tail = all[all.length - 1];
      if (tail) tail[1] = `${tail[1]} ${line.trim()}`.trim();
      continue;
    }
    const m = /^([A-Za-z0-9-]{1,80})\s*:\s?(.*)$/.exec(line);
    if (!m) {
      last = null;
      continue;
    }
    const key = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').trim();
    all.push([key, value]);
    if (RECIPIENT_KEYS.has(key)) {
      // A field the current group already holds starts the next group (some MTAs omit the blank line).
      // Original-Recipient may come before or after Final-Recipient (Amazon SES writes Action first).
      const startsNew =
        !current ||
        current.has(key) ||
        (key === 'original-recipient' && current.has('final-recipient') && current.has('status'));
      if (startsNew || !current) {
        current = new Map();
        recipients.push(current);
      }
      if (!current.has(key)) current.set(key, value);
      last = { map: current, key };
    } else if (current) {
      if (!current.has(key)) current.set(key, value);
      last = { map: current, key };
    } else {
      if (!message.has(key)) message.set(key, value);
      last = { map: message, key };
    }
  }
  return { message, recipients, all };
}

/** `rfc822; user@example.com` → `user@example.com` (RFC 3464 §2.3.2 address-type). */
export function stripType(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const t = v.trim().replace(/^<|>$/g, '').trim();
  return t === '' ? null : t;
}

/** The type before `;` (`smtp`, `x-unix`, `dns`), lower-cased, or null. */
export function typeOf(value: string | undefined): string | null {
  if (value === undefined || !value.includes(';')) return null;
  const t = value.slice(0, value.indexOf(';')).trim().toLowerCase();
  return t === '' ? null : t;
}
