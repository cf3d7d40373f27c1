// The stylesheet of the HTML report, inlined into the page (no external requests, no web fonts: system fonts
// only). Screen: one readable column. Print: A4 or Letter (the page size is left to the printer; margins fit
// both), tables repeat their header rows, rows and cards are not split across pages, colours are kept
// (print-color-adjust) because they carry the verdicts' meaning alongside the words.

export const REPORT_CSS = `
:root { --ink: #111827; --muted: #4b5563; --faint: #6b7280; --rule: #d1d5db; --paper: #ffffff; --band: #f3f4f6;
  --good: #1d6b3a; --good-bg: #e8f3ec; --bad: #a4231c; --bad-bg: #fbeceb; --unsure: #8a5300; --unsure-bg: #fdf4e3;
  --sans: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; --mono: 'DejaVu Sans Mono', 'Liberation Mono', Consolas, monospace; }
* { box-sizing: border-box; }
html { background: #e5e7eb; }
body { margin: 24px auto; max-width: 960px; padding: 36px 44px 28px; background: var(--paper); color: var(--ink);
  font: 13px/1.45 var(--sans); -webkit-print-color-adjust: exact; print-color-adjust: exact; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 20px; margin: 2px 0 10px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .06em; margin: 26px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); break-after: avoid; page-break-after: avoid; }
h2 .n { color: var(--faint); margin-right: 8px; }
p { margin: 6px 0; }
code, .mono { font-family: var(--mono); font-size: 11.5px; }
.kicker { font-size: 11px; text-transform: uppercase; letter-spacing: .12em; color: var(--muted); display: flex; justify-content: space-between; }
.masthead { border-bottom: 3px double var(--ink); padding-bottom: 10px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.verdicts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.verdict { border: 1px solid var(--rule); border-top: 6px solid var(--faint); border-radius: 4px; padding: 8px 11px 10px; break-inside: avoid; page-break-inside: avoid; }
.verdict .q { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
.verdict .answer { font-size: 24px; font-weight: 700; letter-spacing: .02em; margin: 2px 0 0; }
.verdict .qual { font-weight: 600; overflow-wrap: anywhere; }
.verdict .conf { font-size: 11px; color: var(--muted); margin: 2px 0 6px; }
.verdict .conf b { color: var(--ink); text-transform: uppercase; letter-spacing: .05em; }
.verdict .summary { font-size: 12px; overflow-wrap: anywhere; }
.tone-good { border-top-color: var(--good); background: var(--good-bg); } .tone-good .answer { color: var(--good); }
.tone-bad { border-top-color: var(--bad); background: var(--bad-bg); } .tone-bad .answer { color: var(--bad); }
.tone-unsure { border-top-color: var(--unsure); background: var(--unsure-bg); } .tone-unsure .answer { color: var(--unsure); }
table { width: 100%; border-collapse: collapse; margin: 6px 0 4px; font-size: 11.5px; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid var(--ink); padding: 4px 6px; font-size: 10.5px; text-transform: uppercase; letter-spacing: .04em; }
td { vertical-align: top; border-bottom: 1px solid var(--rule); padding: 4px 6px; overflow-wrap: anywhere; }
tr { break-inside: avoid; page-break-inside: avoid; }
col.c-time { width: 150px; } col.c-src { width: 150px; } col.c-host { width: 118px; } col.c-event { width: 104px; }
col.c-id { width: 36px; } col.c-art { width: 44%; } col.c-cited { width: 28%; }
table.timeline td:nth-child(2) { font-size: 11px; }
td.time { white-space: nowrap; font-family: var(--mono); font-size: 11px; }
td.id, td.sev { white-space: nowrap; }
tr.k-log td:first-child { box-shadow: inset 3px 0 0 #6b7280; }
tr.k-received-header td:first-child { box-shadow: inset 3px 0 0 #2563eb; }
tr.k-mailbox td:first-child { box-shadow: inset 3px 0 0 var(--good); }
tr.k-report td:first-child { box-shadow: inset 3px 0 0 #7c3aed; }
tr.skew td { background: var(--unsure-bg); }
.sha { font-family: var(--mono); font-size: 10px; color: var(--muted); word-break: break-all; }
.badge { display: inline-block; font-size: 10px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; padding: 1px 6px; border-radius: 3px; border: 1px solid currentColor; }
.sev-high { color: var(--bad); } .sev-warning { color: var(--unsure); } .sev-info { color: var(--muted); }
.status-bad { color: var(--bad); font-weight: 600; } .status-warn { color: var(--unsure); font-weight: 600; } .status-ok { color: var(--good); }
ul.findings, ul.caveats { margin: 4px 0; padding-left: 0; list-style: none; }
ul.findings li, ul.caveats li { padding: 5px 0 5px 10px; border-left: 3px solid var(--rule); margin-bottom: 4px; break-inside: avoid; overflow-wrap: anywhere; }
ul.findings li.sev-high-row { border-left-color: var(--bad); } ul.findings li.sev-warning-row { border-left-color: var(--unsure); }
.cites { font-size: 11px; color: var(--muted); margin: 2px 0 0; }
a { color: #1d4ed8; text-decoration: none; }
figure { margin: 8px 0 14px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 11px; color: var(--muted); margin-bottom: 4px; overflow-wrap: anywhere; }
svg.hops { display: block; width: 100%; max-width: 720px; height: auto; }
.banner { margin: 12px 0 0; padding: 8px 12px; border: 1.5px solid var(--unsure); background: var(--unsure-bg); font-weight: 600; }
table.extra td.id { white-space: nowrap; color: var(--muted); }
.note, .empty { color: var(--faint); font-size: 11px; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 10.5px; color: var(--faint); }
@page { margin: 14mm 12mm 16mm;
  @bottom-left { content: "mailtrail investigation report"; font: 8pt sans-serif; color: #6b7280; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #6b7280; } }
@media print {
  html { background: none; }
  body { margin: 0; max-width: none; padding: 0; box-shadow: none; font-size: 10pt; }
  a { color: inherit; }
  h2 { margin-top: 18px; }
  .verdict .answer { font-size: 19px; }
}
`;
