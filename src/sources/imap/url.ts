// Parse the IMAP address a user gives to `ingest`: `imaps://alice@host[:port]` (TLS from the first byte,
// port 993) or `imap://alice@host[:port]` (STARTTLS required, port 143). Pure: no I/O.
// A password in the URL is refused: a secret on the command line ends up in shell history and process
// listings. It comes from the environment or a prompt instead (cli/).

import { MailtrailError } from '../../errors.js';

export interface ImapTarget {
  scheme: 'imaps' | 'imap';
  user: string;
  /** Lower-cased host name or IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  /** `alice@host:port`: names the account in messages and keys resumable state in the store. */
  account: string;
  /** `imaps://alice@host:port`: the prefix of every artifact path from this account. */
  base: string;
}

const DEFAULT_PORT = { imaps: 993, imap: 143 } as const;

export function isImapUrl(arg: string): boolean {
  return /^imaps?:\/\//i.test(arg);
}

export function parseImapUrl(arg: string): ImapTarget {
  let u: URL;
  try {
    u = new URL(arg);
  } catch {
    throw new MailtrailError('USAGE', `not a valid IMAP address: ${redactUrl(arg)}`, { hint: 'use imaps://user@host[:port] or imap://user@host[:port]' });
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'imaps' && scheme !== 'imap') throw new MailtrailError('USAGE', `unsupported scheme ${scheme}://`);
  if (u.password !== '') {
    throw new MailtrailError('USAGE', 'a password in the IMAP address is refused (it would be visible in shell history and process lists)', {
      hint: 'set MAILTRAIL_IMAP_PASSWORD, or run on a terminal to be prompted',
    });
  }
  const user = decodeURIComponent(u.username);
  if (user === '') throw new MailtrailError('USAGE', `no user name in ${arg}`, { hint: 'use imaps://user@host' });
  if (u.pathname !== '' && u.pathname !== '/') {
    throw new MailtrailError('USAGE', `a folder in the IMAP address is not supported: ${arg}`, { hint: 'use --folder NAME (repeatable)' });
  }
  if (u.search !== '' || u.hash !== '') throw new MailtrailError('USAGE', `unexpected query or fragment in ${arg}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === '') throw new MailtrailError('USAGE', `no host in ${arg}`);
  const port = u.port === '' ? DEFAULT_PORT[scheme] : Number(u.port);
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { scheme, user, host, port, account: `${user}@${hostPort}`, base: `${scheme}://${encodeURIComponent(user)}@${hostPort}` };
}

/** The artifact path of a folder: `imaps://alice@host:993/INBOX` (folder name as the server lists it). */
export function folderPath(target: ImapTarget, folder: string): string {
  return `${target.base}/${folder}`;
}

function redactUrl(arg: string): string {
  return arg.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+):[^@/\s]*@/i, '$1:[redacted]@');
}
