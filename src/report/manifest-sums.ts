// SHA256SUMS files in the GNU coreutils format, so `sha256sum -c SHA256SUMS` checks an evidence bundle:
// one line per file, `<64 hex>  <path>` (two spaces: text mode, which on POSIX reads the bytes as they are).
// A name holding a backslash or a newline is escaped as coreutils does: the line starts with `\`, and `\\` and
// `\n` stand for the two characters. Paths use `/` and are relative to the file's own directory.
// Pure: text in, text out.

export interface SumEntry {
  sha256: string;
  path: string;
}

export function formatSha256Sums(entries: readonly SumEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sorted.map((e) => {
    const escape = /[\\\n]/.test(e.path);
    const name = escape ? e.path.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : e.path;
    return `${escape ? '\\' : ''}${e.sha256}  ${name}\n`;
  }).join('');
}

export type SumsLine = { ok: true; entry: SumEntry } | { ok: false; line: number; text: string };

/** Read a SHA256SUMS text; lines that are not `<hex>  <path>` (or `<hex> *<path>`) are returned as bad. */
export function parseSha256Sums(text: string): SumsLine[] {
  const out: SumsLine[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const escaped = raw.startsWith('\\');
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(escaped ? raw.slice(1) : raw);
    if (!m) {
      out.push({ ok: false, line: i + 1, text: raw.slice(0, 120) });
      return;
    }
    const p = escaped ? m[2]!.replace(/\\(\\|n)/g, (_s, c: string) => (c === 'n' ? '\n' : '\\')) : m[2]!;
    out.push({ ok: true, entry: { sha256: m[1]!.toLowerCase(), path: p } });
  });
  return out;
}

/** A bundle-relative path that stays inside the bundle: no absolute path, no `..`, no empty segment. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
