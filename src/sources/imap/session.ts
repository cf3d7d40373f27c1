// The real IMAP port, over imapflow: connect (TLS verified unless --insecure; imap:// must upgrade with
// STARTTLS), log in, then only LIST, EXAMINE, UID SEARCH and UID FETCH … BODY.PEEK[]. Every command sent is
// checked by the wire audit (wire-audit.ts); a command that could change the mailbox stops the run.
// This module does network I/O; it never reads the environment (credentials are passed in from cli/).

import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { isIP } from 'node:net';
import { MailtrailError } from '../../errors.js';
import { createAuditLogger } from './wire-audit.js';
import { ImapConnectionLost, imapError, RERUN_HINT, type ImapLoginFacts, type ImapStage } from './errors.js';
import { uidSet, type ImapSearchQuery } from './search.js';
import { messageFlags, specialUseOf } from './special-use.js';
import type { ImapCredentials, ImapFetched, ImapFolder, ImapFolderState, ImapSession, ImapTlsInfo } from './types.js';
import type { ImapTarget } from './url.js';

export interface OpenSessionOptions {
  /** Skip certificate verification (explicit user opt-in, recorded by the caller). */
  insecure: boolean;
  clientVersion: string;
  /** Milliseconds; defaults suit a real server across the internet. */
  connectTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Extra CA certificates (PEM) to trust, in addition to Node's (NODE_EXTRA_CA_CERTS also works). */
  ca?: string | Buffer | undefined;
}

interface TlsSocketLike {
  getProtocol?: () => string | null;
  getCipher?: () => { name?: string } | null;
}

export async function openImapSession(target: ImapTarget, creds: ImapCredentials, opts: OpenSessionOptions): Promise<ImapSession> {
  const logger = createAuditLogger();
  const options: ImapFlowOptions = {
    host: target.host,
    port: target.port,
    secure: target.scheme === 'imaps',
    doSTARTTLS: target.scheme === 'imap' ? true : undefined,
    servername: isIP(target.host) ? undefined : target.host,
    auth: creds.kind === 'password' ? { user: target.user, pass: creds.password } : { user: target.user, accessToken: creds.token },
    tls: { rejectUnauthorized: !opts.insecure, minVersion: 'TLSv1.2', ...(opts.ca ? { ca: opts.ca } : {}) },
    logger,
    clientInfo: { name: 'mailtrail', version: opts.clientVersion },
    disableAutoIdle: true,
    connectionTimeout: opts.connectTimeoutMs ?? 30_000,
    greetingTimeout: Math.min(opts.connectTimeoutMs ?? 16_000, 16_000),
    socketTimeout: opts.socketTimeoutMs ?? 120_000,
  };
  const client = new ImapFlow(options);
  let failure: unknown = null;
  let closed = false;
  // imapflow reports socket trouble as 'error' events; without a listener Node would crash the process.
  client.on('error', (err: unknown) => {
    failure ??= err;
  });
  client.on('close', () => {
    closed = true;
  });

  const loginFacts = (): ImapLoginFacts => {
    const caps = client.capabilities;
    const known = caps instanceof Map && caps.size > 0; // empty until the greeting or CAPABILITY arrived
    return { credential: creds.kind, oauthOffered: known ? ['AUTH=XOAUTH2', 'AUTH=XOAUTH', 'AUTH=OAUTHBEARER'].some((c) => caps.has(c)) : null };
  };
  const guard = (stage: ImapStage, folder?: string): void => {
    const v = logger.audit.violations;
    if (v.length > 0) {
      client.close();
      throw new MailtrailError('IO', `IMAP read-only guard stopped the run (${stage}${folder ? ` ${folder}` : ''}): ${v[0]}`, {
        hint: 'this is a bug in mailtrail; please report it with the command you ran',
      });
    }
  };
  const fail = (err: unknown, stage: ImapStage, folder?: string): never => {
    guard(stage, folder);
    const e = imapError(failure ?? err, target, stage, folder, stage === 'connect' ? loginFacts() : undefined);
    if (closed && !(e instanceof ImapConnectionLost) && stage !== 'connect') {
      throw new ImapConnectionLost('IO', `IMAP connection lost for ${target.account}${folder ? ` while reading ${folder}` : ''}`, { cause: err, hint: RERUN_HINT });
    }
    throw e;
  };

  try {
    await client.connect();
  } catch (err) {
    client.close();
    fail(err, 'connect');
  }
  guard('connect');
  const sock = (client as unknown as { socket?: TlsSocketLike }).socket;
  const tls: ImapTlsInfo = { protocol: sock?.getProtocol?.() ?? null, cipher: sock?.getCipher?.()?.name ?? null, verified: !opts.insecure };
  if (!tls.protocol) {
    client.close();
    throw new MailtrailError('IO', `IMAP connection to ${target.account} is not encrypted`, { hint: 'mailtrail only reads mailboxes over TLS (imaps://, or imap:// with STARTTLS)' });
  }

  let current: string | null = null;
  const fetchStream = async function* <T>(uids: readonly number[], query: Parameters<ImapFlow['fetch']>[1], map: (m: Awaited<ReturnType<ImapFlow['fetchOne']>> & object) => T): AsyncGenerator<T> {
    if (uids.length === 0) return;
    const folder = current ?? undefined;
    try {
      for await (const m of client.fetch(uidSet(uids), query, { uid: true })) yield map(m);
    } catch (err) {
      fail(err, 'fetch', folder);
    }
    guard('fetch', folder);
    // imapflow ends a fetch quietly when the connection drops mid-way; a short answer must not pass as complete.
    if (closed || failure) fail(failure ?? new Error('connection closed'), 'fetch', folder);
  };

  return {
    target,
    tls,
    usable: () => !closed && failure === null && client.usable,
    async listFolders(): Promise<ImapFolder[]> {
      try {
        const entries = await client.list({ listOnly: true });
        guard('list');
        return entries.map((e) => {
          const flags = [...e.flags];
          return {
            path: e.path,
            delimiter: e.delimiter,
            listFlags: flags,
            specialUse: specialUseOf({ path: e.path, flags, specialUse: e.specialUse, specialUseSource: e.specialUseSource }),
            selectable: !flags.some((f) => /^\\(noselect|nonexistent)$/i.test(f)),
          };
        });
      } catch (err) {
        return fail(err, 'list');
      }
    },
    async examine(path: string): Promise<ImapFolderState> {
      current = path;
      let mb;
      try {
        mb = await client.mailboxOpen(path, { readOnly: true });
      } catch (err) {
        return fail(err, 'examine', path);
      }
      guard('examine', path);
      if (mb.readOnly !== true) {
        client.close();
        throw new MailtrailError('IO', `IMAP server did not confirm read-only access to ${path}; stopped before reading anything`, {
          hint: 'the server ignored EXAMINE semantics; mailtrail will not read a folder it might change',
        });
      }
      return {
        path,
        uidValidity: mb.uidValidity.toString(),
        uidNext: mb.uidNext,
        exists: mb.exists,
        highestModseq: mb.highestModseq === undefined ? null : mb.highestModseq.toString(),
        readOnly: true,
      };
    },
    async search(query: ImapSearchQuery): Promise<number[]> {
      try {
        const r = await client.search(query, { uid: true });
        guard('search', current ?? undefined);
        if (r === false || r === undefined) throw new Error('the server refused the SEARCH');
        return [...r].sort((a, b) => a - b);
      } catch (err) {
        return fail(err, 'search', current ?? undefined);
      }
    },
    sizes: (uids) => fetchStream(uids, { uid: true, size: true }, (m) => ({ uid: m.uid, rfc822Size: m.size ?? 0 })),
    fetch: (uids) =>
      fetchStream(uids, { uid: true, flags: true, internalDate: true, size: true, source: true }, (m): ImapFetched => {
        const date = m.internalDate === undefined ? null : new Date(m.internalDate);
        return {
          uid: m.uid,
          flags: messageFlags(m.flags ?? []),
          internalDate: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
          rfc822Size: m.size ?? m.source?.length ?? 0,
          source: m.source ?? Buffer.alloc(0),
        };
      }),
    audit: () => logger.audit,
    async close(): Promise<void> {
      if (closed) return;
      const timer = setTimeout(() => client.close(), 5_000);
      try {
        await client.logout();
      } catch {
        client.close();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
