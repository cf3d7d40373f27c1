// `mailtrail ingest imaps://user@host[:port]`: preserve a live mailbox as evidence without changing it.
// Thin: options -> credentials (cli/imap-credentials.ts) -> IMAP session -> ingest() with the IMAP ports
// -> summary. The session and the store are always closed, also on failure. --insecure is an explicit
// opt-in: it is in the journal's arguments and in the run's journal outcome (tls.verified = false).

import { withStore } from '../store-session.js';
import { imapIngestPorts, imapStorePorts } from '../ingest-ports.js';
import { imapCredentials, promptHidden } from '../imap-credentials.js';
import { ingest, type IngestSummary } from '../../ingest/ingest.js';
import { MailtrailError } from '../../errors.js';
import { outputFormat, toJson, warnLine, type Ctx } from '../output.js';
import { startProgress } from '../progress.js';
import { createPreparePool } from '../../ingest/prepare-pool.js';
import { parseImapUrl } from '../../sources/imap/url.js';
import { buildSearch, isTargeted, type ImapCriteria } from '../../sources/imap/search.js';
import { commonIngestOptions, type IngestCliOptions } from './ingest.js';
import type { ImapSession } from '../../sources/imap/types.js';

export interface ImapCliOptions {
  folder?: string[];
  since?: string;
  before?: string;
  messageId?: string;
  from?: string;
  to?: string;
  subject?: string;
  insecure?: boolean;
  /** Hidden: messages per transaction (tests use small batches). */
  batchSize?: string;
}

export async function runIngestImap(url: string, opts: IngestCliOptions & ImapCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  const target = parseImapUrl(url);
  if (opts.format !== undefined) throw new MailtrailError('USAGE', '--format does not apply to an IMAP address');
  const criteria: ImapCriteria = { messageId: opts.messageId, from: opts.from, to: opts.to, subject: opts.subject, since: opts.since, before: opts.before };
  buildSearch(criteria); // usage errors before asking for a password
  const { jobs, maxMessageBytes } = commonIngestOptions(opts);
  const batchSize = opts.batchSize === undefined ? undefined : Number(opts.batchSize);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) throw new MailtrailError('USAGE', '--batch-size must be a positive integer');
  const insecure = opts.insecure === true;
  const interactive = ctx.io.stdinIsTTY && ctx.config.stderrIsTTY;
  const creds = await imapCredentials(target.account, { env: process.env, prompt: interactive ? promptHidden : undefined });
  if (insecure) warnLine(ctx, `--insecure: the TLS certificate of ${target.host}:${target.port} is NOT verified (recorded in the journal)`);

  const { exitCode, summary } = await withStore(ctx, 'ingest', { mustExist: false }, async (db, runId) => {
    const { openImapSession } = await import('../../sources/imap/session.js');
    const { createImapSource } = await import('../../sources/imap/source.js');
    const session: ImapSession = await openImapSession(target, creds, { insecure, clientVersion: ctx.toolVersion });
    const progress = startProgress(ctx);
    const pool = createPreparePool(jobs);
    try {
      const source = createImapSource(
        session,
        { folders: opts.folder ?? null, criteria, batchSize },
        {
          ...imapStorePorts(db, runId),
          // A bar only for full-folder ingests: a targeted search fetches a handful of messages.
          onProgress: isTargeted(criteria) ? undefined : (p) => progress.update({ path: p.path, bytes: p.bytes, messages: p.messages }),
        },
      );
      const sum: IngestSummary = await ingest(
        [url],
        { headersOnly: opts.headersOnly === true, mboxFormat: 'mboxrd', maxMessageBytes },
        imapIngestPorts(db, { runId, toolVersion: ctx.toolVersion }, source, maxMessageBytes, {
          onProblem: (p) => {
            progress.clear();
            const where = p.position === 'file' ? p.path : `${p.path} ${p.position}`;
            ctx.io.err(`mailtrail: ${p.message}: ${where}\n${p.hint ? `hint: ${p.hint}\n` : ''}`);
          },
        }, pool),
      );
      const imap = { account: target.account, insecure, tls: session.tls, ...source.stats, commands: session.audit().commands.length };
      return { exitCode: sum.errors > 0 ? 2 : 0, summary: { ...sum, imap } };
    } finally {
      progress.done();
      await Promise.all([pool.close(), session.close()]);
    }
  });

  const s = summary;
  if (fmt === 'table') {
    ctx.io.out(
      `ingested ${target.base}: ${s.imap.folders} folder(s), ${s.imap.fetched} message(s) fetched (${s.newMessages} new, ${s.duplicates} already stored), ` +
        `${s.imap.alreadyStored} skipped as fetched in an earlier run, ${s.errors} error(s)\n`,
    );
  } else {
    const doc = { schemaVersion: 1, type: 'summary', ...s };
    ctx.io.out(fmt === 'json' ? toJson(doc) : JSON.stringify(doc) + '\n');
  }
  return exitCode;
}
