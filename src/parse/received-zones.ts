// Time-zone names seen at the end of Received dates, and how far we trust them.
// Pure data. RFC 5322 §4.3 defines UT, GMT and the US zones (EST…PDT); those are read without comment.
// Everything else is a convention, read with a warning; names known to mean several zones are read
// with the meaning noted below and an "ambiguous" warning:
//   IST  → +0530 (India)        also Irish Summer Time (+0100) and Israel Standard Time (+0200)
//   BST  → +0100 (British Summer) also Bangladesh Standard Time (+0600)
//   AST  → -0400 (Atlantic)     also Arabia Standard Time (+0300)
//   CST  → -0600 (US Central, as RFC 5322 says) although Chinese servers write it for +0800: no warning,
//          the RFC meaning wins.
// Military single letters (A–I, K–Y) are ambiguous by definition: RFC 822 defined their signs backwards,
// so RFC 5322 §4.3 says to treat them as -0000 (UTC, local zone unknown). We do that and warn. `Z` is UTC.

export interface ZoneInfo {
  /** Minutes east of UTC. */
  minutes: number;
  /** Absent for RFC 5322 names; otherwise the warning to attach. */
  note?: 'non-standard' | 'ambiguous' | 'military';
  meaning?: string;
}

const RFC: Array<[string, number]> = [
  ['UT', 0], ['UTC', 0], ['GMT', 0], ['Z', 0],
  ['EST', -300], ['EDT', -240], ['CST', -360], ['CDT', -300],
  ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420],
];

const CONVENTIONAL: Array<[string, number]> = [
  ['JST', 540], ['KST', 540], ['HKT', 480], ['SGT', 480], ['AWST', 480], ['WIB', 420], ['ICT', 420],
  ['ACST', 570], ['ACDT', 630], ['AEST', 600], ['AEDT', 660], ['NZST', 720], ['NZDT', 780],
  ['CET', 60], ['CEST', 120], ['MET', 60], ['MEST', 120], ['MEZ', 60], ['MESZ', 120],
  ['EET', 120], ['EEST', 180], ['WET', 0], ['WEST', 60], ['MSK', 180], ['MSD', 240], ['IDT', 180],
  ['SAST', 120], ['HST', -600], ['AKST', -540], ['AKDT', -480], ['ADT', -180], ['NST', -210], ['NDT', -150],
  ['BRT', -180], ['ART', -180],
];

const AMBIGUOUS: Array<[string, number, string]> = [
  ['IST', 330, 'India Standard Time; it may also mean Irish Summer Time (+0100) or Israel Standard Time (+0200)'],
  ['BST', 60, 'British Summer Time; it may also mean Bangladesh Standard Time (+0600)'],
  ['AST', -240, 'Atlantic Standard Time; it may also mean Arabia Standard Time (+0300)'],
];

const ZONES = new Map<string, ZoneInfo>();
for (const [name, minutes] of RFC) ZONES.set(name, { minutes });
for (const [name, minutes] of CONVENTIONAL) ZONES.set(name, { minutes, note: 'non-standard' });
for (const [name, minutes, meaning] of AMBIGUOUS) ZONES.set(name, { minutes, note: 'ambiguous', meaning });

/** Look up a zone name (case-insensitive for names of two letters or more; military letters upper-case only). */
export function lookupZone(name: string): ZoneInfo | null {
  if (name.length === 1) {
    if (name === 'Z') return { minutes: 0 };
    if (/^[A-IK-Y]$/.test(name)) return { minutes: 0, note: 'military' };
    return null;
  }
  return ZONES.get(name.toUpperCase()) ?? null;
}

/** `+hhmm` / `-hhmm` for an offset in minutes. */
export function formatOffset(minutes: number, negativeZero = false): string {
  const sign = minutes < 0 || (minutes === 0 && negativeZero) ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${mm}`;
}
