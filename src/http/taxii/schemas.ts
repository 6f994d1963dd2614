/**
 * TypeBox schemas of the TAXII 2.1 resources (sections 3.6, 4, 5). The same schemas sit on the
 * Fastify routes (they validate parameters and serialise responses) and feed /openapi.json.
 */
import { Type } from 'typebox';

const Str = Type.String();

export const TaxiiErrorSchema = Type.Object(
  {
    title: Str,
    description: Type.Optional(Str),
    error_id: Type.Optional(Str),
    error_code: Type.Optional(Str),
    http_status: Type.Optional(Str),
    external_details: Type.Optional(Str),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'TAXII 2.1 section 3.6.1 error message' },
);

export const DiscoverySchema = Type.Object(
  {
    title: Str,
    description: Type.Optional(Str),
    contact: Type.Optional(Str),
    default: Type.Optional(Str),
    api_roots: Type.Optional(Type.Array(Str)),
  },
  { description: 'TAXII 2.1 section 4.1.1 discovery resource' },
);

export const ApiRootSchema = Type.Object(
  {
    title: Str,
    description: Type.Optional(Str),
    versions: Type.Array(Str),
    max_content_length: Type.Integer(),
  },
  { description: 'TAXII 2.1 section 4.2.1 API root resource' },
);

export const CollectionSchema = Type.Object(
  {
    id: Str,
    title: Str,
    description: Type.Optional(Str),
    alias: Type.Optional(Str),
    can_read: Type.Boolean(),
    can_write: Type.Boolean(),
    media_types: Type.Optional(Type.Array(Str)),
  },
  { description: 'TAXII 2.1 section 5.2.1 collection resource' },
);

export const CollectionsSchema = Type.Object(
  { collections: Type.Optional(Type.Array(CollectionSchema)) },
  { description: 'TAXII 2.1 section 5.1.1 collections resource' },
);

export const EnvelopeSchema = Type.Object(
  {
    more: Type.Optional(Type.Boolean()),
    next: Type.Optional(Str),
    objects: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  },
  { description: 'TAXII 2.1 section 3.7 envelope' },
);

export const ManifestSchema = Type.Object(
  {
    more: Type.Optional(Type.Boolean()),
    next: Type.Optional(Str),
    objects: Type.Optional(
      Type.Array(Type.Object({ id: Str, date_added: Str, version: Str, media_type: Type.Optional(Str) })),
    ),
  },
  { description: 'TAXII 2.1 section 5.3.1 manifest resource' },
);

export const VersionsSchema = Type.Object(
  { more: Type.Optional(Type.Boolean()), next: Type.Optional(Str), versions: Type.Optional(Type.Array(Str)) },
  { description: 'TAXII 2.1 section 5.8.1 versions resource' },
);

const Detail = Type.Object({ id: Str, version: Str, message: Type.Optional(Str) });
export const StatusSchema = Type.Object(
  {
    id: Str,
    status: Type.Union([Type.Literal('pending'), Type.Literal('complete')]),
    request_timestamp: Type.Optional(Str),
    total_count: Type.Integer(),
    success_count: Type.Integer(),
    successes: Type.Optional(Type.Array(Detail)),
    failure_count: Type.Integer(),
    failures: Type.Optional(Type.Array(Detail)),
    pending_count: Type.Integer(),
    pendings: Type.Optional(Type.Array(Detail)),
  },
  { description: 'TAXII 2.1 section 4.3.1 status resource' },
);

const Values = Type.Union([Str, Type.Array(Str)]);
/** Query filters of section 3.4; values may be comma-separated or repeated. */
export const FilterQuerySchema = Type.Object(
  {
    added_after: Type.Optional(
      Type.String({ description: 'exclusive lower bound on date_added (RFC 3339)' }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]+$', description: 'page size; capped by the server' }),
    ),
    next: Type.Optional(
      Type.String({ description: 'opaque token from the previous page of the same query' }),
    ),
    'match[id]': Type.Optional(Values),
    'match[type]': Type.Optional(Values),
    'match[version]': Type.Optional(Values),
    'match[spec_version]': Type.Optional(Values),
  },
  { additionalProperties: true },
);

export const RootParams = Type.Object({ root: Str });
export const StatusParams = Type.Object({ root: Str, statusId: Str });
export const CollectionParams = Type.Object({ root: Str, collectionId: Str });
export const ObjectParams = Type.Object({ root: Str, collectionId: Str, objectId: Str });

/** The errors every TAXII endpoint may answer, for OpenAPI. */
export const errorResponses = Object.fromEntries(
  [400, 401, 403, 404, 406, 413, 415].map((s) => [s, TaxiiErrorSchema]),
) as Record<number, typeof TaxiiErrorSchema>;
