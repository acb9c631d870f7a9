// What the app's browser tests share: web/dist served on loopback, one headless Chromium, fresh phone
// profiles with a WeChat user agent, the fixed clock, and the helpers that wait for the app's marks.
// `useApp()` registers the server and browser for the calling test file.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serve } from '../tests/server.mjs';
import { launch, PHONE } from '../tests/browser.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = join(root, 'web', 'dist');
const shots = join(root, 'target', 'web-screenshots');
export const NOW = '2026-11-21T09:00:00';
export const ZH = { ...PHONE, locale: 'zh-CN' };
let server, browser;

export function useApp() {
  before(async () => {
    await mkdir(shots, { recursive: true });
    server = await serve({ '/': dist });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** A fresh profile (own OPFS, IndexedDB, caches and service worker). */
export async function context(options = ZH) {
  const ctx = await browser.newContext(options);
  ctx.on('weberror', (e) => console.error('# page error:', e.error()));
  return ctx;
}

/** The app's address with the planning clock at `now` (`?now=`) and more of the query. */
export function url(query = '', now = NOW) {
  return `${server.url}/?now=${now}${query}`;
}

export async function open(page, query = '', now = NOW) {
  await page.goto(url(query, now));
  await ready(page);
}

export async function ready(page) {
  await page.waitForFunction(() => document.documentElement.dataset.firstScreen === 'ready', null, { timeout: 30000 });
}

export async function indexReady(page) {
  await page.waitForFunction(() => document.documentElement.dataset.index === 'ready', null, { timeout: 30000 });
}

export async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

export const tab = (page, name) => page.locator('.tabbar').getByRole('link', { name, exact: true });
