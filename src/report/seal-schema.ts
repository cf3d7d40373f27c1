// The sealed investigate report: InvestigateReportSchema plus the evidence manifest and the seal. This is the
// document `investigate --json` prints, the one `verify-report` reads back, and the zod schema `mailtrail
// schema` turns into JSON Schema (z.toJSONSchema), committed as src/report/report.schema.json.
// Pure.

import { z } from 'zod';
import { InvestigateReportSchema, INVESTIGATE_SCHEMA_VERSION, type InvestigateReport } from './investigate.js';
import { ManifestSchema, attachManifest, type ManifestFacts } from './manifest.js';
import { SealSchema, sealReport } from './seal.js';

export const SealedInvestigateReportSchema = InvestigateReportSchema.extend({
  manifest: ManifestSchema,
  seal: SealSchema,
}).meta({
  title: 'mailtrail investigate report',
  description: `mailtrail investigate --json, schemaVersion ${INVESTIGATE_SCHEMA_VERSION}: verdicts with cited evidence, an evidence manifest and a seal (sha256 over the RFC 8785 canonical JSON of the document without "seal").`,
});
export type SealedInvestigateReport = z.infer<typeof SealedInvestigateReportSchema>;

/** Stable paths, the manifest, then the seal: the report as printed by `investigate --json`. */
export function sealInvestigateReport(report: InvestigateReport, facts: ManifestFacts): SealedInvestigateReport {
  const sealed = sealReport(attachManifest(report, facts));
  // Validate, but print what was sealed: a parse that dropped or reordered anything must not break the seal.
  SealedInvestigateReportSchema.parse(sealed);
  return sealed as SealedInvestigateReport;
}

/** The JSON Schema of the sealed report (draft 2020-12), as `mailtrail schema` prints it. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SealedInvestigateReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
