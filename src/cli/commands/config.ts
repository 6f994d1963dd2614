import type { Command } from '@commander-js/extra-typings';
import { loadConfig, OPTIONS } from '../../core/index.js';
import type { Io } from '../output.js';

/** `parley config`: every option, its value now, where it came from, and its variable. */
export function registerConfig(program: Command, io: Io): void {
  program
    .command('config')
    .description('print the configuration options, their environment variables and current values')
    .option('--data <dir>', "the node's data directory")
    .action((o) => {
      const cfg = loadConfig({ dataDir: o.data });
      for (const opt of OPTIONS) {
        io.out(`${opt.flag.padEnd(22)} ${opt.env.padEnd(26)} ${String(cfg[opt.key])}`);
        io.out(`${''.padEnd(22)} ${opt.description}`);
      }
    });
}
