/**
 * The hotline's commands (docs/HOTLINE.md "API and CLI"): send, template, inbox, sent, message,
 * thread, ack, respond, close, alerts, deadlines, ping. Everything they print comes from the
 * hotline's i18n tables, in the language of `--lang` / PARLEY_LANG / parley.json `lang`.
 */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../../output.js';
import { registerAct } from './act.js';
import { registerPing } from './ping.js';
import { registerRead } from './read.js';
import { registerSend } from './send.js';

export function registerHotline(program: Command, io: Io): void {
  registerSend(program, io);
  registerRead(program, io);
  registerAct(program, io);
  registerPing(program, io);
}
