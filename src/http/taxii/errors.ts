/**
 * TAXII error messages (TAXII 2.1 section 3.6.1): every 4xx/5xx under /taxii2/ is an error object
 * with title, description, error_code, http_status (a string) and details. Internals of a 500 are
 * never shown.
 */
import { isParleyError, ParleyError } from '../../core/index.js';

export interface TaxiiErrorBody {
  title: string;
  description?: string;
  error_id?: string;
  error_code?: string;
  http_status?: string;
  external_details?: string;
  details?: Record<string, unknown>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const taxiiError = (
  code: string,
  status: number,
  message: string,
  details: Record<string, unknown> = {},
) => new ParleyError(code, message, status, details);

/** Any thrown value as (status, TAXII error object). */
export function toTaxiiError(err: unknown): { status: number; body: TaxiiErrorBody } {
  if (isParleyError(err) && err.status < 500) {
    return {
      status: err.status,
      body: {
        title: TITLES[err.status] ?? 'Error',
        description: err.message,
        error_code: err.code,
        http_status: String(err.status),
        details: err.details,
      },
    };
  }
  const fastify = err as {
    statusCode?: number;
    code?: string;
    message?: string;
    validation?: { instancePath?: string; params?: { missingProperty?: string } }[];
  };
  const status = fastify.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 413
        ? 'taxii.too_large'
        : status === 415
          ? 'taxii.unsupported_media_type'
          : fastify.validation
            ? 'taxii.bad_request'
            : `taxii.http_${status}`;
    return {
      status,
      body: {
        title: TITLES[status] ?? 'Error',
        description: fastify.message ?? 'bad request',
        error_code: code,
        http_status: String(status),
        details: fieldOf(fastify.validation) ?? (fastify.code ? { cause: fastify.code } : {}),
      },
    };
  }
  return {
    status: 500,
    body: {
      title: TITLES[500] as string,
      description: 'internal error',
      error_code: 'internal',
      http_status: '500',
    },
  };
}

/** The parameter a schema validation error is about, e.g. `/limit` -> { field: 'limit' }. */
function fieldOf(v: { instancePath?: string; params?: { missingProperty?: string } }[] | undefined) {
  const first = v?.[0];
  if (!first) return undefined;
  const field = first.instancePath
    ? first.instancePath.slice(1).split('/')[0]
    : first.params?.missingProperty;
  return field ? { field } : undefined;
}
