// IMAP credentials for `ingest imaps://…`: the only place that reads them. XOAUTH2 access token from
// MAILTRAIL_IMAP_TOKEN, else password from MAILTRAIL_IMAP_PASSWORD, else a prompt with echo off when stdin
// and stderr are a terminal. Never a command-line argument; never written anywhere (the store, the journal,
// output): the value goes straight to the IMAP session.

import { MailtrailError } from '../errors.js';
import type { ImapCredentials } from '../sources/imap/types.js';

export interface CredentialSources {
  env: NodeJS.ProcessEnv;
  /** Prompts on the terminal with echo off; absent when stdin or stderr is not a terminal. */
  prompt?: ((question: string) => Promise<string>) | undefined;
}

export async function imapCredentials(account: string, src: CredentialSources): Promise<ImapCredentials> {
  const token = src.env.MAILTRAIL_IMAP_TOKEN;
  if (token !== undefined && token !== '') return { kind: 'token', token };
  const password = src.env.MAILTRAIL_IMAP_PASSWORD;
  if (password !== undefined && password !== '') return { kind: 'password', password };
  if (src.prompt) {
    const typed = await src.prompt(`IMAP password for ${account}: `);
    if (typed !== '') return { kind: 'password', password: typed };
  }
  throw new MailtrailError('USAGE', `no IMAP password for ${account}`, {
    hint: 'set MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2), or run on a terminal to be prompted',
  });
}

/** Read one line from the terminal without echoing it. Only called when stdin and stderr are TTYs. */
export function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new MailtrailError('USAGE', 'password prompt interrupted'));
          return;
        }
        // Erase one character (a whole code point, not half of a surrogate pair); Ctrl-U erases the line.
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    stderr.write(question);
    stdin.setRawMode(true);
    // Decode as UTF-8 across chunks, so a character split between two reads is not corrupted.
    stdin.setEncoding('utf8');
    stdin.resume();
    stdin.on('data', onData);
  });
}
