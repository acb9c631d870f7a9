// The H5 app (web/dist, built by `cargo xtask test` / `cargo xtask web`) in headless Chromium, in a phone
// viewport with a WeChat user agent: first screen and budgets, adding a company, the FAQ in simplified,
// traditional and pinyin, persistence across reloads, offline start, and the IndexedDB fallback. Every
// test saves a screenshot under target/web-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { context, dist, indexReady, open, ready, shot, tab, url, useApp } from './harness.mjs';

const BUDGET = { firstScreenBytes: 1_000_000, totalBytes: 3_000_000, firstScreenMs: 400 };
useApp();

/** Makes the company at `n` (negative: from the end) current on the 档案 screen; returns its name. */
async function choose(page, n) {
  const chips = page.locator('.company-chip:not(.add)');
  await chips.first().waitFor();
  const chip = chips.nth(n < 0 ? (await chips.count()) + n : n);
  const name = await chip.textContent();
  await chip.click();
  await page.waitForFunction((v) => document.querySelector('.company-chip.active')?.textContent === v, name);
  return name;
}

const firstScreenMs = (page) => page.evaluate(() => performance.getEntriesByName('zs-first-screen')[0].startTime);

/** The files the first screen loads: the page's and the worker's script and the app's wasm module. The
 * other screens' scripts, the search engine (its glue and wasm), jieba's dictionary and the service worker
 * are fetched after it (the first test checks the order in the browser). */
const firstScreenFile = (name) =>
  name === 'index.html' || name.endsWith('.css') || /^(index|worker)-.*\.js$/.test(name) || /^zhuanshu_wasm_bg-.*\.wasm$/.test(name);

/** gzip sizes of web/dist: the first screen's JS + wasm (the budget's measure), and everything the app
 * ever downloads. */
async function sizes() {
  const files = await readdir(dist, { recursive: true, withFileTypes: true });
  const out = { first: 0, total: 0, rows: [] };
  for (const f of files.filter((x) => x.isFile())) {
    const gz = gzipSync(await readFile(join(f.parentPath ?? f.path, f.name)), { level: 9 }).length;
    const first = firstScreenFile(f.name);
    const counted = first && /\.(js|wasm)$/.test(f.name);
    out.total += gz;
    if (counted) out.first += gz;
    out.rows.push(`  ${f.name.padEnd(40)} ${String(gz).padStart(9)} B gzip${first ? (counted ? '  first screen' : '  first screen, not JS/wasm') : ''}`);
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('the first screen fetches only its own files, is timed against its budget, and the dictionary and the search index load after it', async () => {
  const ctx = await context();
  let page = await ctx.newPage();
  const requests = [];
  // When the browser started each request (not when Node heard of it).
  page.on('requestfinished', (r) => requests.push({ url: r.url(), at: r.timing().startTime }));
  await open(page, '&demo');
  const cold = await firstScreenMs(page);
  await indexReady(page);
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  const dictRequest = marks['zs-worker-dictionaryRequested'];
  // What the first screen fetched: every request (the worker's too) made before it was drawn, on the
  // machine's clock.
  const drawnAt = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('zs-first-screen')[0].startTime);
  await page.waitForFunction(() => performance.getEntriesByName('zs-index-ready').length > 0);
  const fetched = (when) => requests.filter((r) => when(r.at)).map((r) => new URL(r.url).pathname.split('/').pop() || 'index.html');
  const before = fetched((at) => at <= drawnAt);
  const after = fetched((at) => at > drawnAt);
  console.log(`fetched before the first screen: ${before.join(' ')}; after: ${after.join(' ')}`);
  assert.deepEqual(before.filter((f) => !firstScreenFile(f)), [], 'the first screen fetches only the files the budget counts');
  assert.ok(after.some((f) => f.startsWith('zhuanshu_search_wasm_bg')), 'the search engine is fetched after the first screen');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await shot(page, '01-home-first-screen');
  // Launches of the installed app: a new page once the previous one is gone (service worker and code
  // caches warm). The machine is shared, so the median of five is the measure.
  const launches = [];
  for (let i = 0; i < 5; i++) {
    await page.close();
    await new Promise((r) => setTimeout(r, 200));
    page = await ctx.newPage();
    await open(page);
    launches.push(await firstScreenMs(page));
  }
  const breakdown = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace('zs-', '')} ${m.startTime.toFixed(0)}`).join(', '));
  await ctx.close();
  const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];
  console.log(`budget first screen interactive: first visit ${cold.toFixed(0)} ms; launches ${launches.map((x) => x.toFixed(0)).join(' ')} ms, median ${median(launches).toFixed(0)} ms (≤ ${BUDGET.firstScreenMs}; load average ${load})`);
  console.log(`last launch, ms after navigation: ${breakdown}`);
  console.log(`dictionary requested at ${dictRequest?.toFixed(0)} ms, search index ready at ${marks['zs-index-ready'].toFixed(0)} ms, first screen at ${marks['zs-first-screen'].toFixed(0)} ms`);
  assert.ok(dictRequest > marks['zs-first-screen'], 'the dictionary is requested after the first screen');
  assert.ok(marks['zs-index-ready'] > marks['zs-first-screen'], 'the search index is built after the first screen');
  // The time is measured and printed against its budget, not asserted: speed targets are proven by
  // benchmarks, never by timed assertions in tests (the project's rule), and this machine's two cores are
  // shared with the builds, so a wall-clock assertion here only tells how busy they were.
  if (median(launches) > BUDGET.firstScreenMs) {
    console.log(`first screen over its budget: median ${median(launches).toFixed(0)} ms > ${BUDGET.firstScreenMs} ms (load average ${load})`);
  }
});

test('first-screen JS + wasm within 1 MB gzip', async () => {
  const s = await sizes();
  console.log(s.rows.join('\n'));
  console.log(`budget first screen: ${s.first} B gzip (≤ ${BUDGET.firstScreenBytes})`);
  assert.ok(s.first <= BUDGET.firstScreenBytes, `first-screen JS + wasm ${s.first} B gzip > ${BUDGET.firstScreenBytes}`);
});

test('everything within 3 MB gzip', async () => {
  const s = await sizes();
  console.log(`budget everything: ${s.total} B gzip (≤ ${BUDGET.totalBytes})`);
  assert.ok(s.total <= BUDGET.totalBytes, `everything ${s.total} B gzip > ${BUDGET.totalBytes}`);
});

test('add a company: the core checks the form field by field, then its dynamics are on the home screen', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  await page.getByRole('link', { name: '添加企业' }).first().click();
  await page.locator('#uscc').fill('91310104MA1FL8XK2Y');
  await page.locator('#name').fill('上海𠈌𠀌科技有限公司');
  await page.locator('#legal_representative').fill('王芳');
  await page.locator('#registered_capital_yuan').fill('1,000,000');
  await page.locator('#established_on').fill('2023-03-15');
  await page.locator('#address').fill('上海市徐汇区漕溪北路88号');
  await page.locator('#district').selectOption('310104');
  await page.locator('#industry').selectOption('I65');
  await page.locator('#employees').fill('12');
  await page.locator('#revenue_yuan').fill('3800000');
  await page.locator('#revenue_yuan').fill('3800000');
  await page.getByRole('button', { name: '保存' }).click();
  const usccError = page.locator('#uscc-error');
  await usccError.waitFor({ state: 'visible' });
  assert.match(await usccError.textContent(), /第18位应为“X”/);
  assert.equal(await page.locator('#uscc').getAttribute('aria-invalid'), 'true');
  await shot(page, '02-company-form-inline-error');

  await page.locator('#uscc').fill('91310104MA1FL8XK2X');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('.company-bar');
  assert.equal(await page.locator('.company-name').textContent(), '上海𠈌𠀌科技有限公司');
  const items = page.locator('.dyn-list > li');
  assert.ok((await items.count()) > 0, 'the new company has dynamics');
  const titles = await page.locator('.dyn h3').allTextContents();
  assert.ok(titles.some((t) => /年报|申报/.test(t)), `annual report or tax filing among ${titles}`);
  await shot(page, '03-home-new-company-dynamics');

  // Done with undo, then a licence with the core's check on its dates.
  const first = await items.first().getAttribute('data-id');
  await items.first().getByRole('button', { name: /^完成/ }).click();
  await page.waitForFunction((id) => !document.querySelector(`.dyn-list > li[data-id="${id}"]`), first);
  await page.getByRole('button', { name: '撤销' }).click();
  await page.waitForSelector(`.dyn-list > li[data-id="${first}"]`);

  await page.getByRole('link', { name: '查证照' }).click();
  await page.getByRole('link', { name: '添加证照' }).click();
  await page.locator('#kind').selectOption('food_business');
  await page.locator('#number').fill('JY13101040012345');
  await page.locator('#issued_on').fill('2022-01-06');
  await page.locator('#valid_until').fill('2021-01-05');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#valid_until-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#valid_until-error').textContent(), /早于发证日期/);
  await page.locator('#valid_until').fill('2026-12-20');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('#licences .row');
  assert.match(await page.locator('#licences').textContent(), /食品经营许可证[\s\S]*还剩 29 天/);
  await shot(page, '04-dossier-licences');
  await ctx.close();
});

test('FAQ search in simplified, traditional and pinyin with highlighted answers', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&demo');
  await tab(page, '客服').click();
  const box = page.locator('#faq-search');
  const search = async (q) => {
    await box.fill(q);
    await page.waitForFunction((v) => location.hash.includes(encodeURIComponent(v)) && document.querySelector('.hits, .results .muted'), q, { timeout: 30000 });
    await page.waitForFunction(() => document.querySelectorAll('.hits > li').length > 0, null, { timeout: 30000 });
    return page.locator('.hits > li details').first().getAttribute('data-id');
  };
  const simplified = await search('营业执照过期了怎么办');
  assert.ok((await page.locator('.hits mark').count()) > 0, 'highlights are shown');
  await shot(page, '05-faq-simplified');
  const traditional = await search('營業執照過期了怎麼辦');
  assert.equal(traditional, simplified, 'traditional finds the same answer');
  const marks = await page.locator('.hits > li').first().locator('summary mark').allTextContents();
  assert.ok(marks.some((m) => /[營執照過期]/.test(m)), `traditional characters are highlighted: ${marks}`);
  await shot(page, '06-faq-traditional');
  await box.fill('营业执照');
  await page.waitForFunction(() => document.querySelectorAll('.suggest li').length > 0, null, { timeout: 30000 });
  await search('nianbao');
  const question = await page.locator('.hits > li summary').first().textContent();
  assert.match(question, /年报|年度报告/);
  await shot(page, '07-faq-pinyin');
  // Markdown answers render as lists and bold text, never as raw markup.
  const answer = page.locator('.hits > li').first().locator('.answer');
  assert.ok(!/\*\*/.test(await answer.textContent()), 'no raw ** in answers');
  await page.locator('.hits > li').first().getByRole('link').click();
  await page.waitForSelector('article.faq h2');
  await shot(page, '08-faq-entry');
  await ctx.close();
});

test('reload keeps everything (OPFS); offline the app starts from its cache and search still works', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&demo');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.storage), 'opfs');
  const company = await page.locator('.company-name').textContent();
  // Change something: switch company and mark an item done.
  await tab(page, '档案').click();
  const second = await choose(page, 1);
  assert.notEqual(second, company);
  await tab(page, '首页').click();
  const firstItem = page.locator('.dyn-list > li').first();
  const doneId = await firstItem.getAttribute('data-id');
  await firstItem.getByRole('button', { name: /^完成/ }).click();
  await page.waitForFunction((id) => !document.querySelector(`.dyn-list > li[data-id="${id}"]`), doneId);
  await indexReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready);

  await page.reload();
  await ready(page);
  assert.equal(await page.locator('.company-name').textContent(), second, 'the current company survived the reload');
  assert.equal(await page.locator(`.dyn-list > li[data-id="${doneId}"]`).count(), 0, 'the done item stays done');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });

  await ctx.setOffline(true);
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('.company-name').textContent(), second);
  assert.ok(await page.locator('.offline-banner').isVisible(), 'the offline banner is shown');
  await tab(page, '客服').click();
  await page.locator('#faq-search').fill('年报');
  await page.waitForFunction(() => document.querySelectorAll('.hits > li').length > 0, null, { timeout: 30000 });
  await shot(page, '09-offline-search');
  await tab(page, '设置').click();
  await page.waitForSelector('#offline-state');
  assert.match(await page.locator('#storage-kind').textContent(), /OPFS/);
  await shot(page, '10-offline-settings');
  await ctx.close();
});

test('without OPFS the data lives in IndexedDB, the settings say so, and it survives a reload', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&storage=indexeddb&demo');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.storage), 'indexeddb');
  await tab(page, '档案').click();
  const chosen = await choose(page, -1);
  await page.waitForTimeout(300); // the IndexedDB mirror commits in the background
  await page.goto(url('&storage=indexeddb'));
  await ready(page);
  assert.equal(await page.locator('.company-name').textContent(), chosen);
  await tab(page, '设置').click();
  await page.waitForSelector('#storage-kind');
  assert.equal(await page.locator('#storage-kind').getAttribute('data-storage'), 'indexeddb');
  assert.match(await page.locator('#storage-kind').textContent(), /IndexedDB/);
  await shot(page, '11-settings-indexeddb');
  await ctx.close();
});

test('settings: traditional Chinese, English, dark mode and large text; desktop layout', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&demo');
  await tab(page, '设置').click();
  await page.getByLabel('繁體中文').check();
  await page.waitForSelector('text=首頁');
  await page.getByLabel('深色').check();
  await page.getByLabel(/大字模式/).check();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('large')));
  await shot(page, '12-settings-dark-large-zh-tw');
  await tab(page, '首頁').click();
  await page.waitForSelector('.dyn-list');
  await shot(page, '13-home-dark-large-zh-tw');
  // Every tap target of the tab bar and the item actions is at least 44 px high.
  const small = await page.evaluate(() => [...document.querySelectorAll('.tab, .dyn .btn, .quick-link')]
    .filter((e) => e.getBoundingClientRect().height < 44).length);
  assert.equal(small, 0, 'tap targets are large enough');
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'preferences survive a reload');
  await tab(page, '設定').click();
  await page.getByLabel('English').check();
  await page.getByLabel('Light').check();
  await page.getByLabel(/Large text/).uncheck();
  await tab(page, 'Home').click();
  await page.waitForSelector('.dyn-list');
  await shot(page, '14-home-english');
  await ctx.close();

  const desktop = await context({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const wide = await desktop.newPage();
  await open(wide, '&demo');
  await tab(wide, '档案').click();
  await wide.waitForSelector('#licences');
  await shot(wide, '15-desktop-dossier');
  await desktop.close();
});
