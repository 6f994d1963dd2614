/**
 * GET /api/v1/hotline/events: the hotline's events as server-sent events (the WHATWG HTML
 * "text/event-stream" format): `event: NAME`, `id: N`, `data: JSON`, one blank line after each.
 * A comment line every `heartbeatMs` keeps proxies from closing an idle stream. Ids count up per
 * stream; Last-Event-ID is not honoured (nothing is replayed): a client that reconnects reads the
 * inbox or the thread it follows to catch up, then listens again.
 */
import type { ServerResponse } from 'node:http';
import type { HotlineEventName, HotlineEvents } from '../../../hotline/index.js';
import { PREFIX, type RouteContext } from './context.js';

export const EVENT_NAMES = [
  'message',
  'state',
  'deadline',
  'escalation',
  'alert',
  'ping',
] as const satisfies readonly HotlineEventName[];

export function eventRoutes({ app, hotline, allow }: RouteContext, heartbeatMs: number): void {
  const open = new Set<() => void>();
  // A stream never ends on its own: the server's close ends them, or it would wait for the clients.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    `${PREFIX}/events`,
    {
      onRequest: allow('read'),
      schema: {
        summary: `server-sent events: ${EVENT_NAMES.join(', ')}; a heartbeat comment every ${heartbeatMs / 1000} s`,
        tags: ['hotline'],
      },
    },
    (req, reply) => {
      reply.hijack();
      const res: ServerResponse = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      let n = 0;
      const send = (name: HotlineEventName) => (e: HotlineEvents[HotlineEventName]) => {
        n += 1;
        res.write(`id: ${n}\nevent: ${name}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const listeners = EVENT_NAMES.map((name) => [name, send(name)] as const);
      for (const [name, fn] of listeners) hotline.events.on(name, fn);
      const beat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      beat.unref();
      const end = () => {
        if (!open.delete(end)) return;
        clearInterval(beat);
        for (const [name, fn] of listeners) hotline.events.off(name, fn);
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
      res.on('close', end);
      // The opening comment flushes the headers, so a client knows at once it is subscribed.
      res.write(': parley hotline events\n\n');
    },
  );
}
