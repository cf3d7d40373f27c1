// `mailtrail hops <message | ->`: the Received chain of one message, from a file or from the store.

import { expandInputs } from '../../sources/walk.js';
import { getAdapter } from '../../sources/registry.js';
import { withStore } from '../store-session.js';
import { findMessagesById, findMessageBySha, messageLocations, readHops, type StoredMessage } from '../../store/read.js';
import { parseHeaderBlock } from '../../parse/headers.js';
import { buildHopChain } from '../../parse/received-chain.js';
import { summarizeHeaders, normalizeMessageId } from '../../parse/message-summary.js';
import { sha256 } from '../../ingest/prepare-message.js';
import { hopsDocument, hopsJsonl, hopsTableRows, type HopsDocument } from '../../report/hops.js';
import { MailtrailError } from '../../errors.js';
import { renderFitted, outputFormat, toJson, toJsonl, type Ctx } from '../output.js';
import type { RawMessage } from '../../model/source.js';
import type { Db } from '../../store/db.js';

export interface HopsCliOptions {
  messageId?: string;
  sha256?: string;
  message?: string;
  json?: boolean;
  jsonl?: boolean;
}

export async function runHops(file: string | undefined, opts: HopsCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  let doc: HopsDocument;
  if (file !== undefined) {
    if (opts.messageId || opts.sha256) throw new MailtrailError('USAGE', 'give a message file or --message-id/--sha256, not both');
    doc = await hopsFromFile(file, opts.message);
  } else if (opts.messageId || opts.sha256) {
    doc = (await withStore(ctx, 'hops', { mustExist: true }, (db) => ({ exitCode: 0, doc: hopsFromStore(db, opts, ctx) }))).doc;
  } else {
    throw new MailtrailError('USAGE', 'which message?', { hint: 'give a message file (or - for stdin), or --message-id ID with --db' });
  }
  if (fmt === 'json') ctx.io.out(toJson(doc));
  else if (fmt === 'jsonl') ctx.io.out(toJsonl(hopsJsonl(doc)));
  else ctx.io.out(renderTable(doc, ctx));
  return 0;
}

async function hopsFromFile(file: string, pick: string | undefined): Promise<HopsDocument> {
  const wanted = pick === undefined ? null : Number(pick);
  if (wanted !== null && (!Number.isInteger(wanted) || wanted < 1)) throw new MailtrailError('USAGE', `--message takes a message number from 1`);
  const messages: RawMessage[] = [];
  let total = 0;
  for await (const item of expandInputs([file], {})) {
    if (item.type === 'problem') throw new MailtrailError('BAD_INPUT', item.message, { where: item.path, hint: item.hint });
    if (item.type === 'folder') continue;
    for await (const ev of getAdapter(item.input.kind).read(item.input, { mboxFormat: 'mboxrd', maxMessageBytes: 200 * 1024 * 1024 })) {
      if (ev.type !== 'message') continue;
      total++;
      if (wanted === null ? total === 1 : total === wanted) messages.push(ev.message);
    }
  }
  if (total === 0) throw new MailtrailError('BAD_INPUT', 'no message found', { where: file });
  if (wanted === null && total > 1) {
    throw new MailtrailError('AMBIGUOUS', `${file} holds ${total} messages`, { hint: `choose one with --message N (1-${total})` });
  }
  const msg = messages[0];
  if (!msg) throw new MailtrailError('USAGE', `${file} holds ${total} message(s); there is no message #${wanted}`);
  const block = parseHeaderBlock(msg.bytes);
  return hopsDocument({ messageId: summarizeHeaders(block).messageId, sha256: sha256(msg.bytes) }, buildHopChain(block.fields));
}

function hopsFromStore(db: Db, opts: HopsCliOptions, ctx: Ctx): HopsDocument {
  {
    const found: StoredMessage[] = opts.sha256 ? findMessageBySha(db, opts.sha256) : findMessagesById(db, normalizeMessageId(opts.messageId ?? ''));
    const what = opts.sha256 ? `sha256 ${opts.sha256}` : `Message-ID ${opts.messageId}`;
    if (found.length === 0) throw new MailtrailError('NOT_FOUND', `no message with ${what} in the store`, { where: ctx.config.db });
    if (found.length > 1) {
      const list = found
        .map((m) => {
          const where = messageLocations(db, m.id).map((l) => (l.folder ? `${l.folder} (${l.path})` : l.path));
          return `${m.sha256.slice(0, 12)} in ${where.join(', ') || '?'}`;
        })
        .join('; ');
      throw new MailtrailError('AMBIGUOUS', `${found.length} different copies match ${what}: ${list}`, { hint: 'choose one with --sha256 PREFIX' });
    }
    const m = found[0]!;
    return hopsDocument({ messageId: m.messageId, sha256: m.sha256 }, readHops(db, m.id));
  }
}

/**
 * Content widths the hop table never shrinks below: a whole `HH:MM:SS.mmmZ`, a whole delay, a bracketed IPv4 such
 * as `[127.0.0.1]`; the queue id (opaque) gives way first.
 */
const HOP_MIN_WIDTHS = [3, 13, 7, 11, 8, 6, 6, 3, 3];

function renderTable(doc: HopsDocument, ctx: Ctx): string {
  const { head, rows, notes } = hopsTableRows(doc);
  const lines = [`Message-ID ${doc.message.messageId ?? '(none)'}  sha256 ${doc.message.sha256}`];
  if (rows.length === 0) {
    lines.push('no Received headers: the message never crossed a server that recorded itself');
    return lines.join('\n') + '\n';
  }
  lines.push(renderFitted(head, rows, ctx.config.columns, (_r, c, text) => (c === 2 && text.startsWith('-') ? ctx.chalk.red(text) : text), HOP_MIN_WIDTHS));
  for (const [i, n] of notes.entries()) lines.push(ctx.chalk.yellow(`(${i + 1}) ${n}`));
  return lines.join('\n') + '\n';
}

