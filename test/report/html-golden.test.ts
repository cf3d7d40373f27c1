// Golden files for the document renderers (src/report/html.ts, src/report/markdown.ts) on reports the built CLI
// produced from lab cases (test/report/golden/README.md says how). After a deliberate change:
// `npx vitest run test/report/html-golden.test.ts -u`, then review the diff and the Chromium screenshot.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport, REPORT_RENDERERS } from '../../src/report/html-renderers.js';
import { GOLDEN_ARGS, GOLDEN_CASES, GOLDEN_DIR, goldenReport } from './html-fixtures.js';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mail.js';

describe('report renderers: golden files', () => {
  it('the registry holds html and markdown', () => expect([...REPORT_RENDERERS.keys()]).toEqual(['html', 'markdown']));

  const dir = tempDir('mailtrail-golden-');
  for (const c of GOLDEN_CASES) {
    // The inputs are not left behind by the code: the built CLI, on a fresh store, still prints these bytes. (A
    // change to the report, here the order of one second's timeline, must remake them: golden/README.md says how.)
    it(`${c}: the golden input is what investigate --json prints today`, () => {
      const r = runCli(['--db', path.join(dir, `${c}.db`), ...GOLDEN_ARGS[c]]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(readFileSync(path.join(GOLDEN_DIR, `${c}.report.json`), 'utf8'));
    });
    it(`${c}: HTML page`, async () => {
      await expect(renderReport('html', goldenReport(c))).toMatchFileSnapshot(path.join(GOLDEN_DIR, `${c}.html`));
    });
    it(`${c}: Markdown`, async () => {
      await expect(renderReport('markdown', goldenReport(c))).toMatchFileSnapshot(path.join(GOLDEN_DIR, `${c}.md`));
    });
    it(`${c}: the same report gives the same bytes (pure, no clock)`, () => {
      expect(renderReport('html', goldenReport(c))).toBe(renderReport('html', goldenReport(c)));
      expect(renderReport('markdown', goldenReport(c))).toBe(renderReport('markdown', goldenReport(c)));
    });
  }

  it('verdicts come first, then findings, the path picture, timeline, caveats, evidence manifest, manifest and seal', () => {
    const html = renderReport('html', goldenReport('delivered-junk'));
    const order = ['id="verdicts"', 'id="findings"', 'id="path"', 'id="timeline"', 'id="caveats"', 'id="evidence"', 'id="manifest"', 'id="seal"'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const md = renderReport('markdown', goldenReport('delivered-junk'));
    const heads = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.replace(/^## \d+\. /, ''));
    expect(heads).toEqual(['Verdicts', 'Findings', 'Path of the message', 'Timeline', 'Caveats', 'Evidence manifest', 'Manifest (as sealed)', 'Seal']);
  });

  it('the evidence manifest lists every artifact with its sha256, path and the locators cited in it', () => {
    const r = goldenReport('delivered-junk');
    const html = renderReport('html', r);
    const md = renderReport('markdown', r);
    const refs = [...r.verdicts.sent.evidence, ...r.verdicts.arrived.evidence, ...r.verdicts.sender.evidence, ...r.findings.flatMap((f) => f.evidence)];
    for (const e of r.evidence) {
      expect(html).toContain(`sha256 ${e.sha256}`);
      expect(md).toContain(`\`${e.sha256}\``);
      expect(md).toContain(`\`${e.path}\``);
    }
    for (const ref of refs) expect(md).toContain(`\`${ref.locator}\``);
  });

  it('a report without seal or manifest renders without those sections (they are optional)', () => {
    const r = goldenReport('bounced-mistyped') as Record<string, unknown>;
    delete r['seal'];
    delete r['manifest'];
    const html = renderReport('html', r as never);
    expect(html).not.toContain('id="seal"');
    expect(html).not.toContain('id="manifest"');
    expect(html).toContain('id="evidence"');
  });
});
