#!/usr/bin/env node
/**
 * The `parley` command. Each sub-command lives in commands/ and registers itself on the program;
 * this file only wires them and turns errors into one line and an exit status.
 */
import { Command } from '@commander-js/extra-typings';
import { registry } from './commands/index.js';
import { formatError, type Io, processIo } from './output.js';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('parley')
    .description('a node of a cyber confidence-building agreement')
    .version('0.1.0')
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError('(run parley --help for usage)')
    // Set before the sub-commands exist: commander copies these settings into each one it creates.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const register of registry) register(program, io);
  return program;
}

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and returns the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    // A command reports failure through io.exitCode (or, in older commands, process.exitCode).
    return io.exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2;
    io.err(formatError(e, argv.includes('--verbose')));
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] && /(?:^|[/\\])(main\.(?:ts|js)|parley(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  // `parley export | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
