/** Options every command that works on a node shares, and how they become a Config. */
import type { Command } from '@commander-js/extra-typings';
import { type Config, loadConfig } from '../../core/index.js';

export interface NodeFlags {
  data?: string;
  db?: string;
}

/** Adds --data and --db to a command; both fall back to PARLEY_DATA / PARLEY_DB, then defaults. */
export function nodeOptions<C extends Command<unknown[], Record<string, unknown>>>(cmd: C) {
  return cmd
    .option('--data <dir>', "the node's data directory (env PARLEY_DATA, default .parley)")
    .option('--db <url>', 'sqlite:PATH or postgres://... (env PARLEY_DB, default sqlite:parley.db)');
}

export function configFrom(flags: NodeFlags & Record<string, unknown>, extra: Partial<Config> = {}): Config {
  return loadConfig({ dataDir: flags.data, db: flags.db, ...extra });
}
