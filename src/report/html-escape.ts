// Escaping for HTML and inline SVG text and attribute values: every string from a report passes through `esc`
// (subjects, addresses, hostnames and paths are attacker-controlled). Invisible and reordering characters are
// made visible first (see html-view.ts `visible`). Pure.

import { visible } from './html-view.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in double- or single-quoted attribute values. */
export function esc(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return visible(String(s)).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Shorten for a fixed-width slot, keeping the start; the caller keeps the full text in a title. */
export function clipText(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

/** `esc`, plus break opportunities after `.`, `/`, `@` and `=` so long hostnames, paths and ids wrap cleanly. */
export function escBreakable(s: string | null | undefined): string {
  return esc(s).replace(/([./@=])(?=[^\s])/g, '$1<wbr>');
}
