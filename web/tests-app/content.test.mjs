// 设置 → 内容更新 and the 证照夹's backup, electronic seal and 验章 in the H5 app (web/dist), headless
// Chromium, phone viewport, WeChat user agent, demo companies, clock fixed. The feed site is made by the
// CLI as a publisher would (`zhuanshu feed content/keygen --demo/build/sign`, one FAQ entry added) and
// served by `zhuanshu feed serve` on another origin. Downloads are captured as the browser saves them;
// the seal's ZIP is checked by Python's zipfile. Screenshots go to target/web-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, indexReady, open as openApp, ready, root, shot, tab, useApp } from './harness.mjs';

useApp();

const open = (page) => openApp(page, '&demo');
const CLI = process.env.ZHUANSHU_CLI ?? join(root, 'target', 'debug', 'zhuanshu');
// A 2×2 PNG, and a small PDF.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4IaAnnWfKIOs/8f///wAd+wW/B2BRyAAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const CJK = /[\u4e00-\u9fff]/;

/** Runs the CLI; throws with its stderr on failure. */
function cli(...args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`zhuanshu ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

/** `zhuanshu feed serve SITE --port 0`, resolved with its URL. */
function feedServe(site) {
  const child = spawn(CLI, ['feed', 'serve', site, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ url: m[0], close: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`feed serve exited ${code}: ${err}`)));
  });
}

/** Searches the 客服 tab for `q`; resolves to the ids of the hits. */
async function ask(page, q) {
  await tab(page, '客服').click();
  await page.waitForSelector('#faq-search');
  await page.locator('#faq-search').fill(q);
  await page.waitForFunction((v) => location.hash.includes(encodeURIComponent(v)) && document.querySelector('.hits, .results .muted'), q, { timeout: 30000 });
  return page.locator('.hits details').evaluateAll((els) => els.map((e) => e.dataset.id));
}

/** Clicks `target` and resolves to the download it starts, saved at `path`. */
async function download(page, target, path) {
  const [dl] = await Promise.all([page.waitForEvent('download'), target.click()]);
  assert.equal(await dl.failure(), null);
  await dl.saveAs(path);
  return dl.suggestedFilename();
}

/** Presses 立即更新 and waits for the outcome; resolves to its text. */
async function sync(page) {
  await page.locator('#feed-sync').click();
  await page.waitForFunction(() => !document.querySelector('#feed-sync').disabled && document.querySelector('#feed-outcome').textContent.length > 0,
    null, { timeout: 30000 });
  return page.locator('#feed-outcome').textContent();
}

/** A screenshot of the phone's screen (light) and the same in dark mode, without a passing toast. */
async function shots(page, name) {
  await page.evaluate(() => document.querySelector('.toast')?.remove());
  await shot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function feedShots(page, name) {
  await page.locator('#feed-card').evaluate((e) => e.scrollIntoView());
  await shots(page, name);
}

test('设置 → 内容更新: a refused sync keeps the content and says why in Chinese; a signed update shows 第 1 版 and the 客服 finds its new question', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zhuanshu-app-feed-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  cli('--data-dir', join(dir, 'data'), 'feed', 'content', '--out', join(dir, 'content'));
  const entry = { id: 'sync-test-1', question: '内容更新后新增的问题：同步测试怎么验证？', alternatives: ['同步测试'],
    answer: '同步后这条问答出现在知识库里。', tags: [], theme: '其他', related: [], updated: '2026-11-20' };
  await appendFile(join(dir, 'content', 'faq.jsonl'), `${JSON.stringify(entry)}\n`);
  cli('feed', 'keygen', '--demo', '--out', join(dir, 'demo.key'));
  cli('feed', 'build', join(dir, 'content'), '--out', join(dir, 'site'), '--version', '1');
  cli('feed', 'sign', join(dir, 'site'), '--key', join(dir, 'demo.key'));
  const site = await feedServe(join(dir, 'site'));
  t.after(() => site.close());

  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  await indexReady(page);
  // Before the update the question is not in the knowledge base (and the index is built).
  assert.ok(!(await ask(page, '同步测试怎么验证')).includes('sync-test-1'), 'the new question is not there before the sync');

  await tab(page, '设置').click();
  await page.waitForSelector('#feed-card');
  assert.equal(await page.locator('#feed-version').textContent(), '内置内容（第 0 版）');
  assert.equal(await page.locator('#feed-card .feed-source').textContent(), '随应用安装');
  // The address defaults to the feed published beside the app; the test server has none there.
  const defaultUrl = await page.evaluate(() => new URL('feed/', location.href).href);
  assert.equal(await page.locator('#feed-url').inputValue(), defaultUrl);
  const refused = await sync(page);
  assert.match(refused, CJK, `the core's Chinese message: ${refused}`);
  assert.doesNotMatch(refused, /已更新|已是最新/);
  assert.ok(await page.locator('#feed-outcome.error-text').isVisible());
  assert.equal(await page.locator('#feed-version').textContent(), '内置内容（第 0 版）', 'a refused sync keeps what was shown');
  assert.ok(await page.locator('#feed-sync').isEnabled(), 'the button is ready for another try');
  await feedShots(page, 'settings-feed-refused');

  // A URL with nothing listening: the network error, in Chinese, and still version 0.
  await page.locator('#feed-url').fill('http://127.0.0.1:9/');
  assert.match(await sync(page), CJK);
  assert.ok(await page.locator('#feed-outcome.error-text').isVisible());
  assert.equal(await page.locator('#feed-version').textContent(), '内置内容（第 0 版）');

  // The publisher's site: version 1, one file changed.
  await page.locator('#feed-url').fill(site.url);
  assert.equal(await sync(page), '已更新到第1版：更新了1个文件');
  assert.equal(await page.locator('#feed-version').textContent(), '第 1 版');
  assert.equal(await page.locator('#feed-card .feed-source').textContent(), site.url);
  // A sync's time is a security time: the real clock (Beijing), not the page's planning date (?now=).
  const beijingToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  assert.match(await page.locator('#feed-status').textContent(), new RegExp(`上次更新${beijingToday} \\d{2}:\\d{2}`));
  assert.match(await page.locator('#feed-fresh').textContent(), /^内容已于 .+ 核验，有效至 .+/);
  await feedShots(page, 'settings-feed');

  // Again: nothing new.
  assert.equal(await sync(page), '已是最新（第1版）');

  // The 客服 answers from the new knowledge base: the worker rebuilt its index after the update.
  const hits = await ask(page, '同步测试怎么验证');
  assert.equal(hits[0], 'sync-test-1', `the new question is found first: ${hits}`);
  await shots(page, 'assistant-after-sync');

  // After a reload: the version is kept in the database and the address on this device.
  await page.reload();
  await ready(page);
  await tab(page, '设置').click();
  await page.waitForSelector('#feed-card');
  assert.equal(await page.locator('#feed-version').textContent(), '第 1 版');
  assert.equal(await page.locator('#feed-url').inputValue(), site.url, 'the address typed is remembered');
  await ctx.close();
});

test('证照夹: backup download, a package stamped with the seal, 验章 of it and of a tampered copy, restore in a fresh browser', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zhuanshu-app-vault-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page);
  const company = await page.locator('.company-name').textContent();
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-setup');
  await page.locator('#pin').fill('246810');
  await page.locator('#pin-again').fill('246810');
  await page.getByRole('button', { name: '设置并打开证照夹' }).click();
  await page.waitForSelector('.recovery');
  const recovery = (await page.locator('.recovery-key .group').allTextContents()).join('-');
  await page.getByRole('button', { name: '我已抄写好' }).click();
  await page.waitForSelector('.add-doc');

  await page.locator('#vault-file').setInputFiles({ name: '营业执照正本.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.doc');
  await page.locator('#vault-file').setInputFiles({ name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.waitForFunction(() => document.querySelectorAll('.doc').length === 2);

  // 电子印章: nothing chosen, nothing to stamp; the seal is made on first use.
  assert.match(await page.locator('#seal-box').textContent(), /首次加盖时/);
  assert.ok(await page.locator('#seal-sign').isDisabled());
  for (const box of await page.locator('.pick input').all()) await box.check();
  assert.equal(await page.locator('#seal-count').textContent(), '已选 2 个文件');
  const zipPath = join(dir, 'package.zip');
  const zipName = await download(page, page.locator('#seal-sign'), zipPath);
  assert.equal(zipName, `${company}-材料包.zip`);
  await page.waitForSelector('#seal-fingerprint');
  assert.match(await page.locator('#seal-status').textContent(), new RegExp(`已加盖印章并下载“${zipName.replace(/[()（）]/g, '.')}”（2 个文件）`));
  const groups = await page.locator('#seal-fingerprint .group').allTextContents();
  assert.equal(groups.length, 16, `a SHA-256 fingerprint in 16 groups: ${groups}`);
  assert.ok(groups.every((g) => /^[0-9A-F]{4}$/.test(g)), `groups of four hex digits: ${groups}`);
  const sealFingerprint = await page.locator('#seal-fingerprint').getAttribute('data-fingerprint');
  assert.equal(groups.join('').toLowerCase(), sealFingerprint);
  // 备份 (after the seal, so the seal travels with it): one encrypted file, named for the day.
  const backupPath = join(dir, 'backup.zsvb');
  const backupName = await download(page, page.locator('#vault-backup'), backupPath);
  assert.match(backupName, /^证照夹备份-\d{8}\.zsvb$/);
  assert.match(await page.locator('#backup-status').textContent(), new RegExp(`已下载备份“${backupName}”`));
  const backup = await readFile(backupPath);
  assert.ok(backup.length > PNG.length + PDF.length, `the backup holds the documents: ${backup.length} B`);
  assert.equal(backup.indexOf(PNG.subarray(16, 40)), -1, 'the backup is encrypted');

  await page.locator('#seal-title').evaluate((e) => e.scrollIntoView());
  await shots(page, 'vault-backup-seal');
  await page.locator('#security-title').evaluate((e) => e.scrollIntoView());
  await shots(page, 'vault-backup');

  // The package is an ordinary ZIP: Python's zipfile lists and checks it.
  const listed = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(sorted(z.namelist())))', zipPath], { encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trim().split('\n'), ['files/租赁合同.pdf', 'files/营业执照正本.png', 'manifest.json', 'signature.json']);

  // 验章 of the package: valid, signed by the company, every file checked.
  await page.locator('#verify-file').setInputFiles(zipPath);
  await page.waitForSelector('.verdict');
  assert.equal(await page.locator('.verdict').getAttribute('data-valid'), 'true');
  assert.match(await page.locator('.verdict h3').textContent(), /印章有效/);
  const signer = await page.locator('.verdict .signer').textContent();
  assert.match(signer, new RegExp(company.replace(/[()（）]/g, '.')));
  const sealUscc = signer.match(/（([0-9A-Z]{18})）/)?.[1];
  assert.ok(sealUscc, signer);
  assert.deepEqual((await page.locator('.verified-files li').allTextContents()).sort(), ['✓ 租赁合同.pdf', '✓ 营业执照正本.png']);
  assert.equal(await page.locator('.verdict .fingerprint').getAttribute('data-fingerprint'), sealFingerprint);
  assert.equal(await page.locator('.problem').count(), 0);
  await page.locator('#verify-title').evaluate((e) => e.scrollIntoView());
  await shots(page, 'vault-verify');

  // A copy with one byte of the photo changed: invalid, and the photo is named.
  const zip = await readFile(zipPath);
  const at = zip.indexOf(PNG.subarray(0, 8));
  assert.ok(at > 0, 'the photo is stored in the ZIP');
  const tampered = Buffer.from(zip);
  tampered[at + 40] ^= 1;
  await page.locator('#verify-file').setInputFiles({ name: '材料包-改.zip', mimeType: 'application/zip', buffer: tampered });
  await page.waitForSelector('.verdict[data-valid="false"]');
  assert.match(await page.locator('.verdict h3').textContent(), /验章未通过/);
  const problems = await page.locator('.problem').allTextContents();
  assert.ok(problems.some((p) => p.includes('营业执照正本.png')), `the changed file is named: ${problems}`);
  assert.equal(await page.locator('.problem[data-file="营业执照正本.png"]').count(), 1);
  assert.deepEqual(await page.locator('.verified-files li').allTextContents(), ['✓ 租赁合同.pdf'], 'the untouched file still checks');
  await page.locator('#verify-title').evaluate((e) => e.scrollIntoView());
  await shots(page, 'vault-verify-tampered');
  // Not a ZIP at all: the core's message.
  await page.locator('#verify-file').setInputFiles({ name: 'note.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await page.waitForFunction(() => document.querySelector('.verdict .package-name')?.textContent.includes('note.zip'));
  assert.match(await page.locator('.problem').first().textContent(), CJK);
  await ctx.close();

  // A new phone: a fresh profile, the demo companies, no vault yet → 从备份恢复.
  const ctx2 = await context();
  const page2 = await ctx2.newPage();
  await open(page2);
  await tab(page2, '证照夹').click();
  await page2.waitForSelector('#vault-setup');
  // 验章 needs no vault: a package by a seal this phone does not know is refused as such, until the
  // sender's fingerprint, as read aloud (groups, spaces), is entered.
  await page2.locator('#verify-file').setInputFiles(zipPath);
  await page2.waitForSelector('.verdict[data-valid="false"]');
  assert.equal(await page2.locator('.problem').getAttribute('data-kind'), 'unknown_key');
  assert.match(await page2.locator('.problem').textContent(), /不在信任列表中/);
  assert.equal(await page2.locator('.verified-files li').count(), 2, 'the files themselves are intact');
  assert.equal(await page2.locator('details.trust').getAttribute('open'), '', 'the fingerprint field opens');
  // A fingerprint counts for the company it was given for only: given as another company's, the
  // package (which says it is this company's) still fails.
  await page2.locator('#verify-trusted').fill(groups.join(' '));
  await page2.locator('#verify-trusted-uscc').fill('91110000MA0000000X');
  await page2.locator('#verify-trusted-uscc').dispatchEvent('change');
  await page2.waitForSelector('.problem[data-kind="signer_mismatch"]');
  await page2.locator('#verify-trusted-uscc').fill(sealUscc.toLowerCase());
  await page2.locator('#verify-trusted-uscc').dispatchEvent('change');
  await page2.waitForSelector('.verdict[data-valid="true"]');
  await page2.locator('#verify-title').evaluate((e) => e.scrollIntoView());
  await shots(page2, 'vault-verify-trusted');

  await page2.locator('.restore-card summary').click();
  await page2.locator('#restore-file').setInputFiles(backupPath);
  // A typo in the recovery key: the core's message at the field, nothing restored.
  await page2.locator('#restore-key').fill(recovery.slice(0, -1));
  await page2.locator('#restore-pin').fill('135790');
  await page2.locator('#restore-pin-again').fill('135790');
  await page2.getByRole('button', { name: '恢复证照夹' }).click();
  await page2.waitForFunction(() => document.querySelector('#restore-key-error')?.textContent.length > 0);
  assert.match(await page2.locator('#restore-key-error').textContent(), /恢复密钥/);
  assert.equal(await page2.locator('.restore-card .file-name').textContent(), 'backup.zsvb');
  await page2.locator('.restore-card').evaluate((e) => e.scrollIntoView());
  await shots(page2, 'vault-restore');

  await page2.locator('#restore-key').fill(recovery.toLowerCase());
  await page2.getByRole('button', { name: '恢复证照夹' }).click();
  await page2.waitForSelector('#restored', { timeout: 30000 });
  assert.equal(await page2.locator('#restored').textContent(), '已恢复 2 份文件、1 枚电子印章');
  assert.deepEqual((await page2.locator('.doc .doc-name').allTextContents()).sort(), ['租赁合同.pdf', '营业执照正本.png']);
  assert.equal(await page2.locator('#seal-fingerprint').getAttribute('data-fingerprint'), sealFingerprint, 'the seal came with the backup');
  await shots(page2, 'vault-restored');
  // The restored photo opens.
  await page2.locator('.doc', { hasText: '营业执照正本.png' }).getByRole('button', { name: '查看' }).click();
  await page2.waitForFunction(() => document.querySelector('.sheet img.doc-image')?.naturalWidth === 2);
  await page2.locator('.sheet').getByRole('button', { name: '取消' }).click();
  // The package made on the first phone verifies here too (the restored seal is this phone's own).
  await page2.locator('#verify-file').setInputFiles(zipPath);
  await page2.waitForSelector('.verdict[data-valid="true"]');

  // 更换 PIN 码: a wrong current PIN is refused; then the new PIN opens the vault after a lock.
  await page2.locator('#vault-change-pin-open').click();
  await page2.locator('#old-pin').fill('000000');
  await page2.locator('#new-pin').fill('864200');
  await page2.locator('#new-pin-again').fill('864200');
  await page2.locator('#vault-change-pin').getByRole('button', { name: '更换 PIN 码' }).click();
  await page2.waitForFunction(() => document.querySelector('#vault-change-pin .form-error')?.textContent.length > 0);
  assert.match(await page2.locator('#vault-change-pin .form-error').textContent(), /PIN 码不正确/);
  await page2.locator('#old-pin').fill('135790');
  await page2.locator('#vault-change-pin').getByRole('button', { name: '更换 PIN 码' }).click();
  await page2.waitForSelector('#vault-change-pin', { state: 'detached' });
  await page2.locator('#vault-lock').click();
  await page2.waitForSelector('#vault-unlock');
  await page2.locator('#vault-pin').fill('864200');
  await page2.getByRole('button', { name: '解锁' }).click();
  await page2.waitForSelector('.doc');

  // 忘记 PIN 码: the recovery key sets a new one.
  await page2.locator('#vault-lock').click();
  await page2.waitForSelector('#vault-unlock');
  await page2.getByRole('button', { name: '忘记 PIN 码？' }).click();
  await page2.locator('#recover-key').fill(recovery);
  await page2.locator('#recover-pin').fill('975310');
  await page2.locator('#recover-pin-again').fill('975310');
  await shots(page2, 'vault-forgot-pin');
  await page2.getByRole('button', { name: '重设 PIN 码并打开' }).click();
  await page2.waitForSelector('.doc');
  await page2.locator('#vault-lock').click();
  await page2.waitForSelector('#vault-unlock');
  await page2.locator('#vault-pin').fill('975310');
  await page2.getByRole('button', { name: '解锁' }).click();
  await page2.waitForSelector('.doc');

  // The same screen in English with large text: the new controls still fit the phone.
  await page2.evaluate(() => { localStorage.setItem('zs.lang', 'en'); localStorage.setItem('zs.large', '1'); });
  await page2.reload();
  await ready(page2);
  await tab(page2, 'Vault').click();
  await page2.locator('#vault-pin').fill('975310');
  await page2.getByRole('button', { name: 'Unlock' }).click();
  await page2.waitForSelector('#seal-sign');
  assert.equal(await page2.locator('#seal-sign').textContent(), 'Stamp with seal');
  const overflow = await page2.evaluate(() => [...document.querySelectorAll('main .btn, main .fingerprint')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth).map((e) => e.textContent));
  assert.deepEqual(overflow, [], 'no button or fingerprint overflows');
  await page2.locator('#security-title').evaluate((e) => e.scrollIntoView());
  await shots(page2, 'vault-security-english-large');
  await ctx2.close();
});
