// 证照夹's security decisions in the H5 app (web/dist, headless Chromium, phone viewport, WeChat user agent):
// they use the real clock whatever `?now=` pins (auto-lock, the wait after wrong PINs, document times), a
// new recovery key needs the PIN, and the PIN is bound to the browser's device key — or, where WebCrypto
// is missing (some in-app web views), the app opens without one and the vault works with the PIN alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, open, ready, shot, tab, useApp } from './harness.mjs';

// A 2×2 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4IaAnnWfKIOs/8f///wAd+wW/B2BRyAAAAABJRU5ErkJggg==', 'base64');
/** A planning date years ahead: it must neither freeze nor move the vault's clock. */
const LATER = '2030-06-01T09:00:00';
useApp();

/** First use of 证照夹: the PIN, then the recovery key shown once; returns the key as written down. */
async function setUp(page, pin) {
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-setup');
  await page.locator('#pin').fill(pin);
  await page.locator('#pin-again').fill(pin);
  await page.getByRole('button', { name: '设置并打开证照夹' }).click();
  await page.waitForSelector('.recovery');
  const key = (await page.locator('.recovery-key .group').allTextContents()).join('-');
  await page.getByRole('button', { name: '我已抄写好' }).click();
  await page.waitForSelector('.add-doc');
  return key;
}

/** Types `pin` on the lock screen; resolves with the core's message, or null once the vault is open. */
async function unlock(page, pin) {
  await page.locator('#vault-pin').fill(pin);
  await page.getByRole('button', { name: '解锁' }).click();
  await page.waitForFunction(() => document.querySelector('.add-doc') || document.querySelector('#vault-error')?.textContent.length > 0);
  if ((await page.locator('.add-doc').count()) > 0) return null;
  return page.locator('#vault-error').textContent();
}

test('证照夹 with ?now= years ahead: the core\'s real clock locks the idle vault, a new recovery key needs the PIN, wrong PINs keep their wait after a reload', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&demo', LATER);
  const first = await setUp(page, '246810');

  // A document's time is the real one, not the planning date.
  await page.locator('#vault-file').setInputFiles({ name: '营业执照正本.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.doc');
  assert.doesNotMatch(await page.locator('.doc').textContent(), /2030-06-01/);

  // 重新生成恢复密钥: the core asks for the PIN (its message next to the field), refuses a wrong one
  // (counted), and with the right one shows the new key once.
  page.once('dialog', (d) => d.accept());
  await page.locator('#vault-new-recovery').click();
  const form = page.locator('#vault-new-recovery-form');
  await form.waitFor();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#new-recovery-pin-error')?.textContent.length > 0);
  assert.match(await page.locator('#new-recovery-pin-error').textContent(), /PIN 码/);
  await page.locator('#new-recovery-pin').fill('135790');
  await form.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#vault-new-recovery-form .form-error')?.textContent.length > 0);
  assert.match(await form.locator('.form-error').textContent(), /PIN 码不正确（已连续错误 1 次）/);
  await shot(page, 'vault-new-recovery-key-pin');
  await page.locator('#new-recovery-pin').fill('246810');
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('.recovery');
  const second = (await page.locator('.recovery-key .group').allTextContents()).join('-');
  assert.equal(second.split('-').length, 8);
  assert.notEqual(second, first, 'a new recovery key');
  await page.getByRole('button', { name: '我已抄写好' }).click();
  await page.waitForSelector('.add-doc');
  assert.equal(await page.locator('.recovery').count(), 0, 'shown once');

  // Auto-lock after the core's idle time, on the real clock: a short idle time set through the screen's
  // own control (the core accepts any up to a day; the list offers minutes), then no vault call.
  await page.locator('#auto-lock').evaluate((select) => select.add(new Option('2 s', '2')));
  const set = Date.now();
  await page.locator('#auto-lock').selectOption('2');
  await page.waitForSelector('#vault-unlock', { timeout: 15000 });
  const after = Date.now() - set;
  assert.ok(after >= 1500, `locked after the idle time, not at once (${after} ms)`);
  assert.equal(await page.locator('.add-doc').count(), 0);

  // Wrong PINs: three are typos, the third starts a wait; the right PIN is refused until it ends.
  assert.match(await unlock(page, '111111'), /PIN 码不正确（已连续错误 1 次）/);
  assert.match(await unlock(page, '111112'), /已连续错误 2 次/);
  assert.match(await unlock(page, '111113'), /已连续错误 3 次）.*后再试/);
  assert.match(await unlock(page, '246810'), /错误次数过多/);
  // A reload does not end the wait (the count and the time are stored, on the real clock).
  await page.reload();
  await ready(page);
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-unlock');
  assert.match(await unlock(page, '246810'), /错误次数过多/);
  assert.equal(await page.locator('.add-doc').count(), 0, 'still locked');
  await shot(page, 'vault-wait-after-reload');
  await ctx.close();
});

/** Hides WebCrypto's `subtle` in the app's worker when the page's query has `nodevice`: an in-app web
 * view without WebCrypto. The worker is started through a module that imports the real one and then
 * removes `subtle` — in the same synchronous evaluation, so before the worker, which first waits for its
 * wasm module, could look (and without delaying the real module's message handler). */
function withoutWebCrypto() {
  if (!location.search.includes('nodevice')) return;
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      const real = new URL(url, location.href).href;
      const source = `import ${JSON.stringify(real)};\nObject.defineProperty(self.crypto, 'subtle', { get: () => undefined });\n`;
      super(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), options);
    }
  };
}

test('证照夹 without WebCrypto opens without a device key and works with the PIN; with it the PIN is bound to this browser', async () => {
  const ctx = await context();
  await ctx.addInitScript(withoutWebCrypto);
  const page = await ctx.newPage();

  // No WebCrypto: the app still opens, and the vault works with the PIN alone.
  await open(page, '&demo&nodevice');
  const recovery = await setUp(page, '246810');
  await page.locator('#vault-lock').click();
  await page.waitForSelector('#vault-unlock');
  assert.equal(await unlock(page, '246810'), null);

  // WebCrypto back: the same PIN opens, and from then on is bound to this browser's key, which is kept
  // in IndexedDB as a non-extractable HMAC key.
  await open(page, '&demo');
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-unlock');
  assert.equal(await unlock(page, '246810'), null);
  const key = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('zhuanshu-device');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const stored = await new Promise((resolve, reject) => {
      const req = db.transaction('keys').objectStore('keys').get('vault-pin');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return stored && { type: stored.type, extractable: stored.extractable, name: stored.algorithm.name, usages: stored.usages };
  });
  assert.deepEqual(key, { type: 'secret', extractable: false, name: 'HMAC', usages: ['sign'] });

  // The key missing again (storage of a web view without WebCrypto): the core says the PIN needs its
  // device, without counting a wrong PIN; the recovery key opens and sets a new PIN.
  await open(page, '&demo&nodevice');
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-unlock');
  const message = await unlock(page, '246810');
  assert.match(message, /恢复密钥/);
  assert.doesNotMatch(message, /PIN 码不正确/);
  await shot(page, 'vault-device-unavailable');
  await page.locator('.forgot').click();
  await page.locator('#recover-key').fill(recovery);
  await page.locator('#recover-pin').fill('135790');
  await page.locator('#recover-pin-again').fill('135790');
  await page.locator('#vault-recover button[type=submit]').click();
  await page.waitForSelector('.add-doc');
  await ctx.close();
});
