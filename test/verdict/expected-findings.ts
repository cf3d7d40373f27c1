// Reads the free-text `expected.findings` of a lab case's truth.json ("recipient-mistyped: bbo@… vs bob@…",
// "dsn: 5.1.1 in alice's INBOX", "deferred first: 450 4.2.1 at RCPT, …") into something a test can check: which
// finding kinds may carry it (or the sender verdict, for authentication results) and the facts — addresses,
// status and reply codes, IPs, SMTP commands, folders, header lines, policy words — that must appear in it.
// General on purpose: a new case's expectations are read the same way, and an expectation this cannot read
// is reported (`target: null`) rather than passed silently.
import { FINDING_KINDS, type Finding } from '../../src/verdict/evidence-types.js';

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface ExpectedFinding {
  text: string;
  /** Finding kinds that may carry it, or the sender verdict (summary + evidence); null: not understood. */
  target: { findings: FindingKind[] } | { verdict: 'sender' } | null;
  /** Substrings (case-insensitive) that the matching finding's text must all contain. */
  facts: string[];
}

// Phrases that name a finding without using its kind word; tried when the text does not start with a kind.
const ALIASES: Array<[RegExp, FindingKind[]]> = [
  [/^(?:dsn|ndr|bounce|bounced)\b/i, ['bounce', 'delivery-dsn']],
  [/^(?:deferred|delayed)\b/i, ['deferred']],
  [/^(?:mdn|read receipt)\b/i, ['read-receipt']],
  [/\bdeleted\b|\bexpunged\b/i, ['deleted-after-delivery']],
  [/\bsent[- ]folder copy\b/i, ['sent-folder-copy-only']],
  [/\b(?:junk|spam) folder\b|\bfiled (?:in)?to junk\b/i, ['filed-to-junk']],
  [/\bclock skew\b/i, ['clock-skew']],
  [/\bcontradict/i, ['contradiction']],
  [/^(?:opened|seen)\b/i, ['opened']],
  [/^(?:submitted by (?:the )?login|sasl login|smtp auth login)\b/i, ['authenticated-submission', 'submitted-by-other-login']],
];

const AUTH = /^(?:no )?(?:spf|dkim|dmarc|arc)\b/i;

export function readExpectation(text: string): ExpectedFinding {
  const head = /^([a-z][a-z-]*)\s*:/i.exec(text)?.[1]?.toLowerCase();
  let target: ExpectedFinding['target'] = null;
  if (head !== undefined && (FINDING_KINDS as readonly string[]).includes(head)) target = { findings: [head as FindingKind] };
  else if (AUTH.test(text)) target = { verdict: 'sender' };
  else {
    const alias = ALIASES.find(([re]) => re.test(text));
    if (alias) target = { findings: alias[1] };
  }
  if (target && 'findings' in target && target.findings.includes('bounce') && target.findings.includes('delivery-dsn')) {
    // A DSN's class decides which: 2.x.x is a delivery report, 4.x.x/5.x.x a delay notice or a bounce.
    target = { findings: /\b2\.\d{1,3}\.\d{1,3}\b/.test(text) ? ['delivery-dsn'] : ['bounce'] };
  }
  return { text, target, facts: factsOf(text) };
}

export function factsOf(text: string): string[] {
  const facts: string[] = [];
  const add = (re: RegExp, f: (m: RegExpMatchArray) => string = (m) => m[0]): void => { for (const m of text.matchAll(re)) facts.push(f(m)); };
  add(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g); // addresses
  add(/(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])/g); // enhanced status codes (RFC 3463)
  add(/(?<![\d.])[245]\d\d(?![\d.])/g); // SMTP reply codes
  add(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g); // IPv4 addresses
  add(/\b(?:RCPT|MAIL FROM|DATA|EHLO|HELO)\b/g); // the SMTP command a reply answered
  add(/(?<![\w-])(?:INBOX|Junk|Spam|Trash|Archive|Sent)\b/g); // folders (not the Spam of X-Spam-Flag)
  add(/\b[A-Z][\w-]*-[\w-]+:\s*\S+/g); // header lines: X-Spam-Flag: YES
  add(/\bv=spf1(?:\s+[^\s,;]+)*/g); // an SPF record quoted whole
  add(/\bp=\w+/g); // DMARC policy
  add(/\b(spf|dkim|dmarc)\s+(pass|fail|softfail|neutral|none|temperror|permerror)\b/gi); // auth results
  add(/\bno DKIM signature\b/gi);
  add(/\b(\w+)'s\b/g, (m) => m[1]!); // "alice's INBOX": the owner's name must be said
  add(/\b(?:delivered|bounced|deferred|rejected|deleted|expunged|forgeable|weak)\b/gi); // outcome words
  add(/\b(?:relayed|expanded|displayed|dispatched)\b/gi); // DSN actions (RFC 3464 §2.3.3), MDN dispositions (RFC 8098 §3.2.6.2)
  add(/\blog covers\b/gi, () => 'covers');
  // Not facts: the SMTP reply code inside an enhanced code or an IP, and addresses' domains seen as names.
  const ips = facts.filter((f) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(f));
  return [...new Set(facts.filter((f) => !(/^\d{3}$/.test(f) && ips.some((ip) => ip.includes(f)))))];
}

/** The text a finding is judged on: its kind, summary, and every cited claim, locator and path. */
export function findingText(f: Pick<Finding, 'kind' | 'summary' | 'evidence'>): string {
  return [f.kind, f.summary, ...f.evidence.flatMap((e) => [e.claim, e.locator, e.path ?? ''])].join('\n');
}

/** The facts of `e` that `text` does not contain (case-insensitive). */
export function missingFacts(e: ExpectedFinding, text: string): string[] {
  const t = text.toLowerCase();
  return e.facts.filter((f) => !t.includes(f.toLowerCase()));
}
