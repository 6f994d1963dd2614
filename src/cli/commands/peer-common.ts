/** Shared by `parley peer`, `parley agreement` and `parley poc`: opening the node, reporting deliveries. */
import { openNode } from '../../app/index.js';
import { loadConfig } from '../../core/index.js';
import type { Delivery } from '../../pact/index.js';
import type { Io } from '../output.js';

export async function withNode<T>(
  o: { data?: string; db?: string },
  fn: (node: Awaited<ReturnType<typeof openNode>>) => Promise<T>,
): Promise<T> {
  const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
  try {
    return await fn(node);
  } finally {
    await node.close();
  }
}

/** One line per peer: sent, or why not (on stderr, and the command then exits with status 1). */
export function reportDeliveries(io: Io, what: string, deliveries: readonly Delivery[]): void {
  for (const d of deliveries) {
    if (d.ok) io.err(`${what}: delivered to ${d.node}`);
    else {
      io.err(`parley: ${what} not delivered to ${d.node}: ${d.message} [${d.code}]`);
      io.exitCode = 1;
    }
  }
}

/** Collects a repeatable option's values. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];
