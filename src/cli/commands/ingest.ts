// `mailtrail ingest <paths...>`: add evidence to the store. Thin: options -> ingest() -> summary.

import { withStore } from '../store-session.js';
import { realIngestPorts } from '../ingest-ports.js';
import { ingest } from '../../ingest/ingest.js';
import { createPreparePool, defaultWorkers } from '../../ingest/prepare-pool.js';
import { MailtrailError } from '../../errors.js';
import { outputFormat, toJson, type Ctx } from '../output.js';
import { startProgress } from '../progress.js';
import { isImapUrl } from '../../sources/imap/url.js';

export interface IngestCliOptions {
  format?: string;
  /** Logs: --year and --tz for timestamps without them. */
  year?: string;
  tz?: string;
  /** IMAP-only options (see ingest-imap.ts); refused for files. */
  folder?: string[];
  since?: string;
  before?: string;
  messageId?: string;
  from?: string;
  to?: string;
  subject?: string;
  insecure?: boolean;
  batchSize?: string;
  headersOnly?: boolean;
  mboxFormat?: string;
  maxMessageMb?: string;
  jobs?: string;
  json?: boolean;
  jsonl?: boolean;
}

const IMAP_ONLY = ['folder', 'since', 'before', 'messageId', 'from', 'to', 'subject', 'insecure', 'batchSize'] as const;
const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Options shared by file and IMAP ingest, validated once: worker threads and the message size bound. */
export function commonIngestOptions(opts: Pick<IngestCliOptions, 'jobs' | 'maxMessageMb'>): { jobs: number; maxMessageBytes: number } {
  const jobs = opts.jobs === undefined ? defaultWorkers() : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 0 || jobs > 64) throw new MailtrailError('USAGE', '--jobs takes a whole number from 0 to 64');
  const maxMb = Number(opts.maxMessageMb ?? '100');
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new MailtrailError('USAGE', '--max-message-mb must be a positive number');
  return { jobs, maxMessageBytes: Math.floor(maxMb * 1024 * 1024) };
}

export async function runIngest(paths: string[], opts: IngestCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  if (paths.length === 0) throw new MailtrailError('USAGE', 'nothing to ingest', { hint: 'give one or more files, directories, or - for stdin' });
  // IMAP: one account per run, not mixed with files (its options and summary differ).
  if (paths.some(isImapUrl)) {
    if (paths.length > 1) throw new MailtrailError('USAGE', 'an IMAP address cannot be combined with other inputs', { hint: 'run one ingest per mailbox, and one for files' });
    const { runIngestImap } = await import('./ingest-imap.js');
    return runIngestImap(paths[0] as string, opts, ctx);
  }
  const imapOnly = IMAP_ONLY.filter((k) => opts[k] !== undefined);
  if (imapOnly.length > 0) throw new MailtrailError('USAGE', `--${kebab(imapOnly[0] as string)} only applies to an IMAP address (imaps://user@host)`);
  const mboxFormat = opts.mboxFormat ?? 'mboxrd';
  if (mboxFormat !== 'mboxrd' && mboxFormat !== 'mboxo') {
    throw new MailtrailError('USAGE', `unknown --mbox-format ${mboxFormat}`, { hint: 'one of: mboxrd, mboxo' });
  }
  const { jobs, maxMessageBytes } = commonIngestOptions(opts);

  const log = logOptions(opts);
  const { exitCode, summary } = await withStore(ctx, 'ingest', { mustExist: false }, async (db, runId) => {
    const progress = startProgress(ctx);
    const pool = createPreparePool(jobs);
    try {
      const summary = await ingest(
        paths,
        { format: opts.format, headersOnly: opts.headersOnly === true, mboxFormat, maxMessageBytes, log },
        realIngestPorts(db, { runId, toolVersion: ctx.toolVersion }, {
          onProblem: (p) => {
            progress.clear();
            const where = p.position === 'file' ? p.path : `${p.path} ${p.position}`;
            ctx.io.err(`mailtrail: ${p.message}: ${where}\n${p.hint ? `hint: ${p.hint}\n` : ''}`);
          },
          onProgress: (p) => progress.update(p),
        }, pool),
      );
      return { exitCode: summary.errors > 0 ? 2 : 0, summary };
    } finally {
      progress.done();
      await pool.close();
    }
  });
  if (fmt === 'table') {
    ctx.io.out(
      `ingested ${summary.files} file(s)${summary.notIngested > 0 ? `, ${summary.notIngested} not ingested` : ''}: ${summary.messages} message(s), ${summary.newMessages} new, ` +
        `${summary.duplicates} already stored, ${summary.unchanged} file(s) unchanged, ${summary.skipped} skipped, ${summary.errors} error(s)\n` +
        (summary.maildirFolders === undefined ? '' : `Maildir folders examined: ${summary.maildirFolders} (empty ones included)\n`) +
        (summary.logLines === undefined ? '' : `log lines read: ${summary.logLines}, log events stored: ${summary.logEvents ?? 0}\n`),
    );
  } else {
    const doc = { schemaVersion: 1, type: 'summary', ...summary };
    ctx.io.out(fmt === 'json' ? toJson(doc) : JSON.stringify(doc) + '\n');
  }
  return exitCode;
}

/** --year and --tz, validated (logs only; harmless for other inputs). */
function logOptions(opts: IngestCliOptions): { year?: number; tz?: number | string } {
  const out: { year?: number; tz?: number | string } = {};
  if (opts.year !== undefined) {
    const y = Number(opts.year);
    if (!/^\d{4}$/.test(opts.year) || y < 1970 || y > 2100) throw new MailtrailError('USAGE', `--year takes a four-digit year, not '${opts.year}'`);
    out.year = y;
  }
  if (opts.tz !== undefined) out.tz = parseTz(opts.tz);
  return out;
}

/** `UTC`, `Z`, `+01:00`, `-0500` → minutes east of UTC; an IANA name is checked with Intl and kept as a name. */
export function parseTz(v: string): number | string {
  if (/^(utc|z|gmt)$/i.test(v)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(v);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
  } catch {
    throw new MailtrailError('USAGE', `--tz: unknown time zone '${v}'`, { hint: 'an IANA name such as Europe/Berlin, or an offset such as +01:00' });
  }
  return v;
}
