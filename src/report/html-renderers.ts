// The document renderers of the investigate report, as an explicit registry (house style: `Renderer { id,
// render(report, ctx) }` entries in a Map): `html` (a self-contained page, html.ts) and `markdown` (GFM,
// markdown.ts). Both are pure — report in, string out; the CLI decides where the string goes.

import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { RenderableReport } from './html-view.js';

/** Nothing yet: the renderers need only the report. Kept so a renderer can take options without a new signature. */
export type RenderContext = Readonly<Record<string, never>>;

export interface Renderer {
  id: 'html' | 'markdown';
  /** What the output is, for help text and errors. */
  mediaType: string;
  render(report: RenderableReport, ctx: RenderContext): string;
}

export const REPORT_RENDERERS: ReadonlyMap<Renderer['id'], Renderer> = new Map<Renderer['id'], Renderer>([
  ['html', { id: 'html', mediaType: 'text/html; charset=utf-8', render: (r) => renderHtml(r) }],
  ['markdown', { id: 'markdown', mediaType: 'text/markdown; charset=utf-8', render: (r) => renderMarkdown(r) }],
]);

export function renderReport(id: Renderer['id'], report: RenderableReport, ctx: RenderContext = {}): string {
  const r = REPORT_RENDERERS.get(id);
  if (r === undefined) throw new Error(`no report renderer '${id}'`);
  return r.render(report, ctx);
}
