// Canonical JSON for sealing: RFC 8785 (JSON Canonicalization Scheme). Object members sorted by their names
// compared as UTF-16 code units, no whitespace, strings escaped as ECMAScript JSON.stringify does, numbers in
// ECMAScript shortest round-trip form (which is what RFC 8785 §3.2.2.3 prescribes). Only JSON values are
// accepted: undefined, functions, symbols, bigint and non-finite numbers are refused rather than dropped, so two
// different documents can never canonicalize to the same bytes.
// Pure: no I/O, no clock, no environment.

import { createHash } from 'node:crypto';

export class CanonicalJsonError extends Error {}

/** The RFC 8785 canonical text of a JSON value. Throws CanonicalJsonError on a non-JSON value. */
export function canonicalJson(value: unknown): string {
  return write(value, '$', 0);
}

/** sha256 (lower-case hex) of the UTF-8 bytes of the canonical text. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

const MAX_DEPTH = 200;

function write(v: unknown, where: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalJsonError(`nested deeper than ${MAX_DEPTH} levels at ${where}`);
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`not a finite number at ${where}`);
      // ECMAScript Number::toString is RFC 8785's number form; -0 serializes as 0.
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => write(x, `${where}[${i}]`, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`not a plain JSON object at ${where}`);
      const keys = Object.keys(v).sort(compareUtf16);
      const parts: string[] = [];
      for (const k of keys) {
        const x = (v as Record<string, unknown>)[k];
        parts.push(`${JSON.stringify(k)}:${write(x, `${where}.${k}`, depth + 1)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`not a JSON value (${typeof v}) at ${where}`);
  }
}

/** RFC 8785 §3.2.3: member names compared as arrays of UTF-16 code units (what `<` on JS strings does). */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
