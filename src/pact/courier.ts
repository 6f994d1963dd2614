/**
 * How pact/ and directory/ reach other nodes without knowing HTTP: the peer layer (src/http/peer)
 * implements this by sealing the payload in an envelope and posting it to each recipient.
 */
export interface Delivery {
  node: string;
  ok: boolean;
  /** The recipient's answer (its receipt) when ok. */
  receipt?: unknown;
  /** What the recipient's handler returned, when ok. */
  result?: unknown;
  /** The HTTP status of a refusal, when the peer answered one. */
  status?: number;
  /** The error code and message when not. */
  code?: string;
  message?: string;
}

export interface Courier {
  /** Seals `payload` (JSON) to the named nodes, one envelope, and delivers it to each; never throws for one failed peer. */
  send(input: {
    to: readonly string[];
    type: string;
    agreement: string | null;
    payload: unknown;
  }): Promise<Delivery[]>;
}

/** Envelope types of the agreement and directory protocols. */
export const PACT_TYPES = {
  proposal: 'pact.proposal',
  signature: 'pact.signature',
  state: 'pact.state',
  directory: 'directory.update',
} as const;
