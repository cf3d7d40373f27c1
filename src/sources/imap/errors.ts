// Turn what imapflow and Node throw into one-line MailtrailErrors that say what failed, for which account,
// and what to do about it. Pure: no I/O. Secrets never appear: imapflow's errors carry server text, codes
// and commands with credentials masked, and only those fields are read here.

import { MailtrailError } from '../../errors.js';
import type { ImapTarget } from './url.js';

export type ImapStage = 'connect' | 'list' | 'examine' | 'search' | 'fetch';

/** Error codes meaning the TLS certificate could not be verified (Node / OpenSSL). */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);
const LOST_CODES = new Set(['NoConnection', 'EConnectionClosed', 'ECONNRESET', 'EPIPE', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText', 'StateLogout']);
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT']);

export const RERUN_HINT = 'what was fetched so far is kept; run the same command again to continue where it stopped';

interface ImapFlowLikeError {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseText?: string;
  serverResponseCode?: string;
  mailboxMissing?: boolean;
  reason?: string;
}

export function isConnectionLost(err: unknown): boolean {
  if (err instanceof ImapConnectionLost) return true;
  const code = (err as ImapFlowLikeError | null)?.code;
  return typeof code === 'string' && (LOST_CODES.has(code) || TIMEOUT_CODES.has(code));
}

/** The connection went away mid-run: later folders cannot be read in this run. */
export class ImapConnectionLost extends MailtrailError {}

export function imapError(err: unknown, target: ImapTarget, stage: ImapStage, folder?: string): MailtrailError {
  if (err instanceof MailtrailError) return err;
  const e = (err ?? {}) as ImapFlowLikeError;
  const code = e.code ?? '';
  const server = oneLine(e.responseText ?? e.reason ?? '');
  const detail = oneLine(server || e.message || String(err));
  const acct = target.account;
  const opts = { cause: err };
  if (e.authenticationFailed) {
    return new MailtrailError('IO', `IMAP login failed for ${acct}: ${detail}`, {
      ...opts,
      hint: 'check the user name and MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2 accounts such as Gmail and Microsoft 365)',
    });
  }
  if (CERT_CODES.has(code)) {
    return new MailtrailError('IO', `IMAP TLS certificate not trusted for ${acct}: ${oneLine(e.message ?? code)}`, {
      ...opts,
      hint: 'trust the server\'s CA with NODE_EXTRA_CA_CERTS=ca.pem, or pass --insecure for a lab server you control (recorded in the journal)',
    });
  }
  if (e.tlsFailed || /^ERR_SSL|^ERR_TLS/.test(code)) {
    return new MailtrailError('IO', `IMAP TLS failed for ${acct}: ${detail}`, {
      ...opts,
      hint: target.scheme === 'imap' ? 'imap:// requires STARTTLS; use imaps:// if the server speaks TLS on connect' : 'use imap:// if the port expects STARTTLS',
    });
  }
  if (code === 'ECONNREFUSED') {
    return new MailtrailError('IO', `IMAP connection refused for ${acct}`, {
      ...opts,
      hint: `is the server running and listening on port ${target.port}? (imaps:// defaults to 993, imap:// to 143)`,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new MailtrailError('IO', `IMAP host not found: ${target.host}`, { ...opts, hint: 'check the host name in the address' });
  }
  if (stage === 'examine' && (e.mailboxMissing || /doesn't exist|not exist|no such|unknown mailbox|nonexistent/i.test(detail))) {
    return new MailtrailError('NOT_FOUND', `IMAP folder not found (removed or renamed?): ${folder ?? '?'}: ${detail}`, {
      ...opts,
      hint: 'list the folders again; a re-run reads the folders that exist now',
    });
  }
  const where = folder ? ` while reading ${folder}` : stage === 'connect' ? '' : ` during ${stage}`;
  if (TIMEOUT_CODES.has(code)) {
    return new ImapConnectionLost('IO', `IMAP server stopped answering for ${acct}${where} (${code})`, { ...opts, hint: RERUN_HINT });
  }
  if (LOST_CODES.has(code)) {
    return new ImapConnectionLost('IO', `IMAP connection lost for ${acct}${where}`, { ...opts, hint: RERUN_HINT });
  }
  return new MailtrailError('IO', `IMAP ${stage} failed for ${acct}${where}: ${detail}`, opts);
}

function oneLine(s: string): string {
  // Dovecot appends its timing to every tagged reply: `… (0.001 + 0.000 secs).`; it is noise to a user.
  const t = s.replace(/\s+/g, ' ').trim().replace(/\s*\([\d.]+(?: \+ [\d.]+)* secs\)\.?$/, '');
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}
