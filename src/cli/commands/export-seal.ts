// Wiring between the store and the pure sealing code: the one call `investigate` (and `export`) makes to turn a
// built report into the sealed document it prints: paths relative to the evidence root, the manifest from the
// store's records (sizes, DNS answers, schema version), then the seal.

import type { Db } from '../../store/db.js';
import { ArtifactFacts } from '../../store/manifest-facts.js';
import type { InvestigateReport } from '../../report/investigate.js';
import { sealInvestigateReport, type SealedInvestigateReport } from '../../report/seal-schema.js';

export function sealForStore(db: Db, report: InvestigateReport, toolVersion: string): SealedInvestigateReport {
  const facts = new ArtifactFacts(db);
  return sealInvestigateReport(report, {
    toolVersion,
    storeSchemaVersion: facts.storeSchemaVersion(),
    artifact: (sha) => facts.artifact(sha),
    dnsAnswer: (n, t) => facts.dnsAnswer(n, t),
  });
}
