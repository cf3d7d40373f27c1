// The README is the user's first contact: its quick-start command must be the one CI runs, and every command the
// CLI offers must have help with examples and a README section (as sqlite-utils' docs test does).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const ci = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');

/** Command names listed under "Commands:" in a help text. */
function listed(help: string): string[] {
  const block = help.split(/^Commands:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  return block.split('\n').map((l) => /^\s{2}([a-z][\w-]*)/.exec(l)?.[1]).filter((c): c is string => c !== undefined && c !== 'help');
}

/** Every runnable command as its words (`['dns', 'export']`): groups are replaced by their subcommands. */
function commands(prefix: string[] = []): string[][] {
  const help = runCli([...prefix, '--help']).stdout;
  const subs = listed(help);
  if (prefix.length > 0 && subs.length === 0) return [prefix];
  return subs.flatMap((c) => commands([...prefix, c]));
}

describe('documentation', () => {
  it("CI runs the README's quick-start command verbatim", () => {
    const quick = readme.split('## Quick start')[1]?.match(/```sh\n([^\n]+)\n```/)?.[1];
    expect(quick).toMatch(/^npm install && npx mailtrail /);
    expect(ci).toContain(quick as string);
    expect(readme).toMatch(/```sh\nnpm test\n```/);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('every command has a summary, help with examples and a README section', () => {
    const cmds = commands().map((words) => words.join(' '));
    expect(cmds).toEqual(expect.arrayContaining(['ingest', 'investigate', 'verify', 'trace', 'hops', 'sources', 'dns export']));
    for (const cmd of cmds) {
      const h = runCli([...cmd.split(' '), '--help']);
      expect(h.code, cmd).toBe(0);
      expect(h.stdout, `${cmd} --help`).toContain('Examples:');
      expect(readme, `README section for ${cmd}`).toMatch(new RegExp(`^###+ \`mailtrail ${cmd}\\b`, 'm'));
    }
  });
});
