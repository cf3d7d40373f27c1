// The one-line error for a failure mailtrail did not foresee: a report that fails its own schema check (zod's
// message is its issues as multi-line JSON, which used to print as "mailtrail: [").
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorLines } from '../../src/cli/output.js';

describe('errorLines', () => {
  it('a schema check that failed is one line naming the first issue and how many more', () => {
    const Doc = z.object({ timeline: z.array(z.object({ kind: z.enum(['log', 'report']) })), n: z.number() });
    const r = Doc.safeParse({ timeline: [{ kind: 'log' }, { kind: 'folder-1' }], n: 'x' });
    expect(r.success).toBe(false);
    const text = errorLines(r.error, false);
    expect(text).toMatch(/^mailtrail: internal: output failed its own schema check at timeline\.1\.kind: .+ \(and 1 more\) \(--debug shows all\)\n$/);
    expect(errorLines(r.error, true).split('\n').length).toBeGreaterThan(3);
  });
});
