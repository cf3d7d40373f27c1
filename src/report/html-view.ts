// What the document renderers (HTML page, Markdown) show of an investigate report, derived once so both show the
// same content: verdict headlines and tones, the evidence manifest (every artifact with the locators cited in it,
// numbered E1…En so verdicts can point at it), and optional fields other parts of the tool may add (`seal`,
// `manifest`) flattened to rows without knowing their shape. Also `visible()`: hostile text (subjects, addresses)
// keeps its characters but loses its tricks — control and bidi-override characters are shown as \u{…}.
// Pure: no I/O, no clock, no environment.

import type { InvestigateReport } from './investigate.js';
import { formatTime } from './format.js';

/** A report as rendered: fields added later (a seal, a manifest) are shown when present, never required. */
export type RenderableReport = InvestigateReport & { seal?: unknown; manifest?: unknown; redaction?: unknown };

export type Tone = 'good' | 'bad' | 'unsure';

export interface VerdictView {
  key: 'sent' | 'arrived' | 'sender';
  question: string;
  answer: string;
  tone: Tone;
  /** stage / outcome + folder / domain, as words. */
  qualifier: string | null;
  confidence: string;
  summary: string;
  evidence: InvestigateReport['verdicts']['sent']['evidence'];
}

export function verdictViews(r: InvestigateReport): VerdictView[] {
  const v = r.verdicts;
  const tone = (a: string): Tone => (a === 'yes' || a === 'authenticated' ? 'good' : a === 'no' || a === 'forged' ? 'bad' : 'unsure');
  return [
    { key: 'sent', question: 'Was it sent?', answer: v.sent.answer, tone: tone(v.sent.answer), qualifier: v.sent.stage, confidence: v.sent.confidence, summary: v.sent.summary, evidence: v.sent.evidence },
    {
      key: 'arrived', question: 'Did it arrive?', answer: v.arrived.answer, tone: tone(v.arrived.answer),
      qualifier: `${v.arrived.outcome}${v.arrived.folder ? ` · folder ${v.arrived.folder}` : ''}`, confidence: v.arrived.confidence, summary: v.arrived.summary, evidence: v.arrived.evidence,
    },
    { key: 'sender', question: 'Who sent it?', answer: v.sender.answer, tone: tone(v.sender.answer), qualifier: v.sender.domain, confidence: v.sender.confidence, summary: v.sender.summary, evidence: v.sender.evidence },
  ];
}

export interface ManifestRow {
  /** `E1`, `E2`, … in the report's evidence order (stable: sorted by path, then sha256). */
  id: string;
  sha256: string;
  kind: string;
  path: string | null;
  cited: boolean;
  side: string | null;
  coverage: string | null;
  /** Every place in this artifact a verdict or finding cites, in first-cited order, each once. */
  locators: string[];
}

/** The evidence manifest: every artifact searched or cited, with the locators cited in it. */
export function manifestRows(r: InvestigateReport): ManifestRow[] {
  const refs = [...r.verdicts.sent.evidence, ...r.verdicts.arrived.evidence, ...r.verdicts.sender.evidence, ...r.findings.flatMap((f) => f.evidence)];
  return r.evidence.map((e, i) => {
    const locators: string[] = [];
    for (const ref of refs) if (ref.sha256 === e.sha256 && !locators.includes(ref.locator)) locators.push(ref.locator);
    for (const c of r.message?.copies ?? []) {
      const where = `${c.locator} (${c.role === 'sender' ? "sender's" : c.role === 'recipient' ? "recipient's" : 'a'} copy)`;
      if (c.artifactSha256 === e.sha256 && !locators.includes(c.locator) && !locators.includes(where)) locators.push(where);
    }
    const c = e.coverage;
    const coverage = c === null ? null
      : `${shortTime(c.from)} to ${shortTime(c.to)}${c.gaps.length ? `; ${c.gaps.length} gap(s): ${c.gaps.map((g) => `${shortTime(g.from)} to ${shortTime(g.to)}`).join(', ')}` : '; no gaps'}${c.timeAssumption ? `; ${c.timeAssumption}` : ''}`;
    return { id: `E${i + 1}`, sha256: e.sha256, kind: e.kind, path: e.path, cited: e.cited, side: e.side, coverage, locators };
  });
}

/** sha256 → manifest id, for citations (a stored message inside an mbox cites the message's own sha256). */
export function artifactIds(r: InvestigateReport): Map<string, string> {
  const ids = new Map<string, string>();
  r.evidence.forEach((e, i) => { if (!ids.has(e.sha256)) ids.set(e.sha256, `E${i + 1}`); });
  for (const c of r.message?.copies ?? []) {
    const id = ids.get(c.artifactSha256);
    if (id !== undefined && !ids.has(c.sha256)) ids.set(c.sha256, id);
  }
  return ids;
}

/** The path of an artifact cited by sha256 when the citation itself carries none. */
export function pathOf(r: InvestigateReport, sha256: string, path: string | null): string | null {
  if (path !== null) return path;
  return r.evidence.find((e) => e.sha256 === sha256)?.path ?? r.message?.copies.find((c) => c.sha256 === sha256)?.path ?? null;
}

export interface ExtraRow { key: string; value: string }
/** A part of an added field: plain `key = value` rows, or a table for a list of flat records. */
export type ExtraBlock = { kind: 'fields'; title: string | null; rows: ExtraRow[] } | { kind: 'table'; title: string; columns: string[]; rows: string[][] };
export interface ExtraSection { name: string; blocks: ExtraBlock[] }

const MAX_EXTRA_VALUES = 2000;
const scalar = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/**
 * Fields other parts of the tool add to the report (`redaction`, `manifest`, `seal`), shown whatever their
 * shape: scalars as rows, lists of flat records as tables, deeper values flattened to `a.b[0].c` keys. Bounded.
 */
export function extraSections(r: RenderableReport): ExtraSection[] {
  const out: ExtraSection[] = [];
  const doc = r as Record<string, unknown>;
  for (const name of ['redaction', 'manifest', 'seal']) {
    const v = doc[name];
    if (v === undefined || v === null) continue;
    const blocks: ExtraBlock[] = [];
    describe(v, null, blocks, { left: MAX_EXTRA_VALUES });
    out.push({ name, blocks });
  }
  return out;
}

function describe(v: unknown, title: string | null, blocks: ExtraBlock[], budget: { left: number }): void {
  const fields: ExtraRow[] = [];
  const later: [string, unknown][] = [];
  if (scalar(v) || (Array.isArray(v) && v.every(scalar))) fields.push({ key: title ?? 'value', value: Array.isArray(v) ? v.map(show).join(', ') || '(none)' : show(v) });
  else if (Array.isArray(v)) later.push([title ?? 'items', v]);
  else for (const [k, x] of Object.entries(v as object)) {
    if (scalar(x) || (Array.isArray(x) && x.every(scalar))) fields.push({ key: k, value: Array.isArray(x) ? x.map(show).join(', ') || '(none)' : show(x) });
    else later.push([title ? `${title}.${k}` : k, x]);
  }
  budget.left -= fields.length;
  if (fields.length) blocks.push({ kind: 'fields', title, rows: fields });
  for (const [k, x] of later) {
    if (budget.left <= 0) { blocks.push({ kind: 'fields', title: k, rows: [{ key: '…', value: 'too many values to show here; see the JSON report' }] }); return; }
    const flat = Array.isArray(x) && x.length > 0 && x.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && Object.values(e).every(scalar));
    if (flat) {
      const recs = x as Record<string, unknown>[];
      const columns = [...new Set(recs.flatMap((e) => Object.keys(e)))];
      const rows = recs.slice(0, Math.max(1, Math.floor(budget.left / Math.max(1, columns.length)))).map((e) => columns.map((c) => (e[c] === undefined ? '' : show(e[c]))));
      budget.left -= rows.length * columns.length;
      blocks.push({ kind: 'table', title: k, columns, rows });
    } else if (Array.isArray(x)) x.forEach((e, i) => describe(e, `${k}[${i}]`, blocks, budget));
    else describe(x, k, blocks, budget);
  }
}

/** The seal's own hash when the report carries one (`seal.sha256`), for the page header. */
export function sealHash(r: RenderableReport): string | null {
  const seal = (r as Record<string, unknown>)['seal'];
  const h = seal !== null && typeof seal === 'object' ? (seal as Record<string, unknown>)['sha256'] : undefined;
  return typeof h === 'string' ? h : null;
}

// C0/C1 controls (but tab and newline), bidi embeddings/overrides/isolates and marks, zero-width and BOM:
// characters that can reorder or hide what a reader sees (Trojan Source, CVE-2021-42574).
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The text with invisible or reordering characters shown as `\u{202E}`; everything else untouched. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** `2026-11-24T18:30:12.000Z` → `2026-11-24 18:30:12Z`; null → `?`; a time not in ISO form is shown as it is. */
export function shortTime(iso: string | null): string {
  return iso !== null && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso) ? iso : formatTime(iso);
}

/** The last two segments of a path, for narrow columns (the full path is in the manifest). */
export function shortPath(p: string | null): string {
  if (p === null) return '?';
  const parts = p.split('/');
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : p;
}

/** A timeline entry's place in its artifact, shortest form: `line 18`, `header #4 (Received)` (with the artifact's id). */
export function timelineSource(t: InvestigateReport['timeline'][number]): string {
  if (t.kind === 'log') return t.source.locator;
  if (t.kind === 'received-header') return t.source.locator.replace(/^message \w+ /, '');
  return t.source.locator;
}

/** The question as asked, in words. */
export function question(r: InvestigateReport): string {
  const q = r.question;
  const parts: string[] = [];
  if (q.messageId !== null) parts.push(`Message-ID ${q.messageId}`);
  if (q.sha256 !== undefined) parts.push(`the stored message with sha256 ${q.sha256}`);
  if (q.from !== null) parts.push(`from ${q.from}`);
  if (q.to !== null) parts.push(`to ${q.to}`);
  if (q.subject !== null) parts.push(`subject containing "${q.subject}"`);
  if (q.around !== null) parts.push(`around ${shortTime(q.around)}`);
  if (q.since !== null) parts.push(`since ${shortTime(q.since)}`);
  if (q.until !== null) parts.push(`until ${shortTime(q.until)}`);
  return parts.join(', ');
}
