/**
 * Sign-in, sessions and CSRF on a real node on 127.0.0.1 (SQLite or PostgreSQL), on a ManualClock:
 * the cookie's attributes, a wrong password answered like an unknown user, CSRF refused without the
 * header (and bearer requests exempt), role limits (on the web API and the hotline API), logout,
 * idle and absolute expiry, removal of the user. Run by session.sqlite.test.ts / session.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/index.js';
import {
  FAILS_PER_USER,
  Principals,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  WINDOW_MS,
} from '../../src/http/auth/index.js';
import { cli, type Network, network, type TestNode } from '../network/harness.js';
import { WebClient } from './client.js';

const PW = 'a long password 1';

export function sessionSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`web sessions (${backend})`, () => {
    const clock = new ManualClock(Date.parse('2026-04-01T08:00:00.000Z'));
    let net: Network;
    let a: TestNode;
    let principals: Principals;

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('a', 'Arcadia');
      principals = new Principals(a.node.database);
      await principals.addUser('olga', 'officer', PW);
      await principals.addUser('rita', 'hotline-reader', PW);
      await principals.addUser('root', 'admin', PW);
    });
    after(() => net.close());

    test('sign in: HttpOnly SameSite=Strict cookie, CSRF token, role and permissions; GET answers the same', async () => {
      const c = new WebClient(a.url);
      const r = await c.signIn('olga', PW);
      assert.equal(r.status, 200);
      assert.equal(r.body.user, 'olga');
      assert.deepEqual(r.body.roles, ['officer']);
      assert.match(r.body.csrf, /^[A-Za-z0-9_-]{32}$/);
      assert.equal(r.body.can['hotline.write'], true);
      assert.equal(r.body.can['agreements.write'], false);
      assert.equal(r.body.node.party, 'Arcadia');
      const sc = c.lastSetCookie ?? '';
      assert.match(
        sc,
        /^parley_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=86400$/,
      );
      // Plain http here: no Secure; a request that came over https (behind a proxy) gets it.
      const viaHttps = await fetch(`${a.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ user: 'olga', password: PW }),
      });
      assert.match(viaHttps.headers.get('set-cookie') ?? '', /; Secure$/);
      const me = await c.call('GET', '/api/v1/session');
      assert.equal(me.status, 200);
      assert.equal(me.body.user, 'olga');
      assert.equal(me.body.csrf, r.body.csrf);
      // Only the hash of the cookie's value is stored.
      const rows = await a.node.database.db.selectFrom('web_sessions').selectAll().execute();
      const value = (c.cookie ?? '').split('=')[1] ?? '';
      assert.ok(rows.length >= 1);
      assert.ok(!JSON.stringify(rows).includes(value));
    });

    test('a wrong password and an unknown user get the same answer, after the same scrypt work', async () => {
      const c = new WebClient(a.url);
      const timed = async (user: string, pw: string) => {
        const t = performance.now();
        const r = await c.signIn(user, pw);
        return { r, ms: performance.now() - t };
      };
      await timed('nobody-warmup', 'x'); // the decoy hash is made on first use
      const wrong = await timed('olga', 'not the password');
      const unknown = await timed('nobody', 'not the password');
      for (const x of [wrong, unknown]) {
        assert.equal(x.r.status, 401);
        assert.equal(x.r.body.code, 'auth.bad_credentials');
        assert.equal(x.r.body.message, 'user name or password is wrong');
        assert.equal(c.cookie, undefined);
      }
      // Both ran one scrypt (tens of ms); an unknown user must not answer in a fraction of that.
      const ratio = unknown.ms / wrong.ms;
      assert.ok(ratio > 0.4 && ratio < 2.5, `unknown ${unknown.ms} ms vs wrong ${wrong.ms} ms`);
      const bad = await c.call('POST', '/api/v1/session', { body: { user: 'olga' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /password/);
    });

    test('repeated wrong passwords: 429 with Retry-After, even for the right one, until the window passes', async () => {
      await principals.addUser('gus', 'officer', PW);
      const c = new WebClient(a.url);
      for (let i = 0; i < FAILS_PER_USER; i++)
        assert.equal((await c.signIn('gus', `guess ${i}`)).status, 401);
      const blocked = await c.signIn('gus', PW);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.code, 'auth.too_many_attempts');
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.equal(c.cookie, undefined, 'no session while blocked');
      // Another user is not held back by gus's guesser.
      assert.equal((await new WebClient(a.url).signIn('olga', PW)).status, 200);
      clock.advance(WINDOW_MS);
      assert.equal((await c.signIn('gus', PW)).status, 200);
    });

    test('CSRF: a cookie-authenticated write without x-csrf-token is refused; GET and bearer are not', async () => {
      const c = new WebClient(a.url);
      await c.signIn('olga', PW);
      const body = { poc: 'desk-1' };
      const no = await c.call('POST', '/api/v1/hotline/deadlines/check', { body, csrf: false });
      assert.equal(no.status, 403);
      assert.equal(no.body.code, 'auth.csrf');
      const wrong = await c.call('POST', '/api/v1/hotline/deadlines/check', {
        headers: { 'x-csrf-token': `${c.csrf}x` },
        csrf: false,
      });
      assert.equal(wrong.body.code, 'auth.csrf');
      const ok = await c.call('POST', '/api/v1/hotline/deadlines/check');
      assert.equal(ok.status, 200, ok.text);
      const logoutNoCsrf = await c.call('DELETE', '/api/v1/session', { csrf: false });
      assert.equal(logoutNoCsrf.status, 403);
      assert.equal((await c.call('GET', '/api/v1/hotline/inbox')).status, 200);
      // A bearer token needs no CSRF token (no browser sends Authorization on its own).
      const { token } = await principals.createToken('officer');
      const res = await fetch(`${a.url}/api/v1/hotline/deadlines/check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      // The header wins over a cookie: a bad token is a 401 even with a good session cookie.
      const both = await fetch(`${a.url}/api/v1/hotline/inbox`, {
        headers: { authorization: 'Bearer ptk_wrong', cookie: c.cookie ?? '' },
      });
      assert.equal(both.status, 401);
    });

    test('roles: what a role may not do is refused with 403 naming the roles that may', async () => {
      const rita = new WebClient(a.url);
      await rita.signIn('rita', PW);
      assert.equal((await rita.call('GET', '/api/v1/hotline/inbox')).status, 200);
      const send = await rita.call('POST', '/api/v1/hotline/deadlines/check');
      assert.equal(send.status, 403);
      assert.equal(send.body.code, 'auth.forbidden');
      assert.ok(send.body.details.allowed.includes('officer'));
      const verify = await rita.call('POST', '/api/v1/ledger/verify');
      assert.equal(verify.status, 403);
      assert.deepEqual(verify.body.details.allowed, ['auditor', 'officer', 'admin']);
      const propose = await rita.call('POST', '/api/v1/agreements', { body: { with: ['b'] } });
      assert.equal(propose.status, 403);
      const olga = new WebClient(a.url);
      await olga.signIn('olga', PW);
      assert.equal((await olga.call('POST', '/api/v1/directory/publish')).status, 403);
      assert.equal((await olga.call('GET', '/api/v1/dashboard')).status, 200);
      // No credential at all: 401 with the challenges.
      const anon = await fetch(`${a.url}/api/v1/dashboard`);
      assert.equal(anon.status, 401);
      assert.match(anon.headers.get('www-authenticate') ?? '', /Bearer/);
      // A browser's script is offered Bearer only, so the browser never opens its password dialog.
      const script = await fetch(`${a.url}/api/v1/dashboard`, { headers: { 'sec-fetch-mode': 'cors' } });
      assert.equal(script.status, 401);
      assert.equal(script.headers.get('www-authenticate'), 'Bearer realm="parley"');
    });

    test('logout ends the session server-side and clears the cookie', async () => {
      const c = new WebClient(a.url);
      await c.signIn('olga', PW);
      const kept = c.cookie;
      const r = await c.call('DELETE', '/api/v1/session');
      assert.equal(r.status, 204);
      assert.match(c.lastSetCookie ?? '', /^parley_session=; .*Max-Age=0/);
      // The old cookie no longer works, even replayed.
      const replay = await fetch(`${a.url}/api/v1/session`, { headers: { cookie: kept ?? '' } });
      assert.equal(replay.status, 401);
    });

    test('expiry: idle and absolute, on the clock; removing the user ends its sessions', async () => {
      const c = new WebClient(a.url);
      await c.signIn('olga', PW);
      clock.advance(SESSION_IDLE_MS - 60_000);
      assert.equal((await c.call('GET', '/api/v1/session')).status, 200);
      // Used just now: the idle window starts again.
      clock.advance(SESSION_IDLE_MS - 60_000);
      assert.equal((await c.call('GET', '/api/v1/session')).status, 200);
      clock.advance(SESSION_IDLE_MS);
      assert.equal((await c.call('GET', '/api/v1/session')).status, 401);

      // Absolute: kept busy, it still ends MAX_MS after sign-in.
      const d = new WebClient(a.url);
      await d.signIn('olga', PW);
      let elapsed = 0;
      while (elapsed + SESSION_IDLE_MS / 2 < SESSION_MAX_MS) {
        clock.advance(SESSION_IDLE_MS / 2);
        elapsed += SESSION_IDLE_MS / 2;
        assert.equal((await d.call('GET', '/api/v1/session')).status, 200, `after ${elapsed} ms`);
      }
      clock.advance(SESSION_MAX_MS - elapsed);
      assert.equal((await d.call('GET', '/api/v1/session')).status, 401);

      const e = new WebClient(a.url);
      await e.signIn('root', PW);
      assert.equal((await e.call('GET', '/api/v1/session')).status, 200);
      await principals.removeUser('root');
      assert.equal((await e.call('GET', '/api/v1/session')).status, 401);
    });

    test('parley user add prints a generated password once; list; remove ends the sessions', async () => {
      const add = await cli(a, 'user', 'add', 'zoe', '--role', 'auditor');
      assert.equal(add.code, 0, add.err);
      const password = add.lines[add.lines.length - 1] ?? '';
      assert.match(password, /^[A-Za-z0-9_-]{24}$/);
      const c = new WebClient(a.url);
      const r = await c.signIn('zoe', password);
      assert.equal(r.status, 200);
      assert.equal(r.body.can['ledger.verify'], true);
      assert.equal(r.body.can['hotline.read'], false);
      const list = await cli(a, 'user', 'list');
      assert.match(list.out, /^zoe\s+auditor\s+/m);
      assert.ok(!list.out.includes(password));
      const rm = await cli(a, 'user', 'remove', 'zoe');
      assert.match(rm.out, /removed user zoe and ended 1 session/);
      assert.equal((await c.call('GET', '/api/v1/session')).status, 401);
      assert.equal((await cli(a, 'user', 'remove', 'zoe')).code, 1);
      assert.equal((await cli(a, 'user', 'add', 'bad name', '--role', 'admin')).code, 1);
    });

    test('the hotline event stream accepts the session cookie', async () => {
      const c = new WebClient(a.url);
      await c.signIn('rita', PW);
      const ac = new AbortController();
      const res = await fetch(`${a.url}/api/v1/hotline/events`, {
        headers: { cookie: c.cookie ?? '' },
        signal: ac.signal,
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      ac.abort();
      await res.body?.cancel().catch(() => {});
      const anon = await fetch(`${a.url}/api/v1/hotline/events`);
      assert.equal(anon.status, 401);
    });
  });
}
