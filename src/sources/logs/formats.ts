// The log formats mailtrail reads, and one line parser per format behind one small interface.
// Syslog-prefixed files are read "mixed" when detected (each line goes to the parser of its program: a mail.log
// often carries Postfix and, on a migrating host, Sendmail or Exim lines, and Dovecot's `dovecot:` lines); `--format
// NAME` reads only NAME's lines. Dovecot's own log_path file has the same timestamp and no host, its tag
// (`lmtp(bob@x)<1741><SESSION>`, `imap-login`, `master`) where the program would be: the Dovecot parser reads both.
// LOG_FORMATS indexes are stored in the database (log_events.fmt): append new formats, never reorder.

import type { LineContext, LogEvent, LogFormat } from '../../model/log-event.js';
import { parseDovecotMessage } from '../../parse/logs/dovecot.js';
import { parseEximLine } from '../../parse/logs/exim.js';
import { createExchangeParser } from '../../parse/logs/exchange.js';
import { createGwsParser } from '../../parse/logs/gws.js';
import { createM365Parser } from '../../parse/logs/m365.js';
import { parsePostfixMessage, postfixService } from '../../parse/logs/postfix.js';
import { isSendmailProgram, parseSendmailLine } from '../../parse/logs/sendmail.js';
import { parseSyslogPrefix } from '../../parse/logs/syslog-prefix.js';

export const LOG_FORMATS: readonly LogFormat[] = ['postfix', 'exim', 'sendmail', 'exchange', 'm365', 'gws', 'dovecot'];

export function isLogFormat(v: string): v is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(v);
}

/** What a line parser says about one line: events, noise (null or []), or why the line is not a log line. */
export type LineResult = LogEvent | LogEvent[] | null | string;

export interface LineParser {
  readonly format: LogFormat;
  /** True for formats whose lines carry a classic syslog timestamp (so the year roller applies). */
  readonly syslog: boolean;
  parse(line: string, ctx: LineContext): LineResult;
  /** Time of the last line parsed when it had one, events or not (noise lines still prove the log was written). */
  lastTime: string | null;
}

const NO_PREFIX = 'not a log line (no syslog prefix)';

/** Exim's own timestamp at the start of a line (`2026-11-20 14:00:05`). */
function hasEximStamp(l: string): boolean {
  return l.length >= 19 && l.charCodeAt(4) === 45 && l.charCodeAt(7) === 45 && l.charCodeAt(10) === 32 && l.charCodeAt(13) === 58 && l.charCodeAt(16) === 58;
}

function syslogParser(format: 'postfix' | 'sendmail' | 'dovecot', mixed: boolean): LineParser {
  const self: LineParser = {
    format,
    syslog: true,
    lastTime: null,
    parse(line, ctx) {
      const p = parseSyslogPrefix(line, ctx);
      self.lastTime = p === null ? null : p.time;
      if (p === null) {
        if (line.charCodeAt(0) === 35 /* # */) return null; // a comment: no syslog line starts with `#`
        return mixed && hasEximStamp(line) ? parseEximLine(line, ctx) : NO_PREFIX;
      }
      const svc = postfixService(p.program);
      if (svc !== null) return format === 'postfix' || mixed ? parsePostfixMessage(line.slice(p.msgStart), svc, ctx, p) : null;
      if (isSendmailProgram(p.program)) return format === 'sendmail' || mixed ? parseSendmailLine(line, ctx) : null;
      if (mixed && p.program.startsWith('exim')) return parseEximLine(line, ctx);
      // Dovecot last: syslog `dovecot:` lines and log_path tags (null for any other program).
      return format === 'dovecot' || mixed ? parseDovecotMessage(line, ctx, p) : null;
    },
  };
  return self;
}

function eximParser(): LineParser {
  return {
    format: 'exim',
    syslog: true,
    lastTime: null,
    parse(line, ctx) {
      const ev = parseEximLine(line, ctx);
      if (ev !== null) return ev;
      if (line.charCodeAt(0) === 35 || hasEximStamp(line) || parseSyslogPrefix(line, ctx) !== null) return null;
      // Rejectlog header dumps follow a rejection line: `  Received: …`, `P Received: …`, `F From: …`.
      if (/^(?:[ \t]|[A-Z*] |[A-Za-z-]+: )/.test(line)) return null;
      return 'not an Exim log line (no timestamp)';
    },
  };
}

/** A fresh parser (vendor parsers hold header state, so one per artifact). */
export function createLineParser(format: LogFormat, mixed: boolean): LineParser {
  switch (format) {
    case 'postfix': return syslogParser('postfix', mixed);
    case 'sendmail': return syslogParser('sendmail', mixed);
    case 'dovecot': return syslogParser('dovecot', mixed);
    case 'exim': return eximParser();
    case 'exchange': { const p = createExchangeParser(); return { format, syslog: false, lastTime: null, parse: (l, c) => p.parse(l, c) }; }
    case 'm365': { const p = createM365Parser(); return { format, syslog: false, lastTime: null, parse: (l, c) => p.parse(l, c) }; }
    case 'gws': { const p = createGwsParser(); return { format, syslog: false, lastTime: null, parse: (l, c) => p.parse(l, c) }; }
    default: throw new Error(`internal: no parser for ${String(format)}`);
  }
}
