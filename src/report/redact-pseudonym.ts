// Keyed pseudonyms for redacted reports: `user-…`, `host-…`, `domain-…`, `ip-…`, `subject-…`, `msgid-…`,
// `name-…` (display names) and `folder-…` (folder names a user chose), each the first 8 hex digits of
// HMAC-SHA256(key, type NUL canonical value). Values are canonicalised first (NFC, lower-case, IPv6 fully
// expanded, whitespace collapsed) so `Bob@X.test` and `bob@x.test` map alike. Hostnames keep their shape:
// `mx.corp.example` → `host-….domain-…` (the organisational domain has its own pseudonym, so an auditor still
// sees that two servers belong to one domain), `_dmarc.example.com` → `_dmarc.domain-…`; folder names keep their
// levels (`Clients/Acme` → `folder-…/folder-…`) and the standard names (INBOX, Junk, …).
// Pure: no I/O, no clock, no randomness.

import { createHash, createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { MailtrailError } from '../errors.js';
import { MIN_KEY_BYTES, type RedactOptions } from './redact-schema.js';

export type PseudonymType = 'user' | 'host' | 'domain' | 'ip' | 'subject' | 'msgid' | 'name' | 'folder';

/**
 * Folder names that every mail system uses (IMAP special-use, RFC 6154, and the names clients and servers give
 * them): they say where a message is, which is the answer, and nothing about anyone. Any other name a user chose
 * ("Clients/Acme", "Job search") is personal and gets a pseudonym.
 */
const STANDARD_FOLDERS = new Set([
  'inbox', 'sent', 'sent items', 'sent messages', 'sent mail', 'drafts', 'draft', 'junk', 'junk e-mail', 'junk email', 'spam',
  'bulk mail', 'trash', 'deleted items', 'deleted messages', 'bin', 'archive', 'archives', 'all mail', 'outbox', 'important',
  'starred', 'templates', '[gmail]', '[google mail]',
]);
export const isStandardFolder = (name: string): boolean => STANDARD_FOLDERS.has(canonSubject(name));
/** Hierarchy separators in folder names: `/` (Dovecot, the report's Maildir names) and `.` (Maildir++, some IMAP servers). */
export const FOLDER_SEPARATOR = /[/.]/;

/** Local parts that name a role, not a person: kept so a bounce still reads as a bounce. */
const ROLE_LOCALS = new Set(['mailer-daemon', 'postmaster', 'double-bounce', 'abuse', 'noreply', 'no-reply']);
/** Dotless names that are protocol words, DNS record types or placeholders, not a machine anyone could be
 * identified by; as known values they would otherwise be replaced wherever the word occurs in text. */
const GENERIC_HOSTS = new Set(['unknown', 'localhost', 'local', 'smtp', 'esmtp', 'lmtp', 'mail', 'mx', 'none', 'a', 'aaaa', 'txt', 'ptr', 'ns', 'soa', 'cname']);
/** Second-level labels under a two-letter TLD that are public suffixes (co.uk, com.au, …): an approximation of
 * the Public Suffix List, good enough to group hosts by organisation. */
const SLD = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go', 'ltd', 'plc', 'nhs', 'mil', 'sch', 'nom']);

export const redactionKeyId = (key: Uint8Array): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

export const canonName = (s: string): string => s.normalize('NFC').toLowerCase().replace(/\.$/, '');
export const canonSubject = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/** The registrable ("organisational") domain of a name, approximated without the Public Suffix List. */
export function orgDomain(name: string): string {
  const l = name.split('.');
  const n = l.length;
  if (n <= 2) return name;
  return (l[n - 1]!.length === 2 && SLD.has(l[n - 2]!) ? l.slice(-3) : l.slice(-2)).join('.');
}

/** IPv6 as eight four-digit groups, so every spelling of one address gives one pseudonym. */
function expandIpv6(ip: string): string {
  let s = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [], t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

export class Pseudonymiser {
  private readonly key: Uint8Array;
  private readonly keep: readonly string[];
  private readonly keepAll: boolean;
  /** pseudonym → canonical value, to catch the (about 1 in 10^7 per report) case of two values colliding. */
  private readonly seen = new Map<string, string>();
  private readonly memo = new Map<string, string>();

  constructor(o: RedactOptions) {
    if (o.key.length < MIN_KEY_BYTES) {
      throw new MailtrailError('USAGE', `the redaction key is too short (${o.key.length} bytes; at least ${MIN_KEY_BYTES})`, { hint: 'make one with: openssl rand -hex 32 > key.txt' });
    }
    this.key = o.key;
    this.keep = o.keepDomains.map(canonName);
    this.keepAll = o.keepAllDomains;
  }

  pseudo(type: PseudonymType, canonical: string): string {
    const input = `${type}\u0000${canonical}`;
    const known = this.memo.get(input);
    if (known !== undefined) return known;
    const p = `${type}-${createHmac('sha256', this.key).update(input).digest('hex').slice(0, 8)}`;
    const prev = this.seen.get(p);
    if (prev !== undefined && prev !== canonical) {
      throw new MailtrailError('BAD_INPUT', `two different values got the pseudonym ${p} under this key`, { hint: 'redact with another key' });
    }
    this.seen.set(p, canonical);
    this.memo.set(input, p);
    return p;
  }

  kept(name: string): boolean {
    return this.keepAll || this.keep.some((d) => name === d || name.endsWith(`.${d}`));
  }

  /** A host or domain name; DNS service labels (`_dmarc`, `sel._domainkey`) are kept in front of it. */
  host(raw: string): string {
    const h = canonName(raw);
    if (h === '' || this.kept(h)) return h;
    const labels = h.split('.');
    let svc = -1;
    labels.forEach((l, i) => { if (l.startsWith('_')) svc = i; });
    if (svc >= 0) {
      const base = labels.slice(svc + 1).join('.');
      return base === '' ? h : `${labels.slice(0, svc + 1).join('.')}.${this.name(base)}`;
    }
    return this.name(h);
  }

  private name(h: string): string {
    if (this.kept(h) || GENERIC_HOSTS.has(h)) return h;
    if (/^\[.*\]$/.test(h) || isIPv4(h) || isIPv6(h)) return h.startsWith('[') ? `[${this.ip(h.slice(1, -1))}]` : this.ip(h);
    if (!h.includes('.')) return this.pseudo('host', h);
    const org = orgDomain(h);
    const od = this.kept(org) ? org : this.pseudo('domain', org);
    return h === org ? od : `${this.pseudo('host', h)}.${od}`;
  }

  ip(raw: string): string {
    const v = raw.replace(/^IPv6:/i, '');
    if (isIPv4(v)) return this.pseudo('ip', v);
    if (isIPv6(v)) return `${raw.length > v.length ? raw.slice(0, 5) : ''}${this.pseudo('ip', expandIpv6(v))}`;
    return this.pseudo('ip', v.toLowerCase());
  }

  /** The local part alone is keyed, so the same mailbox name maps alike in a path, an IMAP account or an address. */
  user(local: string): string {
    const l = canonName(local);
    return ROLE_LOCALS.has(l) ? l : this.pseudo('user', l);
  }

  address(raw: string): string {
    const at = raw.lastIndexOf('@');
    if (at < 0) return raw === '' || raw === '<>' ? raw : raw.includes('.') ? this.host(raw) : this.user(raw);
    return `${at === 0 ? '' : this.user(raw.slice(0, at))}@${this.host(raw.slice(at + 1))}`;
  }

  /** A Message-ID, with or without its angle brackets (kept as given). */
  messageId(raw: string): string {
    const bare = raw.trim().replace(/^<|>$/g, '');
    const at = bare.lastIndexOf('@');
    const id = `${this.pseudo('msgid', canonName(bare))}${at < 0 ? '' : `@${this.host(bare.slice(at + 1))}`}`;
    return raw.trim().startsWith('<') ? `<${id}>` : id;
  }

  subject(raw: string): string {
    return this.pseudo('subject', canonSubject(raw));
  }

  /** A folder name, level by level: `Clients/Acme` → `folder-…/folder-…`, standard names such as Junk kept. */
  folder(raw: string): string {
    return raw.split(/([/.])/).map((part, i) => (i % 2 === 1 || part.trim() === '' || isStandardFolder(part) ? part : this.pseudo('folder', canonSubject(part)))).join('');
  }

  /** A display name ("Alice Smith"): personal data as much as the address under it. */
  displayName(raw: string): string {
    return this.pseudo('name', canonSubject(raw));
  }
}
