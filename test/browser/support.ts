/**
 * Browser-test helpers: the built app (built here when dist/web is missing), Debian's chromium
 * through playwright-core, signing in, and axe-core on a page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds dist/web when it is missing (a fresh clone that skipped `npm install`'s prepare). */
export function ensureWebBuilt(): void {
  if (existsSync(path.join(REPO, 'dist', 'web', 'index.html'))) return;
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.nav');
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Strings, not functions: they run in the page, whose globals this (Node) project does not type.
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const describeViolations = (vs: AxeViolation[]) =>
  vs
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    )
    .join('\n');
