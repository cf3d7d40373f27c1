// Reports for the renderer tests: the golden inputs (investigate --json on lab cases, sealed) and a hostile
// variant whose every free-text field carries markup, quotes, pipes, backticks and bidi/control characters.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';
import type { RenderableReport } from '../../src/report/html-view.js';

export const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'report', 'golden');
export const GOLDEN_CASES = ['delivered-junk', 'bounced-mistyped'] as const;

/** The investigate arguments each golden input was made with (as in golden/README.md; run from the repository root). */
export const GOLDEN_ARGS: Record<(typeof GOLDEN_CASES)[number], string[]> = {
  'delivered-junk': ['investigate', 'fixtures/cases/delivered-junk', '--year', '2026', '--tz', 'UTC', '--dns-snapshot', 'fixtures/cases/delivered-junk/dns-snapshot.json',
    '--from', 'alice@sender.test', '--subject', 'lottery', '--to', 'bob@receiver.test', '--around', '2026-12-03T19:50:29Z', '--json'],
  'bounced-mistyped': ['investigate', 'fixtures/cases/bounced-mistyped', '--year', '2026', '--tz', 'UTC', '--dns-snapshot', 'fixtures/cases/bounced-mistyped/dns-snapshot.json',
    '--message-id', '<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>', '--to', 'bob@receiver.test', '--around', '2026-11-24T18:30:24Z', '--json'],
};

/** The report as investigate --json printed it (manifest and seal kept: the renderers show them when present). */
export function goldenReport(c: string): RenderableReport {
  const raw = JSON.parse(readFileSync(path.join(GOLDEN_DIR, `${c}.report.json`), 'utf8')) as RenderableReport;
  InvestigateReportSchema.parse(raw); // still the shape the renderers are written against
  return raw;
}

export const EVIL = `"><script>alert(1)</script><img src=x onerror=alert(2)> 'q' & [x](http://evil.test/) | \`tick\` \u202Egnp.exe\u0000`;

/** Every free-text field of a real report replaced by hostile text (structure and enums untouched). */
export function hostileReport(): RenderableReport {
  const r = structuredClone(goldenReport('delivered-junk'));
  const m = r.message!;
  m.subject = `Invoice ${EVIL}`;
  m.from = `"evil<b>"@x.test`;
  m.to = [`bob|x\`@y.test`, `</style><style>body{display:none}</style>@z.test`];
  m.messageId = `<${EVIL}@evil.test>`;
  r.question.subject = EVIL;
  r.verdicts.sent.summary = `Sent ${EVIL}`;
  r.verdicts.sender.domain = `<svg onload=alert(3)>.test`;
  for (const v of [r.verdicts.sent, r.verdicts.arrived, r.verdicts.sender]) for (const e of v.evidence) e.claim = `claim ${EVIL}`;
  r.findings.push({ kind: 'contradiction', severity: 'high', summary: `summary ${EVIL}`, evidence: [{ ...r.verdicts.sent.evidence[0]!, locator: `line 1 ${EVIL}` }] });
  for (const t of r.timeline) {
    t.detail = `${t.detail} ${EVIL}`;
    if (t.host) t.host = `${t.host}<iframe src="http://evil.test/">`;
  }
  const hop = r.timeline.find((t) => t.kind === 'received-header')!;
  hop.detail = `hop 0 from <script>x</script> [1.2.3.4"><b>] with ESMTP${EVIL} id Q<1> for a@b`;
  hop.skew = [`clock ${EVIL}`];
  for (const e of r.evidence) e.path = `${e.path ?? ''}/</td>${EVIL}`;
  r.caveats.push(`caveat ${EVIL}`);
  r.dns.push({ name: `${EVIL}.test`, type: 'TXT', status: 'answer', source: 'snapshot' });
  (r as Record<string, unknown>)['seal'] = { algorithm: 'sha256', canonicalization: EVIL, sha256: '0'.repeat(64) };
  return r;
}
