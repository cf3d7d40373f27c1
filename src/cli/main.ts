// The mailtrail command line: parses arguments with commander, builds one RunConfig, runs one
// command, maps errors to one-line messages and documented exit codes. Command modules are
// imported lazily so `--help` stays instant.

import { Command, CommanderError, Option } from 'commander';
import { buildRunConfig, type GlobalOptions } from './config.js';
import { errorLines, makeChalk, neutralizeControls, type Ctx, type Io } from './output.js';
import { TOOL_VERSION } from '../version.js';

const EXIT_CODES = `
Exit codes:
  0  success
  1  a condition you asked to fail on was met
  2  usage error, I/O error, or partial failure (some input could not be read; the rest was kept)

Environment:
  MAILTRAIL_DB   evidence store path (default ./mailtrail.db; --db wins)
  MAILTRAIL_IMAP_PASSWORD  IMAP password for ingest imaps://… (else a prompt on a terminal)
  MAILTRAIL_IMAP_TOKEN     OAuth2 access token for IMAP XOAUTH2 (Gmail, Microsoft 365)
  NO_COLOR       disable colour (as does TERM=dumb or --color never)`;

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  let debug = argv.includes('--debug');
  const program = new Command('mailtrail');
  program
    .description('Prove what happened to an email: was it sent, did it arrive (and where), who really sent it.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--db <path>', 'evidence store (SQLite); default $MAILTRAIL_DB or ./mailtrail.db')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .option('-q, --quiet', 'no progress output')
    .option('--debug', 'show stack traces on errors')
    .addHelpText('after', EXIT_CODES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(s.startsWith('error: ') ? `mailtrail: ${s.slice(7)}` : s),
    });

  const ctxOf = (cmd: Command): Ctx => {
    const g = cmd.optsWithGlobals() as GlobalOptions;
    debug = g.debug === true;
    const config = buildRunConfig(g, process.env, process.stdout, process.stderr);
    return { config, io, chalk: makeChalk(config), toolVersion: TOOL_VERSION, argv: argv.slice(2) };
  };

  program
    .command('ingest')
    .summary('add messages to the evidence store (.eml, mbox, Maildir, directories, - for stdin, IMAP)')
    .description(
      'Add evidence to the store. Files and directories are read-only; each file is hashed and ingested in one ' +
        'transaction. Re-ingesting the same bytes adds nothing. Problems are reported one per line on stderr and ' +
        'recorded in the store; the rest of the batch continues (exit 2 if any).\n\n' +
        'IMAP (imaps://user@host[:port], or imap:// with STARTTLS): every folder, or --folder ones, read without ' +
        'changing anything (EXAMINE, BODY.PEEK). Searches run on the server. A re-run fetches only new UIDs. ' +
        'Password from MAILTRAIL_IMAP_PASSWORD or a prompt on a terminal; XOAUTH2 token from MAILTRAIL_IMAP_TOKEN.',
    )
    .argument('<paths...>', 'files, directories (walked recursively, format detected), - for stdin, or one imaps://user@host')
    .addOption(new Option('--format <kind>', 'force the input format').choices(['eml', 'mbox', 'maildir', 'postfix', 'exim', 'sendmail', 'exchange', 'm365', 'gws', 'dovecot']))
    .option('--year <yyyy>', 'logs: year for syslog timestamps without one (default: from the file mtime, rolling over at Dec→Jan)')
    .option('--tz <zone>', 'logs: zone of timestamps without one: IANA name (Europe/Berlin) or offset (+01:00); default UTC')
    .option('--headers-only', 'keep header blocks and a body hash, not message bodies')
    .addOption(new Option('--mbox-format <convention>', 'mbox From_ quoting to undo').choices(['mboxrd', 'mboxo']).default('mboxrd'))
    .option('--max-message-mb <n>', 'skip (and report) messages larger than this', '100')
    .option('--jobs <n>', 'worker threads for parsing and compression (0 = none; default: cores - 1)')
    .option('--folder <name>', 'IMAP: read this folder (repeatable; default: every folder)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--since <YYYY-MM-DD>', 'IMAP: messages the server received on or after this UTC day (INTERNALDATE)')
    .option('--before <YYYY-MM-DD>', 'IMAP: messages the server received before this UTC day (INTERNALDATE)')
    .option('--message-id <id>', 'IMAP: server-side search on the Message-ID header')
    .option('--from <text>', 'IMAP: server-side search on From')
    .option('--to <text>', 'IMAP: server-side search on To')
    .option('--subject <text>', 'IMAP: server-side search on Subject')
    .option('--insecure', 'IMAP: do not verify the TLS certificate (lab servers only; recorded in the journal)')
    .addOption(new Option('--batch-size <n>', 'IMAP: messages per transaction').hideHelp())
    .option('--json', 'print the summary as one JSON document')
    .option('--jsonl', 'print the summary as a JSON Lines record')
    .addHelpText(
      'after',
      examples([
        'mailtrail ingest ~/Maildir',
        'mailtrail ingest /var/log/mail.log* exim-mainlog.gz tracking.csv',
        'mailtrail ingest --year 2026 --tz Europe/Berlin mail.log.1',
        'mailtrail --db case.db ingest export.mbox inbox/*.eml',
        'cat msg.eml | mailtrail ingest -',
        'MAILTRAIL_IMAP_PASSWORD=… mailtrail ingest imaps://alice@imap.example.com',
        'mailtrail ingest imaps://alice@imap.example.com --folder INBOX --folder Junk --since 2026-11-01',
        "mailtrail ingest imaps://alice@imap.example.com --message-id '<abc@example.com>'",
      ]),
    )
    .action(async (paths: string[], opts, cmd: Command) => {
      const { runIngest } = await import('./commands/ingest.js');
      exitCode = await runIngest(paths, opts, ctxOf(cmd));
    });

  program
    .command('hops')
    .summary('the Received chain of one message, hop by hop')
    .description('Show every Received hop of one message, oldest first, with per-hop delay, TLS and clock-skew warnings.')
    .argument('[message]', 'a message file (.eml or mbox with --message N), or - for stdin')
    .option('--message-id <id>', 'a message already in the store')
    .option('--sha256 <prefix>', 'a message already in the store, by the sha256 of its bytes')
    .option('--message <n>', 'which message of an mbox file (1-based)')
    .option('--json', 'print one JSON document')
    .option('--jsonl', 'print JSON Lines records (message, hop..., summary)')
    .addHelpText('after', examples(['mailtrail hops suspicious.eml', 'mailtrail hops --json - < message.eml', "mailtrail --db case.db hops --message-id '<abc@example.com>'"]))
    .action(async (file: string | undefined, opts, cmd: Command) => {
      const { runHops } = await import('./commands/hops.js');
      exitCode = await runHops(file, opts, ctxOf(cmd));
    });

  program
    .command('sources')
    .summary('what is in the evidence store, with hashes and coverage')
    .description('List every evidence artifact in the store: path, kind, sha256, size, messages and the time span it covers.')
    .option('--json', 'print one JSON document')
    .option('--jsonl', 'print JSON Lines records (source..., summary)')
    .addHelpText('after', examples(['mailtrail sources', 'mailtrail --db case.db sources --json']))
    .action(async (opts, cmd: Command) => {
      const { runSources } = await import('./commands/sources.js');
      exitCode = await runSources(opts, ctxOf(cmd));
    });

  program
    .command('trace')
    .summary('every logged event for one message, across log sources and servers, in time order')
    .description(
      'Follow one message through the MTA logs in the store: the lines of each transaction (queue id), the same ' +
        'Message-ID on other servers, the next server\'s queue id from its "250 … queued as X" reply, content-filter ' +
        're-injections, bounces, and the Received header in a stored copy whose id is the queue id. Times are UTC; ' +
        'a * marks times whose year or zone was assumed. Ingest logs first (mailtrail ingest mail.log).',
    )
    .option('--message-id <id>', 'the Message-ID, with or without angle brackets')
    .option('--from <address>', 'envelope sender')
    .option('--to <address>', 'envelope recipient')
    .option('--since <time>', 'only lines at or after this time (2026-11-01 or ISO 8601; UTC when no zone)')
    .option('--until <time>', 'only lines at or before this time (a date alone means the end of that day)')
    .option('--json', 'print one JSON document {schemaVersion, events: [...], sources: [...]}')
    .option('--jsonl', 'print JSON Lines records (event..., summary)')
    .addHelpText('after', examples([
      "mailtrail trace --message-id '<94b73a13@sender.test>'",
      'mailtrail trace --from alice@sender.test --to bob@receiver.test --since 2026-11-01 --until 2026-11-03',
      "mailtrail --db case.db trace --message-id abc@example.com --json",
    ]))
    .action(async (opts, cmd: Command) => {
      const { runTrace } = await import('./commands/trace.js');
      exitCode = await runTrace(opts, ctxOf(cmd));
    });

  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  program
    .command('verify')
    .summary('who sent it: DKIM, SPF, DMARC and ARC from the trust boundary, with DNS kept as evidence')
    .description(
      'Establish whether a message really comes from its From domain: places the trust boundary in the Received chain, ' +
        'checks DKIM (at receipt, now, and the body hash without DNS), SPF from the recipient\'s own hop, DMARC and ARC, ' +
        'and flags look-alike identities. Every DNS answer used is recorded in the store when one is in use. ' +
        'Exit 1 when --fail-on matches the verdict.',
    )
    .argument('[message]', 'a message file (.eml, or mbox with --message N), or - for stdin')
    .option('--message-id <id>', 'a message already in the store')
    .option('--sha256 <prefix>', 'a message already in the store, by the sha256 of its bytes')
    .option('--message <n>', 'which message of an mbox file (1-based)')
    .option('--offline', 'use only DNS answers recorded in the store')
    .option('--dns-snapshot <file>', 'answer DNS from a JSON file (mailauth --dns-cache format)')
    .option('--trust <host-or-cidr>', 'a receiving server of yours (repeatable); hops it wrote are trusted', collect)
    .option('--save-trust', 'remember the --trust values in the store for later runs')
    .option('--expect-domain <domain>', 'the domain this sender should use (repeatable), for look-alike checks', collect)
    .option('--at <time>', 'evaluate signature expiry (x=) as of this time (ISO 8601 or Unix seconds)')
    .option('--dns-timeout <ms>', 'give up on a DNS query after this long (default 3000)')
    .option('--fail-on <answer>', 'exit 1 when the verdict is forged or unverified (repeatable)', collect)
    .option('--json', 'print one JSON document')
    .option('--jsonl', 'print JSON Lines records (verdict, flag..., dns..., summary)')
    .addHelpText('after', examples(['mailtrail verify suspicious.eml', "mailtrail --db case.db verify --message-id '<abc@example.com>'", 'mailtrail verify --offline --dns-snapshot dns.json message.eml', 'mailtrail verify --trust mx.example.org --expect-domain example.com --json message.eml']))
    .action(async (file: string | undefined, opts, cmd: Command) => {
      const { runVerify } = await import('./commands/verify.js');
      exitCode = await runVerify(file, opts, ctxOf(cmd));
    });

  program
    .command('investigate')
    .summary('was it sent, did it arrive (and where), who sent it — answered with cited evidence')
    .description(
      'Answer the three questions about one message from everything in the store, after ingesting the given paths ' +
        '(idempotently). The question is a Message-ID, a stored message\'s sha256, or a sender and/or recipient (+ subject ' +
        'words) with a time; with paths and no question, it is the one message in those paths (several are listed, not guessed). ' +
        'When several messages match, they are listed and nothing is guessed (exit 2). Negative answers rest on log ' +
        'coverage: a log that does not cover the claimed time gives "undetermined", naming the gap. Exit 2 when the ' +
        'question cannot be answered (several matches, empty store, nothing found and nothing covered).',
    )
    .argument('[paths...]', 'evidence to ingest first: files, directories, Maildirs, logs')
    .option('--message-id <id>', 'the Message-ID, with or without angle brackets')
    .option('--sha256 <prefix>', 'a stored message by its sha256 (6+ hex digits), e.g. one with no Message-ID')
    .option('--from <address>', 'sender address (envelope or From)')
    .option('--to <address>', 'recipient address as claimed (a near-miss typo still matches, and is reported)')
    .option('--subject <words>', 'words the Subject must contain')
    .option('--around <time>', 'when it was claimed to be sent (searches ±--window; UTC when no zone)')
    .option('--window <span>', 'with --around: how far either side to search (30m, 2h, 1d; default 2h)')
    .option('--since <time>', 'search from this time (2026-11-01 or ISO 8601; UTC when no zone)')
    .option('--until <time>', 'search up to this time (a date alone means the end of that day)')
    .option('--year <yyyy>', 'logs: year for syslog timestamps without one')
    .option('--tz <zone>', 'logs: zone of timestamps without one (IANA name or +01:00); default UTC')
    .option('--offline', 'use only DNS answers recorded in the store')
    .option('--dns-snapshot <file>', 'answer DNS from a JSON file (mailauth --dns-cache format)')
    .option('--trust <host-or-cidr>', 'a receiving server of yours (repeatable)', collect)
    .option('--expect-domain <domain>', 'the domain this sender should use (repeatable)', collect)
    .option('--at <time>', 'evaluate signature expiry (x=) as of this time (default: when the copy was received)')
    .option('--dns-timeout <ms>', 'give up on a DNS query after this long (default 3000)')
    .option('--json', 'print one JSON document {schemaVersion, question, message, verdicts, timeline, findings, evidence, caveats, manifest, seal}: sealed')
    .option('--jsonl', 'print JSON Lines records (verdict×3, event..., finding..., summary)')
    .option('--html <file>', 'also write the report as one self-contained HTML page (no scripts, nothing fetched; prints on A4/Letter); - for stdout')
    .option('--markdown', 'print the report as GitHub-flavoured Markdown (for tickets and wikis)')
    .option('--redact', 'replace addresses, local parts, IPs, hostnames, subjects and Message-IDs with keyed pseudonyms (needs --redact-key-file)')
    .option('--redact-key-file <file>', 'secret key for --redact (HMAC-SHA256; at least 16 bytes): the same key gives the same pseudonyms')
    .option('--keep-domain <domain>', 'with --redact: keep this domain and its subdomains as they are (repeatable); local parts are still replaced', collect)
    .option('--keep-all-domains', 'with --redact: keep every domain and hostname; replace local parts, IPs, subjects, Message-IDs and display names')
    .addHelpText('after', examples([
      "mailtrail investigate fixtures/cases/bounced-mistyped --year 2026 --message-id '<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>'",
      'mailtrail --db case.db investigate suspicious.eml --offline',
      "mailtrail --db case.db investigate --from carol@x.test --to alice@y.test --around '2026-11-20 14:00'",
      "mailtrail --db case.db investigate --message-id '<abc@example.com>' --offline --json > report.json",
      "mailtrail --db case.db investigate --message-id '<abc@example.com>' --offline --html report.html --markdown > report.md",
      "mailtrail --db case.db investigate --message-id '<abc@example.com>' --json --redact --redact-key-file key.txt --keep-domain example.com > shareable.json",
    ]))
    .action(async (paths: string[], opts, cmd: Command) => {
      const { runInvestigate } = await import('./commands/investigate.js');
      exitCode = await runInvestigate(paths, opts, ctxOf(cmd));
    });

  const dns = program.command('dns').summary('DNS answers recorded as evidence').description('Work with the DNS answers recorded in the store.');
  dns
    .command('export')
    .summary('print recorded DNS answers as a snapshot (mailauth --dns-cache JSON) for offline replay')
    .description('Print every DNS answer recorded in the store (newest per name and type) in mailauth --dns-cache format; failures and recording times go under the "$mailtrail" key.')
    .addHelpText('after', examples(['mailtrail --db case.db dns export > dns.json', 'mailtrail verify --dns-snapshot dns.json message.eml']))
    .action(async (opts, cmd: Command) => {
      const { runDnsExport } = await import('./commands/dns.js');
      exitCode = await runDnsExport(opts, ctxOf(cmd));
    });

  // Auditor-grade exports (issue 7): verify-report, schema, export.
  program
    .command('verify-report')
    .summary('check a sealed report: its seal, and every artifact and DNS answer it cites')
    .description(
      'Recompute the seal of an investigate --json report and, with --db or --evidence, re-hash every artifact and ' +
        'DNS answer its manifest lists. One line per check; each difference is named: report edited, artifact ' +
        'missing, artifact changed, DNS answer differs. Without --db or --evidence only the seal is checked.\n\n' +
        'Exit codes: 0 everything checked matches; 1 a difference was found; 2 cannot check (not JSON, cut short, ' +
        'not a mailtrail report, a newer schemaVersion, no seal, an artifact whose bytes are nowhere to be read).',
    )
    .argument('<report>', 'the report (JSON), or - for stdin')
    .option('--evidence <dir>', 'an evidence bundle (mailtrail export) or a folder laid out like the report paths')
    .option('--json', 'print one JSON document {seal, schema, artifacts, dns, problems, exitCode}')
    .option('--redact-key-file <file>', 'for a redacted report: check it was redacted with this key (by key id)')
    .addHelpText('after', examples([
      'mailtrail verify-report report.json',
      'mailtrail verify-report shareable.json --redact-key-file key.txt',
      'mailtrail verify-report report.json --db case.db',
      'mailtrail verify-report bundle/report.json --evidence bundle/',
    ]))
    .action(async (file: string, opts, cmd: Command) => {
      const { runVerifyReport } = await import('./commands/verify-report.js');
      const dbGiven = (cmd.optsWithGlobals() as GlobalOptions).db !== undefined;
      exitCode = await runVerifyReport(file, opts, dbGiven, ctxOf(cmd));
    });

  program
    .command('schema')
    .summary('print the JSON Schema of the investigate --json report')
    .description('Print the JSON Schema (draft 2020-12) generated by zod from the schema investigate --json is validated against; a copy is kept in src/report/report.schema.json.')
    .addHelpText('after', examples(['mailtrail schema > mailtrail-report.schema.json']))
    .action(async (opts, cmd: Command) => {
      const { runSchema } = await import('./commands/schema.js');
      exitCode = await runSchema(opts, ctxOf(cmd));
    });

  program
    .command('export')
    .summary('write the evidence bundle an auditor can re-run: sealed report, artifacts, DNS, journal, SHA256SUMS')
    .description(
      'Answer the question as investigate does (from the store, DNS from the bundle\'s own snapshot: --dns-snapshot, ' +
        'else the answers recorded in the store) and write a bundle: report.json (sealed), evidence/ (every artifact ' +
        'the report lists, byte-exact, at its report path), dns-snapshot.json, journal.json (secrets removed), ' +
        'bundle.json (with the investigate arguments that reproduce report.json) and SHA256SUMS. Without a question, ' +
        'the whole store: every artifact, the DNS answers and the journal, no report. ' +
        'Exit 2 when an artifact could not be exported (the store keeps no bytes for logs: they are read from the ' +
        'path recorded at ingest and must be unchanged).',
    )
    .requiredOption('--out <dir>', 'a new or empty folder for the bundle')
    .option('--message-id <id>', 'the Message-ID, with or without angle brackets')
    .option('--from <address>', 'sender address (envelope or From)')
    .option('--to <address>', 'recipient address as claimed')
    .option('--subject <words>', 'words the Subject must contain')
    .option('--around <time>', 'when it was claimed to be sent (searches ±2 h; UTC when no zone)')
    .option('--since <time>', 'search from this time')
    .option('--until <time>', 'search up to this time')
    .option('--dns-snapshot <file>', 'answer DNS from this snapshot (copied into the bundle)')
    .option('--trust <host-or-cidr>', 'a receiving server of yours (repeatable)', collect)
    .option('--expect-domain <domain>', 'the domain this sender should use (repeatable)', collect)
    .option('--at <time>', 'evaluate signature expiry (x=) as of this time')
    .addHelpText('after', examples([
      "mailtrail --db case.db export --message-id '<abc@example.com>' --out bundle/",
      'mailtrail --db case.db export --out whole-case/',
      'cd bundle && sha256sum -c SHA256SUMS && mailtrail verify-report report.json --evidence .',
      "cd bundle && mailtrail --db /tmp/replay.db investigate evidence --dns-snapshot dns-snapshot.json --message-id '<abc@example.com>' --json | cmp - report.json",
    ]))
    .action(async (opts, cmd: Command) => {
      const { runExport } = await import('./commands/export.js');
      exitCode = await runExport(opts, ctxOf(cmd));
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    io.err(errorLines(err, debug));
    return 2;
  }
}

function processIo(): Io {
  // A closed pipe (`mailtrail … | head`) is a normal end, not an error.
  const onPipeError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  };
  process.stdout.on('error', onPipeError);
  return {
    out: (s) => void process.stdout.write(neutralizeControls(s)),
    err: (s) => void process.stderr.write(neutralizeControls(s)),
    stdinIsTTY: process.stdin.isTTY === true,
  };
}
