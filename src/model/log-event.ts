// One normalized event per meaningful MTA log line (issue 4). Pure data: no behaviour here.
// Parsers in src/parse/logs/ produce these; the store, linking and `trace` consume them.
// The raw line is deliberately NOT kept: the artifact is re-readable by `line`/`offset` (and hashed by ingest).

/** How `time` was known. */
export type TimeBasis =
  /** The line carried a full date and a UTC offset (RFC 3339 syslog, Exim with `log_timezone`). */
  | 'explicit-zone'
  /** The line carried a full date but no zone (Exim's own `2026-11-20 14:00:05`): the zone came from the caller. */
  | 'assumed-zone'
  /** Classic syslog `Mmm dd HH:MM:SS`: both the year and the zone came from the caller. */
  | 'assumed-year-and-zone'
  /** No usable time: none in the line, or the year/zone needed to place it was missing or invalid. */
  | 'unknown';

/**
 * What the line says happened, as one closed set of words shared by every MTA.
 * `null` on an event means the line is evidence (a connection, a Message-ID, a TLS handshake…) but not a status change.
 *
 * - `received`    a message entered this server's queue (Postfix smtpd `client=`/pickup, Exim `<=`, Sendmail `from=`)
 * - `queued`      the queue manager took it in (Postfix qmgr `from=, size=, nrcpt= (queue active)`)
 * - `sent`        handed to another MTA or content filter, which accepted it (Postfix smtp `status=sent`, Exim `=>` with `H=`)
 * - `delivered`   final delivery into a mailbox, file or command (Postfix local/virtual/pipe/lmtp, Exim local transports, Sendmail mailer=local,
 *                 Dovecot LMTP/LDA `saved mail to` / Sieve `stored mail into mailbox`)
 * - `deferred`    temporary failure, will retry (Postfix `status=deferred`, Exim `==`, Sendmail `stat=Deferred`)
 * - `bounced`     permanent failure for a recipient (Postfix `status=bounced`, Exim `**`, Sendmail 5.x.x, Dovecot LMTP/LDA `rejected:` and Sieve reject)
 * - `rejected`    refused during the SMTP dialogue: no responsibility taken (NOQUEUE reject, milter-reject, Exim `rejected RCPT`)
 * - `expired`     gave up after the maximal queue lifetime (Postfix qmgr `status=expired`)
 * - `quarantined` put on hold (Postfix `hold:` / `milter-hold` / postsuper `placed on hold`)
 * - `discarded`   accepted and thrown away on purpose (Postfix discard transport, `discard:` actions, Dovecot Sieve `discard`)
 * - `removed`     the message left the queue (Postfix `removed`, Exim `Completed`)
 * - `notified`    a delivery status notification was created; `relatedQueueId` is the notification's own queue id
 * - `probed`      an address-verification probe finished (Postfix `status=deliverable|undeliverable…`); `dsn` tells the result
 */
export type LogStatus =
  | 'received'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'deferred'
  | 'bounced'
  | 'rejected'
  | 'expired'
  | 'quarantined'
  | 'discarded'
  | 'removed'
  | 'notified'
  | 'probed';

export const LOG_STATUSES: readonly LogStatus[] = [
  'received', 'queued', 'sent', 'delivered', 'deferred', 'bounced', 'rejected',
  'expired', 'quarantined', 'discarded', 'removed', 'notified', 'probed',
];

/** Log format family that produced an event (`dovecot`: the mailbox server's LMTP/LDA and mail_log lines). */
export type LogFormat = 'postfix' | 'exim' | 'sendmail' | 'exchange' | 'm365' | 'gws' | 'dovecot';

/** A network peer as the log names it. Fields the line does not state are null. */
export interface LogEndpoint {
  /** Host name as logged (`unknown` kept as written); for transports without a host, the transport name (`local`, `dovecot`). */
  host: string | null;
  /** IP address without brackets (IPv6 without an `IPv6:` prefix); null for unix sockets and named transports. */
  ip: string | null;
  port: number | null;
}

/** Where a line sits in its artifact and the year/zone to use for timestamps that lack them. Passed by the caller. */
export interface LineContext {
  /** 1-based line number within the artifact. */
  line: number;
  /** Byte offset of the line's first byte within the (decompressed) artifact. */
  offset: number;
  /** Year for classic syslog timestamps (`Mmm dd HH:MM:SS`); see `createYearRoller` for Dec→Jan rollover. */
  year?: number | null;
  /** Zone for timestamps without one: minutes east of UTC (`60` = +01:00) or an IANA name (`Europe/Berlin`). Default UTC. */
  tz?: number | string | null;
  /** Where the year came from, in words (`--year`, `file mtime 2026-01-03`); shown in `timeAssumption`. */
  yearSource?: string | null;
  /** Where the zone came from, in words (`--tz`). */
  tzSource?: string | null;
  /**
   * The previous line's time (UTC ms), kept by the parsers while reading a file in order: it tells which of the
   * two instants a wall time names when clocks go back (see parse/logs/log-time.ts wallToUtcMs).
   */
  lastUtcMs?: number | undefined;
}

export interface LogEvent {
  format: LogFormat;
  /** 1-based line number in the artifact. */
  line: number;
  /** Byte offset of the line in the artifact. */
  offset: number;
  /** ISO 8601 UTC with milliseconds (`2026-11-20T14:00:05.123Z`); finer fractions are truncated. Null when unknown. */
  time: string | null;
  timeBasis: TimeBasis;
  /** The assumption behind `time`, in words (`year 2026 (--year), zone Europe/Berlin (--tz)`); null when nothing was assumed. */
  timeAssumption: string | null;
  /** Host that wrote the line (syslog host field); null when the format has none. */
  host: string | null;
  /** Program as logged, instance kept: `postfix-out/smtp`, `postfix/submission/smtpd`, `exim`, `sm-mta`; for Dovecot the service (`lmtp`, `lda`, `imap`, `pop3`). */
  program: string | null;
  pid: number | null;
  /**
   * This server's queue id for the message (Postfix `4104E3D`/`4PbC4x469Jz3tBr`, Exim `1abcDE-000Xyz-AB`, Sendmail `s1P819mk027713`).
   * Dovecot LMTP/LDA: the delivery's session id (`8I0kMGDHEWvNBgAAg+zDdQ`), which the MTA's `250 … Saved` reply names;
   * null on IMAP/POP3 lines (a session there touches many messages).
   */
  queueId: string | null;
  /** RFC 5322 Message-ID without angle brackets; `''` when logged as `<>`. */
  messageId: string | null;
  /** Envelope sender without angle brackets; `''` for the null sender `<>`. */
  from: string | null;
  /**
   * Envelope recipient(s) without angle brackets; several are joined with `,` (Sendmail, Exim `for a b`).
   * Dovecot: the user in the log tag on LMTP/LDA lines (the recipient). Null on IMAP/POP3 lines: that session's
   * account owns the mailbox it changed but is no recipient (alice saving her Sent copy); it is in `detail`.
   */
  to: string | null;
  /** Original recipient before rewriting/aliasing (Postfix `orig_to=`, Exim `=> a <orig>`). */
  origTo: string | null;
  /** The next hop this server handed the message to. */
  relay: LogEndpoint | null;
  /** The SMTP client that connected to this server. */
  client: LogEndpoint | null;
  status: LogStatus | null;
  /** Enhanced status code (RFC 3463), e.g. `2.0.0`. */
  dsn: string | null;
  /**
   * SMTP reply text that decided the status: the remote server's reply for deliveries, this server's reply for rejects.
   * Free-text fields (`reply`, `to`, `detail`) are bounded (2,000 / 2,000 / 200 characters, cut with `…`); the line keeps the rest.
   */
  reply: string | null;
  /** The next server's own queue id, read from its reply (see parse/logs/remote-queue-id.ts for the forms recognised). */
  remoteQueueId: string | null;
  /** Another queue id this line names on this server: a bounce/DSN's queue id (`notified`), Exim `R=` of a bounce, a pre-filter `orig_queue_id`. */
  relatedQueueId: string | null;
  /** Total delay in seconds (Postfix `delay=`, Sendmail `delay=1+00:00:15`). */
  delay: number | null;
  /** Postfix `delays=a/b/c/d` breakdown as written. */
  delays: string | null;
  /** Message size in bytes. */
  size: number | null;
  /** Number of recipients (Postfix `nrcpt=`, Sendmail `nrcpts=`). */
  nrcpt: number | null;
  /**
   * A few words for what the line says when `status` alone does not (`connect`, `lost connection after DATA`, `reject_warning: RCPT`).
   * Dovecot lines use fixed wordings for mailbox actions (`saved to mailbox 'INBOX' uid 1`, `expunged from mailbox 'INBOX' uid 1`),
   * read back by parse/logs/dovecot-detail.ts mailboxAction; their mailbox names are bounded separately (100 characters each).
   */
  detail: string | null;
}
