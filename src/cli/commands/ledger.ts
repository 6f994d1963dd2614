/**
 * `parley ledger status|verify|prove|check-proof`: the node's Merkle log from the command line
 * (format in docs/LEDGER.md). `check-proof` needs no node: a proof file carries everything.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { openNode } from '../../app/index.js';
import { invalid, loadConfig } from '../../core/index.js';
import {
  checkProof,
  checkReceipt,
  type LedgerProof,
  type Receipt,
  receiptStore,
  verifyLog,
} from '../../ledger/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

/** A proof file: the ledger's self-contained proof, plus the recipient's receipt when one is kept. */
export type ProofFile = LedgerProof & { receipt?: Receipt };

/** An entry index (decimal) or an envelope hash (64 hex characters). */
function parseTarget(s: string): number | string {
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (/^[0-9a-fA-F]{64}$/.test(s)) return s.toLowerCase();
  throw invalid('ledger.bad_target', `"${s}" is neither an entry index nor a 64-hex-digit envelope hash`);
}

/**
 * Checks a proof file offline: the ledger proof (entry, signed head, inclusion), then, if present,
 * the receipt (signed by the recipient over the same envelope hash). Returns the first failure.
 */
export function checkProofFile(doc: unknown): { ok: true } | { ok: false; code: string; reason: string } {
  const r = checkProof(doc);
  if (!r.ok) return r;
  const p = doc as ProofFile;
  if (p.receipt !== undefined) {
    const key = (p.receipt as { recipientKey?: unknown } | null)?.recipientKey;
    if (typeof key !== 'string') {
      return { ok: false, code: 'ledger.receipt_malformed', reason: 'the receipt names no recipientKey' };
    }
    const rr = checkReceipt(p.receipt, key, p.entry.envelopeHash);
    if (!rr.ok) return rr;
  }
  return { ok: true };
}

export function registerLedger(program: Command, io: Io): void {
  const ledger = program.command('ledger').description("the node's tamper-evident log of envelopes");

  nodeOptions(ledger.command('status'))
    .description('print the log size, its root and the latest signed tree head')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const size = await node.ledger.size();
        const root = Buffer.from(await node.ledger.root(size)).toString('hex');
        const head = await node.ledger.latestTreeHead();
        io.out(`size         ${size}`);
        io.out(`root         ${root}`);
        io.out(
          head
            ? `tree head    size ${head.treeSize}, ${new Date(head.timestamp).toISOString()}, root ${head.rootHash}`
            : 'tree head    none signed yet',
        );
        io.out(`public key   ${node.ledger.publicKey}`);
      } finally {
        await node.close();
      }
    });

  nodeOptions(ledger.command('verify'))
    .description('recompute the whole local log and name the first bad entry')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const r = await verifyLog(node.database);
        if (r.ok) {
          io.out(
            `ok: ${r.size} entries, root ${r.rootHash}, ${r.treeHeadsChecked} signed tree heads checked`,
          );
          return;
        }
        const p = r.problem!;
        io.err(`parley: ledger entry ${p.index} is bad (${p.kind}): ${p.message}`);
        io.exitCode = 1;
      } finally {
        await node.close();
      }
    });

  nodeOptions(ledger.command('prove'))
    .description('write a self-contained proof that the log holds an envelope (JSON, to stdout)')
    .argument('<envelope>', 'the envelope hash (hex) or the entry index')
    .option('--fresh', 'sign a new tree head at the current size instead of reusing the latest')
    .action(async (target, o) => {
      const t = parseTarget(target);
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const proof: ProofFile = await node.ledger.prove(t, { fresh: o.fresh });
        const receipt = await receiptStore(node.database).receiptFor(proof.entry.envelopeHash);
        if (receipt) proof.receipt = receipt;
        io.out(JSON.stringify(proof, null, 2));
      } finally {
        await node.close();
      }
    });

  nodeOptions(ledger.command('gossip'))
    .description("one gossip round: fetch a peer's signed tree head and check it against those seen before")
    .argument('<peer>', "the peer's node id")
    .option('--agreement <id>', 'the agreement in force with the peer that the exchange travels under')
    .action(async (peerNode, o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const r = await node.gossipWith(peerNode, { agreement: o.agreement ?? null });
        if (r.ok) {
          const h = (await node.gossip.latestHead(peerNode))!;
          io.out(
            `ok: ${peerNode} tree size ${h.treeSize}, root ${h.rootHash}, consistent with every head seen`,
          );
          return;
        }
        const confirmed = r.peerConfirmed ? ' (the peer confirmed the evidence)' : '';
        io.err(`parley: ${r.reason} [${r.code}]${confirmed}`);
        io.exitCode = 1;
      } finally {
        await node.close();
      }
    });

  nodeOptions(ledger.command('alerts'))
    .description('list fork alerts: peers whose signed tree heads are not consistent, with the evidence')
    .option('--json', 'print the alerts with their evidence as JSON')
    .action(async (o) => {
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const alerts = await node.gossip.alerts();
        if (o.json) return io.out(JSON.stringify(alerts, null, 2));
        for (const a of alerts) io.out(`${a.created}  ${a.peer}  ${a.code}  ${a.reason}`);
      } finally {
        await node.close();
      }
    });

  ledger
    .command('check-proof')
    .description('verify a proof file offline (no node needed)')
    .argument('<file>', 'a proof written by `parley ledger prove`')
    .action(async (file) => {
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        io.err(
          `parley: ${file} is not a readable JSON proof: ${(e as Error).message} [ledger.proof_malformed]`,
        );
        io.exitCode = 1;
        return;
      }
      const r = checkProofFile(doc);
      if (!r.ok) {
        io.err(`parley: proof check failed: ${r.reason} [${r.code}]`);
        io.exitCode = 1;
        return;
      }
      const p = doc as ProofFile;
      io.out(
        `ok: entry ${p.entry.index} (envelope ${p.entry.envelopeHash}) is in the log of key ${p.publicKey}` +
          ` at tree size ${p.treeHead.treeSize}${p.receipt ? '; receipt checked' : ''}`,
      );
    });
}
