// Runs one ingest in its own process so its peak RSS is measured alone. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { main } from '../dist/cli/main.js';

const [db, file] = process.argv.slice(2);
const t0 = performance.now();
let out = '';
const code = await main(['node', 'mailtrail', '--quiet', '--db', db, 'ingest', '--json', file], {
  out: (s) => (out += s),
  err: (s) => process.stderr.write(s),
  stdinIsTTY: false,
});
const seconds = (performance.now() - t0) / 1000;
// CPU of every thread of this process (main, workers, SQLite): on a shared machine it moves less than the wall time.
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ code, seconds, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS, summary: JSON.parse(out) }) + '\n');
