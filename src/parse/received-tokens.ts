// Tokenizer for Received header values: words, [bracketed] literals, (nested) comments, `;` and `,`
// (RFC 5322 §3.2.2 comments, RFC 5321 §4.4 clauses).
// Pure: no I/O. Linear time on hostile input: parentheses are matched once with a stack, so deep or
// unbalanced nesting ('('.repeat(1e6)) never causes a rescan; no regex runs over unbounded text.
// Not re-entrant by design: matchParens hands out a shared scratch array, valid until its next call.

export type TokenKind = 'word' | 'literal' | 'comment' | 'semi' | 'comma';

export interface Token {
  kind: TokenKind;
  /** Words and literals: the text as written (a literal keeps its brackets and any `:port` suffix).
   *  Comments: the text between the outer parentheses (nested comments kept verbatim). */
  text: string;
  start: number;
  end: number;
  /** True when no whitespace separates this token from the previous one (`host(1.2.3.4)`). */
  glued: boolean;
}

export interface TokenList {
  tokens: Token[];
  /** Parentheses with no partner; they are skipped as separators. */
  strayParens: number;
  /** True when tokenizing stopped at the token budget. */
  truncated: boolean;
}

const LINE_BREAK = /\r\n|\r|\n/g; // only used with replace(), which resets lastIndex

/** Unfold a header value (RFC 5322 §2.2.3): a line break before WSP is removed; a bare break becomes a space. */
export function unfold(value: string): string {
  if (!value.includes('\n') && !value.includes('\r')) return value;
  return value.replace(LINE_BREAK, (m: string, off: number, s: string) => {
    const next = s.charCodeAt(off + m.length);
    return next === 0x20 || next === 0x09 ? '' : ' ';
  });
}

/** Scratch arrays reused by matchParens for ordinary-sized headers (parsing is synchronous). */
const SCRATCH_MAX = 1 << 16;
let scratchMatch = new Int32Array(1024);
let scratchStack = new Int32Array(1024);

/** For each `(` the index of its `)` and vice versa; -1 for unmatched ones. A backslash quotes the next char.
 *  Only the entries at `(` and `)` positions are meaningful, and only until the next call: headers up to
 *  SCRATCH_MAX chars share one scratch array (callers read it synchronously and never keep it). */
export function matchParens(s: string): Int32Array {
  const n = s.length;
  if (!s.includes('(') && !s.includes(')')) return scratchMatch; // nothing to match and nothing will be read
  let match = scratchMatch;
  let stack = scratchStack;
  if (n > match.length) {
    match = new Int32Array(n);
    stack = new Int32Array(n);
    if (n <= SCRATCH_MAX) {
      scratchMatch = match;
      scratchStack = stack;
    }
  }
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      if (i + 1 < n) match[i + 1] = -1; // a quoted `(` is still read as one by the tokenizer: unmatched
      i++; // quoted-pair (RFC 5322 §3.2.1)
    } else if (c === 0x28) {
      match[i] = -1;
      stack[depth++] = i;
    } else if (c === 0x29) {
      if (depth > 0) {
        const open = stack[--depth]!;
        match[open] = i;
        match[i] = open;
      } else {
        match[i] = -1;
      }
    }
  }
  return match;
}

export function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0;
}

/** Character classes for the tokenizer, by code (all codes ≥ 256 are word characters). */
const SPACE = 1;
const STOP = 2; // ends a word: space, `(`, `)`, `;`, `,`
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (isSpaceCode(c)) CLASS[c] = SPACE | STOP;
  else if (c === 0x28 || c === 0x29 || c === 0x3b || c === 0x2c) CLASS[c] = STOP;
}

/** Real Received headers hold well under 200 tokens; past this budget the rest is not read (and a warning says so). */
export const MAX_TOKENS = 10_000;

/** Tokenize s[from, to), appending to `tokens` until it holds maxTokens. A comment must close before `to`
 *  to count as one. */
export function tokenize(
  s: string, match: Int32Array, from = 0, to = s.length, maxTokens = MAX_TOKENS, tokens: Token[] = [],
): TokenList {
  let strayParens = 0;
  let i = from;
  let spaced = true;
  while (i < to) {
    if (tokens.length >= maxTokens) return { tokens, strayParens, truncated: true };
    const c = s.charCodeAt(i);
    if (c < 256 && (CLASS[c]! & SPACE) !== 0) {
      i++;
      spaced = true;
      continue;
    }
    const glued = !spaced;
    spaced = false;
    if (c === 0x28 || c === 0x29) {
      const j = match[i] ?? -1;
      if (c === 0x28 && j > i && j < to) {
        tokens.push({ kind: 'comment', text: s.slice(i + 1, j), start: i, end: j + 1, glued });
        i = j + 1;
      } else {
        strayParens++;
        i++;
        spaced = true;
      }
      continue;
    }
    if (c === 0x3b || c === 0x2c) {
      tokens.push({ kind: c === 0x3b ? 'semi' : 'comma', text: s[i]!, start: i, end: i + 1, glued });
      i++;
      continue;
    }
    let kind: TokenKind = 'word';
    let j = i;
    if (c === 0x5b) {
      // [literal]: up to `]`, giving up at a character that cannot be inside one.
      let k = i + 1;
      while (k < to) {
        const d = s.charCodeAt(k);
        if (d === 0x5d || d === 0x5b || d === 0x28 || d === 0x29 || d === 0x3b) break;
        k++;
      }
      if (k < to && s.charCodeAt(k) === 0x5d) {
        kind = 'literal';
        j = k + 1;
      }
    }
    while (j < to) {
      const d = s.charCodeAt(j);
      if (d < 256 && (CLASS[d]! & STOP) !== 0) break;
      j++;
    }
    tokens.push({ kind, text: s.slice(i, j), start: i, end: j, glued });
    i = j;
  }
  return { tokens, strayParens, truncated: false };
}
