// ARC (RFC 8617): name each sealer, and say where the original DKIM signature stopped verifying by reading
// what each sealer recorded in its ARC-Authentication-Results. The chain itself is validated by mailauth.

import type { HeaderField } from '../model/header.js';
import { parseAuthResults } from '../parse/auth-results.js';
import { parseTagList } from '../parse/dkim-tags.js';
import type { ArcFact, DkimFact } from './facts.js';

type ArcSet = ArcFact['sets'][number];

const MAX_SETS = 50;

export function arcSets(fields: readonly HeaderField[]): ArcSet[] {
  const sets = new Map<number, ArcSet>();
  const get = (i: number): ArcSet => {
    let s = sets.get(i);
    if (!s) {
      s = { instance: i, sealer: null, selector: null, cv: null, authservId: null, recorded: [], headerIndex: null };
      sets.set(i, s);
    }
    return s;
  };
  for (const f of fields) {
    if (f.key === 'arc-seal') {
      const t = parseTagList(f.value).tags;
      const i = Number(t.get('i'));
      if (!Number.isInteger(i) || i < 1 || i > MAX_SETS) continue;
      const s = get(i);
      s.sealer = t.get('d')?.toLowerCase() ?? null;
      s.selector = t.get('s') ?? null;
      s.cv = t.get('cv')?.toLowerCase() ?? null;
      s.headerIndex = f.index;
    } else if (f.key === 'arc-authentication-results') {
      const p = parseAuthResults(f.value, { arc: true });
      if (p.instance === null || p.instance < 1 || p.instance > MAX_SETS) continue;
      const s = get(p.instance);
      s.authservId = p.authservId || null;
      s.recorded = p.results
        .filter((r) => ['dkim', 'spf', 'dmarc', 'arc'].includes(r.method))
        .map((r) => ({
          method: r.method,
          result: r.result,
          domain: (r.props['header.d'] ?? r.props['header.i']?.split('@').pop() ?? r.props['header.from'] ?? r.props['smtp.mailfrom']?.split('@').pop() ?? null)?.toLowerCase() ?? null,
        }));
    }
  }
  return [...sets.values()].sort((a, b) => a.instance - b.instance);
}

/**
 * Where did the author's DKIM break? Compare what each sealer recorded for the From-aligned signing domain with
 * each other and with today's result.
 */
export function dkimBrokeAt(sets: readonly ArcSet[], dkim: readonly DkimFact[], fromDomain: string | null): string | null {
  if (!sets.length || !fromDomain) return null;
  const aligned = dkim.filter((d) => d.alignment.aligned !== null);
  const domains = new Set(aligned.map((d) => d.domain).filter((d): d is string => d !== null));
  if (!domains.size) return null;
  const nowPass = aligned.some((d) => d.now.result === 'pass');
  const recordedPass = (s: ArcSet): boolean | null => {
    const rows = s.recorded.filter((r) => r.method === 'dkim' && (r.domain === null || domains.has(r.domain)));
    if (!rows.length) return null;
    return rows.some((r) => r.result === 'pass');
  };
  let lastPass: ArcSet | null = null;
  for (const s of sets) {
    const p = recordedPass(s);
    if (p === true) lastPass = s;
    else if (p === false) {
      if (!lastPass) return `DKIM for ${[...domains].join(', ')} had already failed when the first sealer (i=${s.instance}, ${s.sealer ?? '?'}) received the message`;
      return `DKIM for ${[...domains].join(', ')} passed at sealer i=${lastPass.instance} (${lastPass.sealer ?? '?'}) and failed at i=${s.instance} (${s.sealer ?? '?'}): the message was changed by ${lastPass.sealer ?? 'that intermediary'} (a forwarder or mailing list rewriting the body or a signed header) or on the way to the next`;
    }
  }
  if (lastPass && !nowPass) {
    const bh = aligned.some((d) => d.bodyHash.result === 'mismatch') ? 'the body' : 'a signed header or the body';
    return `DKIM for ${[...domains].join(', ')} still passed at the last sealer i=${lastPass.instance} (${lastPass.sealer ?? '?'}); ${bh} changed after it sealed the message (or its key is gone now)`;
  }
  return null;
}
