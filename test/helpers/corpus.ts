// Locates ../shared/corpus (third-party data, read in place, never copied into this repo).
// Tests that need it use `describeCorpus`, which skips with a message when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
/** Override with MAILTRAIL_CORPUS when the shared folder lives elsewhere. */
export const CORPUS_DIR = process.env.MAILTRAIL_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const HAS_CORPUS = existsSync(CORPUS_DIR);

export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_DIR, ...parts);
}

/** A describe block that runs only when the shared corpus is present, and says why when it is not. */
export function describeCorpus(name: string, fn: () => void): void {
  if (HAS_CORPUS) {
    describe(name, fn);
  } else {
    // Reason: the corpus is third-party data kept outside the repo (../shared/corpus). The block's body is not
    // run at all (a skipped describe still runs its body to collect tests, and bodies read corpus files), so it
    // stands as one skipped test saying why.
    describe(name, () => {
      it.skip(`skipped: ../shared/corpus not found at ${CORPUS_DIR}`, () => {});
    });
    if (!process.env.MAILTRAIL_CORPUS_WARNED) {
      process.env.MAILTRAIL_CORPUS_WARNED = '1';
      console.warn(`mailtrail tests: ../shared/corpus not found at ${CORPUS_DIR}; corpus tests are skipped`);
    }
  }
}

export function fixturePath(...parts: string[]): string {
  return path.join(REPO_ROOT, 'fixtures', ...parts);
}
