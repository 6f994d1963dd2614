/** `parley token create|list|revoke`: API tokens for TAXII callers (stored as SHA-256 hashes). */
import type { Command } from '@commander-js/extra-typings';
import { openNode } from '../../app/index.js';
import { loadConfig } from '../../core/index.js';
import { Principals } from '../../http/auth/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

export function registerToken(program: Command, io: Io): void {
  const token = program
    .command('token')
    .description('API tokens for the TAXII server (Bearer authentication)');

  nodeOptions(token.command('create'))
    .description('create a token; it is printed once, alone on the last line, and never again')
    .requiredOption('--role <role>', 'the role whose collection permissions the token gets (admin: all)')
    .option('--label <text>', 'a note saying who holds the token')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const t = await new Principals(node.database).createToken(o.role, o.label);
        io.out(
          `token id ${t.id}, role ${o.role}${o.label ? `, label ${o.label}` : ''}; store it now, it is not kept:`,
        );
        io.out(t.token);
      } finally {
        await node.close();
      }
    });

  nodeOptions(token.command('list'))
    .description('list tokens (ids, roles, labels; never the tokens)')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        for (const t of await new Principals(node.database).listTokens()) {
          io.out(`${t.id}  ${t.role.padEnd(12)} ${t.created}  ${t.label ?? ''}`.trimEnd());
        }
      } finally {
        await node.close();
      }
    });

  nodeOptions(token.command('revoke'))
    .description('revoke a token by id (running servers stop accepting it within 30 seconds)')
    .argument('<id>', 'the token id shown by create or list')
    .action(async (id, o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        await new Principals(node.database).revokeToken(id);
        io.out(`revoked token ${id}`);
      } finally {
        await node.close();
      }
    });
}
