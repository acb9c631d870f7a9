// The first screen's time, taken apart: `cargo xtask bench first-screen` (after `cargo xtask web`).
//
// Part 1, the core alone in Node (the size-optimised app module): each row is a fresh process, so "cold"
// is what a launch pays: V8 compiles the 3 MB module lazily and runs first calls in baseline code. The
// baseline column is the same call again in the same process (code compiled, caches warm): the gap
// between the two is the launch's price, not the work's.
//
// Part 2, the app in headless Chromium (phone profile, WeChat user agent): the app's own marks (ms after
// navigation) for a first visit and for launches of the installed app, as medians, against the 400 ms
// budget of the first screen.
//
// Numbers, not assertions: the project proves speed with benchmarks; this machine is shared, so the
// load average is printed with them.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serve } from '../tests/server.mjs';
import { launch, PHONE } from '../tests/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const NOW = '2026-11-21T09:00:00';
const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x === undefined ? '–' : `${x.toFixed(1)}`);

/** One process's timings of the first screen's core calls, each cold then again (warm). */
async function coreSample() {
  const pkg = join(root, 'target', 'wasm-pkg-app');
  const mod = await import(join(pkg, 'zhuanshu_wasm.js'));
  const out = {};
  const time = (name, f) => {
    const a = performance.now();
    const r = f();
    out[name] = performance.now() - a;
    return r;
  };
  const bytes = await readFile(join(pkg, 'zhuanshu_wasm_bg.wasm'));
  time('instantiate', () => mod.initSync({ module: bytes }));
  const app = time('open (in memory, migrations)', () => mod.ZhuanshuApp.open(NOW));
  time('load demo', () => app.dossier().loadDemo());
  const uscc = app.dossier().current().company.uscc;
  time('companies', () => app.dossier().companies());
  time('policy catalog', () => app.policies().list());
  time('dynamics.list', () => app.dynamics().list(uscc));
  // Warm: the same calls on a second app in this process (compiled code; the catalog cache is per app).
  const warm = {};
  const again = (name, f) => {
    const a = performance.now();
    f();
    warm[name] = performance.now() - a;
  };
  let app2;
  again('open (in memory, migrations)', () => { app2 = mod.ZhuanshuApp.open(NOW); });
  again('load demo', () => app2.dossier().loadDemo());
  again('companies', () => app2.dossier().companies());
  again('policy catalog', () => app2.policies().list());
  again('dynamics.list', () => app2.dynamics().list(uscc));
  return { cold: out, warm };
}

if (process.argv[2] === '--core-sample') {
  process.stdout.write(JSON.stringify(await coreSample()));
  process.exit(0);
}

const load = async () => (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];

console.log(`first screen, core in Node: ${RUNS} fresh processes (load average ${await load()})`);
const samples = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--core-sample'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`core sample failed: ${r.stderr}`);
  samples.push(JSON.parse(r.stdout));
}
console.log(`${'call'.padEnd(30)} ${'cold (launch)'.padStart(14)} ${'baseline: warm'.padStart(15)} ${'launch price'.padStart(13)}`);
for (const name of Object.keys(samples[0].cold)) {
  const cold = median(samples.map((s) => s.cold[name]));
  const warm = samples[0].warm[name] === undefined ? undefined : median(samples.map((s) => s.warm[name]));
  console.log(`${name.padEnd(30)} ${ms(cold).padStart(11)} ms ${ms(warm).padStart(12)} ms ${warm === undefined ? '' : `${(cold / warm).toFixed(1)}×`.padStart(13)}`);
}

console.log(`\nfirst screen in Chromium: ${RUNS} first visits and ${RUNS} launches (load average ${await load()})`);
const server = await serve({ '/': join(root, 'web', 'dist') });
const browser = await launch();
const marksOf = (page) => page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name.replace('zs-', ''), m.startTime])));
const opened = async (page) => {
  await page.goto(`${server.url}/?now=${NOW}`);
  await page.waitForFunction(() => document.documentElement.dataset.firstScreen === 'ready', null, { timeout: 30000 });
  return marksOf(page);
};
const visits = [];
const launches = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    let page = await ctx.newPage();
    await page.goto(`${server.url}/?now=${NOW}&demo`);
    await page.waitForFunction(() => document.documentElement.dataset.firstScreen === 'ready', null, { timeout: 30000 });
    visits.push(await marksOf(page));
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.close();
    page = await ctx.newPage();
    launches.push(await opened(page));
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const names = [...new Set([...visits, ...launches].flatMap(Object.keys))]
  .filter((n) => !n.startsWith('index') && !n.includes('dictionary'))
  .sort((a, b) => median(launches.map((m) => m[a] ?? Infinity)) - median(launches.map((m) => m[b] ?? Infinity)));
console.log(`${'mark (ms after navigation)'.padEnd(34)} ${'first visit'.padStart(12)} ${'launch'.padStart(9)}`);
for (const n of names) {
  const v = visits.every((m) => m[n] !== undefined) ? median(visits.map((m) => m[n])) : undefined;
  const l = launches.every((m) => m[n] !== undefined) ? median(launches.map((m) => m[n])) : undefined;
  console.log(`${n.padEnd(34)} ${ms(v).padStart(12)} ${ms(l).padStart(9)}`);
}
console.log(`budget: first screen ≤ 400 ms at launch; median ${ms(median(launches.map((m) => m['first-screen'])))} ms`);
