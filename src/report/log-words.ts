// The `key=value` words a log line shows in a timeline row, shared by `trace` and `investigate`: queue id,
// envelope, peer, SMTP AUTH login, DSN and the next server's queue id, and for a mailbox server's line (Dovecot)
// what it did in which folder. Each renderer adds its own tail. Pure.

import { authWords, submissionAuthOf } from '../parse/logs/submission-auth.js';

export interface LogWordsEvent {
  format: string | null;
  queueId: string | null;
  from: string | null;
  to: string | null;
  messageId: string | null;
  relay: string | null;
  client: string | null;
  status: string | null;
  detail: string | null;
  dsn: string | null;
  remoteQueueId: string | null;
}

/** `showMessageId`: name the Message-ID when the line names no address (a cleanup line). */
export function logLineWords(e: LogWordsEvent, showMessageId: boolean): string[] {
  const parts: string[] = [];
  if (e.queueId !== null) parts.push(e.queueId);
  if (e.from !== null) parts.push(`from=${e.from === '' ? '<>' : e.from}`);
  if (e.to !== null) parts.push(`to=${e.to}`);
  if (showMessageId && e.messageId !== null && e.from === null && e.to === null && e.format !== 'dovecot') parts.push(`<${e.messageId}>`);
  if (e.relay !== null) parts.push(`relay=${e.relay}`);
  else if (e.client !== null && e.status === 'received') parts.push(`client=${e.client}`);
  const auth = submissionAuthOf(e);
  if (auth !== null) parts.push(authWords(auth));
  if (e.dsn !== null) parts.push(`dsn=${e.dsn}`);
  if (e.remoteQueueId !== null) parts.push(`queued as ${e.remoteQueueId}`);
  // Dovecot's detail is the fixed wording of parse/logs/dovecot-detail.ts: `saved to mailbox 'Junk'`, `expunged …`.
  if (e.format === 'dovecot' && e.detail !== null) parts.push(e.detail);
  return parts;
}
