// mbox source adapter: streams an mbox file (or stdin) once, splitting it into messages and hashing it in
// the same pass. Splitting and un-quoting rules are in mbox-split.ts (the trailing blank line before the
// next `From ` is removed; `>From ` un-quoted per ReadOptions.mboxFormat).
// Read-only; constant memory (one message + one read chunk), so multi-GB mailboxes are fine. A Google Takeout
// export's messages are each in the Gmail folder their labels say; Thunderbird's carry its flags.

import type { ArtifactEvent, ArtifactInput, ReadOptions, SourceAdapter } from '../model/source.js';
import { MboxSplitter } from './mbox-split.js';
import { openArtifact, type ReadTuning } from './read-artifact.js';
import { gmailFolder, mozillaFlags, takeoutLabels } from '../parse/gmail-labels.js';

const FROM = Buffer.from('From ', 'latin1');

/** True when the head starts with an mbox `From ` separator line. */
export function looksLikeMbox(head: Buffer): boolean {
  return head.length >= FROM.length && head.compare(FROM, 0, FROM.length, 0, FROM.length) === 0;
}

/** Build an mbox adapter; `tuning.chunkSize` is injectable so tests can split messages across reads. */
export function createMboxAdapter(tuning: ReadTuning = {}): SourceAdapter {
  return {
    kind: 'mbox',
    detect: ({ head }) => looksLikeMbox(head),
    read: (input, opts) => readMbox(input, opts, tuning),
  };
}

export const mboxAdapter = createMboxAdapter();

async function* readMbox(input: ArtifactInput, opts: ReadOptions, tuning: ReadTuning): AsyncIterable<ArtifactEvent> {
  const reader = await openArtifact(input.path, tuning);
  const splitter = new MboxSplitter({ unquote: opts.mboxFormat, maxMessageBytes: opts.maxMessageBytes });
  const folder = input.folder;
  for await (const chunk of reader.chunks) {
    for (const ev of splitter.push(chunk)) yield withFolder(ev, folder);
  }
  for (const ev of splitter.end()) yield withFolder(ev, folder);
  const { digest, problem } = reader.finish();
  if (problem) yield { type: 'problem', problem };
  yield { type: 'end', digest };
}

/**
 * The folder of each message: the mbox file's own (a mail client's folder, from the walk), else for a Google
 * Takeout export the folder its Gmail labels say (parse/gmail-labels.ts), else none.
 */
function withFolder<E extends ArtifactEvent>(ev: E, folder: string | null): E {
  if (ev.type !== 'message') return ev;
  // Thunderbird's flags for the message (read, replied, deleted…), as Maildir letters.
  const flags = mozillaFlags(ev.message.bytes);
  if (flags !== null) ev.message.locator.maildirFlags = flags;
  if (folder !== null) ev.message.locator.folder = folder;
  else {
    const labels = takeoutLabels(ev.message.bytes);
    if (labels !== null) ev.message.locator.folder = gmailFolder(labels);
  }
  return ev;
}
