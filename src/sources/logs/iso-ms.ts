// Epoch milliseconds of the ISO UTC times the parsers produce (`2026-11-24T18:30:01.123Z`), cached per second:
// consecutive log lines share their second, and Date.parse is the costliest step left per line.

let key = '';
let keyMs = 0;
let last = '';
let lastMs = 0;

export function isoMs(iso: string): number {
  // Each event's time is read here two or three times (coverage, batch), and lines of one second share one
  // string (syslog-prefix.ts caches it): identity is the cheap first test.
  if (iso === last) return lastMs;
  const k = iso.slice(0, 19);
  if (k !== key) {
    key = k;
    keyMs = Date.parse(`${k}Z`);
  }
  const c = iso.charCodeAt(19) === 46 ? Number(iso.slice(20, 23)) : 0;
  last = iso;
  lastMs = keyMs + (Number.isFinite(c) ? c : 0);
  return lastMs;
}
