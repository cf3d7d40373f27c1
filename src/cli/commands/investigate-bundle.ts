// `mailtrail investigate bundle/ --offline`: re-running an evidence bundle written by `export`. A bundle is a
// folder whose bundle.json (bundleVersion 1) records the investigate arguments that produced report.json. Given
// one, investigate ingests only its evidence/ folder, takes from the recipe every option the user did not give
// (the question, --year/--tz, --trust, --at …), and with --offline answers DNS from the bundle's own
// dns-snapshot.json — the answers recorded where the report was made — so the same bytes come out elsewhere.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MailtrailError } from '../../errors.js';
import type { InvestigateCliOptions } from './investigate.js';

export interface BundleReplay {
  paths: string[];
  opts: InvestigateCliOptions;
  /** One line for stderr saying what was taken from the bundle. */
  note: string;
}

/** Options a recipe may carry, by flag; the repeatable ones collect into arrays. */
const VALUED: Record<string, keyof InvestigateCliOptions> = {
  '--message-id': 'messageId', '--from': 'from', '--to': 'to', '--subject': 'subject', '--around': 'around', '--window': 'window',
  '--since': 'since', '--until': 'until', '--year': 'year', '--tz': 'tz', '--at': 'at', '--dns-snapshot': 'dnsSnapshot',
};
const REPEATED: Record<string, 'trust' | 'expectDomain'> = { '--trust': 'trust', '--expect-domain': 'expectDomain' };
const QUESTION: ReadonlyArray<keyof InvestigateCliOptions> = ['messageId', 'from', 'to', 'subject', 'around', 'since', 'until'];

/** Null when the paths are not exactly one bundle folder. */
export function bundleReplay(paths: string[], opts: InvestigateCliOptions): BundleReplay | null {
  if (paths.length !== 1) return null;
  const dir = paths[0]!;
  const manifest = path.join(dir, 'bundle.json');
  if (!isDir(dir) || !existsSync(manifest)) return null;
  const recipe = readRecipe(manifest);
  if (recipe === null) return null; // a bundle.json that is not mailtrail's: an ordinary evidence folder
  const fromBundle = parseRecipe(recipe);
  const userAsked = QUESTION.some((k) => opts[k] !== undefined);
  const merged: InvestigateCliOptions = { ...opts };
  const taken: string[] = [];
  for (const [k, v] of Object.entries(fromBundle) as Array<[keyof InvestigateCliOptions, unknown]>) {
    if (k === 'dnsSnapshot') continue;
    if (QUESTION.includes(k) && userAsked) continue; // the user's own question replaces the bundle's whole
    if (merged[k] !== undefined) continue;
    (merged as Record<string, unknown>)[k] = v;
    taken.push(k);
  }
  const snapshot = path.join(dir, 'dns-snapshot.json');
  if (opts.offline === true && opts.dnsSnapshot === undefined && existsSync(snapshot)) {
    merged.dnsSnapshot = snapshot;
    merged.offline = false;
    taken.push('DNS answers (dns-snapshot.json)');
  }
  return {
    paths: [path.join(dir, 'evidence')],
    opts: merged,
    note: `evidence bundle ${dir}: ingesting evidence/; from its bundle.json: ${taken.length ? taken.join(', ') : 'nothing (all given)'}`,
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The recipe of a mailtrail bundle.json; null when the file is not one (no bundleVersion, or not JSON). */
function readRecipe(file: string): string[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || !('bundleVersion' in doc)) return null;
  const d = doc as { bundleVersion?: unknown; reproduce?: { args?: unknown } };
  if (d.bundleVersion !== 1) {
    throw new MailtrailError('BAD_INPUT', `bundle version ${JSON.stringify(d.bundleVersion)} is not one this mailtrail reads (1)`, { where: file, hint: 'use the mailtrail version named in bundle.json' });
  }
  const args = d.reproduce?.args;
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new MailtrailError('BAD_INPUT', 'bundle.json has no reproduce.args list', { where: file });
  }
  return args as string[];
}

/** The recipe's `--flag value` pairs as options (the leading `investigate evidence` and bare flags are skipped). */
export function parseRecipe(args: string[]): InvestigateCliOptions {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const key = VALUED[a];
    const rep = REPEATED[a];
    if ((key !== undefined || rep !== undefined) && i + 1 < args.length) {
      const v = args[++i]!;
      if (key !== undefined) out[key] = v;
      else out[rep!] = [...((out[rep!] as string[] | undefined) ?? []), v];
    }
  }
  return out as InvestigateCliOptions;
}
