// `mailtrail verify-report report.json [--db case.db | --evidence DIR]`: is this report as mailtrail sealed it,
// and does the evidence it cites still hash to what it says? Recomputes the seal, then every artifact and DNS
// answer in the manifest from the store or an evidence bundle, and prints one line per check and one line per
// difference. Exit 0 all checked matches, 1 a difference (edited, missing, changed, DNS differs), 2 cannot check.

import { readFileSync } from 'node:fs';
import { MailtrailError } from '../../errors.js';
import { withStore } from '../store-session.js';
import { readReportText, verifyReport, type ReportVerification, type VerifyPorts } from '../../report/seal-verify.js';
import { bundlePorts, storePorts } from './verify-report-ports.js';
import { toJson, type Ctx } from '../output.js';
import { readRedactionKey } from '../redact-key.js';
import { redactionKeyId } from '../../report/redact-pseudonym.js';

export interface VerifyReportOptions {
  evidence?: string;
  json?: boolean;
  /** The key the report is said to be redacted with: checked against the report's key id. */
  redactKeyFile?: string;
}

export async function runVerifyReport(file: string, opts: VerifyReportOptions, dbGiven: boolean, ctx: Ctx): Promise<number> {
  if (dbGiven && opts.evidence !== undefined) throw new MailtrailError('USAGE', 'choose one of --db and --evidence');
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new MailtrailError('IO', `cannot read the report (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { where: file });
  }
  const read = readReportText(text);
  if (!read.ok) throw new MailtrailError('BAD_INPUT', read.reason, { where: file, ...(read.hint ? { hint: read.hint } : {}) });
  const doc = read.doc;
  const keyProblem = checkRedactionKey(doc, opts.redactKeyFile);

  let result: ReportVerification;
  const notes: string[] = [];
  if (dbGiven) {
    result = await withStore(ctx, 'verify-report', { mustExist: true }, (db) => {
      const r = verifyReport(doc, storePorts(db));
      return { ...r, summary: { problems: r.problems.length } };
    });
  } else if (opts.evidence !== undefined) {
    const b = bundlePorts(opts.evidence);
    notes.push(...b.notes);
    result = merge(verifyReport(doc, b.ports), b.problems);
  } else {
    notes.push('artifacts and DNS answers not checked: give --db STORE or --evidence DIR to re-hash them');
    result = verifyReport(doc, null as VerifyPorts | null);
  }
  if (keyProblem !== null) result = merge(result, [keyProblem]);
  else if (opts.redactKeyFile !== undefined) notes.push(`redaction key: key id ${redactionKeyId(readRedactionKey(opts.redactKeyFile))} is the one this report was redacted with`);
  for (const a of result.artifacts) if (a.check.status === 'unchecked') notes.push(`not checked: ${a.path ?? a.sha256}: ${a.check.note ?? 'no bytes to hash'} (${a.check.where})`);

  if (opts.json) ctx.io.out(toJson({ schemaVersion: 1, report: file, ...result, notes }));
  else ctx.io.out(render(file, doc, result, notes));
  return result.exitCode;
}

/**
 * A wrong key is a difference (exit 1) an auditor must be told plainly: every pseudonym they compute with it
 * would silently fail to match. A key given for a report that is not redacted is a usage error.
 */
function checkRedactionKey(doc: Record<string, unknown>, keyFile: string | undefined): string | null {
  if (keyFile === undefined) return null;
  const redaction = doc['redaction'] as { keyId?: unknown } | null | undefined;
  if (redaction === undefined || redaction === null) throw new MailtrailError('USAGE', 'the report is not redacted: --redact-key-file has nothing to check');
  const mine = redactionKeyId(readRedactionKey(keyFile));
  return redaction.keyId === mine ? null : `redaction key: this report was redacted with key id ${String(redaction.keyId)}; the key given has id ${mine}`;
}

function merge(r: ReportVerification, extra: string[]): ReportVerification {
  return extra.length ? { ...r, problems: [...r.problems, ...extra], exitCode: 1 } : r;
}

function render(file: string, doc: Record<string, unknown>, r: ReportVerification, notes: string[]): string {
  const tool = doc['tool'] as { version?: string };
  const out = [`report    ${file} (schemaVersion ${String(doc['schemaVersion'])}, made by mailtrail ${tool.version ?? '?'})`];
  const s = r.seal;
  out.push(s.status === 'ok' ? `seal      ok        sha256 ${s.sha256} over ${s.bytes} canonical bytes`
    : s.status === 'mismatch' ? `seal      EDITED    content sha256 ${s.computed.slice(0, 16)}…, the seal says ${s.recorded.slice(0, 16)}…`
      : s.status === 'unsealed' ? 'seal      NONE      the report carries no seal' : `seal      BAD       ${s.reason}`);
  for (const a of r.artifacts) {
    const word = a.check.status === 'ok' ? 'ok' : a.check.status.toUpperCase();
    out.push(`artifact  ${word.padEnd(9)} ${a.path ?? '(no path)'}  ${a.sha256.slice(0, 12)}…  ${a.size ?? '?'} bytes`);
  }
  for (const d of r.dns) out.push(`dns       ${(d.status === 'ok' ? 'ok' : d.status.toUpperCase()).padEnd(9)} ${d.type} ${d.name}`);
  for (const n of notes) out.push(`note: ${n}`);
  for (const p of r.problems) out.push(`DIFFERS: ${p}`);
  out.push(r.exitCode === 0 ? `verified: the report is as sealed${r.artifacts.length ? `, and its ${r.artifacts.length} artifact(s) and ${r.dns.length} DNS answer(s) match` : ' (evidence not checked)'}`
    : r.exitCode === 1 ? `FAILED: ${r.problems.length} difference(s)` : 'NOT VERIFIED: some of it could not be checked (see the notes)');
  return out.join('\n') + '\n';
}
