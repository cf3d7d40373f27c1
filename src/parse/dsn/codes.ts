// SMTP enhanced status codes (RFC 3463, IANA "SMTP Enhanced Status Codes" registry) and reply codes
// (RFC 5321 §4.2) found in report text, and how a status maps to a bounce reason.
// Pure. Reason names follow Sisimai's vocabulary so results can be compared with its test tables.

import type { BounceReason } from '../../model/dsn.js';

const STATUS_RE = /(?<![\d.A-Za-z])([245])\.([0-7])\.(\d{1,3})(?![\d]|\.\d)/g;

/**
 * The enhanced status code `text` reports, preferring one of class `cls` (`'5'`, `'4'`, `'2'`) when given.
 * A code other than X.0.0 ("other or undefined") and 4.4.7 ("delivery time expired") wins over those,
 * wherever it appears: RFC 3463 §3.5 asks for "the code for the actual problem" rather than 4.4.7.
 */
export function findStatus(text: string, cls?: string): string | null {
  const codes = allStatuses(text);
  const inClass = cls ? codes.filter((c) => c[0] === cls) : codes;
  const pool = inClass.length > 0 ? inClass : codes;
  return pool.find((c) => !isGenericStatus(c)) ?? pool[0] ?? null;
}

/** Every enhanced status code in `text`, in order of appearance (bounded). */
export function allStatuses(text: string): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, 20000).matchAll(STATUS_RE)) {
    out.push(`${m[1]}.${m[2]}.${Number(m[3])}`);
    if (out.length >= 50) break;
  }
  return out;
}

/** X.0.0 and X.4.7 say only that something failed (or took too long), not what. */
export function isGenericStatus(code: string): boolean {
  return /^\d\.0\.0$|^[45]\.4\.7$/.test(code);
}

/** A code whose subject and detail are both set (`5.7.1`, not `5.1.0` or `5.0.0`): precise enough to trust over a Status field. */
export function specificStatus(text: string): string | null {
  return allStatuses(text).find((c) => /^[45]\.[1-7]\.[1-9]\d*$/.test(c) && !isGenericStatus(c)) ?? null;
}

const REPLY_CODES = new Set([
  '211', '214', '220', '221', '235', '250', '251', '252', '253', '421', '422', '431', '432', '441', '442',
  '446', '447', '449', '450', '451', '452', '453', '454', '455', '458', '459', '500', '501', '502', '503',
  '504', '510', '511', '512', '513', '521', '523', '524', '525', '530', '531', '534', '535', '538', '550',
  '551', '552', '553', '554', '555', '556', '557',
]);
const REPLY_RE = /(?:^|[\s:;(<"'[=#])([245]\d\d)(?=[\s\-.;,)]|$)/g;

/** The SMTP reply code in `text`: one followed by an enhanced status wins, then the first plausible one. */
export function findReplyCode(text: string): string | null {
  const t = text.slice(0, 20000);
  const paired = /(?:^|[^\d.])([245]\d\d)[ -]#?([245])\.\d{1,3}\.\d{1,3}/.exec(t);
  if (paired?.[1] && REPLY_CODES.has(paired[1]) && paired[1][0] === paired[2]) return paired[1];
  for (const m of t.matchAll(REPLY_RE)) {
    const code = m[1] ?? '';
    if (!REPLY_CODES.has(code)) continue;
    // Skip times and dates: "12:550" or a year-like context never matches because of REPLY_CODES.
    return code;
  }
  return null;
}

/**
 * A multiline SMTP reply repeats its code on every line (RFC 5321 §4.2.1: "550-5.7.1 a / 550 5.7.1 b").
 * Once unfolded, the repeats split phrases apart; keep the first and drop the rest ("550-5.7.1 a b").
 */
export function joinReplyLines(text: string): string {
  const m = /(?:^|\s)([245]\d\d)[- ]([245]\.\d{1,3}\.\d{1,3}(?=\s))?/.exec(text);
  if (!m?.[1]) return text;
  const head = m.index + m[0].length;
  const token = m[2] ? `${m[1]}[- ]${m[2].replace(/\./g, '\\.')}` : `${m[1]}-`;
  const repeat = new RegExp(`\\s${token}(?=\\s)`, 'g');
  return text.slice(0, head) + text.slice(head).replace(repeat, '');
}

/** Status → reason, by the meaning RFC 3463 and the IANA registry give each code. */
const BY_STATUS: Record<string, BounceReason> = {
  '2.1.5': 'delivered',
  '4.1.6': 'hasmoved', '4.1.7': 'rejected', '4.1.8': 'rejected', '4.1.9': 'systemerror',
  '4.2.1': 'suspend', '4.2.2': 'mailboxfull', '4.2.3': 'exceedlimit', '4.2.4': 'filtered',
  '4.3.1': 'systemfull', '4.3.2': 'notaccept', '4.3.3': 'systemerror', '4.3.5': 'systemerror',
  '4.4.1': 'expired', '4.4.2': 'networkerror', '4.4.3': 'systemerror', '4.4.4': 'networkerror',
  '4.4.5': 'systemfull', '4.4.6': 'networkerror', '4.4.7': 'expired', '4.4.8': 'networkerror',
  '4.5.3': 'systemerror', '4.5.5': 'systemerror', '4.6.0': 'contenterror', '4.6.2': 'contenterror',
  '4.6.5': 'contenterror', '4.7.1': 'blocked', '4.7.2': 'blocked', '4.7.5': 'securityerror',
  '4.7.6': 'securityerror', '4.7.7': 'securityerror', '4.7.12': 'securityerror', '4.7.15': 'securityerror',
  '4.7.16': 'mesgtoobig', '4.7.24': 'authfailure', '4.7.25': 'requireptr', '4.7.26': 'authfailure',
  '5.1.0': 'userunknown', '5.1.1': 'userunknown', '5.1.2': 'hostunknown', '5.1.3': 'userunknown',
  '5.1.4': 'filtered', '5.1.6': 'hasmoved', '5.1.7': 'rejected', '5.1.8': 'rejected', '5.1.9': 'systemerror',
  '5.1.10': 'notaccept', '5.2.0': 'filtered', '5.2.1': 'filtered', '5.2.2': 'mailboxfull',
  '5.2.3': 'exceedlimit', '5.2.4': 'filtered', '5.3.0': 'systemerror', '5.3.1': 'systemfull',
  '5.3.2': 'notaccept', '5.3.3': 'systemerror', '5.3.4': 'mesgtoobig', '5.3.5': 'systemerror',
  '5.4.0': 'networkerror', '5.4.3': 'systemerror', '5.4.4': 'hostunknown', '5.5.2': 'syntaxerror',
  '5.5.3': 'toomanyconn', '5.5.4': 'systemerror', '5.5.5': 'systemerror', '5.5.6': 'syntaxerror',
  '5.6.0': 'contenterror', '5.6.1': 'contenterror', '5.6.2': 'contenterror', '5.6.3': 'contenterror',
  '5.6.5': 'contenterror', '5.6.6': 'contenterror', '5.6.7': 'contenterror', '5.6.8': 'contenterror',
  '5.6.9': 'contenterror', '5.7.0': 'securityerror', '5.7.1': 'securityerror', '5.7.2': 'securityerror',
  '5.7.3': 'securityerror', '5.7.4': 'securityerror', '5.7.5': 'securityerror', '5.7.6': 'securityerror',
  '5.7.7': 'securityerror', '5.7.8': 'securityerror', '5.7.9': 'securityerror', '5.7.10': 'securityerror',
  '5.7.11': 'securityerror', '5.7.13': 'suspend', '5.7.14': 'securityerror', '5.7.15': 'securityerror',
  '5.7.16': 'mesgtoobig', '5.7.17': 'hasmoved', '5.7.18': 'hasmoved', '5.7.19': 'securityerror',
  '5.7.20': 'authfailure', '5.7.21': 'authfailure', '5.7.22': 'authfailure', '5.7.23': 'authfailure',
  '5.7.24': 'authfailure', '5.7.25': 'requireptr', '5.7.26': 'authfailure', '5.7.27': 'notaccept',
};

export function reasonOfStatus(status: string | null): BounceReason | null {
  if (!status) return null;
  if (status.startsWith('2.')) return 'delivered';
  return BY_STATUS[status] ?? null;
}

/** Reasons that a status code alone does not settle; the diagnostic text may say more. */
export const VAGUE_REASONS = new Set<BounceReason>([
  'undefined', 'onhold', 'systemerror', 'securityerror', 'expired', 'networkerror', 'hostunknown', 'userunknown',
]);

/**
 * Pseudo status codes for a reason when the report wrote none: Sisimai's `X.0.9nn` internal codes, so
 * records stay comparable with Sisimai's output (its SMTP::Status "InternalCode" table). Reasons with no
 * temporary code there use the permanent one, as Sisimai does.
 */
const PSEUDO: Partial<Record<BounceReason, string>> = {
  authfailure: '972', badreputation: '975', blocked: '971', contenterror: '960', exceedlimit: '923',
  expired: '947', filtered: '910', hasmoved: '916', hostunknown: '912', mailboxfull: '922',
  mailererror: '939', mesgtoobig: '934', networkerror: '944', norelaying: '909', notaccept: '932',
  onhold: '901', policyviolation: '972', rejected: '918', securityerror: '970', spamdetected: '980',
  speeding: '946', suspend: '921', systemerror: '930', systemfull: '931', syntaxerror: '902',
  toomanyconn: '945', userunknown: '911', undefined: '900', virusdetected: '971',
};
const PSEUDO_TEMPORARY: Partial<Record<BounceReason, string>> = {
  authfailure: '972', badreputation: '975', blocked: '971', contenterror: '960', expired: '947', filtered: '924',
  mailboxfull: '922', networkerror: '944', notaccept: '932', onhold: '901', rejected: '918', securityerror: '970',
  spamdetected: '980', speeding: '946', systemerror: '930', systemfull: '931', toomanyconn: '945', undefined: '900',
};

export function pseudoStatus(reason: BounceReason, temporary: boolean): string | null {
  if (reason === 'delivered' || reason === 'feedback' || reason === 'vacation') return null;
  const t = temporary ? PSEUDO_TEMPORARY[reason] : undefined;
  if (t) return `4.0.${t}`;
  const n = PSEUDO[reason];
  // Reasons newer than the table (requireptr, notcompliantrfc…) take onhold's X.0.901, "not classified by code".
  if (!n) return `${temporary ? 4 : 5}.0.901`;
  return `5.0.${n}`;
}

/**
 * Whether an error text reads as temporary: its status or reply code is 4xx, or, with no code, it says
 * "temporary"/"persistent" (RFC 3463 §3.1 class names). Unknown counts as permanent, as in Sisimai.
 */
export function isTemporaryText(text: string): boolean {
  const code = findStatus(text) ?? findReplyCode(text);
  if (code) return code.startsWith('4');
  const t = text.toLowerCase();
  return (t.includes('temporar') || t.includes('persistent')) && !t.includes('permanent');
}

/** Sisimai's hard-bounce rule: the recipient or its domain does not exist (or has moved). */
export function isHardBounce(reason: BounceReason, status: string | null): boolean {
  if (status?.startsWith('4.') || status?.startsWith('2.')) return false;
  return reason === 'userunknown' || reason === 'hostunknown' || reason === 'hasmoved' || reason === 'notaccept';
}
