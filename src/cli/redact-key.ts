// `--redact`, `--redact-key-file`, `--keep-domain`, `--keep-all-domains` → the options of src/report/redact.ts,
// with the key read from its file here (cli/ is where files are read). A redaction needs a key the user keeps:
// random pseudonyms could not be followed from one report to the next, so there is no keyless mode.

import { readFileSync } from 'node:fs';
import { MailtrailError } from '../errors.js';
import { MIN_KEY_BYTES, type RedactOptions } from '../report/redact-schema.js';

export interface RedactCliOptions {
  redact?: boolean;
  redactKeyFile?: string;
  keepDomain?: string[];
  keepAllDomains?: boolean;
}

const KEY_HINT = 'make a key once and keep it: openssl rand -hex 32 > key.txt';
const DOMAIN = /^(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.)*[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** The redaction asked for on the command line, or null when --redact is not given. Checked before any work. */
export function redactOptions(o: RedactCliOptions): RedactOptions | null {
  if (o.redact !== true) {
    const stray = o.redactKeyFile !== undefined ? '--redact-key-file' : o.keepDomain?.length ? '--keep-domain' : o.keepAllDomains ? '--keep-all-domains' : null;
    if (stray !== null) throw new MailtrailError('USAGE', `${stray} only applies with --redact; nothing would be redacted`, { hint: 'add --redact (and --redact-key-file FILE)' });
    return null;
  }
  if (o.redactKeyFile === undefined) {
    throw new MailtrailError('USAGE', '--redact needs --redact-key-file: pseudonyms made without a kept key could not be followed or re-checked', { hint: KEY_HINT });
  }
  const keepDomains = (o.keepDomain ?? []).map((d) => d.trim().replace(/^[@.]+|\.$/g, '').toLowerCase());
  for (const d of keepDomains) if (!DOMAIN.test(d)) throw new MailtrailError('USAGE', `--keep-domain: not a domain name: '${d}'`, { hint: '--keep-domain example.com (its subdomains are kept too)' });
  const key = readRedactionKey(o.redactKeyFile);
  return { key, keepDomains, keepAllDomains: o.keepAllDomains === true };
}

/** The key in a --redact-key-file: its bytes without a trailing newline, at least MIN_KEY_BYTES long. */
export function readRedactionKey(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MailtrailError('IO', `cannot read the redaction key${code ? ` (${code})` : ''}`, { where: file, hint: KEY_HINT });
  }
  // A trailing newline (echo, editors) is not part of the key: the same key typed two ways gives the same pseudonyms.
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  const key = bytes.subarray(0, end);
  if (key.length < MIN_KEY_BYTES) {
    throw new MailtrailError('USAGE', `the redaction key is too short (${key.length} bytes; at least ${MIN_KEY_BYTES}): a short key can be guessed, and with it every pseudonym`, { where: file, hint: KEY_HINT });
  }
  return key;
}
