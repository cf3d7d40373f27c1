// Agreement with Sisimai's expected results (../shared/corpus/dsn/SISIMAI-EXPECTED.tsv, transcribed from
// p5-sisimai's tests). Acceptance: ≥ 90% over status code and reason; each known disagreement is listed
// in SKIP with its reason (skipped rows still count against the agreement — the list explains, it does not hide).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

interface Row { file: string; index: number; status: string; reply: string; reason: string; hard: string; feedback: string }

function rows(): Row[] {
  return readFileSync(corpusPath('dsn', 'SISIMAI-EXPECTED.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [file = '', index = '1', status = '', reply = '', reason = '', hard = '', feedback = ''] = l.split('\t');
      return { file, index: Number(index), status, reply, reason, hard, feedback };
    });
}

const FILTERED_NO_COMMAND =
  'deliberate: "no such user"/"user unknown" with no SMTP command anywhere in the report. Sisimai reads it as ' +
  '"filtered" (a filter after DATA); we read the words: the recipient does not exist (userunknown). ' +
  'Over 30 other rows expect userunknown for the same wording, which Sisimai gets from per-MTA modules';
const VENDOR = 'vendor code table: ';
const MODULE = 'Sisimai per-MTA module detail: ';

/**
 * Rows where we knowingly differ from Sisimai (status code or reason), one reason each. They still count
 * against the agreement. Kinds: "vendor code table" — the answer comes from a provider's private error-code
 * list, the message's words do not carry it; "Sisimai per-MTA module detail" — a choice Sisimai's module for
 * that MTA makes; "inconsistent sample"; "deliberate" — the message supports our reading. Run with
 * DSN_DEBUG=1 to list the disagreements.
 */
export const SKIP: Record<string, string> = {
  'sisimai/lhost-amazonses-01.eml#1':
    'deliberate: SES relays the remote "550 5.7.1 … Access denied" under its own summary "5.1.0 - Unknown address ' +
    'error"; we read the words (userunknown), Sisimai the 5.7.1 code (securityerror). The message supports both',
  'sisimai/lhost-apachejames-01.eml#1': FILTERED_NO_COMMAND,
  'sisimai/lhost-einsundeins-03.eml#1':
    VENDOR + 'Orange "550 5.2.0 Mail rejected. ofr_506": code 506 is spam in Orange\'s list (Sisimai Rhost FrancePTT); the words only say rejected',
  'sisimai/lhost-exchange2003-04.eml#1':
    VENDOR + 'Exchange 2003 "Recipient Not Found MSEXCH:IMC:…": Sisimai\'s Exchange2003 module maps its IMC code to filtered; the words say the recipient was not found',
  'sisimai/lhost-exim-06.eml#1':
    MODULE + 'Exim module writes the temporary pseudo code 4.0.947 for "retry timeout exceeded"; the notice says "This is a permanent error" (we: 5.0.947)',
  'sisimai/lhost-exim-36.eml#1':
    MODULE + 'status only: the Exim module assigns onhold\'s pseudo code 5.0.901 before the reason pass settles on rejected; we write rejected\'s 5.0.918',
  'sisimai/lhost-ezweb-01.eml#1':
    VENDOR + 'au (EZweb) notice names no cause ("rejected by a remote mail server"); Sisimai knows au\'s domain filter sends it (filtered)',
  'sisimai/lhost-mailfoundry-01.eml#1': FILTERED_NO_COMMAND,
  'sisimai/lhost-receivingses-01.eml#1':
    MODULE + 'the ReceivingSES module classifies "550 5.1.1 Mailbox does not exist" as filtered; code and words say the mailbox does not exist',
  'sisimai/lhost-surfcontrol-01.eml#1': FILTERED_NO_COMMAND,
  'sisimai/lhost-x1-01.eml#1': FILTERED_NO_COMMAND,
  'sisimai/lhost-x2-01.eml#1': FILTERED_NO_COMMAND,
  'sisimai/lhost-zoho-02.eml#1':
    VENDOR + '"550 5.2.1 <…>... User Unknown" is expected userunknown in lhost-yandex-02 and lhost-powermta-01 but filtered here (Zoho module): not decidable from the message',
  'sisimai/rfc3464-01.eml#1':
    'inconsistent sample: the DSN part says "550 5.1.1 … User Unknown", the text part "Not enough disk space" (Sisimai: mailboxfull); we trust the machine-readable part',
  'sisimai/rfc3464-42.eml#1': FILTERED_NO_COMMAND,
  'sisimai/rhost-cox-01.eml#1':
    VENDOR + 'Cox AUP#CDRBL (an RBL listing → blocked); the words say "sender rejected" after MAIL FROM (we: rejected)',
  'sisimai/rhost-mimecast-01.eml#1': VENDOR + 'Mimecast\'s code page maps "Host network not allowed" to policyviolation (we: blocked)',
  'sisimai/rhost-mimecast-02.eml#1': VENDOR + 'Mimecast "MCSpamSignature" is virusdetected in Mimecast\'s table; the words say "rejected due to security policies"',
  'sisimai/rhost-nttdocomo-02.eml#1':
    VENDOR + 'NTT docomo answers "550 Unknown user" after DATA when the recipient refuses the sender (Sisimai Rhost: rejected); we read a filter\'s answer after DATA (filtered)',
  'sisimai/rhost-spectrum-01.eml#1': VENDOR + 'Spectrum AUP#In-1310 means too many connections; the words say "sender rejected"',
  'sisimai/rhost-yahooinc-02.eml#1':
    VENDOR + 'Yahoo [TSS04] is "rejected" in Yahoo\'s list; the words say temporarily deferred for volume or complaints (we: securityerror from 4.7.0)',
};

const FIELDS = ['status', 'reply', 'reason', 'hard', 'feedback'] as const;

describeCorpus('parseBounce vs SISIMAI-EXPECTED.tsv', () => {
  it('measures agreement on status codes and reasons (target 90%, regression floor 92%)', () => {
    const all = rows();
    const hits: Record<(typeof FIELDS)[number], number> = { status: 0, reply: 0, reason: 0, hard: 0, feedback: 0 };
    const misses: string[] = [];
    const unexpectedSkips: string[] = [];
    for (const row of all) {
      const report = parseBounce(readFileSync(corpusPath('dsn', row.file)));
      const r = report?.recipients[row.index - 1];
      const got = {
        status: r?.status ?? '',
        reply: r?.replyCode ?? '',
        reason: r?.reason ?? (report ? '' : 'not-a-bounce'),
        hard: r ? (r.hardBounce ? '1' : '0') : '',
        feedback: report?.feedback?.feedbackType ?? '',
      };
      const key = `${row.file}#${row.index}`;
      const bad: string[] = [];
      for (const f of FIELDS) {
        if (got[f] === row[f]) hits[f]++;
        else bad.push(`${f}: want ${JSON.stringify(row[f])} got ${JSON.stringify(got[f])}`);
      }
      const core = got.status === row.status && got.reason === row.reason;
      if (!core) misses.push(`${key}  ${bad.join('; ')}${SKIP[key] ? `  [skip: ${SKIP[key]}]` : ''}`);
      if (!core && !SKIP[key]) unexpectedSkips.push(key);
    }
    const n = all.length;
    const pct = (k: number): string => `${((100 * k) / n).toFixed(1)}%`;
    const core = (hits.status + hits.reason) / (2 * n);
    console.log(
      `SISIMAI agreement over ${n} recipient rows: status ${pct(hits.status)}, reason ${pct(hits.reason)}, ` +
        `reply code ${pct(hits.reply)}, hard/soft ${pct(hits.hard)}, feedback type ${pct(hits.feedback)}; ` +
        `status+reason ${(100 * core).toFixed(1)}%; skip list ${Object.keys(SKIP).length}`,
    );
    if (process.env.DSN_DEBUG) console.log(misses.join('\n'));
    // TARGET is 0.9 (issue 6). Measured 0.924 (327/354) when this floor was set; it stops regressions.
    expect(core).toBeGreaterThanOrEqual(0.92);
    // The skip list stays honest: every disagreement is explained, and no entry outlives its disagreement.
    expect(unexpectedSkips, 'disagreements missing from SKIP').toEqual([]);
    expect(Object.keys(SKIP).filter((k) => !misses.some((m) => m.startsWith(`${k} `))), 'SKIP entries that now agree').toEqual([]);
  });
});
