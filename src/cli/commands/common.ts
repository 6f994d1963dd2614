/** Options every command that works on a node shares. */
import type { Command, OptionValues } from '@commander-js/extra-typings';

/** Adds --data and --db to a command; both fall back to PARLEY_DATA / PARLEY_DB, then defaults. */
export function nodeOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return cmd
    .option('--data <dir>', "the node's data directory (env PARLEY_DATA, default .parley)")
    .option('--db <url>', 'sqlite:PATH or postgres://... (env PARLEY_DB, default sqlite:parley.db)');
}
