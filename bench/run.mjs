// `npm run bench`: prints throughput and memory figures for each benchmark. Not a test: it measures.
// BENCH_ONLY=ingest,imap runs a subset.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUITES = [
  ['ingest', 'ingest.mjs', 'benchIngest'],
  ['logs', 'logs.mjs', 'benchLogs'],
  ['verify', 'verify.mjs', 'benchVerify'],
  ['imap', 'imap.mjs', 'benchImap'],
];
const only = process.env.BENCH_ONLY?.split(',');

for (const [name, file, fn] of SUITES) {
  if (only && !only.includes(name)) continue;
  const full = path.join(here, file);
  if (!existsSync(full)) continue;
  const mod = await import(pathToFileURL(full).href);
  const rows = await mod[fn]();
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`== ${name}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
