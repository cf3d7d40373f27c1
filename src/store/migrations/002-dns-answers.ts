// Migration 002: DNS answers as evidence. Every answer verify relied on (or failed to get) is kept with the
// time it was obtained, so a report can cite it and `dns export` can hand it to another machine.
import type { Migration } from './types.js';

export const dnsAnswers: Migration = {
  name: '002-dns-answers',
  sql: `
CREATE TABLE dns_answers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,            -- lower-case, no root dot
  type        TEXT NOT NULL,            -- TXT | A | AAAA | MX | PTR | ...
  status      TEXT NOT NULL,            -- answer | NXDOMAIN | NODATA | SERVFAIL | timeout | refused | error
  answer      TEXT,                     -- JSON as the resolver returned it; null on failure
  error       TEXT,
  at          TEXT NOT NULL,            -- ISO time the answer was obtained
  source      TEXT NOT NULL,            -- live | snapshot | store
  run_id      INTEGER REFERENCES journal(id),
  UNIQUE (name, type, at, status, answer)
);
CREATE INDEX dns_answers_name ON dns_answers(name, type, at);
`,
};
