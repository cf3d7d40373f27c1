// Special-use folder roles (RFC 6154 plus the `\Inbox` role imapflow gives INBOX), so later reports can say
// "it is in Junk". Pure: no I/O. Roles come from the server's LIST attributes when it supports
// SPECIAL-USE (or Gmail's XLIST), otherwise from imapflow's localized-name guess; the source is kept.

/** The roles mailtrail records. Anything else the server reports is kept as given. */
export const SPECIAL_USE_ROLES = ['\\Inbox', '\\Junk', '\\Trash', '\\Sent', '\\Archive', '\\All', '\\Drafts', '\\Flagged', '\\Important'] as const;

export interface SpecialUse {
  /** `\Junk`, `\Trash`, … or null for an ordinary folder. */
  role: string | null;
  /**
   * protocol: INBOX, defined by RFC 3501 §5.1; extension: the server said so (SPECIAL-USE/XLIST);
   * name: guessed by imapflow from a well-known folder name; user: configured hint.
   */
  source: 'protocol' | 'extension' | 'name' | 'user' | null;
}

export function specialUseOf(entry: { path: string; flags: Iterable<string>; specialUse?: string | undefined; specialUseSource?: string | undefined }): SpecialUse {
  if (entry.path.toUpperCase() === 'INBOX') return { role: '\\Inbox', source: 'protocol' };
  // The LIST attributes first: that is the server's own statement (RFC 6154 §2).
  for (const f of entry.flags) {
    const role = SPECIAL_USE_ROLES.find((r) => r.toLowerCase() === f.toLowerCase());
    if (role) return { role, source: 'extension' };
  }
  const guess = entry.specialUse ?? null;
  if (guess === null) return { role: null, source: null };
  const canonical = SPECIAL_USE_ROLES.find((r) => r.toLowerCase() === guess.toLowerCase()) ?? guess;
  const src = entry.specialUseSource;
  return { role: canonical, source: src === 'extension' || src === 'name' || src === 'user' ? src : 'name' };
}

/** Flags that do not describe the message but the session (RFC 3501 §2.3.2 `\Recent`, dropped in RFC 9051). */
export function messageFlags(flags: Iterable<string>): string[] {
  return [...new Set(flags)].filter((f) => f.toLowerCase() !== '\\recent').sort();
}
