/** A small browser-like client for the web API tests: keeps the session cookie, sends the CSRF token. */
export class WebClient {
  cookie?: string;
  csrf?: string;
  lastSetCookie?: string;

  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; csrf?: boolean } = {},
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions.
  ): Promise<{ status: number; body: any; headers: Headers; text: string }> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      this.lastSetCookie = setCookie;
      const v = /parley_session=([^;]*)/.exec(setCookie)?.[1];
      this.cookie = v ? `parley_session=${v}` : undefined;
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers, text };
  }

  async signIn(user: string, password: string) {
    const r = await this.call('POST', '/api/v1/session', { body: { user, password } });
    if (r.status === 200) this.csrf = r.body.csrf;
    return r;
  }
}
