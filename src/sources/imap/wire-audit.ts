// The read-only guard on the wire: an imapflow logger that sees every command the client sends (imapflow
// logs each command at debug level before writing it) and checks it against the commands that cannot
// change a mailbox. FETCH must only ask for BODY.PEEK[…]/BINARY.PEEK[…]: plain BODY[…], BINARY[…], RFC822
// and RFC822.TEXT set \Seen (RFC 3501 §6.4.5). Credentials never reach it: for LOGIN and AUTHENTICATE only
// the verb is kept, and imapflow masks secrets in what it logs anyway.
// Pure bookkeeping: it never throws into imapflow; the session checks `violations` after each step.

/** Commands that read, or set up the session, and never change a mailbox, a message or a flag. */
const READ_ONLY = new Set([
  'CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'LOGIN', 'AUTHENTICATE', 'ID', 'ENABLE', 'NAMESPACE', 'COMPRESS',
  'LIST', 'LSUB', 'STATUS', 'EXAMINE', 'SEARCH', 'FETCH', 'UID SEARCH', 'UID FETCH',
]);
const SETS_SEEN = /\b(?:BODY|BINARY)\[|\bRFC822(?:\.TEXT)?(?![.\w])/i;
const MAX_KEPT = 5000;

export interface WireAudit {
  /** Commands sent, without their tags (LOGIN/AUTHENTICATE reduced to the verb). */
  commands: string[];
  /** Commands that are not on the read-only list; empty in every correct run. */
  violations: string[];
}

export interface AuditLogger {
  debug(obj: unknown): void;
  info(obj: unknown): void;
  warn(obj: unknown): void;
  error(obj: unknown): void;
  trace(obj: unknown): void;
  fatal(obj: unknown): void;
  isLevelEnabled(level: string): boolean;
  audit: WireAudit;
}

/** Split `A12 UID FETCH 1:3 (…)` into the verb (`UID FETCH`) and the rest. */
export function commandVerb(line: string): { verb: string; rest: string } {
  const words = line.trim().split(/\s+/);
  const first = (words[1] ?? '').toUpperCase();
  if (first === 'UID') return { verb: `UID ${(words[2] ?? '').toUpperCase()}`, rest: words.slice(3).join(' ') };
  return { verb: first, rest: words.slice(2).join(' ') };
}

/** Null when the command is read-only, else why it is not. */
export function checkCommand(line: string): string | null {
  const { verb, rest } = commandVerb(line);
  if (!READ_ONLY.has(verb)) return `${verb} is not a read-only command`;
  if ((verb === 'FETCH' || verb === 'UID FETCH') && SETS_SEEN.test(rest)) return `${verb} without PEEK would set \\Seen`;
  return null;
}

export function createAuditLogger(): AuditLogger {
  const audit: WireAudit = { commands: [], violations: [] };
  const noop = (): void => {};
  return {
    audit,
    // Only debug is needed (client commands); trace carries every FETCH response and stays off.
    isLevelEnabled: (level) => level === 'debug',
    debug(obj) {
      const o = obj as { src?: unknown; msg?: unknown };
      if (o.src !== 'c' || typeof o.msg !== 'string') return;
      // Continuation frames (SASL responses, masked by imapflow; literal parts) carry no tag and no verb:
      // nothing to check, and nothing to keep.
      if (!/^\S+ [A-Za-z]/.test(o.msg)) return;
      const { verb, rest } = commandVerb(o.msg);
      const shown = verb === 'LOGIN' || verb === 'AUTHENTICATE' ? verb : `${verb} ${rest}`.trim();
      if (audit.commands.length < MAX_KEPT) audit.commands.push(shown);
      const bad = checkCommand(o.msg);
      if (bad) audit.violations.push(`${shown.slice(0, 200)}: ${bad}`);
    },
    info: noop,
    warn: noop,
    error: noop,
    trace: noop,
    fatal: noop,
  };
}
