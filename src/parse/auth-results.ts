// Authentication-Results and ARC-Authentication-Results header values (RFC 8601 §2.2, RFC 8617 §4.1.1).
// Pure: text in, typed value out, never throws; what could not be read becomes a warning.
// One linear scan (no regular expressions over the whole value), bounded input: hostile headers cost little.

/** RFC 8601 result words plus the ARC/DMARC/SPF ones seen in the wild (`policy`, `hardfail`, ...). */
export interface AuthResultEntry {
  /** Lower-cased method: dkim, spf, dmarc, arc, iprev, auth, dkim-atps, bimi, ... */
  method: string;
  /** Lower-cased result word as written (pass, fail, none, ...). */
  result: string;
  /** `reason=` value when present. */
  reason: string | null;
  /** Properties `ptype.property=value` with lower-cased keys, e.g. `header.d`, `smtp.mailfrom`, `header.from`. */
  props: Record<string, string>;
  /** Comment text attached to this result (e.g. `1024-bit key; unprotected key`). */
  comment: string | null;
}

export interface AuthResults {
  /** Host that produced the results (lower-cased). Empty when missing. */
  authservId: string;
  /** `i=` instance for ARC-Authentication-Results; null for Authentication-Results. */
  instance: number | null;
  /** True for `authserv-id; none` (RFC 8601 §2.2: no method was applied). */
  none: boolean;
  results: AuthResultEntry[];
  warnings: string[];
}

const MAX_VALUE = 64 * 1024;
const MAX_RESULTS = 200;

interface Token {
  text: string;
  /** Text of the comments that followed this token. */
  comment: string;
}

/** Split into `;`-separated segments of tokens, comments and quoting handled. */
function lex(value: string, warnings: string[]): Token[][] {
  const segments: Token[][] = [[]];
  let cur = '';
  let inQuote = false;
  let depth = 0;
  let comment = '';
  const seg = (): Token[] => segments[segments.length - 1]!;
  const push = (): void => {
    if (cur.length) seg().push({ text: cur, comment: '' });
    cur = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (depth > 0) {
      if (c === '\\') { comment += value[i + 1] ?? ''; i++; continue; }
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) {
          const t = seg()[seg().length - 1];
          const text = comment.trim();
          if (cur.length) { push(); }
          const last = seg()[seg().length - 1] ?? t;
          if (last && text) last.comment = last.comment ? `${last.comment}; ${text}` : text;
          comment = '';
          continue;
        }
      }
      comment += c;
      continue;
    }
    if (inQuote) {
      if (c === '\\') { cur += value[i + 1] ?? ''; i++; continue; }
      if (c === '"') { inQuote = false; continue; }
      cur += c;
      continue;
    }
    if (c === '"') { inQuote = true; continue; }
    if (c === '(') { push(); depth = 1; continue; }
    if (c === ';') { push(); segments.push([]); continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      // `key = value` with spaces around `=` is seen in the wild; join it back. One pass over the run.
      let j = i;
      while (j < value.length && (value[j] === ' ' || value[j] === '\t' || value[j] === '\r' || value[j] === '\n')) j++;
      if (value[j] === '=' && cur.length) { cur += '='; i = j; continue; }
      i = j - 1;
      if (cur.endsWith('=')) continue;
      push();
      continue;
    }
    cur += c;
  }
  push();
  if (inQuote) warnings.push('unterminated quoted string');
  if (depth > 0) warnings.push('unterminated comment');
  return segments.filter((s) => s.length > 0);
}

export function parseAuthResults(raw: string, opts: { arc?: boolean } = {}): AuthResults {
  const warnings: string[] = [];
  let value = raw;
  if (value.length > MAX_VALUE) {
    warnings.push(`value longer than ${MAX_VALUE} characters; only the first ${MAX_VALUE} were read`);
    value = value.slice(0, MAX_VALUE);
  }
  const segments = lex(value, warnings);
  let instance: number | null = null;
  let first = segments.shift() ?? [];
  if (opts.arc) {
    // ARC-Authentication-Results: i=N; authserv-id; results (RFC 8617 §4.1.1)
    const iTok = first[0]?.text ?? '';
    const m = /^i=(\d{1,3})$/i.exec(iTok);
    if (m) {
      instance = Number(m[1]);
      first = first.length > 1 ? first.slice(1) : (segments.shift() ?? []);
    } else warnings.push('no i= instance tag');
  }
  const authservId = (first[0]?.text ?? '').toLowerCase();
  if (!authservId) warnings.push('no authserv-id');
  if (first.length > 1) {
    const second = first[1]!.text;
    if (!/^\d+$/.test(second)) {
      // Some writers omit the `;` after the authserv-id: treat the rest as the first result.
      segments.unshift(first.slice(1));
    }
  }
  const results: AuthResultEntry[] = [];
  let none = false;
  for (const s of segments) {
    if (results.length >= MAX_RESULTS) {
      warnings.push(`more than ${MAX_RESULTS} results; the rest were not read`);
      break;
    }
    const head = s[0]!;
    if (s.length === 1 && head.text.toLowerCase() === 'none') { none = true; continue; }
    const eq = head.text.indexOf('=');
    if (eq <= 0) {
      warnings.push(`result without method=result: ${JSON.stringify(head.text.slice(0, 60))}`);
      continue;
    }
    const method = head.text.slice(0, eq).toLowerCase().replace(/\/\d+$/, '');
    const result = head.text.slice(eq + 1).toLowerCase();
    const entry: AuthResultEntry = { method, result, reason: null, props: {}, comment: head.comment || null };
    for (const t of s.slice(1)) {
      const e = t.text.indexOf('=');
      if (t.comment) entry.comment = entry.comment ? `${entry.comment}; ${t.comment}` : t.comment;
      if (e <= 0) continue;
      const k = t.text.slice(0, e).toLowerCase();
      const v = t.text.slice(e + 1);
      if (k === 'reason') entry.reason = v;
      else if (k.includes('.') && !(k in entry.props)) entry.props[k] = v;
    }
    results.push(entry);
  }
  return { authservId, instance, none, results, warnings };
}
