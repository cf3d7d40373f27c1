// Stable evidence paths: a report cites files by the path given at ingest (`/home/ann/case/sender/mail.log`,
// `fixtures/cases/x/sender/mail.log`), which differs between machines and between a store and an evidence
// bundle. Before sealing, every such path is made relative to the evidence root: the deepest directory that
// holds every file the report lists (evidence[].path and message.copies[].path). The same files laid out the
// same way under another directory then give the same report bytes, which is what lets `investigate` on an
// exported bundle reproduce the sealed report. Listed paths quoted inside prose (verdict summaries name the log
// that covers the time) are rewritten too. Paths that are not files (`-` for stdin, imaps://… URLs) and
// paths outside the root are left as they are.
// Pure: string work only; no fs, no cwd (a relative and an absolute path never share a root).

type Json = unknown;

/** Whether a cited path names a file on disk (not stdin, not an IMAP or other URL). */
export function isFilePath(p: string): boolean {
  return p !== '-' && p !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

/** The deepest common directory of the given file paths, as a prefix ending in '/', or '' when none. */
export function evidenceRoot(paths: readonly string[]): string {
  const files = paths.filter(isFilePath).map((p) => p.replace(/\\/g, '/'));
  if (files.length === 0) return '';
  const abs = files[0]!.startsWith('/');
  if (files.some((p) => p.startsWith('/') !== abs)) return '';
  const dirs = files.map((p) => p.split('/').slice(0, -1));
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const prefix = common.join('/');
  return prefix === '' ? (abs ? '/' : '') : `${prefix}/`;
}

/** Every file path the report lists: its evidence sources and the stored copies of the message. */
export function listedPaths(report: Json): string[] {
  const out: string[] = [];
  const r = report as { evidence?: Array<{ path?: unknown }>; message?: { copies?: Array<{ path?: unknown }> } | null };
  for (const e of Array.isArray(r.evidence) ? r.evidence : []) if (typeof e?.path === 'string') out.push(e.path);
  const copies = r.message && Array.isArray(r.message.copies) ? r.message.copies : [];
  for (const c of copies) if (typeof c?.path === 'string') out.push(c.path);
  return out;
}

/**
 * A deep copy of the report with every string member named "path" that lies under the evidence root rewritten
 * relative to it, and every listed path quoted in prose (a verdict's "…/sender/mail.log covers …") rewritten the
 * same way. Returns the root that was removed ('' when nothing changed).
 */
export function relativizePaths<T>(report: T): { report: T; root: string } {
  const listed = listedPaths(report);
  const root = evidenceRoot(listed);
  if (root === '') return { report: structuredClone(report), root };
  const rel = (p: string): string => (isFilePath(p) && p.replace(/\\/g, '/').startsWith(root) ? p.replace(/\\/g, '/').slice(root.length) : p);
  // Longest first, so a path that is a prefix of another never cuts it.
  const quoted = [...new Set(listed.filter((p) => rel(p) !== p))].sort((a, b) => b.length - a.length);
  const prose = (t: string): string => {
    if (!t.includes(root)) return t;
    let out = t;
    for (const p of quoted) if (out.includes(p)) out = out.split(p).join(rel(p));
    return out;
  };
  const walk = (v: Json, key: string | null): Json => {
    if (typeof v === 'string') return key === 'path' ? rel(v) : prose(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') {
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v as Record<string, Json>)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return { report: walk(report, null) as T, root };
}
