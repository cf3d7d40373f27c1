// DKIM-Signature / ARC / key-record tag lists (RFC 6376 §3.2: tag=value; pairs, FWS allowed).
// Pure, never throws: malformed tags become findings a user can read, not exceptions.

export interface TagList {
  /** Tags by lower-cased name (first occurrence kept). */
  tags: Map<string, string>;
  /** Problems: duplicate tags, tags without `=`, invalid names. */
  problems: string[];
}

const MAX_VALUE = 256 * 1024;

export function parseTagList(raw: string): TagList {
  const tags = new Map<string, string>();
  const problems: string[] = [];
  const value = raw.length > MAX_VALUE ? raw.slice(0, MAX_VALUE) : raw;
  if (raw.length > MAX_VALUE) problems.push(`tag list longer than ${MAX_VALUE} characters; the rest was not read`);
  for (const part of value.split(';')) {
    const t = part.replace(/[\r\n\t ]+/g, ' ').trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq < 0) {
      problems.push(`tag without "=": ${JSON.stringify(t.slice(0, 40))}`);
      continue;
    }
    const name = t.slice(0, eq).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      problems.push(`invalid tag name ${JSON.stringify(name.slice(0, 40))}`);
      continue;
    }
    if (tags.has(name)) {
      problems.push(`duplicate tag ${name}= (RFC 6376 §3.2: the signature is invalid)`);
      continue;
    }
    tags.set(name, t.slice(eq + 1).trim());
  }
  return { tags, problems };
}

export interface DkimSignatureTags {
  version: string | null;
  algorithm: string | null;
  domain: string | null;
  selector: string | null;
  identity: string | null;
  canonicalization: string | null;
  signedHeaders: string[];
  bodyHash: string | null;
  /** `l=` body length limit: the bytes after it are unsigned. */
  bodyLength: number | null;
  timestamp: number | null;
  expiration: number | null;
  query: string | null;
  /** Problems that make the signature unusable, in plain words. */
  problems: string[];
  /** Oddities that do not invalidate it (pre-standard draft forms that verifiers still accept). */
  notes: string[];
}

/** Read a DKIM-Signature value; `problems` lists every RFC 6376 §3.5 / §6.1.1 violation found. */
export function parseDkimSignature(raw: string): DkimSignatureTags {
  const { tags, problems } = parseTagList(raw);
  const notes: string[] = [];
  const get = (k: string): string | null => {
    const v = tags.get(k);
    return v === undefined ? null : v.replace(/\s+/g, '');
  };
  for (const req of ['a', 'b', 'bh', 'd', 'h', 's']) if (!tags.has(req)) problems.push(`required tag ${req}= is missing`);
  // Pre-RFC drafts (ietf-01 without v=, draft-05 with v=0.5, q=dns) are still verified, as Mail::DKIM does.
  const version = get('v');
  if (version === null) notes.push('no v= tag (a pre-standard DKIM draft form; RFC 6376 requires v=1)');
  else if (version === '0.5') notes.push('v=0.5 (DKIM draft-05, before RFC 4871)');
  else if (version !== '1') problems.push(`unsupported version v=${version}`);
  const algorithm = get('a')?.toLowerCase() ?? null;
  if (algorithm !== null && !['rsa-sha256', 'rsa-sha1', 'ed25519-sha256'].includes(algorithm)) problems.push(`unsupported algorithm a=${algorithm}`);
  const c = get('c')?.toLowerCase() ?? null;
  if (c !== null && !/^(simple|relaxed)(\/(simple|relaxed))?$/.test(c)) problems.push(`unsupported canonicalization c=${c}`);
  const q = get('q')?.toLowerCase() ?? null;
  if (q !== null && !q.split(':').some((m) => m === 'dns/txt' || m === 'dns')) problems.push(`unsupported query method q=${q}`);
  else if (q !== null && !q.split(':').includes('dns/txt')) notes.push(`q=${q} (draft form of dns/txt)`);
  const num = (k: string): number | null => {
    const v = get(k);
    if (v === null) return null;
    if (!/^\d{1,12}$/.test(v)) {
      problems.push(`${k}=${JSON.stringify(v.slice(0, 20))} is not a number`);
      return null;
    }
    return Number(v);
  };
  const domain = get('d')?.toLowerCase() ?? null;
  const identity = tags.get('i')?.trim() ?? null;
  if (identity !== null && domain !== null) {
    const idDomain = decodeQp(identity).split('@').pop()!.toLowerCase();
    if (idDomain !== domain && !idDomain.endsWith(`.${domain}`)) problems.push(`i=${identity} is not in the signing domain d=${domain} (RFC 6376 §3.5)`);
  }
  const signedHeaders = (tags.get('h') ?? '').split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (tags.has('h') && !signedHeaders.includes('from')) problems.push('h= does not include From (RFC 6376 §5.4: From must be signed)');
  const timestamp = num('t');
  const expiration = num('x');
  if (timestamp !== null && expiration !== null && expiration < timestamp) problems.push('x= (expiry) is before t= (signing time)');
  const b = get('b');
  if (b !== null && !/^[A-Za-z0-9+/]*={0,2}$/.test(b)) problems.push('b= is not base64');
  const bh = get('bh');
  if (bh !== null && !/^[A-Za-z0-9+/]*={0,2}$/.test(bh)) problems.push('bh= is not base64');
  return {
    version,
    algorithm,
    domain,
    selector: get('s')?.toLowerCase() ?? null,
    identity,
    canonicalization: c,
    signedHeaders,
    bodyHash: bh,
    bodyLength: num('l'),
    timestamp,
    expiration,
    query: q,
    problems,
    notes,
  };
}

/** DKIM quoted-printable (RFC 6376 §2.11) as used in i=. */
function decodeQp(s: string): string {
  return s.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export interface DkimKeyTags {
  version: string | null;
  keyType: string | null;
  /** Base64 key data; '' = revoked (RFC 6376 §3.6.1). */
  publicKey: string | null;
  hashAlgorithms: string[] | null;
  serviceTypes: string[] | null;
  flags: string[];
  granularity: string | null;
  problems: string[];
}

/** Read a DKIM key record (`v=DKIM1; k=rsa; p=...`). */
export function parseDkimKey(raw: string): DkimKeyTags {
  const { tags, problems } = parseTagList(raw);
  const get = (k: string): string | null => {
    const v = tags.get(k);
    return v === undefined ? null : v.replace(/\s+/g, '');
  };
  const version = get('v');
  if (version !== null && version !== 'DKIM1') problems.push(`unsupported key version v=${version}`);
  const keyType = get('k')?.toLowerCase() ?? null;
  if (keyType !== null && !['rsa', 'ed25519'].includes(keyType)) problems.push(`unsupported key type k=${keyType}`);
  const p = get('p');
  if (p === null) problems.push('no p= (public key) tag');
  else if (p.length > 0 && !/^[A-Za-z0-9+/]*={0,2}$/.test(p)) problems.push('p= is not base64');
  const list = (k: string): string[] | null => (tags.has(k) ? (tags.get(k) ?? '').split(':').map((x) => x.trim().toLowerCase()).filter(Boolean) : null);
  return {
    version,
    keyType,
    publicKey: p,
    hashAlgorithms: list('h'),
    serviceTypes: list('s'),
    flags: list('t') ?? [],
    granularity: tags.has('g') ? (tags.get('g') ?? '').trim() : null,
    problems,
  };
}
