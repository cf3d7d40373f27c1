// Report strings are hostile (subjects, addresses, hostnames and paths come from the evidence): the HTML page and
// the Markdown must show them as text, never as markup. Checked on a real report whose every free-text field was
// replaced (html-fixtures.ts), and as a property over arbitrary strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { esc } from '../../src/report/html-escape.js';
import { mdCode, mdText } from '../../src/report/markdown-escape.js';
import { visible } from '../../src/report/html-view.js';
import { goldenReport, hostileReport } from './html-fixtures.js';

const TAGS = new Set(['html', 'head', 'meta', 'link', 'title', 'style', 'body', 'header', 'div', 'span', 'h1', 'h2', 'h3', 'dl', 'dt', 'dd', 'code', 'section', 'article', 'p', 'table', 'colgroup', 'col', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'ul', 'li', 'b', 'i', 'br', 'wbr', 'figure', 'figcaption', 'footer', 'svg', 'title', 'g', 'rect', 'text', 'line', 'polygon']);

/** Every tag in the page (or a part of it) is one the renderer writes, with no event handler and only in-page links. */
function expectOnlyOwnTags(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    expect(TAGS.has(m[1]!.toLowerCase()), `unexpected <${m[1]}> in ${m[0]}`).toBe(true);
    expect(m[2]).not.toMatch(/\son\w+\s*=/i);
    for (const h of m[2]!.matchAll(/\b(?:href|src)="([^"]*)"/g)) expect(h[1]).toMatch(/^(#E\d+|data:,)$/);
  }
}

function expectOnlyOwnMarkup(html: string): void {
  expectOnlyOwnTags(html);
  expect(html.match(/<style>/g)).toHaveLength(1);
  expect(html.match(/<\/style>/g)).toHaveLength(1);
  expect(html.match(/<script/gi)).toBeNull();
}

describe('HTML: hostile report text stays text', () => {
  const html = renderHtml(hostileReport());

  it('no tag, attribute, handler or link comes from the report', () => expectOnlyOwnMarkup(html));

  it('the subject is shown escaped, quotes included, with the bidi override and NUL made visible', () => {
    expect(html).toContain('Invoice &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &#39;q&#39; &amp;');
    expect(html).toContain('\\u{202E}gnp.exe\\u{0000}');
    expect(html).not.toContain('\u202E');
    expect(html).not.toContain('\u0000');
  });

  it('the hop picture (inline SVG) escapes hostnames from Received headers', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;');
    expectOnlyOwnTags(svg);
  });
});

describe('Markdown: hostile report text stays text', () => {
  const md = renderMarkdown(hostileReport());

  it('no raw HTML, link or emphasis can form outside code spans (whose content is shown literally)', () => {
    const prose = md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(prose).not.toMatch(/(?<!\\)<(script|img|iframe|svg|style|b)\b/i);
    expect(prose).not.toMatch(/(?<!\\)\[x\]\(http/);
    expect(md).toContain('\\<script\\>');
  });

  it('every table row has as many cells as its header (pipes in values are escaped)', () => {
    const cells = (l: string): number => l.split(/(?<!\\)\|/).length;
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\|---/.test(lines[i]!)) continue;
      const width = cells(lines[i - 1]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toBe(width);
    }
  });

  it('code spans survive backticks inside them', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdText('a|b *c* [d](e) <f> & `g`')).toBe('a\\|b \\*c\\* \\[d\\](e) \\<f\\> \\& \\`g\\`');
    expect(mdText('line\nbreak')).toBe('line break');
  });
});

describe('escaping as a property', () => {
  it('esc leaves no markup character and no invisible one', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const e = esc(s);
      expect(e).not.toMatch(/[<>"']/);
      expect(e.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      expect(visible(e)).toBe(e);
    }), { numRuns: 200 });
  });

  it('any subject, address and hostname: the page carries only its own markup, and rendering never throws', () => {
    const base = goldenReport('delivered-junk');
    fc.assert(fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (subject, from, host) => {
      const r = structuredClone(base);
      r.message!.subject = subject;
      r.message!.from = from;
      for (const t of r.timeline) t.host = host;
      expectOnlyOwnMarkup(renderHtml(r));
      renderMarkdown(r);
    }), { numRuns: 40 });
  });
});
