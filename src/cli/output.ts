// Terminal plumbing for commands: where data and messages go, colour, tables, error lines.
// stdout carries data only; progress, warnings and errors go to stderr.

import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
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

export function makeChalk(config: RunConfig): ChalkInstance {
  return new Chalk({ level: config.colorLevel });
}

/** A table with no default colours (cli-table3 colours heads red and borders grey otherwise). */
export function makeTable(head: string[], colWidths?: (number | null)[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [] },
    wordWrap: true,
    ...(colWidths ? { colWidths: colWidths as number[] } : {}),
  });
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
