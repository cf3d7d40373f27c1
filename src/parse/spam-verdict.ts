// Spam/security verdicts that filters wrote into the header, vendor by vendor. Pure: header fields in,
// verdict list out; only what the headers say (no scoring of our own). Sources for each mapping:
// - SpamAssassin: Mail::SpamAssassin::Conf "add_header" defaults (X-Spam-Status: Yes|No, score=/hits=,
//   required=, tests=), X-Spam-Flag: YES, X-Spam-Level: one '*' per point.
// - Microsoft 365 / Exchange: "Anti-spam message headers in Microsoft 365"
//   (learn.microsoft.com/defender-office-365/message-headers-eop-mdo): SCL -1 skipped (trusted), 0–1 not spam,
//   5–6 spam, 7–9 high-confidence spam; SFV: SPM spam, SKS marked spam by rule, BLK blocked sender, SKB blocked
//   domain, NSPM not spam, SFE safe sender, SKA allowed, SKN marked non-spam by rule, SKI intra-org,
//   SKQ released from quarantine; CAT: SPM/HSPM/PHSH/HPHSH/MALW/BULK/SPOOF/…; BCL 0 not bulk … 8–9 many complaints.
// - Gmail: X-Gm-Spam / X-Gm-Phy (0|1), as written by Gmail's own storage headers.
// - rspamd: X-Spamd-Result "default: True|False [score / threshold]" and X-Rspamd-Action
//   (rspamd.com/doc/modules/milter_headers.html): reject / add header / rewrite subject = spam, greylist/soft reject = suspect.
// - Others: Proofpoint X-Proofpoint-Spam-Details (rule=spam|notspam|bulk), Mimecast X-Mimecast-Spam-Score,
//   Barracuda X-Barracuda-Spam-Status/-Score, Yahoo X-YahooFilteredBulk, amavis X-Amavis-Alert and
//   X-Virus-Scanned / X-Virus-Status.

import type { HeaderField } from '../model/header.js';

export type SpamVerdictValue = 'spam' | 'ham' | 'suspect' | 'unknown';

export interface SpamVerdict {
  vendor: string;
  verdict: SpamVerdictValue;
  score?: number;
  threshold?: number;
  details: string[];
  headerIndex: number;
  header: string;
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** `KEY:VALUE;KEY:VALUE` (Microsoft's forefront report and Microsoft-Antispam) into a Map. */
function semicolonPairs(v: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const piece of v.split(';').slice(0, 200)) {
    const i = piece.indexOf(':');
    if (i > 0) m.set(piece.slice(0, i).trim().toUpperCase(), piece.slice(i + 1).trim());
  }
  return m;
}

function scl(n: number | undefined): SpamVerdictValue {
  if (n === undefined) return 'unknown';
  if (n >= 5) return 'spam';
  if (n >= 2) return 'suspect';
  return 'ham';
}

const SFV_SPAM = new Set(['SPM', 'SKS', 'BLK', 'SKB']);
const SFV_HAM = new Set(['NSPM', 'SFE', 'SKA', 'SKN', 'SKI', 'SKQ']);

type Reader = (f: HeaderField) => Omit<SpamVerdict, 'headerIndex' | 'header'> | null;

const READERS: Record<string, Reader> = {
  'x-spam-status': (f) => {
    const v = f.value;
    const m = /^\s*(yes|no)\b/i.exec(v);
    const score = num(/\b(?:score|hits)=(-?[\d.]+)/i.exec(v)?.[1]);
    const threshold = num(/\brequired=(-?[\d.]+)/i.exec(v)?.[1]);
    // tests= runs to the next key=value (autolearn=, version=) or the end; names are comma separated, folded freely.
    const tests = /\btests=(.{0,4000}?)(?:\s+[a-z_]+=|$)/i.exec(v)?.[1];
    const details = tests ? tests.split(/[\s,]+/).filter((t) => t && t.toLowerCase() !== 'none') : [];
    return { vendor: 'spamassassin', verdict: m ? (m[1]?.toLowerCase() === 'yes' ? 'spam' : 'ham') : 'unknown', score, threshold, details };
  },
  'x-spam-flag': (f) => ({ vendor: 'spamassassin', verdict: /^\s*yes/i.test(f.value) ? 'spam' : /^\s*no/i.test(f.value) ? 'ham' : 'unknown', details: [] }),
  'x-spam-level': (f) => ({ vendor: 'spamassassin', verdict: 'unknown', score: (f.value.match(/\*/g) ?? []).length, details: [] }),
  'x-spam-score': (f) => ({ vendor: 'spamassassin', verdict: 'unknown', score: num(f.value.trim()), details: [] }),
  'x-ms-exchange-organization-scl': (f) => {
    const n = num(f.value.trim());
    return { vendor: 'microsoft', verdict: scl(n), score: n, threshold: 5, details: [`SCL:${f.value.trim()}`] };
  },
  'x-forefront-antispam-report': (f) => {
    const p = semicolonPairs(f.value);
    const sfv = p.get('SFV');
    const n = num(p.get('SCL'));
    const cat = p.get('CAT');
    let verdict: SpamVerdictValue = scl(n);
    if (sfv && SFV_SPAM.has(sfv)) verdict = 'spam';
    else if (sfv && SFV_HAM.has(sfv) && verdict !== 'spam') verdict = 'ham';
    const details = ['SFV', 'SCL', 'CAT', 'SFTY', 'SRV', 'PTR', 'CIP', 'CTRY', 'IPV', 'H', 'DIR']
      .filter((k) => p.has(k))
      .map((k) => `${k}:${p.get(k)}`);
    if (cat && /^(?:H?PHSH|MALW|SPOOF)$/.test(cat)) verdict = 'spam';
    return { vendor: 'microsoft', verdict, score: n, threshold: n === undefined ? undefined : 5, details };
  },
  'x-microsoft-antispam': (f) => {
    const p = semicolonPairs(f.value);
    const bcl = num(p.get('BCL'));
    if (bcl === undefined) return null;
    // BCL is bulk (graymail) confidence, not spam: 8–9 many complaints → suspect, below → unknown.
    return { vendor: 'microsoft', verdict: bcl >= 8 ? 'suspect' : 'unknown', score: bcl, details: [`BCL:${bcl}`] };
  },
  'x-gm-spam': (f) => ({ vendor: 'gmail', verdict: f.value.trim() === '1' ? 'spam' : f.value.trim() === '0' ? 'ham' : 'unknown', details: [] }),
  'x-gm-phy': (f) => ({ vendor: 'gmail', verdict: f.value.trim() === '1' ? 'spam' : f.value.trim() === '0' ? 'ham' : 'unknown', details: ['phishy'] }),
  'x-spamd-result': (f) => {
    const m = /default:\s*(true|false)\s*\[\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)\s*\]/i.exec(f.value);
    const symbols = [...f.value.matchAll(/\b([A-Z][A-Z0-9_]{2,})\(/g)].map((x) => x[1] ?? '').slice(0, 100);
    return {
      vendor: 'rspamd', verdict: m ? (m[1]?.toLowerCase() === 'true' ? 'spam' : 'ham') : 'unknown',
      score: num(m?.[2]), threshold: num(m?.[3]), details: symbols,
    };
  },
  'x-rspamd-action': (f) => {
    const a = f.value.trim().toLowerCase();
    const verdict: SpamVerdictValue =
      a === 'reject' || a === 'add header' || a === 'rewrite subject' ? 'spam' : a === 'no action' ? 'ham' : a ? 'suspect' : 'unknown';
    return { vendor: 'rspamd', verdict, details: [`action:${a}`] };
  },
  'x-proofpoint-spam-details': (f) => {
    const rule = /\brule=(\S+)/i.exec(f.value)?.[1]?.toLowerCase() ?? '';
    const verdict: SpamVerdictValue = /spam/.test(rule) && !/notspam/.test(rule) ? 'spam' : /notspam|safe/.test(rule) ? 'ham' : rule ? 'suspect' : 'unknown';
    return { vendor: 'proofpoint', verdict, score: num(/\bspamscore=(-?[\d.]+)/i.exec(f.value)?.[1]), details: rule ? [`rule=${rule}`] : [] };
  },
  'x-mimecast-spam-score': (f) => ({ vendor: 'mimecast', verdict: 'unknown', score: num(f.value.trim()), details: [] }),
  'x-barracuda-spam-status': (f) => {
    const m = /^\s*(yes|no)\b/i.exec(f.value);
    return {
      vendor: 'barracuda', verdict: m ? (m[1]?.toLowerCase() === 'yes' ? 'spam' : 'ham') : 'unknown',
      score: num(/SCORE=(-?[\d.]+)/i.exec(f.value)?.[1]), threshold: num(/using (?:global |per-user )?scores of \w+_THRESHOLD=(-?[\d.]+)/i.exec(f.value)?.[1]),
      details: (/tests=([^\s]+)/i.exec(f.value)?.[1] ?? '').split(',').filter(Boolean),
    };
  },
  'x-barracuda-spam-score': (f) => ({ vendor: 'barracuda', verdict: 'unknown', score: num(f.value.trim()), details: [] }),
  'x-yahoofilteredbulk': (f) => ({ vendor: 'yahoo', verdict: 'suspect', details: [`bulk from ${f.value.trim()}`] }),
  'x-amavis-alert': (f) => ({ vendor: 'amavis', verdict: /spam|banned|infected|virus/i.test(f.value) ? 'spam' : 'unknown', details: [f.value.slice(0, 200)] }),
  'x-virus-status': (f) => ({ vendor: 'virus-scanner', verdict: /^\s*infected/i.test(f.value) ? 'spam' : /^\s*clean/i.test(f.value) ? 'ham' : 'unknown', details: [f.value.slice(0, 200)] }),
  'x-virus-scanned': (f) => ({ vendor: /amavis/i.test(f.value) ? 'amavis' : 'virus-scanner', verdict: 'unknown', details: [f.value.slice(0, 200)] }),
};

/** Every verdict the header states, in header order. Unknown vendors are ignored, never guessed. */
export function readSpamVerdicts(fields: HeaderField[]): SpamVerdict[] {
  const out: SpamVerdict[] = [];
  for (const f of fields) {
    const read = READERS[f.key];
    if (!read || !Object.hasOwn(READERS, f.key)) continue;
    const v = read(f);
    if (v) out.push({ ...v, headerIndex: f.index, header: f.name });
  }
  return out;
}
