// Small pure formatting helpers shared by renderers. Times are always UTC.

/** `2026-11-20T14:00:05.000Z` -> `2026-11-20 14:00:05Z` (milliseconds kept when not zero). */
export function formatTime(iso: string | null): string {
  if (!iso) return '?';
  const ms = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '.000' ? '' : ms}Z`;
}

/** Signed human delay: `+0s`, `+0.041s`, `-12s`, `+5m03s`, `+2h01m`, `+3d04h`. Never wrapped. */
export function formatDelay(seconds: number | null): string {
  if (seconds === null) return '';
  const sign = seconds < 0 ? '-' : '+';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  const whole = Math.round(s);
  const d = Math.floor(whole / 86400);
  const h = Math.floor((whole % 86400) / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d${two(h)}h`;
  if (h > 0) return `${sign}${h}h${two(m)}m`;
  return `${sign}${m}m${two(sec)}s`;
}

export function orDash(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '-' : v;
}
