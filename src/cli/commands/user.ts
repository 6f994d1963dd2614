/**
 * `parley user add|list|remove`: the people who sign in to the web UI (and may use HTTP Basic on the
 * APIs). One role each; the password is generated, printed once and stored only as an scrypt hash.
 */
import type { Command } from '@commander-js/extra-typings';
import { openNode } from '../../app/index.js';
import { loadConfig } from '../../core/index.js';
import { generatePassword, KNOWN_ROLES, Principals, Sessions } from '../../http/auth/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

export function registerUser(program: Command, io: Io): void {
  const user = program.command('user').description('web UI users: add, list, remove');

  nodeOptions(user.command('add'))
    .description('add a user with a generated password, printed once alone on the last line')
    .argument('<name>', 'the user name to sign in with')
    .requiredOption('--role <role>', `the user's role: ${KNOWN_ROLES.join(', ')}`)
    .action(async (name, o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const password = generatePassword();
        await new Principals(node.database).addUser(name, o.role, password);
        if (!KNOWN_ROLES.includes(o.role))
          io.err(
            `note: role "${o.role}" has no permissions on the web UI (known roles: ${KNOWN_ROLES.join(', ')})`,
          );
        io.out(`user ${name}, role ${o.role}; the password is shown once, store it now:`);
        io.out(password);
      } finally {
        await node.close();
      }
    });

  nodeOptions(user.command('list'))
    .description('list users (names, roles, when added; never passwords)')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        for (const u of await new Principals(node.database).listUsers())
          io.out(`${u.name.padEnd(20)} ${u.role.padEnd(18)} ${u.created}`);
      } finally {
        await node.close();
      }
    });

  nodeOptions(user.command('remove'))
    .description('remove a user and end its sessions')
    .argument('<name>', 'the user name')
    .action(async (name, o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const principals = new Principals(node.database);
        await principals.removeUser(name);
        const ended = await new Sessions(node.database, principals, node.clock).endAll(name);
        io.out(`removed user ${name}${ended ? ` and ended ${ended} session(s)` : ''}`);
      } finally {
        await node.close();
      }
    });
}
