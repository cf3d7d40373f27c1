// `mailtrail ingest <paths...>`: add evidence to the store. Thin: options -> ingest() -> summary.

import { withStore } from '../store-session.js';
import { realIngestPorts } from '../ingest-ports.js';
import { ingest } from '../../ingest/ingest.js';
import { MailtrailError } from '../../errors.js';
import { outputFormat, toJson, type Ctx } from '../output.js';
import { startProgress } from '../progress.js';

export interface IngestCliOptions {
  format?: string;
  headersOnly?: boolean;
  mboxFormat?: string;
  maxMessageMb?: string;
  json?: boolean;
  jsonl?: boolean;
}

export async function runIngest(paths: string[], opts: IngestCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  if (paths.length === 0) throw new MailtrailError('USAGE', 'nothing to ingest', { hint: 'give one or more files, directories, or - for stdin' });
  const mboxFormat = opts.mboxFormat ?? 'mboxrd';
  if (mboxFormat !== 'mboxrd' && mboxFormat !== 'mboxo') {
    throw new MailtrailError('USAGE', `unknown --mbox-format ${mboxFormat}`, { hint: 'one of: mboxrd, mboxo' });
  }
  const maxMb = Number(opts.maxMessageMb ?? '100');
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new MailtrailError('USAGE', `--max-message-mb must be a positive number`);

  const { exitCode, summary } = await withStore(ctx, 'ingest', { mustExist: false }, async (db, runId) => {
    const progress = startProgress(ctx);
    try {
      const summary = await ingest(
        paths,
        { format: opts.format, headersOnly: opts.headersOnly === true, mboxFormat, maxMessageBytes: Math.floor(maxMb * 1024 * 1024) },
        realIngestPorts(db, { runId, toolVersion: ctx.toolVersion }, {
          onProblem: (p) => {
            progress.clear();
            const where = p.position === 'file' ? p.path : `${p.path} ${p.position}`;
            ctx.io.err(`mailtrail: ${p.message}: ${where}\n${p.hint ? `hint: ${p.hint}\n` : ''}`);
          },
          onProgress: (p) => progress.update(p),
        }),
      );
      return { exitCode: summary.errors > 0 ? 2 : 0, summary };
    } finally {
      progress.done();
    }
  });
  if (fmt === 'table') {
    ctx.io.out(
      `ingested ${summary.files} file(s): ${summary.messages} message(s), ${summary.newMessages} new, ` +
        `${summary.duplicates} already stored, ${summary.unchanged} file(s) unchanged, ${summary.skipped} skipped, ${summary.errors} error(s)\n`,
    );
  } else {
    const doc = { schemaVersion: 1, type: 'summary', ...summary };
    ctx.io.out(fmt === 'json' ? toJson(doc) : JSON.stringify(doc) + '\n');
  }
  return exitCode;
}
