// Which header fields are kept as rows in the store (besides Received, which becomes hops):
// authentication results, signatures, ARC sets, spam verdicts, routing and reply hints.
// Everything else stays recoverable from the stored raw bytes. Pure.

const EXACT = new Set([
  'authentication-results',
  'arc-authentication-results',
  'arc-message-signature',
  'arc-seal',
  'dkim-signature',
  'domainkey-signature',
  'x-google-dkim-signature',
  'received-spf',
  'reply-to',
  'sender',
  'return-path',
  'delivered-to',
  'x-original-to',
  'envelope-to',
  'x-envelope-from',
  'x-envelope-to',
  'in-reply-to',
  'references',
  'list-id',
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-auto-response-suppress',
  'disposition-notification-to',
  'return-receipt-to',
  'original-recipient',
  'x-failed-recipients',
  'x-mailer',
  'user-agent',
  'x-originating-ip',
  'x-received',
  'content-type',
]);

/** Prefixes of vendor spam/security verdict headers (SpamAssassin, Microsoft, Google, Proofpoint, …). */
const PREFIXES = [
  'x-spam',
  'x-ms-exchange-organization-',
  'x-forefront-antispam',
  'x-microsoft-antispam',
  'x-ms-exchange-atp',
  'x-gm-',
  'x-google-',
  'x-proofpoint-',
  'x-mimecast-',
  'x-barracuda-',
  'x-virus-',
  'x-amavis-',
  'x-rspamd-',
  'x-yahoo-',
  'x-ymail-',
  'x-ovh-spam',
  'x-gmx-antispam',
  'x-ironport-',
  'x-sophos-',
  'x-trend',
  'x-junk',
  'x-ses-',
  'x-mailgun-',
];

export function isEvidenceHeader(key: string): boolean {
  if (EXACT.has(key)) return true;
  for (const p of PREFIXES) if (key.startsWith(p)) return true;
  return false;
}
