// Maildir source adapter: one message file in a Maildir's cur/ or new/ is one artifact (kind `maildir`).
// The folder comes from the walk (ArtifactInput.folder: `INBOX`, `Junk`, `Work/Reports`, …); the subdir
// and flags come from the path: `…/cur/1700000000.M1P2.host:2,FRS` -> subdir `cur`, flags `FRS`.
// Flags follow the Maildir spec (cr.yp.to/proto/maildir.html) `:2,` info; `!2,` is accepted too because
// some tools use `!` where `:` is not allowed in file names (Windows, some network filesystems).
// Read-only; reading is the single-message reader shared with the eml adapter.

import path from 'node:path';
import type { MessageLocator, SourceAdapter } from '../model/source.js';
import { readSingleMessage } from './eml.js';
import type { ReadTuning } from './read-artifact.js';

const INFO = /[:!]2,([^:!/\\]*)$/;

/** Flags from a Maildir file name: the letters after `:2,` (or `!2,`); null when the name has no `2,` info. */
export function parseMaildirFlags(fileName: string): string | null {
  const m = INFO.exec(fileName);
  return m ? (m[1] ?? '') : null;
}

/** `cur`/`new` when the file sits directly in such a directory, else null. */
export function maildirSubdirOf(filePath: string): MessageLocator['maildirSubdir'] {
  const parent = path.basename(path.dirname(filePath));
  return parent === 'cur' || parent === 'new' ? parent : null;
}

export function createMaildirAdapter(tuning: ReadTuning = {}): SourceAdapter {
  return {
    kind: 'maildir',
    // A Maildir file's bytes look like any single message: the kind is decided by the directory layout
    // (walk.ts), never by content, so content detection always says no.
    detect: () => false,
    read: (input, opts) =>
      readSingleMessage(input, opts, tuning, {
        maildirFlags: parseMaildirFlags(path.basename(input.path)),
        maildirSubdir: maildirSubdirOf(input.path),
      }),
  };
}

export const maildirAdapter = createMaildirAdapter();
