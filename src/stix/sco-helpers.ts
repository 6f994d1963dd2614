/** Small schema helpers shared by the SCO files (sco.ts, sco-net.ts). */
import { Type } from 'typebox';
import { rule, Timestamp } from './common.js';

export const Str = () => Type.Optional(Type.String());
export const Refs = () => Type.Optional(Type.Array(Type.String(), { minItems: 1 }));
export const Ts = () => Type.Optional(Timestamp);
export const anyRequired = (code: string, ...names: string[]) => ({
  anyOf: names.map((n) => ({ required: [n] })),
  ...rule(code),
});
export const ext = <T>(schema: Record<string, unknown>) => Type.Optional(Type.Unsafe<T>(schema));
export type ExtDict = Record<string, Record<string, unknown>>;
