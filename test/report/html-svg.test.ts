// The hop chain picture: which servers and handoffs it shows for the lab cases (Received headers and logs), that
// a break in the chain is drawn as a break, and that the SVG is well-formed and self-contained.
import { describe, expect, it } from 'vitest';
import { hopChains } from '../../src/report/html-hops.js';
import { renderHopSvg } from '../../src/report/html-svg.js';
import { goldenReport } from './html-fixtures.js';

const labels = (c: ReturnType<typeof hopChains>[number]): string[] => [c.steps[0]!.from.label, ...c.steps.map((s) => s.to.label)];

describe('hop chains from the report timeline', () => {
  it('delivered-junk: the Received headers of the delivered copy, oldest first, ending in the Junk folder; and the log handoffs', () => {
    const [rec, logs] = hopChains(goldenReport('delivered-junk').timeline);
    expect(rec!.basis).toBe('received');
    expect(labels(rec!)).toEqual(['client.sender.test', 'smtp.sender.test', 'mx.receiver.test', 'mx.receiver.test', 'mailbox: Junk']);
    expect(rec!.steps.map((s) => s.what)).toEqual(['ESMTPA', 'ESMTP', 'LMTP', 'stored']);
    expect(rec!.steps[1]!.from.sub).toBe('[127.0.0.2]');
    // The sender's "250 … queued as 4jYr…" is linked to the server whose log has that queue id.
    expect(logs!.basis).toBe('logs');
    expect(labels(logs!)).toEqual(['unknown[127.0.0.1]', 'smtp', 'mx', 'mx.receiver.test']);
    expect(logs!.steps[1]!.to.sub).toBe('127.0.0.3[127.0.0.3]:25');
  });

  it('bounced-mistyped: no delivered copy, so the logs tell it — the bounce ends at the server that refused, the notice goes back', () => {
    const chains = hopChains(goldenReport('bounced-mistyped').timeline);
    expect(chains.map((c) => c.basis)).toEqual(['logs']);
    const s = chains[0]!.steps;
    expect(s[1]).toMatchObject({ what: 'smtp bounced', tone: 'bad', to: { label: 'mx' } });
    expect(s[1]!.notes.join(' ')).toMatch(/rejected there .*line 14/);
    expect(s[2]).toMatchObject({ what: 'bounce notice: lmtp delivered', to: { label: 'smtp.sender.test' } });
    expect(s[2]!.via).toMatch(/^non-delivery notice D7323166072/);
  });

  it('a report with no hops and no log handoffs has no picture', () => {
    expect(hopChains([])).toEqual([]);
  });
});

describe('the SVG', () => {
  const svg = renderHopSvg(hopChains(goldenReport('bounced-mistyped').timeline)[0]!);

  it('is one self-contained element with a title, no script, no reference outside itself', () => {
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toMatch(/<title>[^<]+<\/title>/);
    expect(svg).not.toMatch(/<script|href=|url\(|\sid=/i);
  });

  it('draws the break before the bounce notice as a dashed connector naming the link', () => {
    expect(svg).toContain('stroke-dasharray="3 4"');
    expect(svg).toMatch(/non-delivery notice D7323166072/);
  });

  it('keeps long text whole in a tooltip while clipping it on the picture', () => {
    const long = 'x'.repeat(200);
    const out = renderHopSvg({ basis: 'logs', caption: 'c', steps: [{ from: { label: long, sub: null }, to: { label: 'b', sub: null }, time: null, timeAssumed: false, what: 'w', id: null, notes: [long], tone: 'neutral', source: 's' }] });
    expect(out).toContain(`<title>${long}</title>`);
    expect(out).toContain(`${'x'.repeat(37)}…`);
  });
});
