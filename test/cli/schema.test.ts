// `mailtrail schema` prints the JSON Schema generated from the zod schema the report is validated against, and
// the committed copy (src/report/report.schema.json) must equal it: this test fails when they drift.
// To update the copy after changing the report schema: `npm run build && node bin/mailtrail.js schema > src/report/report.schema.json`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { schemaText } from '../../src/cli/commands/schema.js';

const committed = readFileSync(path.join(REPO_ROOT, 'src', 'report', 'report.schema.json'), 'utf8');

describe('schema', () => {
  it('the committed JSON Schema equals what the zod schema generates (regenerate: mailtrail schema > src/report/report.schema.json)', () => {
    expect(schemaText()).toBe(committed);
  });

  it('the built CLI prints the same document, draft 2020-12, describing the sealed report', () => {
    const r = runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(committed);
    const s = JSON.parse(r.stdout) as { $schema: string; required: string[] };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.required).toEqual(expect.arrayContaining(['schemaVersion', 'verdicts', 'evidence', 'manifest', 'seal']));
  });
});
