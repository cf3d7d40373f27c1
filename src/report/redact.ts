// `investigate --redact`: the report with every email address, local part, IP address, hostname outside the
// kept domains, subject and Message-ID replaced by a keyed pseudonym (see redact-pseudonym.ts), wherever it
// occurs: structured fields, free text (summaries, claims, timeline details, caveats), locators and file paths.
// Works on the report object, so every renderer (JSON, JSON Lines, terminal, HTML, Markdown) prints the same
// redacted content, and a seal computed afterwards covers it. Two passes: collect the exact values the
// structured fields name (so they are also found in free text where no pattern would see them, such as a
// subject or a dotless syslog host), then rewrite every string by what its field holds. Fields this module does
// not know are treated as free text, so a new field is redacted by pattern rather than passed through.
// Pure: report and key in, report out; no I/O. Bodies are never in a report to begin with (the schema has no
// field for one; test/cli/investigate-redact.test.ts checks the output).

import { InvestigateReportSchema, type InvestigateReport } from './investigate.js';
import { FOLDER_SEPARATOR, Pseudonymiser, canonName, canonSubject, isStandardFolder, redactionKeyId } from './redact-pseudonym.js';
import { addressesIn, maildirHost, makeScanners } from './redact-text.js';
import type { RedactOptions, Redaction } from './redact-schema.js';
import { MailtrailError } from '../errors.js';

type Kind = 'keep' | 'address' | 'msgid' | 'subject' | 'folder' | 'path' | 'locator' | 'host' | 'text';
type Key = string | number;

/**
 * Fields whose values are words of the report's own vocabulary (the schema's enums and kinds), never evidence: a
 * known value that happens to be one of those words (a folder named "Report") must not rewrite them.
 */
const VOCABULARY = new Set(['kind', 'answer', 'stage', 'outcome', 'confidence', 'severity', 'role', 'side', 'status', 'method', 'trust']);

/** What a string holds, from where it sits in the report. */
function kindOf(at: readonly Key[]): Kind {
  const s = at.filter((k): k is string => typeof k === 'string');
  const top = s[0], key = s[s.length - 1];
  if (top === 'tool' || top === 'redaction' || top === 'seal' || key === 'sha256' || key === 'artifactSha256') return 'keep';
  if (key !== undefined && VOCABULARY.has(key) && typeof at[at.length - 1] === 'string') return 'keep';
  if ((top === 'question' || top === 'message') && s.length === 2) {
    if (key === 'from' || key === 'to') return 'address';
    if (key === 'subject') return 'subject';
  }
  if (key === 'messageId') return 'msgid';
  if (key === 'folder') return 'folder';
  if (key === 'path') return 'path';
  if (key === 'locator') return 'locator';
  if ((top === 'timeline' && key === 'host') || (top === 'verdicts' && s[1] === 'sender' && key === 'domain') || (top === 'dns' && key === 'name')) return 'host';
  return 'text';
}

function eachString(v: unknown, at: Key[], f: (s: string, at: readonly Key[]) => void): void {
  if (typeof v === 'string') f(v, at);
  else if (Array.isArray(v)) v.forEach((x, i) => eachString(x, [...at, i], f));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) eachString(x, [...at, k], f);
}

function mapStrings(v: unknown, at: Key[], f: (s: string, at: readonly Key[]) => string): unknown {
  if (typeof v === 'string') return f(v, at);
  if (Array.isArray(v)) return v.map((x, i) => mapStrings(x, [...at, i], f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, [...at, k], f)]));
  return v;
}

const bareAddress = (v: string): boolean => !/[\s<>()"]/.test(v);
/** Where text names a client host: `HELO x`, `helo=x`, and a Received hop's `from x` (investigate-timeline.ts). */
const HELO = /(?:\bHELO\s+|\bhelo=|^hop \d+ from\s+)([^\s[\]()<>;,]{1,255})/gi;
/**
 * An SMTP AUTH login as the timeline and findings word it (parse/logs/submission-auth.ts authWords,
 * verdict/login-words.ts, verdict/submission.ts): `login=alice`, `by login alice`. One without a domain is a
 * name no pattern would see.
 */
const LOGIN = /(?:\blogin=|\b(?:by|after|as) login )([^\s"()<>,;:]{1,255})/gi;
/** A quoted display name, as identity flags word it (verdict/identity-flags.ts): `the name "Alice Smith"`. */
const DISPLAY_NAME = /\b(?:display name|the name) "([^"]{1,200})"/gi;
/**
 * A folder as the timeline, findings and locators word it (verdict/mailbox-log.ts, verdict/findings.ts,
 * verdict/evidence-types.ts, a Dovecot line's `saved to mailbox 'X'`): one a log names that no `folder` field does.
 */
const FOLDER_WORDS = /\bmailbox '([^'\n]{1,255})'|\b(?:saved into|copied into|expunged from|Filed into|\\Deleted in|Maildir folder|IMAP folder) (?!mailbox ')([^\s,;:()'"]{1,255})/gi;

/**
 * The exact values a report's structured fields name, with their pseudonyms, for finding them in free text too:
 * `text` for every string, `locals` (bare local parts) only in paths and locators. Fed one string at a time with
 * what it holds (kindOf).
 */
class KnownValues {
  readonly text = new Map<string, string>();
  readonly locals = new Map<string, string>();
  /** Each level of a folder name a user chose: found in paths and locators (a Maildir++ `.Clients.Acme`). */
  readonly folders = new Map<string, string>();
  constructor(private readonly p: Pseudonymiser) {}

  /**
   * A folder name, found again in text whole (two characters or more: a one-letter name would replace every "a"),
   * and level by level in paths and locators.
   */
  private addFolder(v: string): void {
    const { p } = this;
    if (canonSubject(v).length >= 2 && p.folder(v) !== v) this.text.set(canonSubject(v), p.folder(v));
    for (const level of v.split(FOLDER_SEPARATOR)) {
      if (level.trim() !== '' && !isStandardFolder(level)) this.folders.set(canonSubject(level), p.folder(level));
    }
  }

  private addHost(h: string): void {
    const c = canonName(h), r = this.p.host(h);
    if (c !== '' && r !== c) this.text.set(c, r);
  }
  private addLocal(a: string): void {
    const l = a.slice(0, a.lastIndexOf('@')), p = this.p;
    if (l !== '' && p.user(l) !== canonName(l)) this.locals.set(canonName(l), p.user(l));
  }

  add(v: string, kind: Kind): void {
    const { p, text, locals } = this;
    if (kind === 'keep' || v === '') return;
    for (const a of addressesIn(v)) this.addLocal(a);
    // A client's HELO name, often a dotless machine name ("JOHNS-LAPTOP") no pattern would take for a host.
    for (const m of v.matchAll(HELO)) if (m[1] !== '?' && !m[1]!.startsWith('[')) this.addHost(m[1]!);
    for (const m of v.matchAll(DISPLAY_NAME)) text.set(m[1]!.toLowerCase(), p.displayName(m[1]!));
    for (const m of v.matchAll(FOLDER_WORDS)) this.addFolder(m[1] ?? m[2]!);
    for (const m of v.matchAll(LOGIN)) if (!m[1]!.includes('@') && p.user(m[1]!) !== canonName(m[1]!)) text.set(canonName(m[1]!), p.user(m[1]!));
    if (kind === 'address' && bareAddress(v)) {
      text.set(canonName(v), p.address(v));
      if (v.includes('@')) this.addHost(v.slice(v.lastIndexOf('@') + 1));
      else if (v !== '<>') locals.set(canonName(v), p.address(v));
    } else if (kind === 'msgid') {
      const bare = v.trim().replace(/^<|>$/g, '');
      text.set(canonName(bare), p.messageId(bare));
      if (bare.includes('@')) this.addHost(bare.slice(bare.lastIndexOf('@') + 1));
    } else if (kind === 'subject') {
      // Text may quote the subject without its reply/forward prefixes. Subjects of one to three characters are
      // not looked for in text, where they would replace every such word ("a", "Hi").
      const bare = v.replace(/^(?:\s*(?:re|fwd?|aw|wg|sv|vs|tr|rif|antw)\s*(?:\[\d+\])?\s*:\s*)+/i, '');
      for (const s of [v.toLowerCase(), canonSubject(v), bare.toLowerCase()]) if (s.trim().length >= 4) text.set(s, p.subject(s === bare.toLowerCase() ? bare : v));
    } else if (kind === 'folder') this.addFolder(v);
    else if (kind === 'host') this.addHost(v);
    else if (kind === 'path') { const h = maildirHost(v); if (h !== null) this.addHost(h); }
  }
}

/**
 * The redacted copy of `report`. Members beyond InvestigateReportSchema (the manifest a sealed report carries)
 * are redacted too; a seal is left as it was and is stale: seal the result again (seal.ts sealReport).
 */
export function redactReport<T extends InvestigateReport>(report: T, opts: RedactOptions): T & { redaction: Redaction } {
  if (report.redaction !== undefined) throw new MailtrailError('USAGE', 'this report is already redacted; redacting it again would hide the trail');
  const p = new Pseudonymiser(opts);
  const known = new KnownValues(p);
  eachString(report, [], (v, at) => known.add(v, kindOf(at)));

  const scan = makeScanners(p, known.text, new Map([...known.folders, ...known.locals]));
  const out = mapStrings(report, [], (v, at) => {
    switch (kindOf(at)) {
      case 'keep': return v;
      case 'address': return bareAddress(v) ? p.address(v) : scan.text(v);
      case 'msgid': return v === '' ? v : p.messageId(v);
      case 'subject': return v === '' ? v : p.subject(v);
      case 'folder': return p.folder(v);
      case 'path': return scan.path(v);
      case 'locator': return scan.locator(v);
      case 'host': return p.host(v);
      case 'text': return scan.text(v);
    }
  }) as T;

  const redaction: Redaction = {
    method: 'hmac-sha256', keyId: redactionKeyId(opts.key),
    keptDomains: [...new Set(opts.keepDomains.map(canonName))].sort(), keepAllDomains: opts.keepAllDomains,
  };
  const kept = redaction.keepAllDomains ? '; every domain and hostname is kept' : redaction.keptDomains.length ? `; kept as they are: ${redaction.keptDomains.join(', ')}` : '';
  out.caveats = [...out.caveats, `Redacted: addresses, local parts, IP addresses, hostnames, subjects, Message-IDs, display names and folder names (other than standard ones such as INBOX, Sent, Junk and Trash) are keyed pseudonyms (HMAC-SHA256, key id ${redaction.keyId})${kept}. One value has one pseudonym throughout the report; whoever holds the key can check a guess.`];
  const result = { ...out, redaction };
  InvestigateReportSchema.parse(result); // validate, but return every member (parse would drop the manifest)
  return result;
}

/** Values a note names, by what they are: found in its text wherever they occur, like a report's fields. */
export interface NoteValues {
  addresses?: ReadonlyArray<string | null>;
  messageIds?: ReadonlyArray<string | null>;
  subjects?: ReadonlyArray<string | null>;
  /** File paths the note quotes: redacted whole, as paths (a folder with a space in it is still one segment). */
  paths?: ReadonlyArray<string | null>;
}

/**
 * A line the CLI prints beside a redacted report (stderr: the question it chose, the messages it will not choose
 * between, what it searched, input problems) with the same pseudonyms the report has for the same key: the named
 * values, then every address, IP address, hostname and path the text patterns see.
 */
export function redactNote(text: string, opts: RedactOptions, values: NoteValues = {}): string {
  const p = new Pseudonymiser(opts);
  const known = new KnownValues(p);
  for (const v of values.addresses ?? []) if (v !== null) known.add(v, 'address');
  for (const v of values.messageIds ?? []) if (v !== null) known.add(v, 'msgid');
  for (const v of values.subjects ?? []) if (v !== null) known.add(v, 'subject');
  const paths = [...new Set((values.paths ?? []).filter((v): v is string => v !== null && v !== ''))].sort((a, b) => b.length - a.length);
  for (const v of paths) known.add(v, 'path');
  known.add(text, 'text');
  const scan = makeScanners(p, known.text, known.locals);
  // Each quoted path (the longest first where two start at one place) goes through the path scanner once; the
  // text between them through the text scanner. Nothing is scanned twice, so no pseudonym is replaced again.
  let out = '', at = 0;
  for (;;) {
    let k = -1, hit = '';
    for (const v of paths) {
      const i = text.indexOf(v, at);
      if (i >= 0 && (k < 0 || i < k)) { k = i; hit = v; }
    }
    if (k < 0) return out + scan.text(text.slice(at));
    out += scan.text(text.slice(at, k)) + scan.path(hit);
    at = k + hit.length;
  }
}

export { redactionKeyId };
