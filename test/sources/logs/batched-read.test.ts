// The worker-thread log reader (used for large files) must store exactly what the in-thread reader stores: same
// rows, same strings, same problems, same digest. A worker loads only compiled JavaScript, so this test drives the
// built module in dist/ (made by `npm test`'s build step) both ways on the real logs of the lab cases.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../helpers/corpus.js';
import type * as BatchedRead from '../../../src/sources/logs/batched-read.js';
import type * as EventBatchModule from '../../../src/sources/logs/event-batch.js';
type EventBatch = EventBatchModule.EventBatch;
import type { SourceProblem } from '../../../src/model/source.js';

const built = path.join(REPO_ROOT, 'dist', 'sources', 'logs', 'batched-read.js');
if (!existsSync(built)) throw new Error('dist/ is missing: this test drives the built worker; run `npm test` (it builds) first');
const mod = (await import(pathToFileURL(built).href)) as typeof BatchedRead;
const { NUM_COLS, STR_COLS, BatchCells } = (await import(pathToFileURL(built.replace('batched-read.js', 'event-batch.js')).href)) as typeof EventBatchModule;

/** Decode batches back to rows of plain values, so two reads compare equal whatever their batch boundaries. */
function rows(batches: EventBatch[]): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    const cells = new BatchCells(b);
    expect(b.lens.length).toBeGreaterThanOrEqual(b.rows * STR_COLS);
    for (let r = 0; r < b.rows; r++) {
      const nums = Array.from(b.nums.subarray(r * NUM_COLS, (r + 1) * NUM_COLS), (x) => (Number.isNaN(x) ? null : x));
      out.push([...nums, ...cells.row(r)]);
    }
  }
  return out;
}

async function read(file: string, thread: boolean): Promise<{ rows: unknown[][]; problems: SourceProblem[]; sha: string; lines: number }> {
  const batches: EventBatch[] = [];
  const problems: SourceProblem[] = [];
  const r = await mod.readLogBatches(file, { year: 2026, tz: 'UTC', now: () => new Date('2026-12-01T00:00:00Z') }, {
    // Copied: a sink's arrays go back to the reader to be filled again once it returns.
    batch: (b) => batches.push({ ...b, nums: b.nums.slice(), lens: b.lens.slice() }),
    problem: (p) => problems.push(p),
  }, { mtime: null, thread });
  return { rows: rows(batches), problems, sha: r.digest.sha256, lines: r.lines };
}

describe('log reading on a worker thread', () => {
  it('is the compiled module (a worker cannot load TypeScript)', () => {
    expect(mod.WORKER_AVAILABLE).toBe(true);
  });

  const logs = ['bounced-mistyped/sender/mail.log', 'deferred-then-delivered/sender/mail.log', 'delivered-junk/receiver/mail.log'];
  for (const rel of logs) {
    it(`stores the same rows as the in-thread reader: ${rel}`, async () => {
      const file = path.join(REPO_ROOT, 'fixtures', 'cases', rel);
      const [inThread, onWorker] = [await read(file, false), await read(file, true)];
      expect(onWorker.rows.length).toBeGreaterThan(0);
      expect(onWorker).toEqual(inThread);
    });
  }

  it('reports an unreadable file with the same code, message and position as the in-thread reader', async () => {
    const missing = path.join(REPO_ROOT, 'fixtures', 'no-such.log');
    const inThread = await read(missing, false).catch((e: unknown) => e);
    const onWorker = await read(missing, true).catch((e: unknown) => e);
    expect(inThread).toMatchObject({ name: 'MailtrailError', where: expect.stringContaining('no-such.log') });
    const fields = (e: unknown): unknown => { const x = e as Record<string, unknown>; return [x.name, x.code, x.message, x.where, x.hint]; };
    expect(fields(onWorker)).toEqual(fields(inThread));
  });
});
