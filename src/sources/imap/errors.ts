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

/** What the session knows about the login when it failed (connect stage only). */
export interface ImapLoginFacts {
  /** The credential tried: an access token (XOAUTH2/OAUTHBEARER) or a password. */
  credential: 'password' | 'token';
  /** The server's capabilities include AUTH=XOAUTH2, AUTH=XOAUTH or AUTH=OAUTHBEARER; null when unknown. */
  oauthOffered: boolean | null;
}

export function imapError(err: unknown, target: ImapTarget, stage: ImapStage, folder?: string, login?: ImapLoginFacts): MailtrailError {
  if (err instanceof MailtrailError) return err;
  const e = (err ?? {}) as ImapFlowLikeError;
  const code = e.code ?? '';
  const server = oneLine(e.responseText ?? e.reason ?? '');
  const detail = oneLine(server || e.message || String(err));
  const acct = target.account;
  const opts = { cause: err };
  // RFC 5530 UNAVAILABLE on a refused login: the server could not check the credentials (for a token, its
  // provider did not answer). "Login failed, check your password" would send the user after the wrong problem.
  if (e.authenticationFailed && e.serverResponseCode?.toUpperCase() === 'UNAVAILABLE') {
    return new MailtrailError('IO', `IMAP server could not check the login for ${acct} (temporary failure): ${detail}`, {
      ...opts,
      hint: 'the server\'s authentication service is unavailable (for an access token: its check with the identity provider); try again later',
    });
  }
  if (e.authenticationFailed) {
    return new MailtrailError('IO', `IMAP login failed for ${acct}: ${detail}`, {
      ...opts,
      hint:
        login?.credential === 'token'
          ? 'check the user name and MAILTRAIL_IMAP_TOKEN: access tokens expire (Gmail and Microsoft 365: after about an hour) and need the IMAP scope; get a fresh one'
          : 'check the user name and MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2 accounts such as Gmail and Microsoft 365)',
    });
  }
  // imapflow throws a plain Error before sending anything when a token is given and the server offers no
  // OAuth2 mechanism; the capabilities say why.
  if (stage === 'connect' && login?.credential === 'token' && login.oauthOffered === false) {
    return new MailtrailError('USAGE', `IMAP server offers no OAuth2 login (XOAUTH2 or OAUTHBEARER) for ${acct}`, {
      ...opts,
      hint: 'MAILTRAIL_IMAP_TOKEN needs a server that offers XOAUTH2 or OAUTHBEARER (Gmail, Microsoft 365); for this server unset it and use MAILTRAIL_IMAP_PASSWORD',
    });
  }
  // imapflow refuses, before sending, a user name or token that cannot be framed as one SASL field.
  if (code === 'InvalidStringValue') {
    return new MailtrailError('USAGE', `IMAP login not attempted for ${acct}: ${detail}`, {
      ...opts,
      hint: 'remove the line break or other control character from the user name or MAILTRAIL_IMAP_TOKEN (a file saved with CRLF line ends?)',
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
