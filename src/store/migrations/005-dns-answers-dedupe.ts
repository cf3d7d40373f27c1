// Migration 005: one row per recorded DNS failure. 002's UNIQUE (name, type, at, status, answer) treats NULL
// answers as distinct (SQLite, like SQL, never finds two NULLs equal), so a failure (answer NULL) recorded twice
// at the same time was kept twice. Exact duplicates are removed (the oldest row is kept) and a unique index
// over the answer with NULL folded to '' replaces the check. 002 has shipped and is left as it was.
import type { Migration } from './types.js';

export const dnsAnswersDedupe: Migration = {
  name: '005-dns-answers-dedupe',
  sql: `
DELETE FROM dns_answers
WHERE id NOT IN (
  SELECT min(id) FROM dns_answers GROUP BY name, type, at, status, coalesce(answer, '')
);
CREATE UNIQUE INDEX dns_answers_once ON dns_answers(name, type, at, status, coalesce(answer, ''));
`,
};
