// SPF (RFC 7208) for one client, the way verify runs it: mailauth's check_host with the injected resolver, the
// null reverse-path falling back to HELO (RFC 7208 §2.4), and the result in RFC 8601 words. A thrown error
// (a resolver that misbehaves) is temperror, never a crash. The conformance test runs the OpenSPF suite through
// this same function. Ports only: the caller passes the resolver.

import { spf as mailauthSpf } from 'mailauth';
import type { Rfc8601 } from './facts.js';
import { withQuietMailauth } from './quiet.js';

export interface SpfQuery {
  ip: string;
  helo: string | null;
  /** MAIL FROM as recorded; anything without `@` (empty, `<>`) is the null reverse-path. */
  mailFrom: string | null;
}

export interface SpfOutcome {
  result: Rfc8601;
  /** mailauth's comment, without the receiving-host prefix. */
  comment: string | null;
  /** The identity checked (MAIL FROM domain, or HELO for a null reverse-path). */
  domain: string | null;
  /** The SPF record mailauth evaluated, when it got that far. */
  record: string | null;
  /** The MAIL FROM handed to check_host (undefined = null reverse-path). */
  sender: string | undefined;
}

export type SpfResolver = (domain: string, rrtype: string) => Promise<unknown>;

const MTA = 'mailtrail.invalid';

export function toRfc(word: string): Rfc8601 {
  const w = word.toLowerCase();
  if (w === 'hardfail') return 'fail';
  return (['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'] as const).find((x) => x === w) ?? 'neutral';
}

export async function checkSpf(q: SpfQuery, resolver: SpfResolver): Promise<SpfOutcome> {
  const sender = q.mailFrom && q.mailFrom.includes('@') ? q.mailFrom : undefined;
  const fallback = sender ? (sender.split('@').pop() ?? '').toLowerCase() : q.helo;
  try {
    const r = (await withQuietMailauth(() =>
      mailauthSpf({ sender, ip: q.ip, helo: q.helo ?? undefined, mta: MTA, resolver } as unknown as Parameters<typeof mailauthSpf>[0]),
    )) as unknown as { status: { result: string; comment?: string }; domain?: string; rr?: string };
    const comment = typeof r.status.comment === 'string' && r.status.comment ? r.status.comment.replace(`${MTA}: `, '') : null;
    return { result: toRfc(r.status.result), comment, domain: r.domain ?? fallback ?? null, record: r.rr ?? null, sender };
  } catch (err) {
    return { result: 'temperror', comment: `SPF could not be evaluated: ${(err as Error).message}`, domain: fallback ?? null, record: null, sender };
  }
}
