// In-memory DNS for tests, built from the key files that ship with ../shared/corpus (read in place).
// Formats: mailauth --dns-cache JSON, Mail::DKIM FAKE_DNS.dat, BIND-style zone files (authentication_milter,
// Exim test suite), dkimpy key files and the DNS preambles of the stalwart .txt messages.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { corpusPath } from '../helpers/corpus.js';
import { readSnapshot, snapshotResolver, SNAPSHOT_META_KEY } from '../../src/auth/snapshot.js';

type Zone = Record<string, Record<string, unknown[]>>;
interface Failures { [name: string]: { [type: string]: { status: string } } }

function add(z: Zone, name: string, type: string, value: unknown): void {
  const n = name.trim().replace(/\.$/, '').toLowerCase();
  ((z[n] ??= {})[type] ??= []).push(value);
}

function txtChunks(data: string): string[] {
  // Quoted character-strings and bare words, in order (zone files mix them).
  const inner = data.trim().replace(/^\(/, '').replace(/\)$/, '');
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"|([^\s"]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

export function loadFakeDnsDat(z: Zone, f: Failures, file: string): void {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, name, value] = m as unknown as [string, string, string];
    const n = name.toLowerCase();
    if (value === 'NXDOMAIN') continue;
    if (value.includes('timed out')) (f[n] ??= {}).TXT = { status: 'timeout' };
    else if (value.includes('SERVFAIL')) (f[n] ??= {}).TXT = { status: 'SERVFAIL' };
    else add(z, n, 'TXT', [value === '""' ? '' : value]);
  }
}

export function loadBindZone(z: Zone, f: Failures, file: string, origin = ''): void {
  let last = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const err = /^;ERROR,([^,]+),([^,]+),(\w+)/.exec(raw);
    if (err) continue; // NXDOMAIN markers: absence already means NXDOMAIN
    const line = raw.replace(/(^|\s);(?=(?:[^"]*"[^"]*")*[^"]*$).*$/, '').trimEnd();
    if (!line.trim() || line.startsWith('$')) continue;
    const toks = line.trim().split(/\s+/);
    let name = /^\s/.test(line) ? last : toks.shift()!;
    last = name;
    if (origin && !name.endsWith('.')) name = name === '@' ? origin : `${name}.${origin}`;
    while (toks.length && (/^\d+$/.test(toks[0]!) || toks[0] === 'IN')) toks.shift();
    const type = toks.shift()?.toUpperCase();
    const data = toks.join(' ');
    if (!type || !data) continue;
    if (type === 'TXT') add(z, name, 'TXT', txtChunks(data));
    else if (type === 'A' || type === 'AAAA' || type === 'PTR' || type === 'CNAME') add(z, name, type, data.replace(/\.$/, ''));
    else if (type === 'MX') {
      const [prio, host] = data.split(/\s+/);
      add(z, name, 'MX', { exchange: (host ?? '').replace(/\.$/, ''), priority: Number(prio) });
    }
  }
  void f;
}

function loadJson(z: Zone, file: string): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown[]>>;
  for (const [n, types] of Object.entries(doc)) for (const [t, list] of Object.entries(types)) for (const v of list) add(z, n, t, v);
}

/** DNS preamble of a stalwart .txt message: `name value` lines, then a blank line, then the message. */
export function splitStalwart(text: string): { records: [string, string][]; message: Buffer } {
  const cut = text.search(/\r?\n\r?\n/);
  const pre = text.slice(0, cut);
  const records = pre.split(/\r?\n/).map((l) => /^(\S+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1]!, m[2]!] as [string, string]);
  return { records, message: Buffer.from(text.slice(cut).replace(/^\r?\n\r?\n/, ''), 'utf8') };
}

let cached: ReturnType<typeof build> | null = null;

function build() {
  const z: Zone = {};
  const f: Failures = {};
  loadJson(z, corpusPath('dns', 'rfc8463', 'mailauth-dns.json'));
  loadFakeDnsDat(z, f, corpusPath('dns', 'mail-dkim', 'FAKE_DNS.dat'));
  loadBindZone(z, f, corpusPath('dns', 'authentication-milter', 'zonefile'));
  loadBindZone(z, f, corpusPath('dns', 'exim-testsuite', 'db.test.ex'), 'test.ex');
  loadBindZone(z, f, corpusPath('dns', 'exim-testsuite', 'db.kitterman.org'), 'kitterman.org');
  add(z, '20120113._domainkey.gmail.com', 'TXT', txtChunks(readFileSync(corpusPath('dns', 'dkimpy', '20120113._domainkey.gmail.com.txt'), 'utf8').trim()));
  if (!z['sed._domainkey.test.ex']) add(z, 'sed._domainkey.test.ex', 'TXT', [readFileSync(corpusPath('dns', 'dkimpy', 'eximtest.dns'), 'utf8').trim()]);
  const dir = corpusPath('messages', 'stalwart-mail-auth');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
    for (const [n, v] of splitStalwart(readFileSync(path.join(dir, name), 'utf8')).records) {
      const key = n.toLowerCase().replace(/\.$/, '');
      if (!z[key]?.TXT?.some((x) => JSON.stringify(x) === JSON.stringify([v]))) add(z, key, 'TXT', [v]);
    }
  }
  return { z, f };
}

/** A resolver over every key shipped with the corpus (no network). */
export function corpusResolver() {
  cached ??= build();
  const doc: Record<string, unknown> = { ...cached.z, [SNAPSHOT_META_KEY]: { failures: cached.f } };
  return snapshotResolver(readSnapshot(doc));
}

export function zoneFromRecords(records: Record<string, Record<string, unknown[]>>, failures: Failures = {}) {
  return snapshotResolver(readSnapshot({ ...records, [SNAPSHOT_META_KEY]: { failures } }));
}
