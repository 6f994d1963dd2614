/** Shared by the hotline commands: options, opening the node in the CLI's language, delivery reports. */
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { type Node, openNode } from '../../../app/index.js';
import { loadConfig } from '../../../core/index.js';
import { type ReaderLang, type StringKey, t } from '../../../hotline/index.js';
import type { Io } from '../../output.js';
import { nodeOptions } from '../common.js';

/** --data, --db and --lang (env PARLEY_LANG, default en). */
export function hotlineOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return nodeOptions(cmd).option('--lang <lang>', 'language of the output: en, ru or zh (env PARLEY_LANG)');
}

export interface Speaker {
  lang: ReaderLang;
  say(key: StringKey, vars?: Record<string, string | number>): void;
}

export function speaker(io: Io, lang: ReaderLang): Speaker {
  return { lang, say: (key, vars) => io.out(t(lang, key, vars)) };
}

/** Opens the node named by the options; the language comes from --lang, PARLEY_LANG or parley.json. */
export async function withHotline<T>(
  io: Io,
  o: { data?: string; db?: string; lang?: string },
  fn: (node: Node, s: Speaker) => Promise<T>,
): Promise<T> {
  const cfg = loadConfig({ dataDir: o.data, db: o.db, lang: o.lang });
  const node = await openNode(cfg);
  try {
    return await fn(node, speaker(io, cfg.lang));
  } finally {
    await node.close();
  }
}

/** The CLI's language alone, for commands that open no node (templates). */
export const langOf = (o: { data?: string; lang?: string }): ReaderLang =>
  loadConfig({ dataDir: o.data, lang: o.lang }).lang;

// Another process (the running server's worker) may hold an item's lease; its attempt is the first
// pass too, so the report waits for it, a little.
const WAIT_FOR_OTHERS_MS = 5_000;

/**
 * Waits for the outbox's first pass over the items enqueued under `ref`, then says per recipient
 * "delivered" (with its signed receipt), "queued: will retry" (the server's worker retries), or
 * why it was refused. Status 1 when something was refused.
 */
export async function reportDelivery(io: Io, s: Speaker, node: Node, ref: string): Promise<void> {
  await node.outbox.pass();
  let items = await node.outbox.byRef(ref);
  const until = Date.now() + WAIT_FOR_OTHERS_MS;
  while (items.some((i) => i.state === 'pending' && i.attempts === 0) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    await node.outbox.pass();
    items = await node.outbox.byRef(ref);
  }
  for (const i of items) {
    if (i.state === 'delivered' || i.state === 'skipped') {
      const receipt = (i.answer as { receipt?: { received?: string } } | null)?.receipt;
      s.say('send.delivered', {
        node: i.peer,
        received: receipt?.received ?? '-',
        hash: i.envelopeHash ?? '-',
      });
    } else if (i.state === 'refused') {
      s.say('send.refused', { node: i.peer, error: i.lastError ?? '-' });
      io.exitCode = 1;
    } else if (i.lastError) s.say('send.queued', { node: i.peer, error: i.lastError });
    else s.say('send.queued_plain', { node: i.peer });
  }
}

/** Hours, one decimal: "overdue by 2.5 h". */
export const hours = (ms: number): string => String(Math.round(ms / 360_000) / 10);
