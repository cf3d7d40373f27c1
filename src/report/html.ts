// `investigate --html FILE`: the report as one self-contained HTML page for a ticket or a court bundle — inline
// CSS, no scripts, nothing fetched (a Content-Security-Policy of default-src 'none' makes sure), printable on A4
// or Letter. Order: the message, the three verdicts (coloured by answer, with confidence, summary and the
// evidence each cites), findings, the hop chain as pictures (html-svg.ts), the timeline, caveats, the evidence
// manifest (sha256 + path + locators of every artifact), DNS answers relied on, and a seal when the report has one.
// The empty data: icon stops browsers asking the server for /favicon.ico.
// Every report string is escaped (html-escape.ts). Pure: report in, string out; no I/O, clock or environment.

import { createHash } from 'node:crypto';
import { REPORT_CSS } from './html-css.js';
import { esc, escBreakable } from './html-escape.js';
import { hopChains } from './html-hops.js';
import { renderHopSvg } from './html-svg.js';
import {
  artifactIds, extraSections, manifestRows, pathOf, question, sealHash, shortPath, shortTime, timelineSource, verdictViews,
  type ExtraBlock, type RenderableReport,
} from './html-view.js';
import type { EvidenceRef } from '../verdict/evidence-types.js';

/** Shared by the sections: manifest ids by sha256, and a citation as a link to the manifest row. */
interface Page { r: RenderableReport; ids: Map<string, string>; cite: (e: EvidenceRef) => string }
interface Section { id: string; title: string; html: string }

export function renderHtml(r: RenderableReport): string {
  const ids = artifactIds(r);
  const cite = (e: EvidenceRef): string => {
    const id = ids.get(e.sha256);
    return `${link(id)}<span title="${esc(pathOf(r, e.sha256, e.path) ?? e.sha256)}">${esc(e.locator)}</span>`;
  };
  const page: Page = { r, ids, cite };
  const extras = extraSections(r);
  const sections: Section[] = [
    verdictSection(page), findingSection(page), pathSection(page), timelineSection(page),
    { id: 'caveats', title: 'Caveats', html: r.caveats.length ? `<ul class="caveats">${r.caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : '<p class="empty">None.</p>' },
    evidenceSection(page),
    ...extras.map((x) => ({ id: x.name, title: EXTRA_TITLES[x.name] ?? x.name, html: x.blocks.map(block).join('\n') })),
  ];
  const seal = sealHash(r);
  const m = r.message;
  const heading = m?.subject ?? m?.messageId ?? 'No message matches the question';
  const body = [
    '<header class="masthead">',
    `<div class="kicker"><span>Email investigation report</span><span>${esc(r.tool.name)} ${esc(r.tool.version)} · report schema ${esc(r.schemaVersion)}</span></div>`,
    `<h1>${m?.subject === null ? '<span class="empty">(no subject)</span>' : esc(heading)}</h1>`,
    '<dl class="meta">',
    ...(m ? [
      row('Message-ID', `<code>${esc(m.messageId ?? '(none)')}</code>`), row('From', esc(m.from ?? '?')),
      row('To', esc(m.to.join(', ') || '?')), row('Date', esc(shortTime(m.date))),
    ] : []),
    row('Question', esc(question(r))),
    ...(seal ? [row('Seal', `<span class="sha">sha256 ${esc(seal)}</span> <span class="note">(of the JSON report this page was made from)</span>`)] : []),
    '</dl>', '</header>',
    ...(extras.some((x) => x.name === 'redaction')
      ? ['<p class="banner">Redacted: addresses, names and other identifiers in this report are keyed pseudonyms; the same name always maps to the same pseudonym under one key. See the Redaction section.</p>']
      : []),
    ...sections.map((x, i) => `<section><h2 id="${x.id}"><span class="n">${i + 1}</span>${esc(x.title)}</h2>${x.html}</section>`),
    `<footer>Produced by ${esc(r.tool.name)} ${esc(r.tool.version)} from the investigate report (schema ${esc(r.schemaVersion)}). Times are UTC. `
      + 'This page contains no scripts and loads nothing from the network; the JSON report (--json) is the machine-readable original'
      + `${seal ? ', and its seal covers that JSON, not this page' : ''}.</footer>`,
  ];
  const cssHash = createHash('sha256').update(REPORT_CSS, 'utf8').digest('base64');
  return [
    '<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${cssHash}'; img-src data:; form-action 'none'; base-uri 'none'">`,
    '<meta name="referrer" content="no-referrer">', '<link rel="icon" href="data:,">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${esc(`${r.tool.name} ${r.tool.version}`)}">`,
    `<title>${esc(`Email investigation: ${heading}`)}</title>`, `<style>${REPORT_CSS}</style>`, '</head>', '<body>', ...body, '</body>', '</html>', '',
  ].join('\n');
}

const link = (id: string | undefined): string => (id ? `<a href="#${id}">${id}</a> ` : '');

function verdictSection({ r, cite }: Page): Section {
  const views = verdictViews(r);
  const cards = views.map((v) => `<article class="verdict tone-${v.tone}" id="verdict-${v.key}"><div class="q">${esc(v.question)}</div>`
    + `<div class="answer">${esc(v.answer.toUpperCase())}</div>${v.qualifier ? `<div class="qual">${esc(v.qualifier)}</div>` : ''}`
    + `<div class="conf">confidence <b>${esc(v.confidence)}</b> · ${v.evidence.length} citation(s)</div><p class="summary">${esc(v.summary)}</p></article>`);
  const cited = views.flatMap((v) => v.evidence.map((e) => `<tr><td class="id">${esc(v.key)}</td><td>${cite(e)}</td><td>${esc(e.claim)}</td></tr>`));
  return {
    id: 'verdicts', title: 'Verdicts',
    html: `<div class="verdicts">${cards.join('\n')}</div>${cited.length ? `<table class="cited"><thead><tr><th>Verdict</th><th>Where</th><th>What it shows</th></tr></thead><tbody>${cited.join('\n')}</tbody></table>` : ''}`,
  };
}

function findingSection({ r, cite }: Page): Section {
  const items = r.findings.map((f) => `<li class="sev-${f.severity}-row"><span class="badge sev-${f.severity}">${esc(f.severity)}</span> <b>${esc(f.kind)}</b> — ${esc(f.summary)}`
    + `${f.evidence.length ? `<div class="cites">${f.evidence.map((e) => `${cite(e)}: ${esc(e.claim)}`).join('; ')}</div>` : ''}</li>`);
  return { id: 'findings', title: 'Findings', html: items.length ? `<ul class="findings">${items.join('\n')}</ul>` : '<p class="empty">No findings.</p>' };
}

function pathSection({ r, ids }: Page): Section {
  const chains = hopChains(r.timeline, (t) => `${ids.get(t.source.sha256) ?? shortPath(t.source.path)} ${timelineSource(t)}`);
  const figures = chains.map((c) => `<figure><figcaption>${c.basis === 'received' ? 'As the message’s own Received headers tell it' : 'As the mail servers’ logs tell it'} — ${esc(c.caption)}</figcaption>${renderHopSvg(c)}</figure>`);
  return { id: 'path', title: 'Path of the message', html: figures.length ? figures.join('\n') : '<p class="empty">No Received header or log handoff of this message is in the evidence.</p>' };
}

function timelineSection({ r, ids }: Page): Section {
  if (r.timeline.length === 0) return { id: 'timeline', title: 'Timeline', html: '<p class="empty">No dated event of this message is in the evidence.</p>' };
  const rows = r.timeline.map((t) => {
    const extra = `${t.delaySeconds !== null ? ` <span class="note">(${t.delaySeconds < 0 ? '' : '+'}${esc(t.delaySeconds)}s)</span>` : ''}${t.skew.length ? ` <b class="status-warn">clock skew: ${esc(t.skew.join(', '))}</b>` : ''}`;
    return `<tr class="k-${t.kind}${t.skew.length ? ' skew' : ''}"><td class="time">${esc(shortTime(t.time))}${t.timeAssumed ? '*' : ''}</td>`
      + `<td>${link(ids.get(t.source.sha256))}<span title="${esc(t.source.path ?? t.source.sha256)}">${esc(timelineSource(t))}</span></td>`
      + `<td>${escBreakable(t.host ?? '')}</td><td>${esc(t.event)}${t.status ? ` <span class="${statusClass(t.status)}">${esc(t.status)}</span>` : ''}</td><td>${esc(t.detail)}${extra}</td></tr>`;
  });
  return {
    id: 'timeline', title: 'Timeline',
    html: '<table class="timeline"><colgroup><col class="c-time"><col class="c-src"><col class="c-host"><col class="c-event"><col></colgroup>'
      + `<thead><tr><th>Time (UTC)</th><th>Source</th><th>Host</th><th>Event</th><th>Detail</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
      + (r.timeline.some((t) => t.timeAssumed) ? '<p class="note">* the log line carries no year or zone: the one assumed at ingest (--year/--tz) is used; see Caveats.</p>' : ''),
  };
}

function evidenceSection({ r, ids }: Page): Section {
  const out = [
    '<p class="note">Every artifact searched or cited, by the sha256 of its bytes as ingested. Re-hash the file at the path to check it is unchanged.</p>',
    '<table class="manifest"><colgroup><col class="c-id"><col class="c-art"><col class="c-cited"><col class="c-cov"></colgroup><thead><tr><th>ID</th><th>Artifact</th><th>Cited at</th><th>Coverage</th></tr></thead><tbody>',
    ...manifestRows(r).map((a) => `<tr id="${a.id}"><td class="id"><b>${a.id}</b></td><td>${esc(a.kind)}${a.side ? ` · ${esc(a.side)} side` : ''}${a.cited ? '' : ' · <i>searched, not cited</i>'}`
      + `<br><code>${escBreakable(a.path ?? '(no path)')}</code><div class="sha">sha256 ${esc(a.sha256)}</div></td>`
      + `<td>${a.locators.length ? a.locators.map((l) => esc(l)).join('<br>') : '<span class="empty">—</span>'}</td><td>${esc(a.coverage ?? '')}</td></tr>`),
    '</tbody></table>',
  ];
  const m = r.message;
  if (m && m.copies.length) {
    out.push('<h3 class="note">Stored copies of the message</h3><table class="copies"><thead><tr><th>Role</th><th>Where</th><th>Message sha256</th></tr></thead><tbody>',
      ...m.copies.map((c) => `<tr><td class="id">${esc(c.role)}</td><td>${link(ids.get(c.artifactSha256))}${esc(c.locator)}<br><span class="note" title="${esc(c.path)}">${esc(shortPath(c.path))}</span></td><td class="sha">${esc(c.sha256)}</td></tr>`),
      '</tbody></table>');
  }
  if (r.dns.length) {
    out.push('<h3 class="note">DNS answers relied on</h3><table class="dns"><thead><tr><th>Name</th><th>Type</th><th>Status</th><th>Source</th></tr></thead><tbody>',
      ...r.dns.map((d) => `<tr><td><code>${esc(d.name)}</code></td><td>${esc(d.type)}</td><td>${esc(d.status)}</td><td>${esc(d.source)}</td></tr>`), '</tbody></table>');
  }
  return { id: 'evidence', title: 'Evidence manifest', html: out.join('\n') };
}

const EXTRA_TITLES: Record<string, string> = { redaction: 'Redaction', manifest: 'Manifest (as sealed)', seal: 'Seal' };

function block(b: ExtraBlock): string {
  const title = b.title ? `<h3 class="note">${esc(b.title)}</h3>` : '';
  if (b.kind === 'fields') return `${title}<table class="extra"><tbody>${b.rows.map((x) => `<tr><td class="id">${esc(x.key)}</td><td class="${cellClass(x.value)}">${esc(x.value)}</td></tr>`).join('')}</tbody></table>`;
  return `${title}<table class="extra"><thead><tr>${b.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((row2) => `<tr>${row2.map((c) => `<td class="${cellClass(c)}">${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Hashes break anywhere; short values never break. */
function cellClass(v: string): string {
  return /^[0-9a-f]{40,}$/i.test(v) ? 'mono sha' : v.length <= 12 ? 'mono id' : 'mono';
}

function row(k: string, v: string): string {
  return `<dt>${esc(k)}</dt><dd>${v}</dd>`;
}

function statusClass(s: string): string {
  return s === 'bounced' || s === 'rejected' || s === 'expired' || s === 'failed' ? 'status-bad' : s === 'deferred' ? 'status-warn' : s === 'sent' || s === 'delivered' ? 'status-ok' : '';
}
