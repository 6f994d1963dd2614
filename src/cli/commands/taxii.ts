/**
 * `parley taxii ...`: the node's TAXII 2.1 server (API roots, collections, permissions, users, the
 * reference data loader) and client (pull, push).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { type Node, openNode } from '../../app/index.js';
import { invalid, loadConfig } from '../../core/index.js';
import { Principals } from '../../http/auth/index.js';
import {
  createTaxiiContext,
  loadTaxiiState,
  stixValidator,
  type TaxiiContext,
} from '../../http/taxii/index.js';
import {
  type ClientAuth,
  objectsOf,
  pullCollection,
  pushObjects,
  resolveApiRoot,
  TaxiiClient,
} from '../../http/taxii-client/index.js';
import { type Io, progress } from '../output.js';
import { nodeOptions } from './common.js';

type NodeFlags = { data?: string; db?: string };

async function withTaxii<T>(o: NodeFlags, fn: (ctx: TaxiiContext, node: Node) => Promise<T>): Promise<T> {
  const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
  try {
    const ctx = createTaxiiContext({
      database: node.database,
      store: node.stix,
      validate: stixValidator,
      maxPageSize: node.config.taxiiMaxPageSize,
      clock: node.clock,
    });
    return await fn(ctx, node);
  } finally {
    await node.close();
  }
}

/** A secret from a file: the first line, without its newline (so `echo secret > f` works). */
async function secretFile(file: string, what: string): Promise<string> {
  const s = (await readFile(file, 'utf8')).split(/\r?\n/)[0] ?? '';
  if (!s) throw invalid('cli.empty_secret', `${what} file ${file} is empty`);
  return s;
}

async function clientAuth(o: {
  user?: string;
  passwordFile?: string;
  tokenFile?: string;
}): Promise<ClientAuth> {
  if (o.tokenFile) {
    if (o.user) throw invalid('cli.auth_conflict', 'give --token-file or --user/--password-file, not both');
    return { token: await secretFile(o.tokenFile, 'token') };
  }
  if (o.user) {
    if (!o.passwordFile) throw invalid('cli.missing_password', '--user needs --password-file');
    return { user: o.user, password: await secretFile(o.passwordFile, 'password') };
  }
  return undefined;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw invalid('cli.bad_number', `expected a positive integer, got "${v}"`);
  return n;
};

export function registerTaxii(program: Command, io: Io): void {
  const taxii = program.command('taxii').description('the TAXII 2.1 server of this node and a TAXII client');

  nodeOptions(taxii.command('list'))
    .description('API roots, their collections and who may read or write them')
    .action(async (o) =>
      withTaxii(o, async (ctx, node) => {
        const perms = await node.database.db.selectFrom('taxii_permissions').selectAll().execute();
        for (const r of await ctx.registry.apiRoots()) {
          io.out(
            `/taxii2/${r.name}/  ${r.title}${r.isDefault ? '  (default)' : ''}  max_content_length ${r.maxContentLength}`,
          );
          for (const c of await ctx.registry.collectionsOf(r.name)) {
            const who = perms
              .filter((p) => p.collection_id === c.id)
              .map((p) => `${p.role}:${p.can_read ? 'r' : ''}${p.can_write ? 'w' : ''}`)
              .join(' ');
            io.out(`  ${c.id}  ${c.alias.padEnd(16)} ${c.title}  [${who || 'admin only'}]`);
          }
        }
      }),
    );

  nodeOptions(taxii.command('add-root'))
    .description('add an API root, served at /taxii2/NAME/')
    .argument('<name>', 'lower-case path segment, e.g. "cert"')
    .requiredOption('--title <text>', 'title shown to clients')
    .option('--description <text>', 'description shown to clients')
    .option('--max-content-length <bytes>', 'largest POST body accepted', positiveInt)
    .option('--default', 'make it the default root named by discovery')
    .action(async (name, o) =>
      withTaxii(o, async (ctx) => {
        const r = await ctx.registry.addApiRoot({
          name,
          title: o.title,
          ...(o.description ? { description: o.description } : {}),
          ...(o.maxContentLength ? { maxContentLength: o.maxContentLength } : {}),
          ...(o.default ? { isDefault: true } : {}),
        });
        io.out(`added API root /taxii2/${r.name}/${r.isDefault ? ' (default)' : ''}`);
      }),
    );

  nodeOptions(taxii.command('add-collection'))
    .description('serve a collection under an API root (creates it unless the alias or id exists)')
    .argument('<root>', 'API root name')
    .argument('<alias>', 'collection alias, e.g. "local"')
    .option('--title <text>', 'title shown to clients')
    .option('--description <text>', 'description shown to clients')
    .option('--id <uuid>', 'the collection id (default: a new UUID)')
    .action(async (root, alias, o) =>
      withTaxii(o, async (ctx) => {
        const c = await ctx.registry.addCollection(root, {
          alias,
          title: o.title ?? alias,
          ...(o.description ? { description: o.description } : {}),
          ...(o.id ? { id: o.id } : {}),
        });
        io.out(`collection ${c.alias} (${c.id}) served at /taxii2/${root}/collections/${c.id}/`);
      }),
    );

  nodeOptions(taxii.command('grant'))
    .description('set what a role may do on a collection (without --read/--write: nothing)')
    .argument('<collection>', 'collection id or alias')
    .argument('<role>', 'role name')
    .option('--read', 'can_read')
    .option('--write', 'can_write')
    .action(async (collection, role, o) =>
      withTaxii(o, async (ctx) => {
        await ctx.registry.grant(collection, role, { canRead: !!o.read, canWrite: !!o.write });
        io.out(`role ${role} on ${collection}: can_read ${!!o.read}, can_write ${!!o.write}`);
      }),
    );

  nodeOptions(taxii.command('add-user'))
    .description('add a user for HTTP Basic authentication (password stored with scrypt)')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', 'the role whose permissions the user gets')
    .requiredOption('--password-file <file>', 'file holding the password (first line)')
    .action(async (name, o) =>
      withTaxii(o, async (_ctx, node) => {
        await new Principals(node.database).addUser(
          name,
          o.role,
          await secretFile(o.passwordFile, 'password'),
        );
        io.out(`added user ${name} with role ${o.role}`);
      }),
    );

  nodeOptions(taxii.command('load'))
    .description("load a TAXII server state in the OASIS reference server's layout (default_data.json)")
    .argument('<file>', 'the JSON file')
    .option('--role <role>', "role given each collection's can_read/can_write", 'member')
    .action(async (file, o) =>
      withTaxii(o, async (ctx) => {
        const r = await loadTaxiiState(file, ctx, { role: o.role });
        io.out(
          `loaded ${r.roots.length} API roots (${r.roots.join(', ')}), ${r.collections} collections, ` +
            `${r.stored} object versions, ${r.statuses} statuses; ${r.failures.length} objects refused`,
        );
        for (const f of r.failures) io.err(`refused ${f.id} ${f.version}: ${f.message}`);
      }),
    );

  nodeOptions(taxii.command('pull'))
    .description('pull a remote collection into this node, resuming where the last pull stopped')
    .argument('<url>', 'discovery or API root URL')
    .requiredOption('--collection <id>', 'the remote collection id')
    .option('--into <alias>', 'local collection alias (default: pulled-<id>)')
    .option('--page-size <n>', 'objects per request', positiveInt)
    .option('--latest-only', 'only the latest version of each object (default: every version)')
    .option('--user <name>', 'HTTP Basic user')
    .option('--password-file <file>', 'file holding the Basic password')
    .option('--token-file <file>', 'file holding a Bearer API token')
    .action(async (url, o) =>
      withTaxii(o, async (_ctx, node) => {
        const client = new TaxiiClient({ auth: await clientAuth(o) });
        const rootUrl = await resolveApiRoot(client, url);
        const bar = progress(io, 'pulled');
        let total = 0;
        const r = await pullCollection(
          { database: node.database, store: node.stix, validate: stixValidator },
          client,
          {
            rootUrl,
            collectionId: o.collection,
            into: o.into ?? `pulled-${o.collection}`,
            ...(o.pageSize ? { pageSize: o.pageSize } : {}),
            versions: o.latestOnly ? 'last' : 'all',
            onPage: (p) => {
              total += p.received;
              bar.update(total);
            },
          },
        );
        bar.done();
        io.out(`${r.received} received in ${r.pages} pages, ${r.stored} new, ${r.failures.length} refused`);
        if (r.position) io.out(`next pull starts after ${r.position}`);
        for (const f of r.failures) io.err(`refused ${f.id} ${f.version}: ${f.message}`);
        if (r.failures.length) process.exitCode = 3;
      }),
    );

  taxii
    .command('push')
    .description(
      'post objects (a bundle, an envelope or an array) and wait until the server has processed them',
    )
    .argument('<url>', 'discovery or API root URL')
    .argument('<file>', 'JSON file')
    .requiredOption('--collection <id>', 'the remote collection id')
    .option('--user <name>', 'HTTP Basic user')
    .option('--password-file <file>', 'file holding the Basic password')
    .option('--token-file <file>', 'file holding a Bearer API token')
    .action(async (url, file, o) => {
      const client = new TaxiiClient({ auth: await clientAuth(o) });
      const rootUrl = await resolveApiRoot(client, url);
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        throw invalid('cli.bad_file', `${file} is not a readable JSON file: ${(e as Error).message}`);
      }
      const bar = progress(io, 'pushed');
      const r = await pushObjects(client, rootUrl, o.collection, objectsOf(doc, file), {
        onStatus: (done) => bar.update(done),
      });
      bar.done();
      io.out(
        `${r.successes} of ${r.total} accepted, ${r.failures.length} failed (status ${r.statuses.join(', ')})`,
      );
      for (const f of r.failures)
        io.out(`failed ${f.id}${f.version ? ` ${f.version}` : ''}: ${f.message ?? ''}`);
      if (r.failures.length) process.exitCode = 3;
    });
}
