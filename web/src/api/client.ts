/**
 * The node's JSON API (docs/WEB-API.md): the session cookie travels on its own (same origin); every
 * state-changing request carries the session's CSRF token in `x-csrf-token`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;
/** Called with 401 answers, so the app can show the sign-in form again. */
let onUnauthorized: () => void = () => {};

export const setCsrf = (token: string | null) => {
  csrf = token;
};
export const setOnUnauthorized = (fn: () => void) => {
  onUnauthorized = fn;
};

export interface RequestOptions {
  body?: unknown;
  /** A raw body (a file), sent as is with this content type. */
  raw?: Blob;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/api/v1/${path}${s ? `?${s}` : ''}`;
}

/**
 * One request by XMLHttpRequest rather than fetch: the node answers a 401 with a `WWW-Authenticate:
 * Basic` challenge (for scripts and TAXII clients), and a browser meets that challenge on a fetch with
 * its own password dialog. Credentials given to `open` answer the challenge instead, fail, and the
 * 401 comes back to the app, which shows its sign-in form. They are sent only after a challenge, so a
 * valid session cookie is never overridden.
 */
function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: BodyInit | undefined,
): Promise<{ status: number; ok: boolean; statusText: string; text: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, url, true, '-', '-');
    for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
    x.onload = () =>
      resolve({
        status: x.status,
        ok: x.status >= 200 && x.status < 300,
        statusText: x.statusText,
        text: async () => x.responseText,
      });
    x.onerror = () => reject(new ApiError(0, 'network', `cannot reach the node (${method} ${url})`));
    x.send((body ?? null) as XMLHttpRequestBodyInit | null);
  });
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await send(method, apiUrl(path, opts.query), headers, body);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { code?: string; message?: string; details?: { field?: string } };
    if (res.status === 401 && path !== 'session') onUnauthorized();
    throw new ApiError(
      res.status,
      e.code ?? `http.${res.status}`,
      e.message ?? res.statusText,
      e.details?.field,
    );
  }
  return json as T;
}

export const get = <T>(path: string, query?: RequestOptions['query']) => api<T>('GET', path, { query });
export const post = <T>(path: string, body: unknown = {}, query?: RequestOptions['query']) =>
  api<T>('POST', path, { body, query });
