/** Ping tests of points of contact: the directory manager's schedule, runs on demand, results. */
import type { Urgency } from '../../../pact/index.js';
import { bodyCompiler, RunBody, ScheduleBody } from './body.js';
import { PREFIX, type RouteContext } from './context.js';
import { text } from './query.js';

const tags = ['hotline'];

export function pingRoutes({ app, hotline, allow }: RouteContext): void {
  const pings = { onRequest: allow('pings'), validatorCompiler: bodyCompiler };

  app.get(
    `${PREFIX}/pings/schedule`,
    { ...pings, schema: { summary: 'the ping-test schedule', tags } },
    async () => ({
      schedule: await hotline.pingSchedule(),
    }),
  );

  app.post<{ Body: { every?: number; pocs?: string[]; next?: string } | undefined }>(
    `${PREFIX}/pings/schedule`,
    { ...pings, schema: { summary: 'set the ping-test schedule', tags, body: ScheduleBody } },
    async (req) => ({ schedule: await hotline.schedulePings(req.body ?? {}) }),
  );

  app.post<{ Body: { pocs?: string[]; urgency?: Urgency; exercise?: boolean } | undefined }>(
    `${PREFIX}/pings/run`,
    { ...pings, schema: { summary: 'run a ping test now', tags, body: RunBody } },
    async (req, reply) => reply.status(201).send(await hotline.runPings(req.body ?? {})),
  );

  app.get(
    `${PREFIX}/pings/results`,
    { ...pings, schema: { summary: 'ping-test results', tags } },
    async (req) => hotline.pingResults({ run: text(req.query as Record<string, string | undefined>, 'run') }),
  );
}
