// Message ingest benchmark: generates an mbox (~1 GB by default; BENCH_MBOX_MB to change), ingests it with
// the built CLI in a child process (so its peak RSS is its own) and prints throughput, RSS and store size.
// Target (issue 2): >= 150 MB/s and peak RSS < 200 MB on 2 cores.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMbox } from './gen-mbox.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function child(args) {
  const out = execFileSync(process.execPath, [path.join(here, 'ingest-child.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop());
}

export async function benchIngest() {
  const work = mkdtempSync(path.join(tmpdir(), 'mailtrail-bench-'));
  const mb = Number(process.env.BENCH_MBOX_MB ?? 1024);
  const rows = [];
  try {
    const mbox = path.join(work, 'bench.mbox');
    const gen = await generateMbox(mbox, mb * 1024 * 1024);
    const db = path.join(work, 'bench.db');
    const r = child([db, mbox]);
    const storeBytes = statSync(db).size + (statSync(db + '-wal', { throwIfNoEntry: false })?.size ?? 0);
    rows.push(
      ['ingest mbox', `${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.messages} messages (avg ${(gen.bytes / gen.messages / 1024).toFixed(1)} KiB)`],
      ['  time', `${r.seconds.toFixed(2)} s; CPU ${r.cpuSeconds.toFixed(2)} s over all threads (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`],
      ['  throughput', `${(gen.bytes / 1e6 / r.seconds).toFixed(0)} MB/s, ${(gen.messages / r.seconds).toFixed(0)} messages/s (target >= 150 MB/s)`],
      ['  peak RSS', `${(r.maxRssKb / 1024).toFixed(0)} MB (target < 200 MB)`],
      ['  store size', `${(storeBytes / 1e6).toFixed(0)} MB (${(storeBytes / gen.bytes).toFixed(2)}x the mbox)`],
      ['  exit code', String(r.code)],
    );
    const again = child([db, mbox]);
    rows.push(['re-ingest (unchanged)', `${again.seconds.toFixed(2)} s, ${again.summary.unchanged} unchanged, ${again.summary.newMessages} new`]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
