// What a source adapter hands to ingest: artifacts (files or streams whose bytes are hashed) and the
// messages found in them, each with a locator that lets anyone find the exact bytes again.

/** Kinds of evidence artifact. Later work adds log and IMAP kinds. */
export type ArtifactKind = 'eml' | 'mbox' | 'maildir' | (string & {});

/** Where inside an artifact a message was found. Every field that does not apply is null. */
export interface MessageLocator {
  /** 1-based message number within the artifact (1 for a single-message file). */
  index: number;
  /** Byte offset of the message's first byte within the artifact (after an mbox `From ` line). */
  offset: number;
  /** Length in bytes of the message as stored in the artifact (before mbox un-quoting). */
  length: number;
  /** Mailbox folder: `INBOX`, `Junk`, `Sent`, … (Maildir++ `.Junk` -> `Junk`); null when unknown. */
  folder: string | null;
  /** mbox `From ` separator line (without line ending), when the artifact is an mbox. */
  fromLine: string | null;
  /** How the stored bytes were turned into message bytes: `none`, or `mboxrd`/`mboxo` un-quoting of `>From `. */
  unquote: 'none' | 'mboxrd' | 'mboxo';
  /** Maildir flags from the file name (`:2,FRS` -> `FRS`); null otherwise. */
  maildirFlags: string | null;
  /** Maildir subfolder the file sat in (`cur`/`new`); null otherwise. */
  maildirSubdir: 'cur' | 'new' | null;
}

/** One message's bytes as recovered from an artifact (un-quoted, line endings kept). */
export interface RawMessage {
  bytes: Buffer;
  locator: MessageLocator;
  /** Keep only the header block, whatever --headers-only says: the body here is not the message's (a .partial.emlx). */
  headersOnly?: boolean;
}

/** A problem inside an artifact that did not stop the rest of it from being read. */
export interface SourceProblem {
  /** Human position: `message #3`, `byte 18231`, `line 12`. */
  position: string;
  message: string;
  /** Byte offset of the problem, when known. */
  offset: number | null;
}

/** An artifact to be read: a file (or stdin) and how to read it. */
export interface ArtifactInput {
  /** Path as given (or as found under a directory that was given); `-` for stdin. */
  path: string;
  kind: ArtifactKind;
  /** Folder this artifact represents, for Maildir message files. */
  folder: string | null;
}

/** The facts about an artifact's bytes, known once it has been read to the end. */
export interface ArtifactDigest {
  sha256: string;
  size: number;
  /** Modification time as ISO UTC, null for stdin. */
  mtime: string | null;
}

/** What reading an artifact yields, in order: messages and problems, then exactly one `end`. */
export type ArtifactEvent =
  | { type: 'message'; message: RawMessage }
  | { type: 'problem'; problem: SourceProblem }
  | { type: 'end'; digest: ArtifactDigest };

/** A source adapter: one format, behind one small interface, registered in sources/registry.ts. */
export interface SourceAdapter {
  readonly kind: ArtifactKind;
  /** True when the first bytes of a file look like this format. `name` is the file's base name. */
  detect(probe: { name: string; head: Buffer }): boolean;
  /**
   * Read the artifact; yields messages/problems and ends with its digest. Throws (MailtrailError 'IO',
   * `where: path @ byte N`) when the artifact cannot be opened, or when reading fails part-way — a digest of
   * partial bytes would be a false hash. The caller rolls back whatever it wrote for that artifact.
   */
  read(input: ArtifactInput, opts: ReadOptions): AsyncIterable<ArtifactEvent>;
}

export interface ReadOptions {
  /** mbox quoting convention to undo. */
  mboxFormat: 'mboxrd' | 'mboxo';
  /** Messages larger than this are reported as problems and skipped (bounds memory). */
  maxMessageBytes: number;
}
