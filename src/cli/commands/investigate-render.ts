// Terminal rendering of the investigate report: the three verdicts first (coloured by answer), then the
// timeline across all sources as a table that fits the terminal (80 columns when not a TTY), then findings and
// caveats. Colour is decoration only; the words carry the meaning.

import type { InvestigateReport } from '../../report/investigate.js';
import { renderFitted, wrapCell, type Ctx } from '../output.js';

export function renderInvestigate(r: InvestigateReport, ctx: Ctx): string {
  const c = ctx.chalk;
  const width = Math.max(40, ctx.config.columns);
  const colour = (answer: string): ((s: string) => string) =>
    answer === 'yes' || answer === 'authenticated' ? c.green : answer === 'no' || answer === 'forged' ? c.red : c.yellow;
  const out: string[] = [];
  const m = r.message;
  if (m) {
    out.push(wrapCell(`Message ${m.messageId ?? '(no Message-ID)'}${m.subject ? `  "${m.subject}"` : ''}`, width));
    out.push(wrapCell(`${m.from ?? '?'} → ${m.to.join(', ') || '?'}${m.date ? `  ${m.date}` : ''}`, width - 2).split('\n').map((l) => `  ${l}`).join('\n'));
  } else out.push('No stored message or log line matches the question.');
  out.push('');
  const v = r.verdicts;
  const line = (label: string, answer: string, extra: string, confidence: string, summary: string): void => {
    out.push(`${label.padEnd(9)}${colour(answer)(answer.toUpperCase())}${extra} (${confidence})`);
    out.push(wrapCell(summary, width - 2).split('\n').map((l) => `  ${l}`).join('\n'));
  };
  line('SENT', v.sent.answer, v.sent.stage ? ` · ${v.sent.stage}` : '', v.sent.confidence, v.sent.summary);
  line('ARRIVED', v.arrived.answer, ` · ${v.arrived.outcome}${v.arrived.folder ? ` · ${v.arrived.folder}` : ''}`, v.arrived.confidence, v.arrived.summary);
  line('SENDER', v.sender.answer, v.sender.domain ? ` · ${v.sender.domain}` : '', v.sender.confidence, v.sender.summary);
  if (r.timeline.length) {
    const years = new Set(r.timeline.map((t) => t.time?.slice(0, 4)).filter(Boolean));
    const short = years.size <= 1;
    const rows = r.timeline.map((t) => [
      t.time === null ? '?' : `${t.time.slice(short ? 5 : 0, 10)} ${t.time.slice(11, 19)}${t.timeAssumed ? '*' : ''}`,
      t.kind === 'log' ? `${base(t.source.path)}:${t.source.locator.replace('line ', '')}` : t.kind === 'received-header' ? t.source.locator.replace(/^message \w+ /, '') : t.source.locator,
      t.host ?? '',
      `${t.event}${t.status ? ` ${t.status}` : ''}`,
      `${t.detail.length > 90 ? `${t.detail.slice(0, 89)}…` : t.detail}${t.delaySeconds !== null ? ` (${t.delaySeconds < 0 ? '' : '+'}${t.delaySeconds}s)` : ''}${t.skew.length ? ` SKEW: ${t.skew.join(', ')}` : ''}`,
    ]);
    out.push('', `Timeline (${years.size === 1 ? `${[...years][0]}, ` : ''}UTC)`);
    out.push(renderFitted(['time', 'source', 'host', 'event', 'detail'], rows, width, undefined, [15, 10, 4, 8, 16]));
    if (r.timeline.some((t) => t.timeAssumed)) out.push('* year or zone assumed at ingest (--year/--tz)');
  }
  if (r.findings.length) {
    out.push('', 'Findings');
    for (const f of r.findings) {
      // Wrapped with the kind in place (so no line passes the width), then the kind coloured.
      const text = wrapCell(`${f.kind}: ${f.summary}`, width - 4).split('\n').join('\n    ');
      const tag = f.severity === 'high' ? c.red(f.kind) : f.severity === 'warning' ? c.yellow(f.kind) : f.kind;
      out.push(`- ${tag}${text.slice(f.kind.length)}`);
    }
  }
  if (r.caveats.length) {
    out.push('', 'Caveats');
    for (const x of r.caveats) out.push(`- ${wrapCell(x, width - 4).split('\n').join('\n  ')}`);
  }
  const cited = r.evidence.filter((e) => e.cited).length;
  out.push('', `${r.evidence.length} source(s) searched, ${cited} cited; --json lists them with sha256 and coverage.`);
  return out.join('\n') + '\n';
}

function base(p: string | null): string {
  if (p === null) return '?';
  const parts = p.split('/');
  return parts.length >= 2 ? parts.slice(-2).join('/') : p;
}
