// The DNS side of investigate, as in verify: a snapshot file (--dns-snapshot), the answers recorded in the
// store (--offline), or live DNS with bounded timeouts. Every answer used is recorded in the store by the caller.

import { readFileSync } from 'node:fs';
import { MailtrailError } from '../../errors.js';
import { liveResolver } from '../../auth/real-resolver.js';
import { readSnapshot, snapshotResolver, toSnapshot } from '../../auth/snapshot.js';
import { readDnsAnswers, readTrustSetting } from '../../store/dns.js';
import type { DnsAnswer, DnsResolver } from '../../auth/dns.js';
import type { Db } from '../../store/db.js';
import type { Ctx } from '../output.js';

export interface ResolverOptions {
  offline?: boolean;
  dnsSnapshot?: string;
  trust?: string[];
  at?: string;
  dnsTimeout?: string;
}

export interface ChosenResolver {
  resolver: DnsResolver;
  source: DnsAnswer['source'];
  recordedAt?: (name: string, type: string) => string | null;
  timeoutMs: number;
  trust: string[];
}

/** Validates the options now (usage errors before any work) and returns a factory for once the store is open. */
export function makeResolver(opts: ResolverOptions, _ctx: Ctx): (db: Db) => ChosenResolver {
  const timeoutMs = opts.dnsTimeout === undefined ? 3000 : Number(opts.dnsTimeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw new MailtrailError('USAGE', '--dns-timeout takes milliseconds between 100 and 60000');
  const snapshot = opts.dnsSnapshot ? loadSnapshot(opts.dnsSnapshot) : null;
  return (db) => {
    const trust = [...(opts.trust ?? []), ...readTrustSetting(db)];
    if (snapshot) {
      const r = snapshotResolver(snapshot);
      return { resolver: r, source: 'snapshot', recordedAt: (n, t) => r.lookup(n, t)?.at ?? null, timeoutMs, trust };
    }
    if (opts.offline) {
      const r = snapshotResolver(readSnapshot(toSnapshot(readDnsAnswers(db))));
      return { resolver: r, source: 'store', recordedAt: (n, t) => r.lookup(n, t)?.at ?? null, timeoutMs, trust };
    }
    return { resolver: liveResolver({ timeoutMs: Math.min(timeoutMs, 2500), tries: 2 }), source: 'live', timeoutMs, trust };
  };
}

export function parseAt(at: string | undefined): Date | undefined {
  if (at === undefined) return undefined;
  const d = /^\d{9,11}$/.test(at) ? new Date(Number(at) * 1000) : new Date(at);
  if (Number.isNaN(d.getTime())) throw new MailtrailError('USAGE', `--at: cannot read ${JSON.stringify(at)} as a time`, { hint: "use ISO 8601 ('2026-11-20T14:00:00Z') or Unix seconds" });
  return d;
}

/** A --dns-snapshot file (mailauth --dns-cache JSON), or a one-line error naming it. */
export function loadSnapshot(file: string): ReturnType<typeof readSnapshot> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MailtrailError('IO', `cannot read the DNS snapshot (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { where: file });
  }
  try {
    return readSnapshot(JSON.parse(text) as unknown);
  } catch (err) {
    throw new MailtrailError('BAD_INPUT', `not a DNS snapshot: ${(err as Error).message.split('\n')[0]}`, { where: file, hint: 'expected mailauth --dns-cache JSON: {"name": {"TXT": [["v=spf1 ..."]]}}' });
  }
}
