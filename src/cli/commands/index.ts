import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../output.js';
import { registerAgreement } from './agreement.js';
import { registerConfig } from './config.js';
import { registerConsult } from './consult.js';
import { registerDemo } from './demo.js';
import { registerExchange } from './exchange.js';
import { registerHotline } from './hotline/index.js';
import { registerIntel } from './intel.js';
import { registerKey } from './key.js';
import { registerLedger } from './ledger.js';
import { registerLookup } from './lookup.js';
import { registerNode } from './node.js';
import { registerPeer } from './peer.js';
import { registerPoc } from './poc.js';
import { registerReport } from './report.js';
import { registerTaxii } from './taxii.js';
import { registerToken } from './token.js';
import { registerUser } from './user.js';

/** A command module adds its sub-command(s) to the program. */
export type Register = (program: Command, io: Io) => void;

export const registry: Register[] = [
  registerConfig,
  registerNode,
  registerDemo,
  registerIntel,
  registerToken,
  registerUser,
  registerTaxii,
  registerLookup,
  registerPeer,
  registerAgreement,
  registerPoc,
  registerLedger,
  registerKey,
  registerHotline,
  registerConsult,
  registerReport,
  registerExchange,
];
