// Terminal plumbing for commands: where data and messages go, colour, tables, error lines.
// stdout carries data only; progress, warnings and errors go to stderr.

import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import stringWidth from 'string-width';
import type { RunConfig } from './config.js';
import { MailtrailError, describeError } from '../errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdinIsTTY: boolean;
}

export interface Ctx {
  config: RunConfig;
  io: Io;
  chalk: ChalkInstance;
  toolVersion: string;
  argv: string[];
}

/**
 * Evidence is hostile text: a Subject, a Received id or a file name can carry terminal control sequences (clear the
 * screen, retitle the window, move the cursor, overwrite a line with CR) that would make the terminal show something
 * other than what the evidence says. Every C0 control except LF and TAB is shown as its Unicode control picture
 * (ESC as ␛, CR as ␍); only our own colour codes (chalk's red, green, yellow and reset) pass, and the progress
 * line's leading CR + erase-line. JSON never holds raw C0 characters (JSON.stringify escapes them), so reports and
 * their seals are unaffected.
 */
export function neutralizeControls(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  const lead = text.startsWith(PROGRESS_LEAD) ? PROGRESS_LEAD : '';
  return lead + text.slice(lead.length).replace(CONTROL, (m) => (m.length > 1 ? m : String.fromCharCode(0x2400 + m.charCodeAt(0))));
}
const HAS_CONTROL = /[\x00-\x08\x0b-\x1f]/;
const CONTROL = /\x1b\[(?:3[123]|39)m|[\x00-\x08\x0b-\x1f]/g;
/** What progress.ts writes first to redraw its line. */
export const PROGRESS_LEAD = '\r\x1b[K';

export function makeChalk(config: RunConfig): ChalkInstance {
  return new Chalk({ level: config.colorLevel });
}

/** A table with no default colours (cli-table3 colours heads red and borders grey otherwise). */
export function makeTable(head: string[], colWidths?: (number | null)[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: true,
    ...(colWidths ? { colWidths: colWidths as number[] } : {}),
  });
}

/**
 * Terminal columns a string takes, measured as cli-table3 measures its cells (the same string-width): an East Asian
 * wide character (a Japanese bounce diagnostic, a Chinese Subject) takes two, a combining mark none. Counting code
 * units instead let such text run past the column, and cli-table3 then cut it off with `…`.
 */
export function displayWidth(s: string): number {
  return ASCII_ONLY.test(s) ? s.length : stringWidth(s);
}
const ASCII_ONLY = /^[\x20-\x7e]*$/;

/**
 * Column widths (including cli-table3's one-space padding each side) for a table no wider than
 * `maxWidth`: columns keep their natural width when it fits; otherwise the widest columns give up
 * width first, never below their `minWidths` entry (default 6 characters of content).
 */
export function fitColumns(head: string[], rows: string[][], maxWidth: number, minWidths: readonly number[] = []): number[] {
  const n = head.length;
  const natural = head.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => longestLine(r[c] ?? ''))) + 2);
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0) + n + 1; // borders between and around columns
  while (total > maxWidth) {
    let widest = -1;
    for (let c = 0; c < n; c++) {
      const min = Math.min(natural[c]!, (minWidths[c] ?? 6) + 2);
      if (widths[c]! > min && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
    }
    if (widest < 0) break; // the terminal is too narrow: wrap as best we can
    widths[widest]!--;
    total--;
  }
  return widths;
}

/** Code units of the longest start of `line` that fits in `width` columns (whole code points only). */
function fittingPrefix(line: string, width: number): number {
  let cols = 0, i = 0;
  for (const ch of line) {
    const w = ch.length === 1 && ch >= ' ' && ch <= '~' ? 1 : stringWidth(ch);
    if (cols + w > width) break;
    cols += w;
    i += ch.length;
  }
  return i;
}

/** A character of a script written without spaces (CJK ideographs, kana, Hangul, full-width forms): two columns. */
function isWide(ch: string | undefined): boolean {
  return ch !== undefined && ch > '\u10ff' && displayWidth(ch) === 2;
}
/** Closing punctuation a CJK line must not start with (、。」 …): a break goes before the character ahead of it. */
const NO_LINE_START = '、。，．・：；！？）」』】〕〉》ー…';

/**
 * Wrap text to `width` columns at a space when one is near enough (between two wide CJK characters counts as one,
 * as those scripts break anywhere but before closing punctuation); else after `.`, `-`, `,`, `=`, `/`, `@` or
 * before `[` (a host name or path longer than the column); else hard. An address or IP is only split when no
 * space allows otherwise (`192.0.2.` / `22.` reads as two things). Widths are terminal columns (displayWidth).
 */
export function wrapCell(text: string, width: number): string {
  if (width < 1) return text;
  const out: string[] = [];
  for (let line of text.split('\n')) {
    let wrapped = false;
    while (displayWidth(line) > width) {
      // A column narrower than one wide character still takes that character whole (never half a surrogate pair).
      const fit = fittingPrefix(line, width) || String.fromCodePoint(line.codePointAt(0)!).length;
      const lastBreak = (ok: (i: number) => boolean, least: number): number => {
        for (let i = fit; i >= least; i--) if (ok(i)) return i;
        return -1;
      };
      const soft = (i: number): boolean =>
        line[i - 1] === ' ' || line[i] === ' ' ||
        ((isWide(line[i - 1]) || isWide(line[i])) && !NO_LINE_START.includes(line[i]!) && !isLowSurrogate(line, i));
      let cut = lastBreak(soft, Math.floor(fit / 3) + 1);
      // A host name is better cut after a short first label (`mx.` / `receiver.` / `test`) than inside a word.
      if (cut < 0) cut = lastBreak((i) => '.-,=/@'.includes(line[i - 1]!) || line[i] === '[', 2);
      if (cut < 0) cut = fit;
      out.push(line.slice(0, cut).trimEnd());
      line = line.slice(cut).trimStart();
      wrapped = true;
    }
    // Nothing left after a cut (a character wider than the column ended the line): no empty line for it.
    if (line !== '' || !wrapped) out.push(line);
  }
  return out.join('\n');
}

/** i falls inside a surrogate pair (never cut there). */
function isLowSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Render plain-text rows as a table that fits `maxWidth`; `decorate` adds colour after wrapping. */
export function renderFitted(
  head: string[],
  rows: string[][],
  maxWidth: number,
  decorate: (row: number, col: number, text: string) => string = (_r, _c, t) => t,
  minWidths: readonly number[] = [],
): string {
  // Before widths are measured: cli-table3 would take an evidence escape sequence for zero-width colour.
  rows = rows.map((r) => r.map(neutralizeControls));
  const widths = fitColumns(head, rows, maxWidth, minWidths);
  const table = new Table({
    head: head.map((h, c) => wrapCell(h, widths[c]! - 2)),
    style: { head: [], border: [] },
    colWidths: widths,
    wordWrap: false,
  });
  rows.forEach((r, i) => table.push(r.map((cell, c) => decorate(i, c, wrapCell(cell, widths[c]! - 2)))));
  return table.toString();
}

function longestLine(s: string): number {
  let max = 0;
  for (const line of s.split('\n')) max = Math.max(max, displayWidth(line));
  return max;
}
/** `mailtrail: <what failed>: <where>` then an optional `hint:` line. */
export function errorLines(err: unknown, debug: boolean): string {
  const lines = [`mailtrail: ${describeError(err)}`];
  if (err instanceof MailtrailError && err.hint) lines.push(`hint: ${err.hint}`);
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  return lines.join('\n') + '\n';
}

export function warnLine(ctx: Ctx, text: string): void {
  ctx.io.err(`mailtrail: ${text}\n`);
}

/** Output format shared by every listing command. */
export type OutputFormat = 'table' | 'json' | 'jsonl';

export function outputFormat(opts: { json?: boolean; jsonl?: boolean }): OutputFormat {
  if (opts.json && opts.jsonl) throw new MailtrailError('USAGE', 'choose one of --json and --jsonl');
  return opts.json ? 'json' : opts.jsonl ? 'jsonl' : 'table';
}

/** Stable JSON: 2-space indent, trailing newline. Key order is the order objects are built in. */
export function toJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function toJsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
