// Runs the built CLI (dist/, made by `npm test`'s build step) as a user would, with no network use.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from './corpus.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'mailtrail.js');

if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: the CLI tests run the built CLI; run `npm test` (it builds) or `npm run build` first');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace and no raw error object reached the user. */
export function expectCleanStderr(stderr: string): void {
  if (/\n\s+at .+:\d+:\d+/.test(stderr) || /Error: /.test(stderr.replace(/^mailtrail: .*$/gm, ''))) {
    throw new Error(`stderr carries a stack trace or raw error:\n${stderr}`);
  }
}
