// Finds what must be pseudonymised inside free text (summaries, claims, timeline details, caveats, locators) and
// file paths: the exact values already known from the report's structured fields (subjects, Message-IDs,
// addresses, hosts; in paths and locators also bare local parts such as a Maildir owner or an IMAP account),
// then anything shaped like an address, an IPv6 or IPv4 address, or a dotted hostname. One left-to-right pass
// with a single regex, so a pseudonym is never scanned again. Maildir file names carry the delivering host
// (cr.yp.to/proto/maildir.html: time.unique.host,info); that part is replaced too, also in a path quoted in text.
// Pure: no I/O. Every pattern is bounded (no nested unbounded quantifiers), so it cannot backtrack badly.

import { isIPv4, isIPv6 } from 'node:net';
import type { Pseudonymiser } from './redact-pseudonym.js';

/** Last labels that are file extensions far more often than TLDs (`mail.log`, `report.json`). */
const FILE_EXTS = new Set(['log', 'gz', 'xz', 'zst', 'eml', 'mbox', 'txt', 'json', 'jsonl', 'csv', 'db', 'sqlite', 'ts', 'js', 'mjs', 'cjs', 'md', 'html', 'htm', 'pdf', 'png', 'jpg', 'svg', 'xml', 'yaml', 'yml', 'sh', 'msg', 'tar', 'tgz', 'zip', 'cf', 'conf', 'pem', 'key', 'sock', 'pid', 'old', 'bak', 'tmp', 'bin', 'dat', 'lock']);
/** `header.from`, `smtp.mailfrom`, …: RFC 8601 method.property names, not hosts. */
const PROPERTY_HEADS = new Set(['header', 'smtp', 'policy', 'body', 'dkim', 'spf', 'dmarc', 'arc', 'iprev', 'auth']);

const LB = String.raw`(?<![\p{L}\p{N}_.\-])`;
const LA = String.raw`(?![\p{L}\p{N}_\-]|\.[\p{L}\p{N}])`;
const ADDR = String.raw`(?<addr>[\p{L}\p{N}_][\p{L}\p{N}!#$%&'*+?^_\x60{|}~.\-]{0,63}@(?:\[[^\]\s]{1,80}\]|[\p{L}\p{N}_\-]{1,63}(?:\.[\p{L}\p{N}_\-]{1,63}){0,20}))`;
const V6 = String.raw`(?<![\p{L}\p{N}:.])(?<v6>(?:IPv6:)?(?:[0-9A-Fa-f]{0,4}:){2,8}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?)(?![\p{L}\p{N}:]|\.\d)`;
const V4 = String.raw`(?<![\p{N}.])(?<v4>(?:\d{1,3}\.){3}\d{1,3})(?![\p{N}]|\.\d)`;
const HOST = String.raw`${LB}(?<host>(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_\-]{0,61}[\p{L}\p{N}_])?\.){1,20}(?:\p{L}{2,63}|xn--[a-z0-9\-]{1,59}))${LA}`;
/** A token with a `/` in it: a file path (or URL) inside free text, redacted segment by segment. */
const PATH = String.raw`(?<![^\s"'<>()\[\]{}])(?<path>[^\s"'<>()\[\]{}/]{0,255}(?:/[^\s"'<>()\[\]{}/]{0,255}){1,64})`;
const V4_ONLY = new RegExp(V4, 'gu');
const ADDR_ALL = new RegExp(ADDR, 'gu');

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export type Scan = (text: string) => string;
export interface Scanners {
  /** Free text: summaries, claims, details, caveats (paths inside them are treated as paths). */
  text: Scan;
  /** Locators and paths inside them, which may also name a mailbox owner or IMAP account by local part alone. */
  locator: Scan;
  path: Scan;
}

/**
 * Scanners that replace the known values (lower-case value → its pseudonym, matched case-insensitively as whole
 * words; `locals`, bare local parts, only in paths and locators) and then every address, IP and dotted hostname
 * they recognise.
 */
export function makeScanners(p: Pseudonymiser, known: ReadonlyMap<string, string>, locals: ReadonlyMap<string, string>): Scanners {
  const all = new Map([...locals, ...known]);
  const segment = scanner(p, all, null);
  const path: Scan = (v) => redactPath(v, segment, p);
  return { text: scanner(p, known, path), locator: scanner(p, all, path), path };
}

function scanner(p: Pseudonymiser, literals: ReadonlyMap<string, string>, path: Scan | null): Scan {
  const lits = [...literals.keys()].filter((k) => k !== '').sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // A known value never ends at an `@`: `bob@x.test` is an address, whose domain must go too.
  const lit = lits.length ? [`${LB}(?<lit>${lits.map((l) => escape(l).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_\\-@]|\\.[\\p{L}\\p{N}])`] : [];
  const re = new RegExp([...lit, ...(path ? [PATH] : []), ADDR, V6, V4, HOST].join('|'), 'giu');
  return (text) => text.replace(re, (m: string, ...args: unknown[]) => {
    const g = args[args.length - 1] as Record<string, string | undefined>;
    // A miss only when Unicode case folding and toLowerCase disagree (ſ vs s): still replaced, never kept.
    if (g.lit !== undefined) return literals.get(m.toLowerCase()) ?? literals.get(m.toLowerCase().replace(/\s+/g, ' ')) ?? p.pseudo('user', m.toLowerCase());
    if (g.path !== undefined && path) return path(m);
    if (g.addr !== undefined) {
      const at = m.lastIndexOf('@');
      const [domain, ext] = splitExt(m.slice(at + 1));
      const a = `${m.slice(0, at)}@${domain}`;
      return `${literals.get(a.toLowerCase()) ?? p.address(a)}${ext}`;
    }
    if (g.v6 !== undefined) return isIPv6(m.replace(/^IPv6:/i, '')) ? p.ip(m) : m.replace(V4_ONLY, (x) => (isIPv4(x) ? p.ip(x) : x));
    if (g.v4 !== undefined) return isIPv4(m) ? p.ip(m) : m;
    const [name, ext] = splitExt(m);
    return isHostLike(name) ? `${p.host(name)}${ext}` : m;
  });
}

/** `mx.example.com.log.gz` → [`mx.example.com`, `.log.gz`]: a host name can hide in front of file extensions. */
function splitExt(name: string): [string, string] {
  const l = name.split('.');
  let k = 0;
  while (k < 2 && l.length - k > 2 && FILE_EXTS.has(l[l.length - 1 - k]!.toLowerCase())) k++;
  return k === 0 ? [name, ''] : [l.slice(0, -k).join('.'), `.${l.slice(-k).join('.')}`];
}

function isHostLike(m: string): boolean {
  const labels = m.toLowerCase().split('.');
  const last = labels[labels.length - 1]!;
  if (labels.length < 2 || FILE_EXTS.has(last) || !/^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u.test(last)) return false;
  return !(labels.length === 2 && PROPERTY_HEADS.has(labels[0]!));
}

const MAILDIR_NAME = /^(\d{1,20}\.[^./]{1,200}\.)([^,:/]{1,255})([,:].*)?$/s;

/**
 * A file path: segment by segment, with the host part of Maildir file names replaced too, and a Maildir++ folder
 * (`.Clients.Acme`: a dot directory before its `cur/`, `new/` or `tmp/`, or straight under a `Maildir` root, where
 * a stray file inside it is named by the walk) level by level, as its folder name is.
 */
export function redactPath(path: string, scan: Scan, p: Pseudonymiser): string {
  const segs = path.split('/');
  const isFolder = (i: number): boolean =>
    i < segs.length - 1 && /^\.[^.]/.test(segs[i]!) && (/^(cur|new|tmp)$/.test(segs[i + 1]!) || (i > 0 && /^maildir$/i.test(segs[i - 1]!)));
  return segs.map((s, i) => {
    const m = i > 0 && /^(cur|new|tmp)$/.test(segs[i - 1]!) ? MAILDIR_NAME.exec(s) : null;
    if (m) return `${m[1]}${p.host(m[2]!)}${m[3] ?? ''}`;
    if (isFolder(i)) return `.${p.folder(s.slice(1))}`;
    return scan(s);
  }).join('/');
}

/** The host named in a Maildir file name, if the path is one (for the literal list). */
export function maildirHost(path: string): string | null {
  const segs = path.split('/');
  const name = segs[segs.length - 1] ?? '';
  return segs.length >= 2 && /^(cur|new|tmp)$/.test(segs[segs.length - 2]!) ? (MAILDIR_NAME.exec(name)?.[2] ?? null) : null;
}

/** Every address-shaped token in a text (for collecting the local parts a report mentions). */
export function addressesIn(text: string): string[] {
  return text.includes('@') ? [...text.matchAll(ADDR_ALL)].map((m) => m[0]) : [];
}
