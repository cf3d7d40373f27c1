// Escaping for GitHub-flavoured Markdown (CommonMark + GFM tables): report strings are hostile, so prose is
// backslash-escaped (no emphasis, links, raw HTML or entities can form) and identifiers go into code spans whose
// fence is longer than any backtick run inside. In table cells `|` is escaped even inside code spans (GFM splits
// cells before it parses inlines: github.github.com/gfm/#tables-extension-). Newlines become spaces (one line per
// cell or list item); invisible and reordering characters are shown as \u{…} (html-view.ts `visible`). Pure.

import { visible } from './html-view.js';

const oneLine = (s: string): string => visible(s.replace(/\r\n|[\r\n]+/g, ' '));

// CommonMark: any ASCII punctuation may be backslash-escaped (spec §2.4); these are the ones that can start
// markup inside a line (emphasis, code, links, images, autolinks/HTML, entities, strikethrough, table pipes).
const MD_SPECIAL = /[\\`*_[\]<>#|~&!]/g;

/** Prose: shown literally wherever it appears (paragraph, list item, table cell). */
export function mdText(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return oneLine(String(s)).replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** An identifier, path, address or hash as a code span; `inTable` escapes `|` for GFM tables. */
export function mdCode(s: string | null | undefined, inTable = false): string {
  if (s === null || s === undefined || s === '') return '';
  let body = oneLine(s);
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  // A space each side is stripped again by the parser; it keeps a leading/trailing backtick apart from the fence.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A GFM table; cells are already-escaped Markdown (built with mdText / mdCode(…, true)). */
export function mdTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
