// Typed errors with stable codes. Core code throws these; cli/ turns them into one-line messages
// (`mailtrail: <what failed>: <where>` + optional `hint:`) and exit codes. Never shown as stack traces.

export type ErrorCode =
  | 'USAGE'
  | 'NOT_FOUND'
  | 'IO'
  | 'BAD_INPUT'
  | 'FORMAT_UNKNOWN'
  | 'STORE'
  | 'STORE_VERSION'
  | 'STORE_BUSY'
  | 'AMBIGUOUS';

export class MailtrailError extends Error {
  readonly code: ErrorCode;
  /** Where: a file, `file:line`, `file @ byte N`, `message #N`, … */
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MailtrailError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }
}

/** One line describing any thrown value, without a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof MailtrailError) return err.where ? `${err.message}: ${err.where}` : err.message;
  // A schema check that failed (zod's message is the issues as multi-line JSON): the first issue, on one line.
  const issues = (err as { issues?: Array<{ path?: PropertyKey[]; message?: string }> } | null)?.issues;
  if (err instanceof Error && err.name === 'ZodError' && Array.isArray(issues) && issues.length > 0) {
    const first = issues[0]!;
    const at = (first.path ?? []).map(String).join('.') || '(top)';
    return `internal: output failed its own schema check at ${at}: ${first.message ?? 'invalid'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''} (--debug shows all)`;
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code ? `${err.message.split('\n')[0]} (${code})` : (err.message.split('\n')[0] ?? String(err));
  }
  return String(err);
}
