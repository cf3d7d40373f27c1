// Small builders for the verdict unit tests: a stored log event and a stored-copy location with defaults.
import type { StoredLogEvent } from '../../src/correlate/types.js';
import type { CopyLocation } from '../../src/verdict/evidence-types.js';
import type { CoverageJudgement } from '../../src/verdict/log-sides.js';

let row = 0;
export function ev(p: Partial<StoredLogEvent>): StoredLogEvent {
  row++;
  return {
    rowId: row, artifactId: 1, sha256: 'a'.repeat(64), path: 'sender/mail.log', offsetsIn: 'file', streamSha256: null, line: row, offset: row * 100,
    timeMs: Date.parse('2026-11-24T18:30:00Z') + row * 1000, timeBasis: 'assumed-year-and-zone', timeAssumption: 'year 2026', format: 'postfix',
    host: 'smtp', program: 'postfix/smtp', pid: 1, queueId: 'Q1', messageId: null, from: null, to: null, origTo: null, relay: null, client: null,
    status: null, dsn: null, reply: null, remoteQueueId: null, relatedQueueId: null, delay: null, size: null, nrcpt: null, detail: null, ...p,
  };
}

export function loc(p: Partial<CopyLocation>): CopyLocation {
  return { artifactSha256: 'b'.repeat(64), artifactPath: 'Maildir/new/1', kind: 'maildir', index: 1, offset: 0, folder: null, maildirFlags: null, maildirSubdir: 'new', imap: null, ...p };
}

export const covered: CoverageJudgement = { state: 'covered', logs: [], detail: 'mail.log covers it' };
export const noLogs: CoverageJudgement = { state: 'no-logs', logs: [], detail: 'no log of that server is in the evidence' };
export const startsLate: CoverageJudgement = { state: 'outside', logs: [], detail: 'mail.log starts at 2026-11-25 00:00 UTC, after 2026-11-24 18:30 UTC' };
