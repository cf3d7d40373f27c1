// Store reads behind sealed reports and evidence bundles: an artifact's recorded size, kind and paths by sha256;
// its bytes when the store keeps them (a message file's bytes are its message blob); the newest recorded DNS
// answer per name and type; the store's schema version. Read-only.

import type { Db } from './db.js';
import { schemaVersion } from './db.js';
import { readMessageBytes } from './blobs.js';
import { readDnsAnswers } from './dns.js';
import type { DnsAnswer } from '../auth/dns.js';

export interface ArtifactRecord {
  sha256: string;
  path: string;
  kind: string;
  size: number;
  /** File modification time recorded at ingest (ISO UTC), null for stdin and IMAP. */
  mtime: string | null;
}

export class ArtifactFacts {
  private readonly bySha;
  private readonly everything;
  private dns: Map<string, DnsAnswer[]> | null = null;
  constructor(private readonly db: Db) {
    this.bySha = db.prepare('SELECT sha256, path, kind, size, mtime FROM artifacts WHERE sha256 = ? ORDER BY id');
    this.everything = db.prepare('SELECT sha256, path, kind, size, mtime FROM artifacts ORDER BY path, id DESC');
  }

  /** Every artifact recorded, by path; for one path ingested more than once, the newest first. */
  all(): ArtifactRecord[] {
    return this.everything.all() as ArtifactRecord[];
  }

  /** Every Maildir folder an ingest walked (migration 008), by the directory path recorded, in path order. */
  maildirFolders(): string[] {
    return this.db.prepare('SELECT DISTINCT path FROM maildir_folders ORDER BY path').pluck().all() as string[];
  }

  storeSchemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Every recorded artifact with these bytes (one file ingested from two paths gives two rows). */
  records(sha256: string): ArtifactRecord[] {
    return this.bySha.all(sha256) as ArtifactRecord[];
  }

  artifact(sha256: string): { size: number; kind: string } | null {
    const r = this.records(sha256)[0];
    return r ? { size: r.size, kind: r.kind } : null;
  }

  /**
   * The bytes the store keeps for an artifact: a single-message file (eml, Maildir) is its message, kept whole
   * unless ingested --headers-only. Null for logs, mbox files and header-only copies. Not checked here: the
   * caller hashes them, so an altered blob shows as a changed artifact.
   */
  keptBytes(sha256: string): Buffer | null {
    const kept = readMessageBytes(this.db, sha256);
    return kept && kept.stored === 'full' ? kept.bytes : null;
  }

  /** The newest recorded answer for a name and type (as `dns export` picks it), or null. */
  dnsAnswer(name: string, type: string): { status: string; answer: unknown } | null {
    return this.dnsHistory(name, type)[0] ?? null;
  }

  /** Every answer recorded for a name and type, newest first. */
  dnsHistory(name: string, type: string): Array<{ status: string; answer: unknown }> {
    if (this.dns === null) {
      this.dns = new Map();
      for (const a of readDnsAnswers(this.db)) {
        const k = dnsKey(a.name, a.type);
        this.dns.set(k, [a, ...(this.dns.get(k) ?? [])]); // read oldest first, so each new one goes in front
      }
    }
    return (this.dns.get(dnsKey(name, type)) ?? []).map((a) => ({ status: a.status, answer: a.answer }));
  }
}

function dnsKey(name: string, type: string): string {
  return `${name.toLowerCase().replace(/\.$/, '')}\u0000${type.toUpperCase()}`;
}
