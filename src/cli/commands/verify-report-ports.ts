// Where `verify-report` finds the evidence to re-hash: a store (--db: kept message bytes, else the file at the
// path recorded at ingest; DNS answers recorded in it) or an evidence bundle / folder (--evidence: files under
// DIR/evidence or DIR, DNS from DIR/dns-snapshot.json, and DIR/SHA256SUMS checked line by line).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../store/db.js';
import { ArtifactFacts } from '../../store/manifest-facts.js';
import { readDnsAnswers } from '../../store/dns.js';
import { readSnapshot, snapshotResolver } from '../../auth/snapshot.js';
import type { ArtifactCheck, VerifyPorts } from '../../report/seal-verify.js';
import { isSafeRelativePath, parseSha256Sums } from '../../report/manifest-sums.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function readOrNull(file: string): Buffer | null | 'unreadable' {
  try {
    return readFileSync(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? null : 'unreadable';
  }
}

function compare(expected: string, bytes: Buffer, where: string): ArtifactCheck {
  const found = sha(bytes);
  return found === expected ? { status: 'ok', sha256: found, size: bytes.length, where } : { status: 'changed', sha256: found, size: bytes.length, where };
}

export function storePorts(db: Db): VerifyPorts {
  const facts = new ArtifactFacts(db);
  return {
    artifact(a) {
      const records = facts.records(a.sha256);
      if (records.length === 0) return { status: 'missing', where: 'the store' };
      const kept = facts.keptBytes(a.sha256);
      if (kept) return compare(a.sha256, kept, 'the store (kept bytes)');
      for (const r of records) {
        const b = readOrNull(r.path);
        if (Buffer.isBuffer(b)) return compare(a.sha256, b, r.path);
      }
      return { status: 'unchecked', where: records.map((r) => r.path).join(', '), note: 'recorded in the store, whose bytes it does not keep, and not readable at the path recorded at ingest' };
    },
    dns: (n, t) => facts.dnsHistory(n, t),
    dnsAnswers: () => readDnsAnswers(db).map((a) => ({ status: a.status, answer: a.answer })),
  };
}

export interface BundlePorts {
  ports: VerifyPorts;
  notes: string[];
  /** Differences found by SHA256SUMS. */
  problems: string[];
}

export function bundlePorts(dir: string): BundlePorts {
  const notes: string[] = [];
  const problems: string[] = [];
  const root = isDir(path.join(dir, 'evidence')) ? path.join(dir, 'evidence') : dir;
  let dns: VerifyPorts['dns'];
  let dnsAnswers: VerifyPorts['dnsAnswers'];
  const snapFile = path.join(dir, 'dns-snapshot.json');
  if (existsSync(snapFile)) {
    try {
      const table = readSnapshot(JSON.parse(readFileSync(snapFile, 'utf8')) as unknown);
      const r = snapshotResolver(table);
      dnsAnswers = () => [...table.values()].map((e) => ({ status: e.status, answer: e.answer }));
      // In a snapshot an absent name is NXDOMAIN (mailauth's --dns-cache rule).
      dns = (n, t) => { const e = r.lookup(n, t); return [e ? { status: e.status, answer: e.answer } : { status: 'NXDOMAIN', answer: null }]; };
    } catch (err) {
      problems.push(`bundle file unreadable: dns-snapshot.json (${(err as Error).message.split('\n')[0]})`);
    }
  } else notes.push('DNS answers not checked: no dns-snapshot.json in the bundle');
  // Files by content, from SHA256SUMS lines that still hold: a report whose paths were redacted still finds them.
  const byContent = new Map<string, string>();
  const sums = readOrNull(path.join(dir, 'SHA256SUMS'));
  if (Buffer.isBuffer(sums)) {
    for (const line of parseSha256Sums(sums.toString('utf8'))) {
      if (!line.ok) { problems.push(`SHA256SUMS line ${line.line} is not "<sha256>  <file>": ${line.text}`); continue; }
      const { sha256, path: p } = line.entry;
      if (!isSafeRelativePath(p)) { problems.push(`SHA256SUMS names a file outside the bundle: ${p}`); continue; }
      const b = readOrNull(path.join(dir, p));
      if (b === null) problems.push(`bundle file missing: ${p} (listed in SHA256SUMS)`);
      else if (b === 'unreadable') problems.push(`bundle file unreadable: ${p}`);
      else if (sha(b) !== sha256) problems.push(`bundle file altered: ${p}: sha256 ${sha(b).slice(0, 12)}…, SHA256SUMS says ${sha256.slice(0, 12)}…`);
      else if (!byContent.has(sha256)) byContent.set(sha256, path.join(dir, p));
    }
  } else notes.push('no SHA256SUMS in the folder: only the files the report lists were checked');
  const ports: VerifyPorts = {
    artifact(a) {
      const elsewhere = byContent.get(a.sha256);
      if (a.path === null || !isSafeRelativePath(a.path)) {
        return elsewhere ? compare(a.sha256, readFileSync(elsewhere), elsewhere) : { status: 'unchecked', where: root, note: 'its path is not relative to the evidence root' };
      }
      const file = path.join(root, a.path);
      const b = readOrNull(file);
      // Not at its path (a redacted report's paths are pseudonyms): the same bytes listed in SHA256SUMS will do.
      if (b === null && elsewhere) return compare(a.sha256, readFileSync(elsewhere), elsewhere);
      if (b === null) return { status: 'missing', where: file };
      if (b === 'unreadable') return { status: 'unchecked', where: file, note: 'not readable' };
      return compare(a.sha256, b, file);
    },
    ...(dns ? { dns } : {}),
    ...(dnsAnswers ? { dnsAnswers } : {}),
  };
  return { ports, notes, problems };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
