// Log ingest benchmark (issue 4): generates a realistic 1,000,000-line Postfix log, ingests it with the built CLI
// in a child process (so its peak RSS is its own), and prints lines/s, peak RSS, store size and, when pflogsumm is
// installed, pflogsumm's time on the same file in the same run with the ratio. Then builds a 5M-line store (the
// same log under five names) and times a trace query on it. Not a test: it measures, it asserts nothing.
// Run: npm run build && node bench/logs.mjs   (BENCH_LOG_LINES=200000 for a quick look; BENCH_LOG_TRACE=0 skips 5M)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePostfixLog } from './gen-postfix.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function child(args) {
  const out = execFileSync(process.execPath, [path.join(here, 'ingest-child.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop());
}
function storeBytes(db) {
  return statSync(db).size + (statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0);
}
function hasPflogsumm() {
  return spawnSync('pflogsumm', ['--version'], { encoding: 'utf8' }).status === 0;
}

export async function benchLogs() {
  const rows = [];
  const work = mkdtempSync(path.join(tmpdir(), 'mailtrail-bench-logs-'));
  try {
    const n = Number(process.env.BENCH_LOG_LINES ?? 1_000_000);
    const log = path.join(work, 'mail.log');
    const gen = await generatePostfixLog(log, n);
    const db = path.join(work, 'logs.db');
    const r = child([db, log]);
    const lps = gen.lines / r.seconds;
    const size = storeBytes(db);
    rows.push(
      ['ingest postfix log', `${gen.lines} lines, ${(gen.bytes / 1e6).toFixed(0)} MB`],
      ['  time', `${r.seconds.toFixed(2)} s (${r.summary.logEvents} events stored, exit ${r.code})`],
      ['  throughput', `${Math.round(lps)} lines/s`],
      ['  peak RSS', `${(r.maxRssKb / 1024).toFixed(0)} MB (target < 200 MB)`],
      ['  store size', `${(size / 1e6).toFixed(0)} MB (${(size / gen.bytes).toFixed(2)}x the log; target <= 0.6x)`],
    );
    if (hasPflogsumm()) {
      const t0 = performance.now();
      spawnSync('pflogsumm', [log], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 26 });
      const ps = (performance.now() - t0) / 1000;
      rows.push(['pflogsumm, same file', `${ps.toFixed(2)} s (${Math.round(gen.lines / ps)} lines/s); mailtrail is ${(ps / r.seconds).toFixed(2)}x its throughput (target >= 3x)`]);
    } else {
      rows.push(['pflogsumm', 'not installed (apt-get install pflogsumm) — no ratio']);
    }
    if (process.env.BENCH_LOG_TRACE !== '0') {
      const big = path.join(work, 'big.db');
      let lines = 0, secs = 0;
      for (let k = 0; k < 5; k++) {
        const copy = path.join(work, `mail-${k}.log`);
        copyFileSync(log, copy);
        const c = child([big, copy]);
        lines += gen.lines; secs += c.seconds;
      }
      const { openStore } = await import(pathToFileURL(path.join(here, '..', 'dist', 'store', 'db.js')).href);
      const { LogEventReader, hopsByQueueId } = await import(pathToFileURL(path.join(here, '..', 'dist', 'store', 'log-events.js')).href);
      const { buildTrail, seedEvents } = await import(pathToFileURL(path.join(here, '..', 'dist', 'correlate', 'trail.js')).href);
      const store = openStore(big, { readonly: true });
      const rd = new LogEventReader(store);
      const ports = {
        byMessageId: (m) => rd.byMessageId(m), byQueueId: (x) => rd.byQueueId(x), transaction: (a, x) => rd.transaction(a, x),
        byRemoteQueueId: (x) => rd.byRemoteQueueId(x), byRelatedQueueId: (x) => rd.byRelatedQueueId(x),
        byAddress: (s, a, f, t) => rd.byAddress(s, a, f, t), hopsByQueueId: (x) => hopsByQueueId(store, x),
      };
      const mids = store.prepare('SELECT message_id FROM log_events WHERE message_id IS NOT NULL AND id % 997 = 0 LIMIT 200').pluck().all();
      const times = [];
      let events = 0;
      for (const m of mids) {
        const t0 = performance.now();
        const trail = buildTrail(seedEvents({ messageId: m }, ports), ports);
        times.push(performance.now() - t0);
        events += trail.items.length;
      }
      store.close();
      times.sort((a, b) => a - b);
      const med = times[Math.floor(times.length / 2)] ?? NaN;
      const p95 = times[Math.floor(times.length * 0.95)] ?? NaN;
      rows.push(
        ['5M-line store', `${lines} lines ingested in ${secs.toFixed(1)} s, ${(storeBytes(big) / 1e6).toFixed(0)} MB`],
        ['  trace by Message-ID', `median ${med.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${times.length} messages (${(events / Math.max(1, times.length)).toFixed(1)} events each; target < 5 ms)`],
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchLogs();
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
