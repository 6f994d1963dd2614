/** The signed-in caller: who, which role, what it may do (docs/WEB-API.md "Session"). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Permission, Session } from './api/types.js';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

/** What the caller's role may do; `admin` may everything. */
export function useCan(): (p: Permission) => boolean {
  const s = useContext(SessionContext);
  return (p) => !!s && (s.roles.includes('admin') || s.can[p] === true);
}
