/**
 * POST /api/lookup: batches of up to 10,000 values, JSON in and out, each answered with the
 * indicators in force that match it. Callers authenticate as on TAXII (HTTP Basic or a Bearer API
 * token, src/http/auth); any authenticated principal may look up.
 */
import { Type } from 'typebox';
import { type Clock, systemClock } from '../../core/index.js';
import { Matcher, recordSightings, type SightingOptions } from '../../match/index.js';
import type { Database, StixStore } from '../../store/index.js';
import { Authenticator, CHALLENGES, Principals } from '../auth/index.js';
import type { HttpPlugin } from '../server.js';

export const MAX_LOOKUP_BATCH = 10_000;

export interface LookupDeps {
  database: Database;
  store: StixStore;
  clock?: Clock;
  /** Where `sighting: true` records sightings, and the hook that sends them on. */
  sightings?: Omit<SightingOptions, 'store' | 'clock'>;
  /** A matcher already built (tests, benches); else one is built from the store when mounted. */
  matcher?: Matcher;
}

const Str = Type.String();

export const LookupRequestSchema = Type.Object(
  {
    values: Type.Array(Type.String({ minLength: 1, maxLength: 8192 }), {
      minItems: 1,
      maxItems: MAX_LOOKUP_BATCH,
    }),
    sighting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const MatchSchema = Type.Object({
  id: Str,
  name: Type.Optional(Str),
  pattern: Str,
  tlp: Type.Optional(Str),
  origin: Str,
  createdBy: Type.Optional(Str),
  collection: Str,
  confidence: Type.Optional(Type.Integer()),
  validFrom: Str,
  validUntil: Type.Optional(Str),
  modified: Str,
});

export const LookupResponseSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      value: Str,
      type: Str,
      algorithm: Type.Optional(Str),
      normalised: Str,
      matches: Type.Array(MatchSchema),
    }),
  ),
  sightings: Type.Optional(Type.Integer()),
});

const ErrorSchema = Type.Object({ code: Str, message: Str, details: Type.Optional(Type.Unknown()) });

export function lookupPlugin(deps: LookupDeps): HttpPlugin {
  return async (app) => {
    const clock = deps.clock ?? systemClock;
    // Built here, at mount, so the server starts with the index whole (the rebuild at start).
    const matcher = deps.matcher ?? (await Matcher.open(deps.store, { clock }));
    const auth = new Authenticator(new Principals(deps.database), clock);
    app.post<{ Body: { values: string[]; sighting?: boolean } }>(
      '/api/lookup',
      {
        schema: {
          summary: 'look observables up against the indicators in force',
          tags: ['match'],
          body: LookupRequestSchema,
          response: { 200: LookupResponseSchema, 400: ErrorSchema, 401: ErrorSchema },
        },
        onRequest: async (req, reply) => {
          if (await auth.authenticate(req.headers.authorization)) return;
          reply.header('WWW-Authenticate', CHALLENGES);
          return reply.status(401).send({
            code: 'auth.unauthorized',
            message: 'authentication required: HTTP Basic or a Bearer API token',
          });
        },
      },
      async (req) => {
        // Catch up with whatever was ingested, synced or revoked since the last request.
        await matcher.refresh();
        const results = matcher.lookup(req.body.values);
        if (!req.body.sighting) return { results };
        if (!deps.sightings) return { results, sightings: 0 };
        const s = await recordSightings(results, { ...deps.sightings, store: deps.store, clock });
        return { results, sightings: s.length };
      },
    );
  };
}
