// The wasm core in headless Chromium: the golden scenario gives the same results as native, and bad
// input comes back as a typed error object, never a crash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serve } from './server.mjs';
import { launch, PHONE } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = process.env.ZHUANSHU_WASM_PKG ?? join(root, 'target', 'wasm-pkg');
let server, browser, page;

// Misbehaving feed servers, for the fetch transport's limits: a timestamp (the first file a sync fetches)
// that never ends, and one whose connection drops before its Content-Length is reached.
const feedRoutes = {
  '/endless/timestamp.json': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => { while (res.write(chunk)); };
    res.on('drain', pump);
    pump();
  },
  '/cut/timestamp.json': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
    res.write('{"signed": {"version": 1, "files": {');
    setTimeout(() => res.socket.destroy(), 50);
  },
};

before(async () => {
  server = await serve({ '/pkg/': pkg, '/golden/': join(root, 'tests', 'golden'), '/tests/': join(root, 'web', 'tests'),
    '/dict/': join(root, 'target', 'web-assets'), '/content/': join(root, 'core', 'content', 'guide') }, feedRoutes);
  browser = await launch();
  page = await (await browser.newContext(PHONE)).newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${server.url}/tests/harness.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('dossier golden scenario matches the native replay', async () => {
  const scenario = JSON.parse(await readFile(join(root, 'tests', 'golden', 'dossier.json'), 'utf8'));
  const expectedExports = JSON.parse(await readFile(join(root, 'tests', 'golden', scenario.expect.exports), 'utf8'));
  const result = await page.evaluate(() => window.replayGolden('dossier.json'));
  for (const { step, expected, observed } of result.stepErrors) {
    if (expected === null) {
      assert.equal(observed, null, `step ${step} failed: ${JSON.stringify(observed)}`);
    } else {
      assert.deepEqual({ code: observed?.code, paths: observed?.paths }, expected, `step ${step}`);
      assert.ok(observed.hasUserMessage, `step ${step} has a Chinese message`);
    }
  }
  assert.equal(result.current, scenario.expect.current);
  assert.deepEqual(result.companies, scenario.expect.companies);
  assert.deepEqual(result.exports, expectedExports);
  const expectedDynamics = JSON.parse(await readFile(join(root, 'tests', 'golden', scenario.expect.dynamics), 'utf8'));
  assert.deepEqual(result.dynamics, expectedDynamics);
});

test('tax deadlines and the calendar in the browser', async () => {
  const out = await page.evaluate(() => {
    const d = window.core.ZhuanshuApp.open('2026-11-21T09:00:00').dynamics();
    const caught = (f) => { try { f(); return null; } catch (e) { return e; } };
    return {
      oct2025: d.taxDeadline(2025, 10).date,
      feb2024: d.taxDeadline(2024, 2).date,
      day: d.workday('2026-10-01'),
      bad: caught(() => d.taxDeadline(2025, 13)),
      badDate: caught(() => d.workday('tomorrow')),
      notes: (() => {
        const app = window.core.ZhuanshuApp.open('2026-11-21T09:00:00');
        app.dossier().loadDemo();
        return app.dynamics().notifications(3, '08:30');
      })(),
    };
  });
  assert.equal(out.oct2025, '2025-10-27');
  assert.equal(out.feb2024, '2024-02-23');
  assert.equal(out.day.workday, false);
  assert.equal(out.day.holiday, '国庆节');
  assert.equal(out.bad.code, 'invalid_input');
  assert.equal(out.badDate.code, 'invalid_input');
  assert.equal(out.notes.length, 3);
  assert.ok(out.notes.every((n) => n.at.endsWith('08:30:00')), JSON.stringify(out.notes));
});

test('errors are thrown as typed objects with Chinese messages', async () => {
  const errors = await page.evaluate(() => {
    const caught = (f) => { try { f(); return null; } catch (e) { return e; } };
    const app = window.core.ZhuanshuApp.open('2026-11-21T09:00:00');
    const d = app.dossier();
    return {
      uscc: caught(() => window.core.usccNormalize('91310104MA1FL8XK2Y')),
      shape: caught(() => d.addCompany({ name: 42 })),
      missing: caught(() => d.company('91310104MA1FL8XK2X')),
      noCurrent: caught(() => d.current()),
      json: caught(() => d.importJson('{')),
      time: caught(() => window.core.ZhuanshuApp.open('yesterday')),
      status: caught(() => d.setRecordStatus(1, 'lost', '')),
      form: caught(() => d.saveLicence('91310104MA1FL8XK2X', null, { ...d.licenceForm(null), number: 'N1', issuer: '某局' })),
    };
  });
  assert.equal(errors.uscc.code, 'invalid_input');
  assert.match(errors.uscc.userMessage, /第18位应为“X”/);
  assert.equal(errors.shape.code, 'invalid_input');
  assert.equal(errors.missing.code, 'not_found');
  assert.equal(errors.noCurrent.code, 'no_current_company');
  assert.equal(errors.json.code, 'bad_format');
  assert.equal(errors.time.code, 'invalid_input');
  assert.equal(errors.status.issues[0].path, 'status');
  assert.deepEqual(errors.form.issues.map((i) => [i.path, i.user_message]), [['issued_on', '请填写发证日期']]);
});

test('demo companies and rare characters survive a round trip in the browser', async () => {
  const out = await page.evaluate(() => {
    const d = window.core.ZhuanshuApp.open('2026-11-21T09:00:00').dossier();
    const loaded = d.loadDemo();
    const first = loaded[0].company;
    const renamed = d.updateCompany(first.uscc, { ...first, name: '上海𠈌𠀌科技有限公司' });
    const text = d.exportJson(first.uscc);
    const other = window.core.ZhuanshuApp.open('2026-11-21T09:00:00').dossier();
    other.importJson(text);
    return { count: loaded.length, name: renamed.company.name, same: other.exportJson(first.uscc) === text, yuan: window.core.formatYuan(123456) };
  });
  assert.ok(out.count >= 3);
  assert.equal(out.name, '上海𠈌𠀌科技有限公司');
  assert.ok(out.same);
  assert.equal(out.yuan, '1,234.56元');
});

test('assistant golden searches match the native results', async () => {
  const expected = JSON.parse(await readFile(join(root, 'tests', 'golden', 'assistant.expected.json'), 'utf8'));
  const result = await page.evaluate(() => window.replayAssistant());
  assert.deepEqual(result, expected);
});

test('a bad knowledge base import names its lines and changes nothing', async () => {
  const out = await page.evaluate(() => {
    const a = window.core.ZhuanshuApp.open('2026-11-21T09:00:00').assistant();
    const stored = a.entries();
    const before = window.search.SearchIndex.faq(stored).len();
    let error = null;
    try { a.importKb('{"id":"x"}\nnot json'); } catch (e) { error = e; }
    const afterBad = a.entries();
    const good = '{"id":"k1","question":"测试问题","alternatives":["别的问法"],"answer":"答案","theme":"开办","updated":"2026-11-01"}';
    const imported = a.importKb(good);
    const hits = window.search.SearchIndex.faq(a.entries()).search('测试问题', 3);
    a.resetKb();
    return { stored, before, error, afterBad, imported, hits: hits.map((h) => h.id), afterReset: a.entries(),
      embeddedAgain: window.search.SearchIndex.faq(a.entries()).len() };
  });
  assert.equal(out.stored, null, 'the embedded knowledge base is in force, and it lives in the search module');
  assert.ok(out.before >= 300);
  assert.equal(out.afterBad, null, 'a refused import stores nothing');
  assert.equal(out.afterReset, null);
  assert.equal(out.embeddedAgain, out.before);
  assert.equal(out.error.code, 'invalid_input');
  assert.deepEqual(out.error.issues.map((i) => i.path), ['line 1', 'line 2']);
  assert.equal(out.imported.entries, 1);
  assert.equal(out.imported.imported, true);
  assert.deepEqual(out.hits, ['k1']);
});

test('predicted questions: the topics of the app module, answered by the search module', async () => {
  const out = await page.evaluate(() => {
    const app = window.core.ZhuanshuApp.open('2026-11-21T09:00:00');
    const restaurant = app.dossier().loadDemo().find((c) => c.company.industry.startsWith('H62'));
    const topics = app.assistant().topics(restaurant.company.uscc);
    const index = window.search.SearchIndex.faq(app.assistant().entries());
    let error = null;
    try { index.predicted([{ query: 1 }]); } catch (e) { error = e.code; }
    return { topics, predicted: index.predicted(topics), error };
  });
  assert.ok(out.topics.some((t) => t.query.includes('食品经营许可证')), JSON.stringify(out.topics));
  const renewal = out.predicted.find((p) => p.reason.includes('食品经营许可证'));
  assert.ok(renewal && renewal.question.includes('食品经营许可'), JSON.stringify(out.predicted));
  assert.equal(new Set(out.predicted.map((p) => p.id)).size, out.predicted.length);
  assert.equal(out.error, 'invalid_input');
});

test('the guide asks, plans and prefills in the browser', async () => {
  const out = await page.evaluate(() => {
    const app = window.core.ZhuanshuApp.open('2026-11-21T09:00:00');
    const restaurant = app.dossier().loadDemo().find((c) => c.company.industry.startsWith('H62'));
    const g = app.guide();
    const answers = {};
    for (;;) {
      const pending = g.nextQuestions('SH-SCJG-0002', answers);
      if (pending.length === 0) break;
      for (const q of pending) answers[q.key] = q.options[0].value;
    }
    const plan = g.checkMaterials(restaurant.company.uscc, 'SH-SCJG-0002', answers);
    let error = null;
    try { g.plan('SH-SCJG-0002', {}); } catch (e) { error = e; }
    return { answers, kinds: plan.items[0].materials.map((m) => m.kind), error, hit: window.search.SearchIndex.build(g.searchEntries()).search('食品經營許可證延續', 3)[0].id };
  });
  assert.deepEqual(out.answers, { q1: 'lease', q2: 'yes', q3: 'yes' });
  assert.ok(out.kinds.includes('lease_contract') && out.kinds.includes('power_of_attorney'));
  assert.equal(out.error.code, 'invalid_input');
  assert.equal(out.hit, 'SH-SCJG-0102');
});

test('the policy checkup runs in the browser, with reasons per condition', async () => {
  const out = await page.evaluate(() => {
    const app = window.core.ZhuanshuApp.open('2026-11-21T09:00:00');
    const software = app.dossier().loadDemo().find((c) => c.company.industry === 'I65');
    const c = app.policies().checkup(software.company.uscc);
    const first = c.policies[0];
    return { counts: [c.eligible, c.near_miss, c.not_eligible], total: c.policies.length, verdict: first.verdict,
      lines: first.conditions.map((x) => x.line) };
  });
  assert.ok(out.counts[0] > 0, `some policies fit the demo software company: ${out.counts}`);
  assert.equal(out.counts.reduce((a, b) => a + b, 0), out.total);
  assert.equal(out.verdict, 'eligible', 'eligible policies rank first');
  assert.ok(out.lines.length > 0 && out.lines.every((l) => typeof l === 'string' && l.length > 0));
});

test('the vault keeps documents behind a PIN in the browser', async () => {
  const out = await page.evaluate(() => {
    const v = window.core.ZhuanshuApp.open('2026-11-21T09:00:00').vault();
    const caught = (f) => { try { f(); return null; } catch (e) { return e; } };
    const recovery = v.init('135790');
    const doc = v.add('营业执照.jpg', 'image/jpeg', new TextEncoder().encode('扫描件𠈌'));
    v.lock();
    const locked = caught(() => v.read(doc.id));
    const wrong = caught(() => v.unlockWithPin('000000'));
    v.unlockWithPin('135790');
    return { recovery: recovery.length, locked: locked?.code, wrong: wrong?.code,
      text: new TextDecoder().decode(v.read(doc.id)), count: v.documents().length };
  });
  assert.ok(out.recovery > 20);
  assert.equal(out.locked, 'vault_locked');
  assert.equal(out.wrong, 'wrong_pin');
  assert.equal(out.text, '扫描件𠈌');
  assert.equal(out.count, 1);
});

/** Runs the CLI (built by the Rust suite before this one); throws with its stderr on failure. */
function cli(...args) {
  const bin = process.env.ZHUANSHU_CLI ?? join(root, 'target', 'debug', 'zhuanshu');
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`zhuanshu ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

/** `zhuanshu feed serve SITE --port 0` (another origin than the page: CORS), resolved with its URL. */
function feedServe(site) {
  const bin = process.env.ZHUANSHU_CLI ?? join(root, 'target', 'debug', 'zhuanshu');
  const child = spawn(bin, ['feed', 'serve', site, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
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

test('the feed syncs over fetch: signed update, 304 after, endless and cut responses refused', async (t) => {
  // A publisher's site: the content in force plus one new FAQ entry, signed with the demo key the app's
  // pinned root trusts.
  const dir = await mkdtemp(join(tmpdir(), 'zhuanshu-feed-'));
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

  const out = await page.evaluate(async ({ feedUrl, base }) => {
    const app = window.core.ZhuanshuApp.open('2026-11-22T09:00:00');
    const feed = app.feed();
    const refused = async (url) => { try { await feed.sync(url); return null; } catch (e) { return e; } };
    const before = feed.status().version;
    const endless = await refused(`${base}/endless/`);
    const cut = await refused(`${base}/cut/`);
    const nowhere = await refused('http://127.0.0.1:9/');
    const afterAttacks = feed.status().version;
    const first = await feed.sync(feedUrl);
    const second = await feed.sync(feedUrl);
    const status = feed.status();
    const index = window.search.SearchIndex.faq(app.assistant().entries());
    return { before, afterAttacks, first, second, version: status.version, source: status.source,
      endless, cut, nowhere, hit: index.search('同步测试怎么验证', 1)[0]?.id };
  }, { feedUrl: site.url, base: server.url });

  assert.equal(out.before, 0);
  assert.equal(out.endless?.code, 'feed_too_large', JSON.stringify(out.endless));
  assert.equal(out.cut?.code, 'feed_truncated', JSON.stringify(out.cut));
  assert.equal(out.nowhere?.code, 'network', JSON.stringify(out.nowhere));
  for (const e of [out.endless, out.cut, out.nowhere]) assert.ok(/[\u4e00-\u9fff]/.test(e.userMessage), e.userMessage);
  assert.equal(out.afterAttacks, 0, 'refused syncs leave the embedded content in force');
  assert.equal(out.first.updated, true);
  assert.deepEqual(out.first.changed, ['faq.jsonl'], 'only the changed file is reported');
  assert.equal(out.first.requests, 4, 'timestamp, manifest, signatures, the one changed file');
  assert.deepEqual([out.second.updated, out.second.requests, out.second.bytes], [false, 1, 0],
    'an unchanged sync is one conditional request answered 304 (CORS lets If-None-Match and ETag through)');
  assert.deepEqual([out.version, out.source], [1, site.url]);
  assert.equal(out.hit, 'sync-test-1', 'the synced knowledge base is what the search module indexes');
});

test('vault backup restores on another device; seal packages are signed, verified and checked in the browser', async (t) => {
  const out = await page.evaluate(() => {
    const { ZhuanshuApp } = window.core;
    const caught = (f) => { try { f(); return null; } catch (e) { return e; } };
    const a = ZhuanshuApp.open('2026-11-22T09:00:00');
    const uscc = a.dossier().loadDemo()[0].company.uscc;
    const v = a.vault();
    const recovery = v.init('135790');
    const scan = new TextEncoder().encode('营业执照扫描件𠈌'.repeat(5000));
    const doc = v.add('营业执照.jpg', 'image/jpeg', scan);
    const seal = v.createSeal(uscc);
    const pkg = v.signPackage(uscc, [doc.id]);
    // Packages are verified by the search module, trusting what the app module says this device trusts
    // (seals bound to their companies: the given ones and, unlocked, its own).
    const verify = (vault, bytes, given) => window.search.verifyPackage(bytes, vault.trustedSeals(given));
    const own = verify(v, pkg, null);
    const tampered = pkg.slice();
    const marker = new TextEncoder().encode('扫描件');
    const at = pkg.findIndex((_, i) => marker.every((m, j) => pkg[i + j] === m));
    tampered[at] ^= 1; // a byte of the document itself
    const changed = verify(v, tampered, []);
    const stranger = ZhuanshuApp.open('2026-11-22T09:00:00').vault();
    const unknown = verify(stranger, pkg, []);
    const trusted = verify(stranger, pkg, [{ uscc, fingerprint: seal.fingerprint.toUpperCase() }]);
    // The same key trusted as another company's: the package says it is this company's, so it fails.
    const otherUscc = a.dossier().companies().map((c) => c.company.uscc).find((u) => u !== uscc);
    const mismatch = verify(stranger, pkg, [{ uscc: otherUscc, fingerprint: seal.fingerprint }]);

    // Packages forged so that a reader of the central directory and a streaming reader (Android's
    // ZipInputStream) see different files: refused whole by the core's strict reader of the raw bytes.
    const crc32 = (bytes) => {
      let c = ~0;
      for (const b of bytes) { c ^= b; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
      return ~c >>> 0;
    };
    const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
    const localEntry = (name, data) => {
      const n = new TextEncoder().encode(name);
      const head = new DataView(new ArrayBuffer(30));
      head.setUint32(0, 0x04034b50, true); head.setUint16(4, 20, true); head.setUint16(6, 0x0800, true);
      head.setUint32(14, crc32(data), true); head.setUint32(18, data.length, true); head.setUint32(22, data.length, true);
      head.setUint16(26, n.length, true);
      return concat(new Uint8Array(head.buffer), n, data);
    };
    const view = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const forgery = localEntry('files/营业执照.jpg', new TextEncoder().encode('forged'));
    const cd = view(pkg).getUint32(pkg.length - 22 + 16, true);
    const inserted = concat(pkg.slice(0, cd), forgery, pkg.slice(cd));
    view(inserted).setUint32(inserted.length - 22 + 16, cd + forgery.length, true);
    const renamed = pkg.slice();
    renamed[new TextDecoder('latin1').decode(pkg).indexOf('files/')] = 0x46; // "Files/…" in the local header only
    const commented = concat(pkg, new TextEncoder().encode('note'));
    commented[pkg.length - 2] = 4;
    const forged = Object.fromEntries(Object.entries({
      inserted, prepended: concat(forgery, pkg), renamed, commented, trailing: concat(pkg, forgery),
    }).map(([what, bytes]) => [what, verify(v, bytes, null).problems.map((p) => p.kind)]));
    const notZip = caught(() => verify(v, new Uint8Array([1, 2, 3]), []));
    const locked = (() => { v.lock(); const e = caught(() => v.backup()); v.unlockWithPin('135790'); return e; })();
    const backup = v.backup();

    const b = ZhuanshuApp.open('2026-11-22T09:00:00');
    b.dossier().loadDemo();
    const typo = caught(() => b.vault().restore(backup, 'ABCD-EFGH', '246810'));
    const wrong = caught(() => b.vault().restore(backup, stranger.init('111222'), '246810'));
    const cut = caught(() => b.vault().restore(backup.slice(0, backup.length - 10), recovery, '246810'));
    const restored = b.vault().restore(backup, recovery, '246810');
    const same = new TextDecoder().decode(b.vault().read(doc.id)) === new TextDecoder().decode(scan);
    return { pkg: Array.from(pkg), own, changed: changed.problems.map((p) => [p.kind, p.file]), unknown: unknown.problems.map((p) => p.kind),
      trusted: trusted.valid, mismatch: mismatch.problems.map((p) => p.kind), forged, notZip: notZip?.code, locked: locked?.code, typo: typo?.code, wrong: wrong?.code, cut: cut?.code, restored, same,
      seal: seal.fingerprint, sealAfter: b.vault().sealInfo(uscc)?.fingerprint, backupBytes: backup.length };
  });
  assert.equal(out.own.valid, true, JSON.stringify(out.own.problems));
  assert.deepEqual(out.own.verified_files, ['营业执照.jpg']);
  assert.deepEqual(out.changed, [['hash_mismatch', '营业执照.jpg']]);
  assert.deepEqual(out.unknown, ['unknown_key']);
  assert.equal(out.trusted, true);
  assert.deepEqual(out.mismatch, ['signer_mismatch'], 'a trusted key counts for its own company only');
  for (const what of ['inserted', 'prepended', 'renamed', 'commented', 'trailing']) {
    assert.deepEqual(out.forged[what], ['forged_layout'], what);
  }
  assert.equal(out.notZip, 'bad_format');
  assert.equal(out.locked, 'vault_locked');
  assert.equal(out.typo, 'invalid_input');
  assert.equal(out.wrong, 'wrong_recovery_key');
  assert.ok(out.cut, 'a cut backup does not restore');
  assert.deepEqual([out.restored.documents, out.restored.seals, out.restored.bytes], [1, 1, out.backupBytes]);
  assert.ok(out.same, 'the document reads back on the other device');
  assert.equal(out.sealAfter, out.seal, 'the seal travels with the backup');

  // The package is an ordinary ZIP: another implementation (Python's zipfile) lists and checks it.
  const dir = await mkdtemp(join(tmpdir(), 'zhuanshu-pkg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, '材料.zip');
  await writeFile(file, Buffer.from(out.pkg));
  const listed = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', file], { encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trim().split('\n'), ['files/营业执照.jpg', 'manifest.json', 'signature.json']);
});
