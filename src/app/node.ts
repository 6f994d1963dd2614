/**
 * The composition root: the one place that builds a node from its config. Everything a command or
 * the HTTP server needs is created here and handed down; nothing below reaches for globals.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Compliance, createCompliance } from '../compliance/index.js';
import { Consultations } from '../consult/index.js';
import { type Clock, type Config, NODE_FILE, ParleyError, resolveDbUrl, systemClock } from '../core/index.js';
import {
  fingerprint,
  generateIdentity,
  loadIdentity,
  type NodeIdentity,
  saveIdentity,
} from '../crypto/index.js';
import { createExchange, type Exchange } from '../exchange/index.js';
import { Hotline } from '../hotline/index.js';
import { createPeerServices, outboxSender, type PeerServices } from '../http/peer/index.js';
import { createTaxiiContext, stixValidator } from '../http/taxii/index.js';
import {
  createGossip,
  createLedger,
  ed25519Signer,
  type Gossip,
  gossipRound,
  inboundReceiptHook,
  type Ledger,
  outboundSentHook,
  type RoundResult,
  verifyLog,
} from '../ledger/index.js';
import { Outbox } from '../outbox/index.js';
import { createStixStore, type Database, openDatabase, type StixStore } from '../store/index.js';
import { withExchangeGrants } from './exchange-grants.js';
import { gossipTransport, gossipWithPartners, type PartnerRound, registerGossip } from './ledger-gossip.js';

/** The collection that `parley ingest` writes to when none is named. */
export const DEFAULT_COLLECTION = 'local';
/** The TAXII API root a fresh node serves its local collection under. */
export const DEFAULT_API_ROOT = 'parley';

export interface Node {
  readonly config: Config;
  readonly identity: NodeIdentity;
  readonly database: Database;
  readonly stix: StixStore;
  readonly clock: Clock;
  /** The short fingerprint of the node's signing key, for comparing over the phone. */
  readonly fingerprint: string;
  /** Peers, the peer protocol's inbox and messenger, agreements and the POC directory. */
  readonly peer: PeerServices;
  /** The node's Merkle log of envelopes sent and received, signed with the node's signing key. */
  readonly ledger: Ledger;
  /** Envelopes waiting for delivery, with retries; its worker runs while the server does. */
  readonly outbox: Outbox;
  /** Tree heads seen from peers and fork alerts. */
  readonly gossip: Gossip;
  /** Threat-intel sync with agreement partners (push through the outbox, pull on request). */
  readonly exchange: Exchange;
  /** Hotline messages, their states, deadlines and escalation, and ping tests (docs/HOTLINE.md). */
  readonly hotline: Hotline;
  /** Compliance measures and signed reports, from the ledger (docs/COMPLIANCE.md). */
  readonly compliance: Compliance;
  /** Consultations under agreements: schedule, documents, minutes, joint measures (docs/CONSULTATIONS.md). */
  readonly consultations: Consultations;
  /** One gossip round with a peer (within an agreement in force): its head, checked against the heads held. */
  gossipWith(peerNode: string, opts?: { agreement?: string | null }): Promise<RoundResult>;
  /** One gossip round with every partner of every agreement in force (what the server runs regularly). */
  gossipWithPartners(): Promise<PartnerRound[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  passphrase?: string;
  clock?: Clock;
}

export const isInitialised = (dataDir: string): boolean =>
  existsSync(path.join(dataDir, 'keys', 'node.json'));

/**
 * `parley init`: creates the data directory, the keys and the database, and records the choices
 * that later commands must find again (database URL, party) in the data directory's parley.json.
 */
export async function initNode(
  config: Config,
  opts: OpenOptions & { nodeId?: string; remember?: Partial<Config> } = {},
): Promise<{ created: boolean; node: Node }> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  let created = false;
  if (!isInitialised(config.dataDir)) {
    const identity = generateIdentity({ nodeId: opts.nodeId, clock: opts.clock });
    await saveIdentity(config.dataDir, identity, { passphrase: opts.passphrase });
    created = true;
  }
  if (opts.remember && Object.keys(opts.remember).length > 0) {
    const file = path.join(config.dataDir, NODE_FILE);
    const prior = existsSync(file)
      ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)
      : {};
    await writeFile(file, `${JSON.stringify({ ...prior, ...opts.remember }, null, 2)}\n`, { mode: 0o600 });
  }
  const node = await openNode(config, opts);
  const taxii = createTaxiiContext({
    database: node.database,
    store: node.stix,
    validate: stixValidator,
    maxPageSize: config.taxiiMaxPageSize,
    clock: node.clock,
  });
  // A fresh node serves its local collection over TAXII at once: API root `parley`, readable by the
  // role `reader` (and, as always, by `admin`); `parley token create --role reader` lets a client in.
  if ((await taxii.registry.apiRoots()).length === 0) {
    await taxii.registry.addApiRoot({ name: DEFAULT_API_ROOT, title: `${config.party}: threat intel` });
    await taxii.registry.addCollection(DEFAULT_API_ROOT, {
      alias: DEFAULT_COLLECTION,
      title: 'Local threat intel',
      description: 'Objects ingested on this node',
    });
    await taxii.registry.grant(DEFAULT_COLLECTION, 'reader', { canRead: true, canWrite: false });
  }
  return { created, node };
}

/** Opens an initialised node: loads its keys, opens and migrates its database. */
export async function openNode(config: Config, opts: OpenOptions = {}): Promise<Node> {
  if (!isInitialised(config.dataDir)) {
    throw new ParleyError(
      'node.not_initialised',
      `no node in ${config.dataDir}; run \`parley init --data ${config.dataDir}\` first`,
      400,
      { dataDir: config.dataDir },
    );
  }
  const identity = await loadIdentity(config.dataDir, opts.passphrase);
  const database = await openDatabase(resolveDbUrl(config));
  try {
    await database.migrate();
  } catch (e) {
    await database.close();
    throw e;
  }
  const stix = createStixStore(database, { clock: opts.clock ?? systemClock });
  const ledger = createLedger({
    database,
    signer: ed25519Signer(identity.signing.privateKey),
    clock: opts.clock ?? systemClock,
  });
  const peer = createPeerServices({
    database,
    identity,
    party: config.party,
    clock: opts.clock ?? systemClock,
  });
  // Every envelope accepted is logged in its receiving transaction and answered with a signed
  // receipt; every envelope delivered is logged and the receipts that check are kept.
  const compliance = createCompliance({
    db: database.db,
    self: identity.nodeId,
    signing: identity.signing,
    clock: opts.clock ?? systemClock,
    agreement: async (id) => {
      const v = (await peer.pacts.list()).find((a) => a.id === id);
      return v && { doc: v.inForce, inForceAt: v.inForceAt };
    },
    signingKey: async (n) =>
      n === identity.nodeId ? ledger.publicKey : (await peer.peers.get(n))?.signingKey,
    ledgerSize: () => ledger.size(),
    treeHead: () => ledger.signTreeHead(),
    verifyLedger: () => verifyLog(database),
  });
  // What each envelope said is kept with its ledger entry (inbound: in the receiving transaction).
  const logIn = inboundReceiptHook(ledger, identity.nodeId);
  peer.inbox.receiptHook = async (ctx) => {
    const receipt = await logIn(ctx);
    const e = ctx.opened.envelope;
    await compliance.record(ctx.tx, {
      envelopeHash: Buffer.from(ctx.opened.hash).toString('hex'),
      direction: 'in',
      peer: e.sender.node,
      agreement: e.agreement,
      type: e.type,
      payload: ctx.payload,
    });
    return receipt;
  };
  peer.messenger.onSent = outboundSentHook(ledger, {
    peerKey: async (node) => (await peer.peers.get(node))?.signingKey,
  });
  const sender = outboxSender(peer.messenger);
  const outbox = new Outbox({ database, clock: opts.clock ?? systemClock }).useSender({
    async send(item) {
      const r = await sender.send(item);
      if (r.ok)
        await compliance.record(database.db, {
          envelopeHash: r.envelopeHash,
          direction: 'out',
          peer: item.peer,
          agreement: item.agreement,
          type: item.type,
          payload: item.payload,
        });
      return r;
    },
  });
  const gossip = createGossip({ database, clock: opts.clock ?? systemClock });
  registerGossip(peer, ledger, gossip);
  const transport = gossipTransport(peer);
  // The CERT-to-CERT link: the local collection is offered to every partner, as the policy allows.
  const exchange = createExchange({
    database,
    self: identity.nodeId,
    outbox,
    agreements: peer.pacts,
    transport,
    clock: opts.clock ?? systemClock,
    shared: [DEFAULT_COLLECTION],
    taxii: { apiRoot: DEFAULT_API_ROOT, readerRole: 'reader' },
    maxEnvelopeBytes: peer.inbox.limits.maxBytes,
  });
  for (const [type, handler] of Object.entries(exchange.handlers())) peer.inbox.on(type, handler);
  // The hotline: inbound hotline.* handlers on the inbox, 'delivered' recorded as the outbox settles.
  const hotline = new Hotline({
    database,
    identity,
    clock: opts.clock ?? systemClock,
    outbox,
    pacts: peer.pacts,
    directory: peer.directory,
  }).attach(withExchangeGrants(peer.inbox, exchange));
  // Consultations: each change a signed entry, sent through the outbox; consult.entry on the inbox.
  const consultations = new Consultations({
    database,
    identity,
    clock: opts.clock ?? systemClock,
    outbox,
    pacts: peer.pacts,
  }).attach(peer.inbox);
  return {
    config,
    identity,
    database,
    stix,
    clock: opts.clock ?? systemClock,
    fingerprint: fingerprint(identity.signing.publicKey),
    peer,
    ledger,
    gossip,
    outbox,
    exchange,
    hotline,
    consultations,
    compliance,
    gossipWith: (peerNode, o) => gossipRound(gossip, transport, peerNode, o),
    gossipWithPartners: () =>
      gossipWithPartners(
        identity.nodeId,
        () => peer.pacts.inForceNow(),
        (p, agreement) => gossipRound(gossip, transport, p, { agreement }),
      ),
    close: async () => {
      exchange.stop();
      await hotline.stop();
      await outbox.stop();
      await database.close();
    },
  };
}
