// DNS as evidence: the resolver port mailauth calls, and the record of every answer it got.
// A resolver here has mailauth's shape `(name, type) => Promise<answer>`; failures are thrown as errors with
// Node's codes (ENOTFOUND/ENODATA = the name or type does not exist; anything else becomes temperror upstream).
// Pure types and small helpers: no network here (the real resolver is made in real-resolver.ts, wired by cli/).

export type DnsRecordType = 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR' | 'CNAME' | string;

export type DnsStatus = 'answer' | 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'timeout' | 'refused' | 'error';

export type DnsResolver = (name: string, type: DnsRecordType) => Promise<unknown>;

/** One DNS answer as evidence: what was asked, what came back, when, and from where. */
export interface DnsAnswer {
  name: string;
  type: string;
  status: DnsStatus;
  /** The answer as mailauth saw it (TXT: string[][], MX: {exchange, priority}[], A: string[]); null on failure. */
  answer: unknown;
  /** Error text for failures (e.g. `queryTxt ETIMEOUT example.com`). */
  error: string | null;
  /** ISO time the answer was obtained (for replayed answers: when it was originally recorded). */
  at: string;
  /** live: asked a DNS server now; snapshot: read from a --dns-snapshot file; store: recorded earlier (--offline). */
  source: 'live' | 'snapshot' | 'store';
}

/** Codes mailauth treats as "does not exist" (its `no key` / `none` paths). */
const NOT_EXIST = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

export function statusOfError(err: unknown): DnsStatus {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND' || code === 'NXDOMAIN') return 'NXDOMAIN';
  if (code === 'ENODATA') return 'NODATA';
  if (code === 'ESERVFAIL') return 'SERVFAIL';
  if (code === 'ETIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'EREFUSED') return 'refused';
  return 'error';
}

/** The error a resolver throws for a recorded failure, with the code mailauth understands. */
export function errorForStatus(status: DnsStatus, name: string, type: string, text?: string | null): Error & { code: string } {
  const code =
    status === 'NXDOMAIN' ? 'ENOTFOUND' : status === 'NODATA' ? 'ENODATA' : status === 'SERVFAIL' ? 'ESERVFAIL' : status === 'timeout' ? 'ETIMEOUT' : status === 'refused' ? 'EREFUSED' : 'EDNSERROR';
  const err = new Error(text ?? `${type} ${name}: ${status}`) as Error & { code: string };
  err.code = code;
  return err;
}

export function isNotExist(status: DnsStatus): boolean {
  return status === 'NXDOMAIN' || status === 'NODATA';
}

export function isNotExistError(err: unknown): boolean {
  return NOT_EXIST.has(String((err as { code?: unknown } | null)?.code));
}

/** DNS names compare case-insensitively and without the root dot. */
export function normalizeDnsName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/**
 * Largest answer believed: a DNS message cannot exceed 65,535 bytes (RFC 1035 §4.2.2 TCP length field), so an
 * answer bigger than that did not come from DNS. Checked on replayed and live answers alike.
 */
export const MAX_ANSWER_BYTES = 65_535;

/** Size of an answer's strings, bounded work: stops counting past the limit. */
export function answerSize(answer: unknown, limit = MAX_ANSWER_BYTES): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (total > limit) return;
    if (typeof v === 'string') total += v.length + 1;
    else if (Array.isArray(v)) for (const x of v) { walk(x); if (total > limit) return; }
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    else total += 4;
  };
  walk(answer);
  return total;
}
