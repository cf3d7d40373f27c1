// Draws a hop chain (html-hops.ts) as an inline SVG: servers as boxes top to bottom, each handoff an arrow coloured
// by outcome with its time on the left and protocol, queue id, notes and source on the right. A break in the
// chain (the next handoff does not start where the last one ended) is a dashed connector, never an invented link.
// No scripts, no external references, no ids (so several diagrams can share a page); text is clipped to its slot
// with the full text kept in a <title> tooltip. Pure: chain in, markup out.

import type { HopChain, HopNode, HopStep, StepTone } from './html-hops.js';
import { clipText, esc } from './html-escape.js';
import { shortTime } from './html-view.js';

const W = 720;
const BOX_X = 150, BOX_W = 280, BOX_H = 38;
const MID = BOX_X + BOX_W / 2;
const EDGE_MIN = 56, LINE_H = 14.5, GAP_H = 30, PAD = 8, NOTE_CHARS = 70, MAX_NOTE_LINES = 3;
const TONE: Record<StepTone, string> = { ok: '#1d6b3a', warn: '#9a5b00', bad: '#a4231c', neutral: '#4a5563' };

type Item = { t: 'node'; node: HopNode } | { t: 'edge'; step: HopStep } | { t: 'gap'; via: string };

const same = (a: HopNode, b: HopNode): boolean => a.label.toLowerCase() === b.label.toLowerCase();

function layout(steps: readonly HopStep[]): Item[] {
  const items: Item[] = [];
  let last: { t: 'node'; node: HopNode } | null = null;
  for (const s of steps) {
    if (last !== null && same(last.node, s.from)) {
      if (last.node.sub === null && s.from.sub !== null) last.node = { ...last.node, sub: s.from.sub };
    } else {
      if (last !== null) items.push({ t: 'gap', via: s.via ?? 'no recorded link between these' });
      last = { t: 'node', node: s.from };
      items.push(last);
    }
    items.push({ t: 'edge', step: s });
    last = { t: 'node', node: s.to };
    items.push(last);
  }
  return items;
}

export function renderHopSvg(chain: HopChain): string {
  const items = layout(chain.steps);
  const height = PAD * 2 + items.reduce((h, it) => h + (it.t === 'node' ? BOX_H : it.t === 'edge' ? edgeHeight(it.step) : GAP_H), 0);
  const parts: string[] = [];
  let y = PAD;
  for (const it of items) {
    if (it.t === 'node') { parts.push(node(it.node, y)); y += BOX_H; }
    else if (it.t === 'edge') { parts.push(edge(it.step, y)); y += edgeHeight(it.step); }
    else {
      parts.push(`<line x1="${MID}" y1="${y + 2}" x2="${MID}" y2="${y + GAP_H - 2}" stroke="#8a94a3" stroke-width="1.5" stroke-dasharray="3 4"/>`,
        `<text x="${MID + 10}" y="${y + GAP_H / 2 + 4}" font-size="10.5" fill="#6b7280">${esc(clipText(it.via, 70))}</text>`);
      y += GAP_H;
    }
  }
  const title = `${chain.caption}: ${chain.steps.length} handoff(s)`;
  return `<svg class="hops" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}" font-family="'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif">\n<title>${esc(title)}</title>\n${parts.join('\n')}\n</svg>`;
}

function node(n: HopNode, y: number): string {
  const mailbox = n.label.startsWith('mailbox: ');
  const unknown = n.label === '?';
  const fill = mailbox ? '#eef6f0' : '#f4f6f9';
  const stroke = mailbox ? '#1d6b3a' : '#3b4656';
  const full = `${n.label}${n.sub ? ` ${n.sub}` : ''}`;
  return [
    `<g><title>${esc(full)}</title>`,
    `<rect x="${BOX_X}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="5" fill="${fill}" stroke="${stroke}" stroke-width="1.2"${unknown ? ' stroke-dasharray="4 3"' : ''}/>`,
    `<text x="${MID}" y="${y + (n.sub ? 16 : 24)}" text-anchor="middle" class="hop-host" font-size="13" font-weight="600" fill="#111827">${esc(clipText(n.label, 38))}</text>`,
    n.sub ? `<text x="${MID}" y="${y + 31}" text-anchor="middle" class="hop-sub" font-size="11" fill="#4a5563">${esc(clipText(n.sub, 44))}</text>` : '',
    '</g>',
  ].filter(Boolean).join('');
}

/** Notes wrapped at word boundaries into at most MAX_NOTE_LINES lines (the last clipped); the title keeps all. */
function noteLines(s: HopStep): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of s.notes.join(' · ').split(' ')) {
    if (cur && cur.length + 1 + w.length > NOTE_CHARS) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.length > MAX_NOTE_LINES ? [...lines.slice(0, MAX_NOTE_LINES - 1), clipText(lines.slice(MAX_NOTE_LINES - 1).join(' '), NOTE_CHARS)] : lines.map((l) => clipText(l, NOTE_CHARS));
}

function edgeHeight(s: HopStep): number {
  return Math.max(EDGE_MIN, 14 + LINE_H * (2 + noteLines(s).length));
}

function edge(s: HopStep, y: number): string {
  const c = TONE[s.tone];
  const h = edgeHeight(s);
  const y1 = y + 3, y2 = y + h - 3;
  const time = s.time === null ? '?' : shortTime(s.time);
  const [date, clock] = time.includes(' ') ? [time.slice(0, 10), time.slice(11)] : ['', time];
  const line1 = `${s.what}${s.id ? `  id ${s.id}` : ''}`;
  const notes = noteLines(s);
  const full = [line1, s.notes.join(' · '), s.source, time].filter(Boolean).join('\n');
  const ty = (i: number): number => y + 16 + LINE_H * i;
  return [
    `<g><title>${esc(full)}</title>`,
    `<line x1="${MID}" y1="${y1}" x2="${MID}" y2="${y2 - 7}" stroke="${c}" stroke-width="2.2"/>`,
    `<polygon points="${MID - 5},${y2 - 8} ${MID + 5},${y2 - 8} ${MID},${y2}" fill="${c}"/>`,
    `<text x="${BOX_X - 12}" y="${y + h / 2 - 2}" text-anchor="end" font-size="12" font-weight="600" fill="${c}">${esc(clock)}${s.timeAssumed ? '*' : ''}</text>`,
    date ? `<text x="${BOX_X - 12}" y="${y + h / 2 + 12}" text-anchor="end" font-size="10" fill="#6b7280">${esc(date)}</text>` : '',
    `<text x="${MID + 12}" y="${ty(0)}" font-size="11.5" font-weight="600" fill="${c}">${esc(clipText(line1, 62))}</text>`,
    ...notes.map((l, i) => `<text x="${MID + 12}" y="${ty(i + 1)}" font-size="10.5" fill="#1f2937">${esc(l)}</text>`),
    `<text x="${MID + 12}" y="${ty(notes.length + 1)}" font-size="10" fill="#6b7280">${esc(clipText(s.source, 68))}</text>`,
    '</g>',
  ].filter(Boolean).join('');
}
