// 到期提醒通知 in the H5 app (issue 14): the switch in 设置 asks for the permission only when tapped; once
// on, opening the app shows the core's planned notifications whose time has passed, each once, at most
// three at a time; where the browser has no notifications (WeChat's web view, Safari outside a home-screen
// app) or they were refused, the card says so and points to the calendar file. What is shown is compared
// with the core's plan computed separately (the wasm module in a page of its own, the same demo, the same
// clock). Screenshots: target/web-screenshots/notify-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve } from '../tests/server.mjs';
import { context, NOW, open, ready, root, shot, tab, url, useApp, ZH } from './harness.mjs';

useApp();

const IOS_WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN';
const MAX_AT_ONCE = 3;

// The wasm package the app is built from, served on its own for the independent plan.
let pkg;
before(async () => {
  pkg = await serve({ '/pkg/': join(root, 'target', 'wasm-pkg-app') }, {
    '/': (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8">'),
  });
});
after(async () => {
  await pkg?.close();
});

/** The core's notification plan for the demo companies on the clock at `now`, from a core of its own. */
async function corePlan(ctx, now) {
  const page = await ctx.newPage();
  await page.goto(`${pkg.url}/`);
  const plan = await page.evaluate(async (at) => {
    const core = await import('/pkg/zhuanshu_wasm.js');
    await core.default();
    const app = core.ZhuanshuApp.open(at);
    app.dossier().loadDemo();
    return app.dynamics().notifications();
  }, now);
  await page.close();
  return plan;
}

/** Records every notification the page shows and every permission request, from before its scripts. */
function recorder() {
  const shown = [];
  window.__shown = shown;
  window.__asked = 0;
  const Native = window.Notification;
  if (typeof Native === 'function') {
    const ask = Native.requestPermission.bind(Native);
    Native.requestPermission = (...args) => {
      window.__asked++;
      return ask(...args);
    };
    window.Notification = class extends Native {
      constructor(title, options) {
        super(title, options);
        shown.push({ via: 'page', title, body: options?.body, tag: options?.tag });
      }
    };
  }
  if (typeof ServiceWorkerRegistration === 'function') {
    const native = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      shown.push({ via: 'sw', title, body: options?.body, tag: options?.tag });
      return native.call(this, title, options);
    };
  }
}

/** Waits for the page's notification check to finish; returns what it showed. */
async function checked(page) {
  await page.waitForFunction(() => document.documentElement.dataset.notify === 'checked', null, { timeout: 30000 });
  return page.evaluate(() => ({ shown: window.__shown, count: Number(document.documentElement.dataset.notifyShown) }));
}

/** What should be shown at `now` from `plan` of those due after `since`: the latest first (the core's
 * order within one time), at most three; the text is the core's, under the company's name. */
function expectedAt(plan, since, now) {
  const due = plan.filter((n) => n.timestamp > since && n.timestamp <= now);
  return due.map((n, i) => ({ n, i })).sort((a, b) => b.n.timestamp - a.n.timestamp || a.i - b.i)
    .slice(0, MAX_AT_ONCE).map(({ n }) => ({ title: n.title, body: `${n.company_name}\n${n.body}`, tag: n.id }));
}

const seconds = (at) => Date.parse(`${at}+08:00`) / 1000;

async function settings(page) {
  await tab(page, '设置').click();
  await page.waitForSelector('#notify-card');
}

/** A screenshot with the card in the middle of the screen. */
async function cardShot(page, name) {
  await page.locator('#notify-card').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, name);
}

test('notifications on: asked on the tap, then what the core planned is shown once when due, and not again after a reload', async () => {
  const ctx = await context();
  await ctx.grantPermissions(['notifications']);
  await ctx.addInitScript(recorder);
  const plan = await corePlan(ctx, NOW);
  assert.ok(plan.length > 0, 'the demo companies have planned notifications');
  assert.ok(plan.every((n) => n.timestamp > seconds(NOW)), 'the plan is of what comes after now');

  const page = await ctx.newPage();
  await open(page, '&demo');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.notify), undefined, 'switched off, nothing is checked at start');
  await settings(page);
  const card = page.locator('#notify-card');
  assert.equal(await card.getAttribute('data-state'), 'off');
  assert.match(await card.textContent(), /打开应用时提醒/);
  await page.locator('#notify').click();
  await page.waitForSelector('#notify-card[data-state="on"]');
  assert.equal(await page.locator('#notify').isChecked(), true);
  assert.match(await page.locator('#notify-state').textContent(), /已开启.*打开或切回本应用时弹出通知，每次最多 3 条/);
  // Already granted: no prompt. Nothing is due at the moment it was turned on (the plan is of later).
  const first = await checked(page);
  assert.equal(await page.evaluate(() => window.__asked), 0, 'granted already: nothing asked');
  assert.deepEqual(first.shown, []);
  assert.equal(await page.locator('#notify-next').textContent(),
    `下一条提醒：${plan[0].at.replace('T', ' ').slice(0, 16)}　${plan[0].title}`);
  await cardShot(page, 'notify-1-on');

  // The first planned time comes: opening the app shows what is due then, as the core planned it.
  const t2 = plan[0].at;
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const want2 = expectedAt(plan, seconds(NOW), seconds(t2));
  assert.ok(want2.length > 0);
  await page.goto(url('', t2));
  await ready(page);
  const second = await checked(page);
  assert.deepEqual(second.shown.map(({ title, body, tag }) => ({ title, body, tag })), want2);
  assert.equal(second.count, want2.length);
  // A service worker is active by now: shown through it, as Android Chrome requires.
  assert.ok(second.shown.every((n) => n.via === 'sw'), `shown through the service worker: ${JSON.stringify(second.shown)}`);
  const tray = await page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration()).getNotifications()).map((n) => n.tag));
  for (const n of want2) assert.ok(tray.includes(n.tag), `${n.tag} is in the notification tray: ${tray}`);

  // Opened again at the same time: nothing twice.
  await page.reload();
  await ready(page);
  const again = await checked(page);
  assert.deepEqual(again.shown, [], 'a reload shows nothing again');

  // The next planned time: only what became due since. The app now holds the plan the core made at the
  // last opening (a policy's detail says its days left as of then), so the text is compared with that
  // and the items with the separate plan.
  const t3 = plan.find((n) => n.timestamp > seconds(t2)).at;
  const want3 = expectedAt(plan, seconds(t2), seconds(t3));
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('zs.notify.plan')));
  await page.goto(url('', t3));
  await ready(page);
  const third = await checked(page);
  assert.deepEqual(third.shown.map(({ title, tag }) => ({ title, tag })), want3.map(({ title, tag }) => ({ title, tag })));
  assert.deepEqual(third.shown.map(({ title, body, tag }) => ({ title, body, tag })), expectedAt(kept, seconds(t2), seconds(t3)));
  for (const n of third.shown) assert.ok(!want2.some((w) => w.tag === n.tag), `${n.tag} was shown before`);

  // Days later, with more due than the three shown at once: the latest three (the core's order among
  // those of one time); the rest stay on 首页 and never pop up later.
  const t4 = plan.find((n) => n.timestamp > seconds(t3) && plan.filter((m) => m.timestamp > seconds(t3) && m.timestamp <= n.timestamp).length > MAX_AT_ONCE).at;
  const kept4 = await page.evaluate(() => JSON.parse(localStorage.getItem('zs.notify.plan')));
  await page.goto(url('', t4));
  await ready(page);
  const fourth = await checked(page);
  assert.equal(fourth.shown.length, MAX_AT_ONCE);
  assert.deepEqual(fourth.shown.map(({ title, body, tag }) => ({ title, body, tag })), expectedAt(kept4, seconds(t3), seconds(t4)));
  assert.ok(fourth.shown.every((n) => plan.find((p) => p.id === n.tag)?.at === t4), 'the latest ones');
  await page.reload();
  await ready(page);
  assert.deepEqual((await checked(page)).shown, [], 'the rest do not pop up later');

  // Switched off: the plan is dropped, so nothing more is shown.
  await settings(page);
  await page.locator('#notify').click();
  await page.waitForSelector('#notify-card[data-state="closed"]');
  assert.equal(await page.locator('#notify-state').textContent(), '已关闭，不再弹出通知。');
  assert.deepEqual(await page.evaluate(() => [localStorage.getItem('zs.notify'), localStorage.getItem('zs.notify.plan')]), [null, null]);
  await ctx.close();
});

test('notifications in WeChat on iPhone (no Notification API): the card says so and points to the calendar file, nothing asked', async () => {
  const ctx = await context({ ...ZH, userAgent: IOS_WECHAT });
  await ctx.addInitScript(() => {
    delete window.Notification;
  });
  await ctx.addInitScript(recorder);
  const page = await ctx.newPage();
  await open(page, '&demo');
  await settings(page);
  const card = page.locator('#notify-card');
  assert.equal(await card.getAttribute('data-state'), 'missing');
  assert.equal(await page.locator('#notify').isDisabled(), true, 'nothing to switch on');
  assert.equal(await page.locator('#notify').isChecked(), false);
  assert.equal(await page.locator('#notify-state').textContent(),
    '这个浏览器不支持网页通知（微信等 App 内置浏览器、iPhone 上未添加到主屏幕的 Safari 大多如此），这里无法开启提醒。可以把截止日期导入手机日历，由日历按时提醒。');
  const offer = page.locator('#notify-ics');
  assert.equal(await offer.textContent(), '去“档案”下载日历文件（.ics）');
  await cardShot(page, 'notify-2-wechat-unavailable');
  assert.equal(await page.evaluate(() => 'Notification' in window), false);
  assert.deepEqual(await page.evaluate(() => window.__shown), []);

  // The offer leads to the calendar file: on iPhone WeChat, the text to copy.
  await offer.click();
  await page.locator('#ics-download').click();
  await page.waitForSelector('#ics-fallback');
  assert.match(await page.locator('#ics-text').inputValue(), /BEGIN:VCALENDAR/);
  await ctx.close();
});

test('notifications refused: at the prompt, or before; the card says so plainly and asks no more', async () => {
  const said = '本网站的通知权限已被拒绝，无法开启提醒。如需开启，请在浏览器的网站设置中允许通知；也可以把截止日期导入手机日历，由日历按时提醒。';
  // Refused at the prompt (headless Chromium answers a prompt with 不允许).
  const ctx = await context();
  await ctx.addInitScript(recorder);
  const page = await ctx.newPage();
  await open(page, '&demo');
  await settings(page);
  assert.equal(await page.locator('#notify-card').getAttribute('data-state'), 'off');
  assert.equal(await page.evaluate(() => window.__asked), 0, 'nothing asked before the tap');
  await page.locator('#notify').click();
  await page.waitForSelector('#notify-card[data-state="denied"]');
  assert.equal(await page.evaluate(() => window.__asked), 1, 'asked once, on the tap');
  assert.equal(await page.locator('#notify-state').textContent(), said);
  assert.equal(await page.locator('#notify').isChecked(), false);
  assert.equal(await page.locator('#notify').isDisabled(), true, 'asking again would not even prompt');
  assert.equal(await page.locator('#notify-ics').textContent(), '去“档案”下载日历文件（.ics）');
  await page.evaluate(() => document.querySelector('.toast')?.remove());
  await cardShot(page, 'notify-3-denied');
  assert.deepEqual(await page.evaluate(() => window.__shown), []);
  await ctx.close();

  // Refused before (in the browser's site settings): said at once, and no prompt is requested.
  const refused = await context();
  await refused.addInitScript(recorder);
  const page2 = await refused.newPage();
  const { targetInfo } = await (await refused.newCDPSession(page2)).send('Target.getTargetInfo');
  const cdp = await refused.browser().newBrowserCDPSession();
  await cdp.send('Browser.setPermission', { permission: { name: 'notifications' }, setting: 'denied',
    origin: new URL(url()).origin, browserContextId: targetInfo.browserContextId });
  await open(page2, '&demo');
  assert.equal(await page2.evaluate(() => Notification.permission), 'denied');
  await settings(page2);
  assert.equal(await page2.locator('#notify-card').getAttribute('data-state'), 'denied');
  assert.equal(await page2.locator('#notify-state').textContent(), said);
  assert.equal(await page2.locator('#notify').isDisabled(), true);
  assert.equal(await page2.evaluate(() => window.__asked), 0, 'no prompt requested');
  await cdp.detach();
  await refused.close();
});
