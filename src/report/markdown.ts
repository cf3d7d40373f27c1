// `investigate --markdown`: the HTML report's content as GitHub-flavoured Markdown for tickets and wikis — the
// message, verdicts (with the evidence each cites), findings, the hop chain as numbered handoffs, the timeline,
// caveats, the evidence manifest (sha256 + path + locators), DNS answers and a seal when the report has one.
// Every report string goes through markdown-escape.ts. Pure: report in, string out.

import { hopChains, type HopStep } from './html-hops.js';
import { mdCode, mdTable, mdText } from './markdown-escape.js';
import {
  artifactIds, extraSections, manifestRows, question, sealHash, shortPath, shortTime, timelineSource, verdictViews,
  type RenderableReport,
} from './html-view.js';
import type { EvidenceRef } from '../verdict/evidence-types.js';

const EXTRA_TITLES: Record<string, string> = { redaction: 'Redaction', manifest: 'Manifest (as sealed)', seal: 'Seal' };

export function renderMarkdown(r: RenderableReport): string {
  const ids = artifactIds(r);
  const where = (e: EvidenceRef): string => `${ids.get(e.sha256) ?? ''} ${mdCode(e.locator, true)}`.trim();
  const m = r.message;
  const extras = extraSections(r);
  const seal = sealHash(r);
  const out: string[] = [];
  let n = 0;
  const h2 = (title: string): void => { out.push('', `## ${++n}. ${title}`, ''); };

  out.push(`# Email investigation: ${m === null ? 'no message matches the question' : m.subject === null ? '(no subject)' : mdText(m.subject)}`, '');
  out.push(`*${mdText(`${r.tool.name} ${r.tool.version}`)} · report schema ${r.schemaVersion} · times in UTC*`, '');
  out.push(mdTable(['', ''], [
    ...(m ? [
      ['Message-ID', mdCode(m.messageId ?? '(none)', true)], ['From', mdCode(m.from ?? '?', true)],
      ['To', m.to.map((t) => mdCode(t, true)).join(', ') || '?'], ['Date', mdText(shortTime(m.date))],
    ] : []),
    ['Question', mdText(question(r))],
    ...(seal ? [['Seal', `sha256 ${mdCode(seal, true)} (of the JSON report this was made from)`]] : []),
  ]));
  if (extras.some((x) => x.name === 'redaction')) {
    out.push('', '> **Redacted:** addresses, names and other identifiers in this report are keyed pseudonyms; the same name always maps to the same pseudonym under one key. See the Redaction section.');
  }

  h2('Verdicts');
  const views = verdictViews(r);
  out.push(mdTable(['Question', 'Answer', 'Detail', 'Confidence'],
    views.map((v) => [mdText(v.question), `**${mdText(v.answer.toUpperCase())}**`, mdText(v.qualifier ?? ''), mdText(v.confidence)])));
  for (const v of views) out.push('', `- **${mdText(v.question)} ${mdText(v.answer.toUpperCase())}.** ${mdText(v.summary)}`);
  const cited = views.flatMap((v) => v.evidence.map((e) => [mdText(v.key), where(e), mdText(e.claim)]));
  if (cited.length) out.push('', '**Evidence cited**', '', mdTable(['Verdict', 'Where', 'What it shows'], cited));

  h2('Findings');
  if (r.findings.length === 0) out.push('No findings.');
  for (const f of r.findings) {
    out.push(`- **${mdText(f.severity.toUpperCase())}** ${mdCode(f.kind)}: ${mdText(f.summary)}`);
    for (const e of f.evidence) out.push(`  - ${[ids.get(e.sha256), mdCode(e.locator)].filter(Boolean).join(' ')}: ${mdText(e.claim)}`);
  }

  h2('Path of the message');
  const chains = hopChains(r.timeline, (t) => `${ids.get(t.source.sha256) ?? shortPath(t.source.path)} ${timelineSource(t)}`);
  if (chains.length === 0) out.push('No Received header or log handoff of this message is in the evidence.');
  for (const c of chains) {
    out.push(`*${c.basis === 'received' ? 'As the message’s own Received headers tell it' : 'As the mail servers’ logs tell it'}: ${mdText(c.caption)}*`, '');
    c.steps.forEach((s, i) => {
      const prev = c.steps[i - 1];
      if (prev && prev.to.label.toLowerCase() !== s.from.label.toLowerCase()) out.push(`   *(${mdText(s.via ?? 'no recorded link between these')})*`);
      out.push(`${i + 1}. ${step(s)}`);
    });
    out.push('');
  }
  if (chains.length) out.pop();

  h2('Timeline');
  if (r.timeline.length === 0) out.push('No dated event of this message is in the evidence.');
  else {
    out.push(mdTable(['Time (UTC)', 'Source', 'Host', 'Event', 'Detail'], r.timeline.map((t) => [
      `${mdText(shortTime(t.time))}${t.timeAssumed ? '\\*' : ''}`,
      `${ids.get(t.source.sha256) ?? ''} ${mdText(timelineSource(t))}`.trim(),
      mdCode(t.host, true),
      `${mdText(t.event)}${t.status ? ` **${mdText(t.status)}**` : ''}`,
      `${mdText(t.detail)}${t.delaySeconds !== null ? ` (${t.delaySeconds < 0 ? '' : '+'}${t.delaySeconds}s)` : ''}${t.skew.length ? ` **clock skew: ${mdText(t.skew.join(', '))}**` : ''}`,
    ])));
    if (r.timeline.some((t) => t.timeAssumed)) out.push('', '\\* the log line carries no year or zone: the one assumed at ingest (--year/--tz) is used; see Caveats.');
  }

  h2('Caveats');
  out.push(...(r.caveats.length ? r.caveats.map((c) => `- ${mdText(c)}`) : ['None.']));

  h2('Evidence manifest');
  out.push('Every artifact searched or cited, by the sha256 of its bytes as ingested.', '');
  out.push(mdTable(['ID', 'Artifact', 'sha256', 'Cited at', 'Coverage'], manifestRows(r).map((a) => [
    `**${a.id}**`,
    `${mdText(a.kind)}${a.side ? ` · ${mdText(a.side)} side` : ''}${a.cited ? '' : ' · *searched, not cited*'}<br>${mdCode(a.path ?? '(no path)', true)}`,
    mdCode(a.sha256, true),
    a.locators.map((l) => mdCode(l, true)).join('<br>'),
    mdText(a.coverage ?? ''),
  ])));
  if (m && m.copies.length) {
    out.push('', '**Stored copies of the message**', '', mdTable(['Role', 'Where', 'Message sha256'],
      m.copies.map((c) => [mdText(c.role), `${ids.get(c.artifactSha256) ?? ''} ${mdCode(c.locator, true)}`.trim(), mdCode(c.sha256, true)])));
  }
  if (r.dns.length) {
    out.push('', '**DNS answers relied on**', '', mdTable(['Name', 'Type', 'Status', 'Source'],
      r.dns.map((d) => [mdCode(d.name, true), mdText(d.type), mdText(d.status), mdText(d.source)])));
  }

  for (const x of extras) {
    h2(EXTRA_TITLES[x.name] ?? x.name);
    x.blocks.forEach((b, i) => {
      if (i > 0) out.push('');
      if (b.title) out.push(`**${mdText(b.title)}**`, '');
      out.push(b.kind === 'fields'
        ? mdTable(['Field', 'Value'], b.rows.map((row) => [mdText(row.key), mdCode(row.value, true)]))
        : mdTable(b.columns.map((c) => mdText(c)), b.rows.map((row) => row.map((c) => mdCode(c, true)))));
    });
  }

  out.push('', '---', '', `*Produced by ${mdText(`${r.tool.name} ${r.tool.version}`)} from the investigate report (schema ${r.schemaVersion}); the JSON report (--json) is the machine-readable original${seal ? ', and its seal covers that JSON, not this document' : ''}.*`, '');
  return out.join('\n');
}

function step(s: HopStep): string {
  const node = (x: HopStep['from']): string => `${mdCode(x.label)}${x.sub ? ` ${mdText(x.sub)}` : ''}`;
  const time = `${mdText(shortTime(s.time))}${s.timeAssumed ? '\\*' : ''}`;
  const id = s.id ? `, id ${mdCode(s.id)}` : '';
  const notes = s.notes.length ? `; ${mdText(s.notes.join('; '))}` : '';
  return `${node(s.from)} → ${node(s.to)}: **${mdText(s.what)}**${id} at ${time}${notes} (${mdText(s.source)})`;
}
