/**
 * The web UI in Debian's chromium against two real nodes on 127.0.0.1: A's officer signs in and
 * sends a notification, B's inbox shows it live (server-sent events), B acknowledges it, and A's
 * thread turns "acknowledged within deadline" without a reload. axe-core finds no serious or
 * critical problem on any main screen; the labels switch to Russian and Chinese; a screenshot of
 * each main screen goes to docs/screenshots/ (when missing, or with PARLEY_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RU as VOC_RU } from '../../src/hotline/model/i18n/vocab-ru.js';
import { ZH as VOC_ZH } from '../../src/hotline/model/i18n/vocab-zh.js';
import { Principals } from '../../src/http/auth/index.js';
import { EN } from '../../web/src/i18n/en.js';
import { RU } from '../../web/src/i18n/ru.js';
import { ZH } from '../../web/src/i18n/zh.js';
import { agreementBetween, type Network, network, type TestNode } from '../network/harness.js';
import { describeViolations, ensureWebBuilt, launch, REPO, seriousViolations, signIn } from './support.js';

const SHOTS = path.join(REPO, 'docs', 'screenshots');
const PASSWORD = 'correct horse battery';

describe('web UI in chromium', { timeout: 90_000 }, () => {
  let net: Network;
  let a: TestNode;
  let b: TestNode;
  let browser: Browser;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let subject = '';

  before(async () => {
    ensureWebBuilt();
    net = network();
    a = await net.add('cert-a', 'CERT of Arcadia');
    b = await net.add('cert-b', 'CERT of Borduria');
    await agreementBetween(a, [b], 'Bilateral hotline');
    const poc = (id: string) => ({
      id,
      role: 'technical' as const,
      kind: 'desk' as const,
      name: `${id} duty desk`,
      channels: ['parley:hotline'],
      languages: ['en'],
      timezone: 'UTC',
      hours: '24/7',
    });
    await a.node.peer.directory.add(poc('a-duty'));
    await b.node.peer.directory.add(poc('b-desk'));
    for (const n of [a, b]) await n.node.peer.directory.publish();
    await new Principals(a.node.database).addUser('alice', 'officer', PASSWORD);
    await new Principals(b.node.database).addUser('boris', 'officer', PASSWORD);
    browser = await launch();
    // Each party's officer in a browser of their own; UTC+3 shows local time beside UTC.
    ctxA = await browser.newContext({
      timezoneId: 'Europe/Moscow',
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    ctxB = await browser.newContext({
      timezoneId: 'Asia/Shanghai',
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
  });

  after(async () => {
    await browser?.close();
    await net?.close();
  });

  const shot = async (page: Page, name: string) => {
    const file = path.join(SHOTS, `${name}.png`);
    const png = await page.screenshot({ fullPage: true });
    if (process.env.PARLEY_SCREENSHOTS === '1' || !existsSync(file)) {
      mkdirSync(SHOTS, { recursive: true });
      writeFileSync(file, png);
    }
  };

  const accessible = async (page: Page, screen: string) => {
    const vs = await seriousViolations(page);
    assert.equal(vs.length, 0, `axe on ${screen}:\n${describeViolations(vs)}`);
  };

  test('a notification from A arrives live at B, is acknowledged there, and A sees it within deadline', async () => {
    await signIn(pageA, a.url, 'alice', PASSWORD);
    await signIn(pageB, b.url, 'boris', PASSWORD);
    await pageB.goto(`${b.url}/#/hotline/inbox`);
    await pageB.waitForSelector('[data-screen=hotline]');
    await pageB.waitForSelector('.live.on');

    await pageA.goto(`${a.url}/#/hotline/compose`);
    await pageA.waitForSelector('form.compose');
    // Checked as one types: a blank subject is flagged before anything is sent.
    await pageA.fill('#f-subject', 'x');
    await pageA.fill('#f-subject', '');
    await pageA.waitForSelector('#err-subject');
    await pageA.selectOption('#f-urgency', 'high');
    await pageA.selectOption('#f-category', 'art2.4');
    await pageA.selectOption('#f-rsit', 'intrusions');
    await pageA.click('text=' + EN['hl.template']);
    assert.match(await pageA.inputValue('#f-subject'), /^Early warning:/);
    subject = `Early warning: intrusion at the grid operator ${Date.now()}`;
    await pageA.fill('#f-subject', subject);
    await pageA.selectOption('#f-tlp', 'TLP:AMBER');
    await pageA.click('button[type=submit].primary');
    await pageA.waitForSelector('article.thread');
    assert.equal(await pageA.textContent('[data-ack]'), EN['hl.ack.pending']);

    // Arrives at B without a reload: the inbox listens to the event stream.
    const row = pageB.locator('table[data-list=inbox] tr', { hasText: subject });
    await row.waitFor({ timeout: 10_000 });
    await row.locator('button[data-action=ack]').click();

    // A's open thread turns "acknowledged within deadline" live.
    await pageA.waitForSelector('[data-ack="within deadline"]', { timeout: 10_000 });
    assert.equal(await pageA.textContent('[data-ack]'), EN['hl.ack.within deadline']);
    await accessible(pageA, 'thread');
    await shot(pageA, 'thread');
  });

  test('every main screen passes axe (no serious or critical violation) and is captured', async () => {
    const screens: [string, string, string][] = [
      ['dashboard', '#/dashboard', '[data-screen=dashboard] .grid'],
      ['inbox', '#/hotline/inbox', '[data-screen=hotline] table, [data-screen=hotline] .muted'],
      ['sent', '#/hotline/sent', 'table[data-list=sent]'],
      ['compose', '#/hotline/compose', 'form.compose'],
      ['directory', '#/directory', '[data-screen=directory] .card'],
      ['agreements', '#/agreements', '[data-screen=agreements] table'],
      ['intel', '#/intel', '[data-screen=intel] form'],
      ['ledger', '#/ledger', '[data-screen=ledger] .grid'],
      ['compliance', '#/compliance', '[data-screen=compliance] form'],
    ];
    for (const [name, hash, ready] of screens) {
      await pageA.goto(`${a.url}/${hash}`);
      await pageA.waitForSelector(ready, { timeout: 10_000 });
      await pageA.waitForFunction("!document.querySelector('[aria-busy=true]')");
      await accessible(pageA, name);
      await shot(pageA, name);
    }
    // Every control is reachable by keyboard: Tab from the top reaches the navigation links.
    await pageA.goto(`${a.url}/#/dashboard`);
    await pageA.waitForSelector('[data-screen=dashboard] .grid');
    const reached = new Set<string>();
    for (let i = 0; i < 15; i++) {
      await pageA.keyboard.press('Tab');
      reached.add(await pageA.evaluate<string>("document.activeElement?.getAttribute('data-screen') ?? ''"));
    }
    for (const s of ['dashboard', 'hotline', 'directory', 'agreements', 'intel', 'ledger', 'compliance'])
      assert.ok(reached.has(s), `Tab does not reach the ${s} link`);
  });

  test('the labels switch to Russian and to Chinese', async () => {
    await pageA.goto(`${a.url}/#/hotline/compose`);
    await pageA.waitForSelector('form.compose');
    for (const [lang, ui, voc] of [
      ['ru', RU, VOC_RU],
      ['zh', ZH, VOC_ZH],
    ] as const) {
      await pageA.selectOption('#lang', lang);
      await pageA.waitForFunction(`document.documentElement.lang.startsWith('${lang}')`);
      assert.equal((await pageA.textContent('a[data-screen=hotline]'))?.trim(), ui['nav.hotline']);
      assert.equal((await pageA.textContent('a[data-tab=compose]'))?.trim(), ui['hl.compose']);
      assert.equal((await pageA.textContent('label[for=f-subject]'))?.trim(), voc.fields.subject);
      assert.equal((await pageA.textContent('label[for=f-tlp]'))?.trim(), voc.fields.tlp);
      await accessible(pageA, `compose (${lang})`);
      if (lang === 'zh') await shot(pageA, 'compose-zh');
    }
    await pageA.selectOption('#lang', 'en');
    assert.equal((await pageA.textContent('a[data-screen=hotline]'))?.trim(), EN['nav.hotline']);
  });
});
