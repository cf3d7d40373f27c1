// The source adapter registry: one entry per evidence format, behind the SourceAdapter interface.
// Later work adds IMAP and log adapters here. Detection order matters: the first adapter whose
// detect() says yes wins, so the most specific formats come first.

import { MailtrailError } from '../errors.js';
import type { ArtifactKind, SourceAdapter } from '../model/source.js';
import { emlAdapter } from './eml.js';
import { emlxAdapter } from './emlx.js';
import { maildirAdapter } from './maildir.js';
import { mboxAdapter } from './mbox.js';
import { LOG_ADAPTERS } from './logs/adapter.js';

export const SOURCE_ADAPTERS: ReadonlyMap<string, SourceAdapter> = new Map<string, SourceAdapter>([
  // Logs first: their detection asks for a known log format in the first lines, which no message matches.
  ...LOG_ADAPTERS,
  ['mbox', mboxAdapter],
  // Before eml: an emlx starts with its length line, which no message does.
  ['emlx', emlxAdapter],
  ['eml', emlAdapter],
  ['maildir', maildirAdapter],
]);

/** How many leading bytes callers should read for detection. */
export const DETECT_HEAD_BYTES = 4096;

/** The kind of a file from its base name and first bytes, or null when no adapter recognises it. */
export function detectKind(name: string, head: Buffer): ArtifactKind | null {
  for (const adapter of SOURCE_ADAPTERS.values()) {
    if (adapter.detect({ name, head })) return adapter.kind;
  }
  return null;
}

/** The adapter for a kind; throws FORMAT_UNKNOWN for kinds nobody registered. */
export function getAdapter(kind: string): SourceAdapter {
  const adapter = SOURCE_ADAPTERS.get(kind);
  if (!adapter) {
    throw new MailtrailError('FORMAT_UNKNOWN', `unknown input format '${kind}'`, {
      hint: `known formats: ${[...SOURCE_ADAPTERS.keys()].join(', ')}`,
    });
  }
  return adapter;
}
