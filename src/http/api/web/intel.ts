/**
 * Threat intel: search, one object with its relationships, and ingest of a file. The upload is
 * streamed to a temporary file (never held in memory), answered 202 with a job id at once, and
 * ingested in the background; GET .../ingest/:job reports bytes and objects read until it is done.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { isParleyError, notFound, ParleyError } from '../../../core/index.js';
import { type IngestSummary, ingest } from '../../../intel/index.js';
import { defaultValidator } from '../../../stix/index.js';
import { API, type WebContext } from './deps.js';
import { objectWithRelationships, search } from './intel-search.js';
import { int, list, type Query, text, time } from './query.js';

export interface IngestJob {
  job: string;
  state: 'running' | 'done' | 'failed';
  collection: string;
  by: string;
  started: string;
  bytes: number;
  totalBytes: number;
  objects: number;
  summary?: {
    stored: number;
    present: number;
    rejected: number;
    upgraded: number;
    rejections: { id?: string; code: string; reason: string }[];
  };
  error?: { code: string; message: string };
}

const KEEP_JOBS = 100;

export function intelRoutes(ctx: WebContext) {
  const { auth } = ctx;
  const tags = ['web'];
  const jobs = new Map<string, IngestJob>();
  const running = new Set<Promise<void>>();

  const summaryOf = (s: IngestSummary): IngestJob['summary'] => ({
    stored: s.stored,
    present: s.present,
    rejected: s.rejected,
    upgraded: s.upgraded,
    rejections: s.rejections.slice(0, 100).map((r) => ({ id: r.id, code: r.code, reason: r.message })),
  });

  async function runJob(job: IngestJob, file: string, dir: string): Promise<void> {
    try {
      const s = await ingest(
        { database: ctx.database, validator: defaultValidator() },
        createReadStream(file),
        {
          collection: job.collection,
          onProgress: (objects, bytes) => {
            job.objects = objects;
            job.bytes = bytes;
          },
        },
      );
      job.objects = s.read;
      job.bytes = job.totalBytes;
      job.summary = summaryOf(s);
      job.state = 'done';
    } catch (e) {
      job.state = 'failed';
      job.error = isParleyError(e)
        ? { code: e.code, message: e.message }
        : { code: 'intel.ingest_failed', message: (e as Error).message };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return (app: FastifyInstance): void => {
    // The upload's body is taken as a stream whatever its media type (bundles can be large).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    app.addHook('onClose', async () => {
      await Promise.all([...running]);
    });

    app.get(
      `${API}/intel`,
      { onRequest: auth.allow('intel.read'), schema: { summary: 'search threat intel', tags } },
      async (req) => {
        const q = req.query as Query;
        return search(ctx, {
          q: text(q, 'q'),
          types: list(q, 'type'),
          // A '+' left unencoded in a query string arrives as a space: 'amber strict' is amber+strict.
          tlp: list(q, 'tlp')?.map((t) => t.toLowerCase().replace(/\s+/g, '+')),
          origin: text(q, 'origin'),
          from: time(q, 'from'),
          to: time(q, 'to', true),
          limit: int(q, 'limit', 50, 1, 500),
          cursor: text(q, 'cursor'),
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      `${API}/intel/objects/:id`,
      { onRequest: auth.allow('intel.read'), schema: { summary: 'an object with its relationships', tags } },
      async (req) => {
        const o = await objectWithRelationships(ctx, req.params.id);
        if (!o) throw notFound('intel.not_found', `no object ${req.params.id} on this node`);
        return o;
      },
    );

    app.post(
      `${API}/intel/ingest`,
      {
        onRequest: auth.allow('intel.write'),
        schema: { summary: 'ingest a STIX file (background job)', tags },
      },
      async (req, reply) => {
        const collection = text(req.query as Query, 'collection') ?? ctx.defaultCollection;
        if (!(await ctx.stix.getCollection(collection)))
          throw notFound('collection.not_found', `no collection "${collection}" on this node`, {
            field: 'collection',
          });
        const body = req.body as NodeJS.ReadableStream | undefined;
        if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
          throw new ParleyError('intel.no_file', 'the request body must be the file to ingest', 400);
        const dir = await mkdtemp(path.join(tmpdir(), 'parley-upload-'));
        const file = path.join(dir, 'input.json');
        let size = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            size += chunk.length;
            if (size > ctx.maxUploadBytes)
              cb(
                new ParleyError(
                  'intel.too_large',
                  `the file is larger than ${ctx.maxUploadBytes} bytes`,
                  413,
                  {
                    limit: ctx.maxUploadBytes,
                  },
                ),
              );
            else cb(null, chunk);
          },
        });
        try {
          await pipeline(body, limit, createWriteStream(file));
        } catch (e) {
          await rm(dir, { recursive: true, force: true });
          throw e;
        }
        if ((await stat(file)).size === 0) {
          await rm(dir, { recursive: true, force: true });
          throw new ParleyError('intel.no_file', 'the request body must be the file to ingest', 400);
        }
        const job: IngestJob = {
          job: randomUUID(),
          state: 'running',
          collection,
          by: req.caller?.id ?? 'unknown',
          started: new Date(ctx.clock.now()).toISOString(),
          bytes: 0,
          totalBytes: size,
          objects: 0,
        };
        jobs.set(job.job, job);
        // Old finished jobs go first once there are many.
        for (const [id, j] of jobs) if (jobs.size > KEEP_JOBS && j.state !== 'running') jobs.delete(id);
        const p = runJob(job, file, dir).finally(() => running.delete(p));
        running.add(p);
        return reply.status(202).send({ job: job.job });
      },
    );

    app.get<{ Params: { job: string } }>(
      `${API}/intel/ingest/:job`,
      { onRequest: auth.allow('intel.write'), schema: { summary: 'progress of an ingest job', tags } },
      async (req) => {
        const job = jobs.get(req.params.job);
        if (!job) throw notFound('intel.no_job', `no ingest job ${req.params.job}`);
        return job;
      },
    );
  };
}
