/**
 * Live updates: one EventSource on the hotline's event stream (docs/HOTLINE.md "Events") shared by
 * every screen. The browser reconnects on its own; nothing is replayed, so a screen that listens
 * reloads what it shows on each event and again when the stream comes back.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export const EVENT_NAMES = ['message', 'state', 'deadline', 'escalation', 'alert', 'ping'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
export interface LiveEvent {
  name: EventName | 'open';
  data: Record<string, unknown>;
}
type Listener = (e: LiveEvent) => void;

let source: EventSource | null = null;
const listeners = new Set<Listener>();
const statusListeners = new Set<(live: boolean) => void>();

function setLive(live: boolean) {
  for (const fn of statusListeners) fn(live);
}

export function connectEvents(): void {
  if (source) return;
  source = new EventSource('/api/v1/hotline/events');
  source.onopen = () => {
    setLive(true);
    for (const fn of listeners) fn({ name: 'open', data: {} });
  };
  source.onerror = () => setLive(false);
  for (const name of EVENT_NAMES)
    source.addEventListener(name, (ev) => {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse((ev as MessageEvent<string>).data);
      } catch {}
      for (const fn of listeners) fn({ name, data });
    });
}

export function disconnectEvents(): void {
  source?.close();
  source = null;
  setLive(false);
}

/** Calls `fn` on every hotline event (and when the stream (re)opens). */
export function useLiveEvents(fn: Listener): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const l: Listener = (e) => ref.current(e);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}

/** Whether the event stream is open. */
export function useLiveStatus(): boolean {
  const [live, set] = useState(source?.readyState === 1);
  useEffect(() => {
    statusListeners.add(set);
    return () => {
      statusListeners.delete(set);
    };
  }, []);
  return live;
}
