// The dedicated worker that runs the wasm core. The page sends `open` once, then `call`s by name; every
// answer is the core's value or its thrown error object. Keeping the core here keeps the page responsive
// and is what the OPFS SQLite back end needs (sync access handles exist only in workers).
//
// The core comes as two modules: the app (everything but search; it draws the first screen) and the
// search engine with the embedded FAQ, fetched with jieba's dictionary after the first screen. The app
// module says which entries to index (a stored knowledge base, or null for the embedded one) and what to
// predict; the engine indexes and answers.
import init, * as core from 'zhuanshu-wasm';
import wasmUrl from 'zhuanshu-wasm/zhuanshu_wasm_bg.wasm?url';
import searchWasmUrl from 'zhuanshu-search-wasm/zhuanshu_search_wasm_bg.wasm?url';
import dictUrl from 'zhuanshu-dict?url';
import guideUrl from 'zhuanshu-guide?url';
import type { Request, Response } from './api';
import type { CompanyOverview, Dynamic, Labels, Ready, StorageKind } from './types';

type Service = Record<string, (...args: unknown[]) => unknown>;
type SearchIndex = import('zhuanshu-search-wasm').SearchIndex;

let app: core.ZhuanshuApp | null = null;
const services = new Map<string, Service>();
let opened: Promise<Ready> | null = null;
let indexReady: Promise<Record<string, number>> | null = null;
/** The engine's indexes, built from the app module's entries; dropped when the content changes. */
const indexes: { faq: SearchIndex | null; guide: SearchIndex | null } = { faq: null, guide: null };
let engine: typeof import('zhuanshu-search-wasm') | null = null;

/** A JS exception (not the core's error object) as the same shape, so the page handles one kind. */
function internal(e: unknown) {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 'internal', message, userMessage: '应用内部错误，请刷新页面后重试。', issues: [] };
}

function isCoreError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && 'userMessage' in e;
}

/** Whether this worker can use the OPFS SAH-pool back end (missing in some embedded web views). */
function hasOpfs(): boolean {
  return typeof navigator.storage?.getDirectory === 'function' && 'FileSystemSyncAccessHandle' in self;
}

/** Wall-clock time (ms since the epoch), comparable with the page's. */
const clock = () => performance.timeOrigin + performance.now();

// The module is fetched and compiled as soon as the worker starts, while the page is still drawing.
const timings: Record<string, number> = { workerStart: performance.timeOrigin };
const wasmReady = init({ module_or_path: wasmUrl }).then(() => {
  timings.wasmReady = clock();
});

async function open(fixedNow: string | null, wanted: 'auto' | 'indexeddb' | 'memory', demo: boolean): Promise<Ready> {
  timings.openStart = clock();
  await wasmReady;
  const Z = core.ZhuanshuApp;
  let storageNote: string | null = null;
  const attempts: Exclude<StorageKind, 'memory'>[] =
    wanted === 'memory' ? [] : wanted === 'indexeddb' || !hasOpfs() ? ['indexeddb'] : ['opfs', 'indexeddb'];
  for (const backend of attempts) {
    // A reload starts this worker while the previous page's worker may still hold the OPFS access
    // handles for a moment: retry before giving up.
    const tries = backend === 'opfs' ? 20 : 1;
    let locked = false;
    for (let i = 0; i < tries && !app; i++) {
      try {
        app = await Z.openPersistent(fixedNow, backend);
      } catch (e) {
        const message = isCoreError(e) ? (e as { message: string }).message : String(e);
        storageNote = isCoreError(e) ? (e as { userMessage: string }).userMessage : message;
        locked = /access handle/i.test(message);
        console.warn(`zhuanshu: ${backend} storage unavailable (try ${i + 1})`, e);
        if (!locked) break;
        await new Promise((r) => setTimeout(r, 20 * (i + 1)));
      }
    }
    // OPFS held by another tab: a second, empty database in IndexedDB would only confuse.
    if (app || locked) break;
  }
  app ??= Z.open(fixedNow);
  timings.storageReady = clock();
  const storage = app.storage() as StorageKind;
  if (storage !== 'memory') storageNote = null;
  const dossier = service('dossier');
  if (demo && (dossier.companies() as unknown[]).length === 0) dossier.loadDemo();
  // What the first screen shows, computed here in one go instead of three round trips.
  const companies = dossier.companies() as CompanyOverview[];
  timings.companies = clock();
  const current = companies.find((c) => c.current);
  const labels = core.labels() as Labels;
  timings.labels = clock();
  const first = {
    labels,
    companies,
    dynamics: current ? (service('dynamics').list(current.company.uscc) as Dynamic[]) : [],
  };
  timings.firstScreenData = clock();
  return { storage, storageNote, timings, first };
}

function service(name: string): Service {
  let s = services.get(name);
  if (!s) {
    if (!app) throw internal('not open');
    const api = app as unknown as Record<string, () => Service>;
    if (typeof api[name] !== 'function') throw internal(`no service ${name}`);
    s = api[name].call(app);
    services.set(name, s);
  }
  return s;
}

/** The guide's content is a file beside the app module (it would crowd the first screen's module): fetched
 * once, when the guide is first needed or after the first screen, and handed to the core. */
let guideShipped: Promise<void> | null = null;
function shipGuide(): Promise<void> {
  guideShipped ??= (async () => {
    const response = await fetch(guideUrl);
    if (!response.ok) throw internal(`guide content: HTTP ${response.status}`);
    core.provideContent('guide.json', new Uint8Array(await response.arrayBuffer()));
  })();
  guideShipped.catch(() => (guideShipped = null)); // retried by the next guide call
  return guideShipped;
}

/** Loads the search module and the segmentation dictionary and builds the FAQ index, once, after the
 * first screen. */
/** The second module alone (package verification needs no dictionary). */
let moduleLoading: Promise<typeof import('zhuanshu-search-wasm')> | null = null;
function secondModule(): Promise<typeof import('zhuanshu-search-wasm')> {
  moduleLoading ??= import('zhuanshu-search-wasm').then(async (m) => {
    await m.default({ module_or_path: searchWasmUrl });
    return m;
  });
  moduleLoading.catch(() => (moduleLoading = null));
  return moduleLoading;
}

function warm(): Promise<Record<string, number>> {
  indexReady ??= (async () => {
    const times: Record<string, number> = { dictionaryRequested: clock() };
    const [module, dictionary] = await Promise.all([
      secondModule(),
      fetch(dictUrl).then(async (response) => {
        if (!response.ok) throw internal(`dictionary: HTTP ${response.status}`);
        return new Uint8Array(await response.arrayBuffer());
      }),
    ]);
    times.engineLoaded = clock();
    module.loadDictionary(dictionary);
    engine = module;
    times.dictionaryLoaded = clock();
    faqIndex();
    return times;
  })();
  indexReady.catch(() => (indexReady = null)); // a failed download is retried by the next search
  return indexReady;
}

function faqIndex(): SearchIndex {
  if (!engine) throw internal('search engine not loaded');
  indexes.faq ??= engine.SearchIndex.faq(service('assistant').entries());
  return indexes.faq;
}

function guideIndex(): SearchIndex {
  if (!engine) throw internal('search engine not loaded');
  indexes.guide ??= engine.SearchIndex.build(service('guide').searchEntries());
  return indexes.guide;
}

/** The calls the second module answers (they wait for it and the dictionary); each takes the page's
 * arguments. */
const searches: Record<string, (...args: never[]) => unknown> = {
  'assistant.search': (query: string, limit: number) => faqIndex().search(query, limit),
  'assistant.suggest': (prefix: string) => faqIndex().suggest(prefix),
  'assistant.entry': (id: string) => faqIndex().entry(id),
  'assistant.related': (id: string, limit: number) => faqIndex().related(id, limit),
  'assistant.predicted': (uscc: string) => faqIndex().predicted(service('assistant').topics(uscc)),
  'guide.search': (query: string, limit: number) => guideIndex().search(query, limit),
};

/** Whether the indexed entries may have changed: an import or reset of the knowledge base, or a feed sync
 * that applied a new version (FAQ and guide come with the feed). */
function changesEntries(method: string, result: unknown): boolean {
  if (method === 'feed.sync') return (result as { updated?: boolean } | null)?.updated === true;
  return method === 'assistant.importKb' || method === 'assistant.resetKb';
}

async function call(method: string, args: unknown[]): Promise<unknown> {
  if (!opened) throw internal('call before open');
  await opened;
  // The guide's calls need its content; a sync and the feed's status compare with it.
  if (method.startsWith('guide.') || method.startsWith('feed.')) await shipGuide();
  if (method === 'vault.verifyPackage') {
    // Seal packages are verified by the second module, trusting what the app module says this device
    // trusts (the given fingerprints and its own seals).
    const [bytes, given] = args as [Uint8Array, string[] | null];
    const trusted = service('vault').trustedFingerprints(given);
    return (await secondModule()).verifyPackage(bytes, trusted);
  }
  const search = Object.hasOwn(searches, method) ? searches[method] : undefined;
  if (search) {
    await warm();
    return (search as (...a: unknown[]) => unknown)(...args);
  }
  const [svc, name] = method.split('.');
  let result: unknown;
  if (svc === 'fn') {
    const f = (core as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof f !== 'function') throw internal(`no function ${name}`);
    result = f(...args);
  } else {
    const s = service(svc);
    if (typeof s[name] !== 'function') throw internal(`no method ${method}`);
    // Most calls answer at once; a few (feed.sync) return a promise.
    result = await s[name](...args);
  }
  if (changesEntries(method, result)) {
    indexes.faq?.free();
    indexes.guide?.free();
    indexes.faq = indexes.guide = null;
  }
  return result;
}

/** The page passes its query (`?now=…&storage=…&demo`) as the worker's name, so opening starts at once. */
function openFromName() {
  const params = new URLSearchParams(self.name);
  const storage = params.get('storage');
  opened = open(params.get('now'), storage === 'indexeddb' || storage === 'memory' ? storage : 'auto', params.has('demo'));
  opened.catch(() => {}); // reported to the page by its `open` request
}
openFromName();

async function handle(req: Request): Promise<unknown> {
  switch (req.kind) {
    case 'open':
      opened ??= open(req.fixedNow, req.storage, req.demo);
      return opened;
    case 'warm':
      await opened;
      void shipGuide().catch(() => {});
      return warm();
    case 'call':
      return call(req.method, req.args);
  }
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const req = event.data;
  let response: Response;
  try {
    response = { id: req.id, ok: true, value: (await handle(req)) ?? null };
  } catch (e) {
    response = { id: req.id, ok: false, error: isCoreError(e) ? e : internal(e) };
  }
  postMessage(response);
};
