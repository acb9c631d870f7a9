// The 政策, 证照夹 and 办事 tabs of the H5 app (web/dist) in headless Chromium, phone viewport and WeChat
// user agent, on the demo companies with the clock fixed: the checkup's condition lines and near misses,
// the vault from its first PIN to a reload, and a bundle's questions down to the checked materials and the
// prefilled forms. Every test saves screenshots under target/web-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, open as openApp, ready, shot, tab, useApp } from './harness.mjs';

// A 2×2 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4IaAnnWfKIOs/8f///wAd+wW/B2BRyAAAAABJRU5ErkJggg==', 'base64');
useApp();

/** The app on the demo companies. */
const open = (page) => openApp(page, '&demo');

test('政策: eligible policies with their condition lines, near misses with exactly the unmet conditions, save and detail', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  const company = await page.locator('.company-name').textContent();
  await tab(page, '政策').click();
  await page.waitForSelector('.policy');
  assert.match(await page.locator('.checkup-for').textContent(), new RegExp(company));

  // Eligible: every condition line is the core's, every one met (✓).
  const eligible = page.locator('.policy.eligible');
  assert.ok((await eligible.count()) > 0, 'the demo company has eligible policies');
  const first = eligible.first();
  const lines = await first.locator('.cond').allTextContents();
  assert.ok(lines.length > 0, 'an eligible policy shows its conditions');
  assert.ok(lines.every((l) => l.includes('✓')), `every condition of an eligible policy is met: ${lines}`);
  assert.equal(await first.locator('.cond:not(.met)').count(), 0);
  await shot(page, 'policies');
  // The first few are shown; the rest on demand. 免申即享 and eligible: the core's "无需申请".
  const shown = await page.locator('.policy.eligible:visible').count();
  await page.locator('section:has(#eligible-title) .show-all').click();
  assert.ok((await page.locator('.policy.eligible:visible').count()) > shown, 'show all lists every eligible policy');
  assert.ok(await page.locator('.policy.eligible .chip.free', { hasText: '无需申请' }).first().isVisible(), '免申即享 shown as 无需申请');

  // Near misses: only the unmet conditions, each with what to change.
  const near = page.locator('.policy.near_miss');
  assert.ok((await near.count()) > 0, 'the demo company has near misses');
  const miss = near.first();
  const unmet = miss.locator('.cond');
  assert.ok((await unmet.count()) > 0, 'a near miss lists its unmet conditions');
  assert.equal(await miss.locator('.cond.met').count(), 0, 'only unmet conditions are listed for a near miss');
  assert.match(await unmet.first().locator('.cond-line').textContent(), /[✗？]/);
  assert.ok((await miss.locator('.cond-missing').count()) > 0, 'what to change is named');
  const nearTitle = await miss.locator('h3').textContent();
  await miss.scrollIntoViewIfNeeded();
  await page.locator('#near-title').evaluate((e) => e.scrollIntoView());
  await shot(page, 'policies-near-miss');

  // Save the near miss: it is listed under 我的收藏 (also after a reload).
  await miss.locator('.save-toggle').click();
  await page.waitForFunction(() => document.querySelector('.policy.near_miss .save-toggle')?.getAttribute('aria-pressed') === 'true');
  await page.reload();
  await ready(page);
  await page.waitForSelector('.saved-list');
  assert.match(await page.locator('.saved-list').textContent(), new RegExp(nearTitle.replace(/[()（）“”]/g, '.')));

  // The detail: open recorded by the core, conditions with what is still needed, materials, guide links.
  await page.locator('.saved-list a.row').first().click();
  await page.waitForSelector('.policy-detail');
  assert.equal(await page.locator('.policy-detail h2').textContent(), nearTitle);
  assert.ok((await page.locator('.still-box .missing-list li').count()) > 0, 'the detail says what is still needed');
  assert.ok((await page.locator('.policy-detail .benefit').textContent()).length > 0);
  await page.waitForSelector('.guide-links a.row, .guide-links .error-text', { timeout: 60000 });
  assert.ok((await page.locator('.guide-links a.row').count()) > 0, 'the policy leads to guide services');
  await shot(page, 'policy-detail');
  await page.locator('.guide-links a.row').first().click();
  await page.waitForSelector('.flow-head h2');
  assert.match(page.url(), /#\/guide\/item\//);
  await ctx.close();
});

test('证照夹: PIN and recovery key, lock, wrong PIN, unlock, add a photo, view it, still there after a reload, idle time', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-setup');
  // The core's rule for a PIN (too short) is shown next to the field.
  await page.locator('#pin').fill('123');
  await page.locator('#pin-again').fill('123');
  await page.getByRole('button', { name: '设置并打开证照夹' }).click();
  await page.waitForFunction(() => document.querySelector('#pin-error')?.textContent.length > 0);
  assert.match(await page.locator('#pin-error').textContent(), /PIN 码至少/);
  await page.locator('#pin').fill('246810');
  await page.locator('#pin-again').fill('246810');
  await page.getByRole('button', { name: '设置并打开证照夹' }).click();

  // The recovery key, once, in groups, with the instruction to write it down.
  await page.waitForSelector('.recovery');
  const groups = await page.locator('.recovery-key .group').allTextContents();
  assert.equal(groups.length, 8, `eight groups: ${groups}`);
  assert.ok(groups.every((g) => /^[A-Z0-9]{4}$/.test(g)), `groups of four: ${groups}`);
  assert.match(await page.locator('.recovery').textContent(), /抄写/);
  await shot(page, 'vault-recovery-key');
  await page.getByRole('button', { name: '我已抄写好' }).click();
  await page.waitForSelector('.add-doc');
  assert.equal(await page.locator('.recovery').count(), 0, 'the recovery key is not shown again');

  // Lock; a wrong PIN is refused with the core's message; the right one opens.
  await page.locator('#vault-lock').click();
  await page.waitForSelector('#vault-unlock');
  await page.locator('#vault-pin').fill('135790');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.waitForFunction(() => document.querySelector('#vault-error')?.textContent.length > 0);
  assert.match(await page.locator('#vault-error').textContent(), /PIN 码不正确（已连续错误 1 次）/);
  await shot(page, 'vault-wrong-pin');
  await page.locator('#vault-pin').fill('246810');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.waitForSelector('.add-doc');

  // Add a photo: encrypted by the core, listed with its name.
  await page.locator('#vault-file').setInputFiles({ name: '营业执照正本.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.doc');
  assert.equal(await page.locator('.doc .doc-name').textContent(), '营业执照正本.png');
  assert.match(await page.locator('.doc').textContent(), /\d+ B/);
  // Link it to a licence of the current company.
  await page.locator('.doc').getByRole('button', { name: '关联证照' }).click();
  await page.locator('.sheet .choices button').first().click();
  await page.waitForSelector('.doc .linked');
  await shot(page, 'vault');
  // View: the decrypted bytes as an image.
  await page.locator('.doc').getByRole('button', { name: '查看' }).click();
  await page.waitForFunction(() => document.querySelector('.sheet img.doc-image')?.naturalWidth === 2);
  await page.locator('.sheet').getByRole('button', { name: '取消' }).click();

  // After a reload the vault is locked again; the PIN opens it and the photo is still there.
  await page.reload();
  await ready(page);
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-unlock');
  await page.locator('#vault-pin').fill('246810');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.waitForSelector('.doc');
  assert.equal(await page.locator('.doc .doc-name').textContent(), '营业执照正本.png');
  assert.ok((await page.locator('.doc .linked').count()) === 1, 'the licence link survived the reload');

  // The idle time is the core's setting (the core locks on its own real clock: vault-security.test.mjs).
  await page.locator('#auto-lock').selectOption('60');
  await page.waitForSelector('.toast');
  assert.equal(await page.locator('#auto-lock').inputValue(), '60');

  // Delete, after confirming.
  page.once('dialog', (d) => d.accept());
  await page.locator('.doc').getByRole('button', { name: /^删除/ }).click();
  await page.waitForSelector('.docs', { state: 'detached' });
  await ctx.close();
});

test('办事: a bundle asks its questions one at a time, then lists the checked materials and the prefilled forms', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  await tab(page, '办事').click();
  await page.waitForSelector('.bundle');
  assert.ok((await page.locator('details.theme').count()) >= 12, 'the life tree has its themes');
  await page.locator('.bundle', { hasText: '开办小餐馆' }).click();

  const asked = [];
  for (let i = 0; i < 30; i++) {
    await page.waitForSelector('.question, .plan');
    if ((await page.locator('.plan').count()) > 0) break;
    const question = page.locator('.question');
    const key = await question.getAttribute('data-key');
    assert.equal(await question.count(), 1, 'one question at a time');
    if (asked.length === 0) await shot(page, 'guide-question');
    asked.push(key);
    await question.locator('.option').first().click();
    await page.waitForFunction((k) => ![...document.querySelectorAll('.question')].some((q) => q.dataset.key === k), key);
  }
  assert.ok(asked.length >= 4, `the bundle's questions were asked: ${asked}`);
  assert.equal(await page.locator('.answered li').count(), asked.length, 'the answers so far are listed');
  assert.equal(await page.locator('.answered-box').getAttribute('open'), null, 'with the plan shown the answers fold away');

  // The materials, each with the core's status against the demo company's dossier.
  const statuses = await page.locator('.material').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length > 0, 'the plan lists materials');
  assert.ok(statuses.some((s) => s === 'reuse' || s === 'missing'), `reuse or missing among ${statuses}`);
  assert.ok(statuses.every((s) => ['reuse', 'renew', 'missing', 'prepare'].includes(s)));
  assert.match(await page.locator('.material[data-status="reuse"], .material[data-status="missing"]').first().locator('.detail').textContent(), /可复用|需准备|档案/);
  await page.locator('#plan-title').evaluate((e) => e.scrollIntoView());
  await shot(page, 'guide');

  // The prefilled forms: the company's values, and the fields still to fill in.
  const withForm = page.locator('.plan-item', { has: page.locator('.prefill') }).first();
  if ((await withForm.getAttribute('open')) === null) await withForm.locator('summary').click();
  const prefill = withForm.locator('.prefill');
  await prefill.waitFor();
  assert.ok((await prefill.locator('dd[data-status="filled"]').count()) > 0, 'fields are prefilled from the dossier');
  assert.match(await prefill.locator('.prefill-state').textContent(), /还需填写|均已从档案预填/);
  await prefill.evaluate((e) => e.scrollIntoView());
  await shot(page, 'guide-prefill');

  // Changing the first answer goes back to that question.
  await page.locator('.answered-box summary').click();
  await page.locator('.answered li').first().getByRole('link', { name: '修改' }).click();
  await page.waitForSelector('.question');
  assert.equal(await page.locator('.question').getAttribute('data-key'), asked[0]);
  assert.equal(await page.locator('.answered').count(), 0);
  await ctx.close();
});
