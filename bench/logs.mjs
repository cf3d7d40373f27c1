// Log ingest benchmark (issue 4): generates a realistic 1,000,000-line Postfix log, ingests it with the built CLI
// in a child process (so its peak RSS is its own), and prints lines/s, peak RSS, store size and, when pflogsumm is
// installed, pflogsumm's time on the same file in the same run with the ratio. Then builds a 5M-line store (the
// same log under five names) and times a trace query on it. Not a test: it measures, it asserts nothing.
// Run: npm run build && node bench/logs.mjs   (BENCH_LOG_LINES=200000 for a quick look; BENCH_LOG_TRACE=0 skips 5M)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePostfixLog } from './gen-postfix.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Child script: open the store, trace one Message-ID, print the milliseconds (argv: store, Message-ID). */
const COLD_TRACE = `
const { performance } = await import('node:perf_hooks');
const { openStore } = await import('./dist/store/db.js');
const { LogEventReader, hopsByQueueId } = await import('./dist/store/log-events.js');
const { buildTrail, seedEvents } = await import('./dist/correlate/trail.js');
const [db, mid] = process.argv.slice(1);
const c0 = process.cpuUsage();
const t0 = performance.now();
const store = openStore(db, { readonly: true });
const rd = new LogEventReader(store);
const ports = {
  byMessageId: (m) => rd.byMessageId(m), byQueueId: (x) => rd.byQueueId(x), transaction: (a, x) => rd.transaction(a, x),
  byRemoteQueueId: (x) => rd.byRemoteQueueId(x), byRelatedQueueId: (x) => rd.byRelatedQueueId(x),
  byAddress: (s, a, f, t) => rd.byAddress(s, a, f, t), hopsByQueueId: (x) => hopsByQueueId(store, x),
};
buildTrail(seedEvents({ messageId: mid }, ports), ports);
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));
store.close();
`;

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
      ['  time', `${r.seconds.toFixed(2)} s (${r.summary.logEvents} events stored, exit ${r.code}); CPU ${r.cpuSeconds.toFixed(2)} s over all threads (load average ${loadavg()[0].toFixed(1)})`],
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
      // Wall time is what the target is about; CPU time is beside it because on a shared 2-core machine the wall
      // p95 is mostly the moments this process was not scheduled.
      const times = [], cpus = [];
      let events = 0;
      for (const m of mids) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const trail = buildTrail(seedEvents({ messageId: m }, ports), ports);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpus.push((c.user + c.system) / 1000);
        events += trail.items.length;
      }
      store.close();
      const pct = (xs, q) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * q)] ?? NaN;
      // A CLI call traces one message in a fresh process: time that first, cold trace too (Node start-up excluded).
      const cold = [], coldCpu = [];
      for (const m of mids.slice(0, 10)) {
        const [w, c] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', COLD_TRACE, big, m], { encoding: 'utf8', cwd: path.join(here, '..') }));
        cold.push(w); coldCpu.push(c);
      }
      rows.push(
        ['5M-line store', `${lines} lines ingested in ${secs.toFixed(1)} s, ${(storeBytes(big) / 1e6).toFixed(0)} MB`],
        ['  trace by Message-ID', `median ${pct(times, 0.5).toFixed(2)} ms, p95 ${pct(times, 0.95).toFixed(2)} ms over ${times.length} messages (${(events / Math.max(1, times.length)).toFixed(1)} events each; target < 5 ms)`],
        ['    CPU time', `median ${pct(cpus, 0.5).toFixed(2)} ms, p95 ${pct(cpus, 0.95).toFixed(2)} ms (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`],
        ['    first trace in a fresh process', `median ${pct(cold, 0.5).toFixed(2)} ms (CPU ${pct(coldCpu, 0.5).toFixed(2)} ms), max ${Math.max(...cold).toFixed(2)} ms over ${cold.length} processes (open + one trace; Node start-up not counted)`],
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
