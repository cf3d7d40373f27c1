// The mailtrail command line: parses arguments with commander, builds one RunConfig, runs one
// command, maps errors to one-line messages and documented exit codes. Command modules are
// imported lazily so `--help` stays instant.

import { Command, CommanderError, Option } from 'commander';
import { buildRunConfig, type GlobalOptions } from './config.js';
import { errorLines, makeChalk, type Ctx, type Io } from './output.js';
import { TOOL_VERSION } from '../version.js';

const EXIT_CODES = `
Exit codes:
  0  success
  1  a condition you asked to fail on was met
  2  usage error, I/O error, or partial failure (some input could not be read; the rest was kept)

Environment:
  MAILTRAIL_DB   evidence store path (default ./mailtrail.db; --db wins)
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
    .summary('add messages to the evidence store (.eml, mbox, Maildir, directories, - for stdin)')
    .description(
      'Add evidence to the store. Files and directories are read-only; each file is hashed and ingested in one ' +
        'transaction. Re-ingesting the same bytes adds nothing. Problems are reported one per line on stderr and ' +
        'recorded in the store; the rest of the batch continues (exit 2 if any).',
    )
    .argument('<paths...>', 'files, directories (walked recursively, format detected), or - for stdin')
    .addOption(new Option('--format <kind>', 'force the input format').choices(['eml', 'mbox', 'maildir']))
    .option('--headers-only', 'keep header blocks and a body hash, not message bodies')
    .addOption(new Option('--mbox-format <convention>', 'mbox From_ quoting to undo').choices(['mboxrd', 'mboxo']).default('mboxrd'))
    .option('--max-message-mb <n>', 'skip (and report) messages larger than this', '100')
    .option('--json', 'print the summary as one JSON document')
    .option('--jsonl', 'print the summary as a JSON Lines record')
    .addHelpText('after', examples(['mailtrail ingest ~/Maildir', 'mailtrail --db case.db ingest export.mbox inbox/*.eml', 'cat msg.eml | mailtrail ingest -']))
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
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    stdinIsTTY: process.stdin.isTTY === true,
  };
}
