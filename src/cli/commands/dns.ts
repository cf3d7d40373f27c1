// `mailtrail dns export`: the DNS answers recorded in the store, in mailauth's --dns-cache format (plus the
// `$mailtrail` key with failures and recording times), so another machine can replay a case offline.

import { withStore } from '../store-session.js';
import { readDnsAnswers } from '../../store/dns.js';
import { toSnapshot } from '../../auth/snapshot.js';
import { toJson, warnLine, type Ctx } from '../output.js';

export async function runDnsExport(_opts: Record<string, never>, ctx: Ctx): Promise<number> {
  const { snapshot, count } = await withStore(ctx, 'dns export', { mustExist: true }, (db) => {
    const answers = readDnsAnswers(db);
    return { exitCode: 0, snapshot: toSnapshot(answers), count: answers.length, summary: { answers: answers.length } };
  });
  if (count === 0 && !ctx.config.quiet) warnLine(ctx, 'no DNS answers are recorded in this store yet (run verify online first)');
  ctx.io.out(toJson(snapshot));
  return 0;
}
