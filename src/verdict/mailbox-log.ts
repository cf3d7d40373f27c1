// What the mailbox server's own log says happened to the message inside the recipient's mailbox (Dovecot: the
// LMTP/LDA delivery line, Sieve's fileinto, and with the mail_log plugin every save, copy, \Deleted flag and
// expunge): the folder it was saved into on delivery, and the folders it is in after the logged steps. A log
// line is the server's word for that moment only: without the mail_log plugin a later move or expunge is not
// logged at all, so a folder from here is "where the log last put it", never "where it is now".
// Pure: trail events in, steps out.

import type { StoredLogEvent } from '../correlate/types.js';
import { mailboxAction } from '../parse/logs/dovecot.js';
import { isSenderFolder } from './folders.js';

export interface MailboxStep {
  action: 'saved' | 'copied' | 'deleted' | 'undeleted' | 'expunged' | 'autoexpunged';
  mailbox: string;
  /** Whose mailbox (the Dovecot user). */
  owner: string | null;
  /** The delivery agent's own line (LMTP/LDA, Sieve), not a mail_log record. */
  delivery: boolean;
  event: StoredLogEvent;
}

export interface MailboxLog {
  steps: MailboxStep[];
  /** The folder the delivery agent saved it into (the first delivery line). */
  filed: MailboxStep | null;
  /** Folders that still hold it after the logged steps (empty when expunged from all of them). */
  folders: string[];
  /** The expunges, when after them no folder holds it. */
  removed: MailboxStep[];
}

const KEPT = new Set<MailboxStep['action']>(['saved', 'copied', 'deleted', 'undeleted', 'expunged', 'autoexpunged']);
const byTime = (a: MailboxStep, b: MailboxStep): number => (a.event.timeMs ?? 0) - (b.event.timeMs ?? 0) || a.event.artifactId - b.event.artifactId || a.event.line - b.event.line;

const isExpunge = (s: MailboxStep): boolean => s.action === 'expunged' || s.action === 'autoexpunged';

/** Mailbox steps of the message in the mailboxes of `recipients` (lower-case; empty = any mailbox). */
export function mailboxLog(events: readonly StoredLogEvent[], recipients: readonly string[]): MailboxLog {
  // A Dovecot user may be a bare login (`bob`) where the MTA logged bob@example.org: the user of a delivery that the
  // MTA's own line names (its LMTP reply carries Dovecot's session id) is the recipient's mailbox too.
  const handedOver = new Set(events.filter((e) => e.format !== 'dovecot' && e.remoteQueueId !== null).map((e) => e.remoteQueueId));
  const owners = new Set(recipients);
  for (const e of events) if (e.format === 'dovecot' && e.to !== null && e.queueId !== null && handedOver.has(e.queueId)) owners.add(e.to.toLowerCase());
  // A Sent, Drafts or Outbox folder is the sender's own (as for a stored copy, folders.ts): not the recipient's mailbox.
  const steps = dovecotSteps(events).filter((s) => !isSenderFolder(s.mailbox) && (recipients.length === 0 || (s.owner !== null && owners.has(s.owner))));
  const filed = steps.find((s) => s.delivery) ?? steps.find((s) => s.action === 'saved') ?? null;
  const holding = new Set<string>();
  for (const s of steps) {
    if (s.action === 'saved' || s.action === 'copied') holding.add(s.mailbox);
    else if (isExpunge(s)) holding.delete(s.mailbox);
  }
  return { steps, filed, folders: [...holding].sort(), removed: holding.size === 0 ? steps.filter(isExpunge) : [] };
}

/**
 * The sender's own mail client saving the message into its Sent (or Drafts, Outbox) folder, as the sender's mailbox
 * server logged it (mail_log `save` by an IMAP session): when and by which login the client wrote its copy, which is
 * what a client does whether or not it also submitted the message. `sender` is the envelope or header From address;
 * a bare Dovecot login matches its local part. With no sender known (null), whoever saved it into their own Sent
 * folder is taken as the sender: that folder is what makes an account the sender's.
 */
export function sentFolderSaves(events: readonly StoredLogEvent[], sender: string | null): MailboxStep[] {
  const addr = sender?.toLowerCase() ?? null;
  const local = addr === null ? '' : addr.slice(0, Math.max(0, addr.lastIndexOf('@')));
  const isSender = (o: string): boolean => addr === null || o === addr || (local !== '' && o === local);
  return dovecotSteps(events).filter((s) => s.action === 'saved' && !s.delivery && isSenderFolder(s.mailbox) && s.owner !== null && isSender(s.owner));
}

/** Every mailbox step the Dovecot lines among `events` record, in time order. */
function dovecotSteps(events: readonly StoredLogEvent[]): MailboxStep[] {
  const steps: MailboxStep[] = [];
  for (const e of events) {
    if (e.format !== 'dovecot') continue;
    const a = mailboxAction(e.detail);
    if (a === null || !KEPT.has(a.action as MailboxStep['action'])) continue;
    // A delivery's user is its recipient (`to`); an IMAP/POP3 session's user is in the detail (`account`).
    const who = e.to ?? a.account ?? null;
    steps.push({ action: a.action as MailboxStep['action'], mailbox: a.mailbox, owner: who === null ? null : who.toLowerCase(), delivery: e.status === 'delivered', event: e });
  }
  return steps.sort(byTime);
}

/** One step in words, for claims and summaries: `saved into Junk`, `expunged from INBOX`. */
export function stepWords(s: MailboxStep): string {
  switch (s.action) {
    case 'saved': return `saved into ${s.mailbox}`;
    case 'copied': return `copied into ${s.mailbox}`;
    case 'deleted': return `marked \\Deleted in ${s.mailbox}`;
    case 'undeleted': return `unmarked \\Deleted in ${s.mailbox}`;
    case 'expunged': return `expunged from ${s.mailbox}`;
    case 'autoexpunged': return `expunged from ${s.mailbox} by the server's autoexpunge`;
  }
}
