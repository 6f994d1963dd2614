/** What the hotline screens read besides messages: agreements in force and this node's POCs. */
import { get } from '../../api/client.js';
import type { AgreementView, DirectoryView, Poc } from '../../api/types.js';

export interface AgreementDoc {
  channels?: string[];
  languages?: string[];
  taxonomy?: { code: string; rsit: string[] }[];
  sharing?: { default_tlp: string | null };
}

export async function agreementsInForce(): Promise<AgreementView[]> {
  const { items } = await get<{ items: AgreementView[] }>('agreements');
  return items.filter((a) => a.state === 'in_force');
}

/** This node's own points of contact: who sends and who acknowledges. */
export async function ownPocs(): Promise<Poc[]> {
  const d = await get<DirectoryView>('directory');
  return d.parties.find((p) => p.self)?.pocs ?? [];
}

export const docOf = (a: AgreementView | undefined): AgreementDoc => (a?.latest?.doc ?? {}) as AgreementDoc;
