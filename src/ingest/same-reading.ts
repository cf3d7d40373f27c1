// When a file given again adds nothing: the same bytes at the same path, read the same way.

import { isLogKind } from '../sources/logs/adapter.js';

/**
 * Whether bytes read before as `before` and now as `now` are the same ingest (nothing to add). For a log, `before`
 * is the format it was read as (detected or forced). Bytes read as a message and given again as a log (or as an
 * mbox after being taken for one message, stdin's default) are another reading; a log given again without a
 * format, or with the format it was read as, is the same log; with another format (the first `--format` was
 * wrong) it is another reading. Another reading of the same bytes is refused (seenBefore).
 */
export function sameReading(before: string, now: string): boolean {
  return before === now || (isLogKind(before) && now === 'log');
}

/**
 * Whether these bytes at this path were already ingested the same way (`kinds`: how they were read before).
 * Read another way before (taken for one message, say, and now given as an mbox), it is an error for this file,
 * not a silent "unchanged": the store keeps one reading of a file, so the user is told how to get the other.
 */
export function seenBefore(kinds: readonly string[], now: string): boolean {
  if (kinds.some((k) => sameReading(k, now))) return true;
  if (kinds.length === 0) return false;
  throw new Error(`these bytes were ingested from this path before, read as ${kinds.join(', ')}; a store keeps one reading of a file (to read it as ${now}, use another store: --db NEW.db)`);
}
