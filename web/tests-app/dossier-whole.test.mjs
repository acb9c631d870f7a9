// 档案, whole (issue 14), in the H5 app (web/dist, headless Chromium, phone viewport, WeChat user agent,
// the planning clock pinned by `?now=`): a licence that expires in 20 days and an application record are
// each two taps from home; the record's 查询密码 is sealed in the vault and shown again after locking and
// unlocking, with a copy button; its new status is a progress item on home; vault documents are linked to
// a licence and a material and unlinked; the calendar file downloads with the licence's deadline, or —
// in WeChat on iPhone, where downloads do nothing — is offered as text to copy, saying why. Every check is
// the core's, shown at its field. Screenshots: target/web-screenshots/whole-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { context, open, ready, shot, tab, useApp, ZH } from './harness.mjs';

useApp();

const PIN = '246810';
const PASSWORD = 'Zs#2026-0417';
// A 2×2 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4IaAnnWfKIOs/8f///wAd+wW/B2BRyAAAAABJRU5ErkJggg==', 'base64');
const IOS_WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN';

/** A screenshot without a passing toast. */
async function still(page, name, fullPage = false) {
  await page.evaluate(() => document.querySelector('.toast')?.remove());
  await shot(page, name, fullPage);
}

/** First use of 证照夹: the PIN, the recovery key (acknowledged), then one document to link. */
async function setUpVault(page) {
  await tab(page, '证照夹').click();
  await page.waitForSelector('#vault-setup');
  await page.locator('#pin').fill(PIN);
  await page.locator('#pin-again').fill(PIN);
  await page.getByRole('button', { name: '设置并打开证照夹' }).click();
  await page.waitForSelector('.recovery');
  await page.getByRole('button', { name: '我已抄写好' }).click();
  await page.waitForSelector('.add-doc');
  await page.locator('#vault-file').setInputFiles({ name: '营业执照扫描件.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.doc');
}

/** The current company's code, from the 档案 profile. */
async function currentUscc(page) {
  await tab(page, '档案').click();
  await page.waitForSelector('#dossier-quick');
  return (await page.locator('.facts .mono').first().textContent()).trim();
}

/** Links the vault's one document in the scans section of the page shown, then unlinks it. */
async function linkAndUnlink(page, name) {
  const scans = page.locator('#scans');
  await scans.locator('#scans-link').click();
  await page.locator('.sheet').getByRole('button', { name: /营业执照扫描件\.png/ }).click();
  await scans.locator('.doc', { hasText: '营业执照扫描件.png' }).waitFor();
  await scans.scrollIntoViewIfNeeded();
  await still(page, name);
  await scans.getByRole('button', { name: /^取消关联/ }).click();
  await scans.getByText('还没有关联证照夹中的文件。').waitFor();
}

test('档案, whole: licence and record two taps from home, 查询密码 sealed and shown again, status on home, scans linked, the .ics downloaded', async () => {
  const ctx = await context();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ctx.newPage();
  await open(page, '&demo');
  await setUpVault(page);
  const uscc = await currentUscc(page);
  await still(page, 'whole-01-dossier-quick-actions');

  // A licence that expires in 20 days (the clock is 2026-11-21): home → 查证照 → 添加证照.
  await tab(page, '首页').click();
  await page.getByRole('link', { name: '查证照' }).click();
  await page.getByRole('link', { name: '添加证照' }).click();
  await page.locator('#kind').selectOption('business_licence');
  await page.locator('#number').fill('91310104MA1FL8XK2X');
  await page.locator('#issued_on').fill('2021-12-12');
  await page.locator('#long_term').uncheck(); // 营业执照 is usually 长期有效; this one has a 营业期限
  await page.locator('#valid_until').fill('2026-12-11');
  await still(page, 'whole-02-licence-form');
  await page.getByRole('button', { name: '保存' }).click();
  const row = page.locator('#licences .row', { hasText: '91310104MA1FL8XK2X' });
  await row.waitFor();
  assert.match(await row.textContent(), /营业执照[\s\S]*还剩 20 天/);
  await tab(page, '首页').click();
  const expiry = page.locator('.dyn', { hasText: '营业执照' }).filter({ hasText: '还剩 20 天' });
  await expiry.first().waitFor();
  assert.match(await expiry.first().locator('.days').textContent(), /还剩 20 天/);
  await expiry.first().scrollIntoViewIfNeeded();
  await still(page, 'whole-03-home-licence-20-days');

  // Its scan: a vault document linked to the licence, then unlinked.
  await tab(page, '档案').click();
  await page.locator('#licences .row', { hasText: '91310104MA1FL8XK2X' }).click();
  await page.locator('#scans-link').waitFor();
  await linkAndUnlink(page, 'whole-04-licence-scan-linked');

  // An application record with 事项编码 and 查询密码: home → 企业档案 → 添加办事记录.
  await tab(page, '首页').click();
  await page.getByRole('link', { name: '企业档案' }).click();
  await page.locator('#dossier-quick').getByRole('link', { name: '添加办事记录' }).click();
  await page.locator('#item_code').fill('310104-XK-0417');
  await page.locator('#item_name').fill('食品经营许可证延续');
  await page.locator('#channel').selectOption('online');
  assert.equal(await page.locator('#submitted_on').inputValue(), '2026-11-21', 'the date defaults to the planning clock’s today');
  await page.locator('#submitted_on').fill('2026-11-18');
  await page.locator('#lookup_password').fill(PASSWORD);
  await still(page, 'whole-05-record-form');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('#record-history');
  assert.equal(await page.locator('#record-title').textContent(), '食品经营许可证延续');
  assert.equal(await page.locator('#record-status').textContent(), '已提交');

  // 已受理, at the core's now (the time left empty).
  await page.locator('#status').selectOption({ label: '已受理' });
  await page.locator('#status-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#record-status')?.textContent === '已受理');
  const history = await page.locator('#record-history li').allTextContents();
  assert.deepEqual(history, ['2026-11-18 00:00 已提交', '2026-11-21 09:00 已受理']);
  await page.locator('#status-form').scrollIntoViewIfNeeded();
  await still(page, 'whole-06-record-accepted');

  // Edited through the core's form: the name changes, the history stays (the day did not move).
  await page.locator('#record-edit').click();
  assert.equal(await page.locator('#item_code').inputValue(), '310104-XK-0417', 'the saved record, as text');
  assert.equal(await page.locator('#lookup_password').count(), 0, 'the password is changed on the record page, not here');
  await page.locator('#item_name').fill('食品经营许可证延续（补正后）');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => document.querySelector('#record-title')?.textContent === '食品经营许可证延续（补正后）');
  assert.deepEqual(await page.locator('#record-history li').allTextContents(), history);
  await page.locator('#record-edit').click();
  await page.locator('#item_name').fill('食品经营许可证延续');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => document.querySelector('#record-title')?.textContent === '食品经营许可证延续');
  await tab(page, '首页').click();
  const progress = page.locator('.dyn', { hasText: '「食品经营许可证延续」已受理' });
  await progress.waitFor();
  assert.match(await progress.textContent(), /办事进度/);
  await progress.scrollIntoViewIfNeeded();
  await still(page, 'whole-07-home-progress');

  // The calendar file: downloaded as zhuanshu-<uscc>.ics, with the licence's deadline in it.
  await tab(page, '档案').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#ics-download').click()]);
  assert.equal(download.suggestedFilename(), `zhuanshu-${uscc}.ics`);
  const ics = await readFile(await download.path(), 'utf8');
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  const event = ics.split('BEGIN:VEVENT').find((e) => e.includes('DTSTART;VALUE=DATE:20261211'));
  assert.ok(event, 'an event on the licence’s expiry date');
  assert.match(event.replace(/\r\n /g, ''), /SUMMARY:.*营业执照/);
  // Where the download did not start, the toast's action offers the text instead, and says why.
  await page.locator('.toast').getByRole('button', { name: '没有开始下载？' }).click();
  await page.locator('#ics-fallback').waitFor();
  assert.match(await page.locator('#ics-why').textContent(), /没有开始下载/);
  assert.equal(await page.locator('#ics-text').inputValue(), ics.replace(/\r\n/g, '\n'), 'the same text (a text area shows CRLF as LF)');
  await page.locator('.sheet').getByRole('button', { name: '取消' }).click();
  await page.locator('#records').scrollIntoViewIfNeeded();
  await still(page, 'whole-08-dossier-records');

  // Locked, the 查询密码 is sealed: the record's page asks for the PIN in place (the core's message, its
  // answer to a wrong PIN), then shows the password again, and the copy button copies it.
  await tab(page, '证照夹').click();
  await page.locator('#vault-lock').click();
  await page.waitForSelector('#vault-unlock');
  await tab(page, '档案').click();
  await page.locator('#records .record-link', { hasText: '食品经营许可证延续' }).click();
  await page.locator('#password-show').click();
  const unlock = page.locator('#dossier-unlock');
  await unlock.waitFor();
  assert.match(await unlock.locator('.notice').textContent(), /证照夹已锁定/);
  await page.locator('#dossier-pin').fill('111111');
  await unlock.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#dossier-unlock-error')?.textContent.length > 0);
  assert.match(await page.locator('#dossier-unlock-error').textContent(), /PIN 码不正确/);
  await still(page, 'whole-09-unlock-in-place');
  await page.locator('#dossier-pin').fill(PIN);
  await unlock.locator('button[type=submit]').click();
  await page.locator('#lookup-password').waitFor();
  assert.equal(await page.locator('#lookup-password').inputValue(), PASSWORD);
  await page.locator('#password-copy').click();
  await page.waitForFunction(() => document.querySelector('#copy-status')?.dataset.copied === 'true');
  assert.equal(await page.locator('#copy-status').textContent(), '已复制');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), PASSWORD);
  await page.locator('#password-card').scrollIntoViewIfNeeded();
  await still(page, 'whole-10-password-shown-copied');

  // A material: added one tap from 档案, edited, its scan linked and unlinked, deleted.
  await tab(page, '档案').click();
  await page.locator('#dossier-quick').getByRole('link', { name: '添加材料' }).click();
  await page.locator('#kind').selectOption('lease_contract');
  assert.equal(await page.locator('#title').inputValue(), '经营场所租赁合同', 'the kind’s name is the default title');
  await page.locator('#valid_until').fill('2027-03-14');
  await page.getByRole('button', { name: '保存' }).click();
  const material = page.locator('#materials .row', { hasText: '经营场所租赁合同' });
  await material.first().waitFor();
  await material.first().click();
  await page.locator('#title').fill('漕溪北路门店租赁合同');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#materials .row', { hasText: '漕溪北路门店租赁合同' }).click();
  await page.locator('#scans-link').waitFor();
  await linkAndUnlink(page, 'whole-11-material-scan-linked');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: '删除', exact: true }).click();
  await page.locator('#materials').waitFor();
  assert.equal(await page.locator('#materials .row', { hasText: '漕溪北路门店租赁合同' }).count(), 0, 'deleted');

  // The new forms with large text (and one dark): nothing runs off the phone's screen.
  await page.evaluate(() => localStorage.setItem('zs.large', '1'));
  await page.reload();
  await ready(page);
  const overflow = () => page.evaluate(() => [...document.querySelectorAll('main .btn, main .quick-link, main input, main select')]
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.id || e.textContent));
  for (const [hash, field, name] of [['#/dossier/record/new', '#item_code', 'whole-12-record-form-large'], ['#/dossier/material/new', '#title', 'whole-13-material-form-large']]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForSelector(field);
    assert.deepEqual(await overflow(), [], `${hash} fits`);
    await still(page, name);
  }
  await page.evaluate(() => { location.hash = '#/dossier'; });
  await page.locator('#dossier-quick').waitFor();
  assert.deepEqual(await overflow(), [], 'the quick actions fit');
  await still(page, 'whole-14-dossier-quick-large');
  await page.locator('#records .record-link').first().click();
  await page.waitForSelector('#status-form');
  assert.deepEqual(await overflow(), [], 'the record page fits');
  await still(page, 'whole-15-record-page-large');
  await page.locator('#password-card').scrollIntoViewIfNeeded();
  await page.emulateMedia({ colorScheme: 'dark' });
  await still(page, 'whole-16-record-page-large-dark');
  await ctx.close();
});

test('the core’s checks at their fields: a record without a name, a status that cannot follow, a material without a title', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await open(page, '&demo');
  await tab(page, '档案').click();
  // A licence without its 发证日期: the core's words, at the date.
  await page.locator('#licences').getByRole('link', { name: '添加证照' }).click();
  await page.locator('#number').fill('JY13101040000001');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => document.querySelector('#issued_on-error')?.textContent.length > 0);
  assert.equal(await page.locator('#issued_on-error').textContent(), '请填写发证日期');
  await tab(page, '档案').click();

  // A 查询密码 without a vault: the core refuses before saving anything, and says why.
  await page.locator('#records').waitFor();
  const recordsBefore = await page.locator('#records li').count();
  assert.ok(recordsBefore > 0, 'the demo company has records');
  await page.locator('#dossier-quick').getByRole('link', { name: '添加办事记录' }).click();
  await page.locator('#item_code').fill('310104-XK-0419');
  await page.locator('#item_name').fill('户外广告设置许可');
  await page.locator('#lookup_password').fill(PASSWORD);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => document.querySelector('form .form-error')?.textContent.length > 0);
  assert.match(await page.locator('form .form-error').first().textContent(), /还没有设置证照夹/);
  await tab(page, '档案').click();
  await page.locator('#records').waitFor();
  assert.equal(await page.locator('#records li').count(), recordsBefore, 'nothing was saved');

  await page.locator('#dossier-quick').getByRole('link', { name: '添加办事记录' }).click();
  await page.locator('#item_code').fill('310104-XK-0418');
  await page.getByRole('button', { name: '保存' }).click();
  const nameError = page.locator('#item_name-error');
  await nameError.waitFor({ state: 'visible' });
  assert.match(await nameError.textContent(), /事项名称/);
  assert.equal(await page.locator('#item_name').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#item_code-error').textContent(), '', 'only the wrong field is marked');
  await still(page, 'whole-17-record-form-core-error');

  // A date after today is the core's to refuse, at the date.
  await page.locator('#item_name').fill('公共场所卫生许可证新办');
  await page.locator('#submitted_on').fill('2026-12-01');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => document.querySelector('#submitted_on-error')?.textContent.length > 0);
  assert.match(await page.locator('#submitted_on-error').textContent(), /晚于今天/);
  await page.locator('#submitted_on').fill('2026-11-20');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('#status-form');

  // 已提交 cannot follow 已提交; a time after now is refused at the time.
  await page.locator('#status').selectOption({ label: '已提交' });
  await page.locator('#status-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#status-error')?.textContent.length > 0);
  assert.match(await page.locator('#status-error').textContent(), /状态不能从“已提交”变为“已提交”/);
  await page.locator('#status').selectOption({ label: '需补正' });
  await page.locator('#at').fill('2026-11-22T10:00');
  await page.locator('#status-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#at-error')?.textContent.length > 0);
  assert.match(await page.locator('#at-error').textContent(), /晚于现在/);
  assert.equal(await page.locator('#status-error').textContent(), '', 'the status is fine this time');
  await page.locator('#status-form').scrollIntoViewIfNeeded();
  await still(page, 'whole-18-status-core-error');

  // The vault is not set up: there is no 查询密码 yet, and one cannot be sealed; the core says why.
  await page.locator('#password-show').click();
  await page.locator('#password-form').waitFor();
  assert.equal(await page.locator('#password-message').textContent(), '还没有保存查询密码。');
  await page.locator('#lookup_password').fill(PASSWORD);
  await page.locator('#password-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#password-form .form-error')?.textContent.length > 0);
  assert.match(await page.locator('#password-form .form-error').textContent(), /还没有设置证照夹/);

  await tab(page, '档案').click();
  await page.locator('#dossier-quick').getByRole('link', { name: '添加材料' }).click();
  await page.locator('#kind').selectOption('other');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#title-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#title-error').textContent(), /材料名称/);
  await still(page, 'whole-19-material-form-core-error');
  await ctx.close();
});

test('WeChat on iPhone: the calendar file is offered as text to copy, saying why, and where the clipboard is refused the text is selected', async () => {
  const ctx = await context({ ...ZH, userAgent: IOS_WECHAT });
  // Some in-app web views give pages no clipboard.
  await ctx.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  const page = await ctx.newPage();
  let downloads = 0;
  page.on('download', () => downloads++);
  await open(page, '&demo');
  const uscc = await currentUscc(page);
  await page.locator('#ics-download').click();
  await page.locator('#ics-fallback').waitFor();
  assert.match(await page.locator('#ics-why').textContent(), /iPhone 上的微信内置浏览器不能下载文件/);
  const text = await page.locator('#ics-text').inputValue();
  assert.match(text, /^BEGIN:VCALENDAR\n/);
  assert.match(text, new RegExp(`@${uscc}\\.zhuanshu`), 'the current company’s calendar');
  await page.locator('#ics-copy').click();
  await page.waitForFunction(() => document.querySelector('#ics-copy-status')?.dataset.copied === 'false');
  assert.match(await page.locator('#ics-copy-status').textContent(), /长按/);
  const selected = await page.locator('#ics-text').evaluate((a) => a.selectionEnd - a.selectionStart === a.value.length);
  assert.ok(selected, 'the whole text is selected for a long-press copy');
  assert.equal(downloads, 0, 'no download was attempted');
  await still(page, 'whole-20-ics-ios-wechat-fallback');
  await page.evaluate(() => localStorage.setItem('zs.large', '1'));
  await page.reload();
  await ready(page);
  await tab(page, '档案').click();
  await page.locator('#ics-download').click();
  await page.locator('#ics-fallback').waitFor();
  await still(page, 'whole-21-ics-ios-wechat-fallback-large');
  await ctx.close();
});
