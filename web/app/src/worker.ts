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
import type { Request, Response, SearchCalls } from './api';
import type { CompanyOverview, Dynamic, Labels, Ready, StorageKind, TrustedSeal } from './types';

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

/**
 * The browser's device secret for the vault: HMAC-SHA256 of the core's `deviceSecretInput()` under a
 * non-extractable WebCrypto key made once and kept in IndexedDB (the CryptoKey object itself, by
 * structured clone: script can use it but never read its bytes). The core mixes the value into the PIN's
 * key, so the PIN is bound to this browser profile.
 *
 * What this protects: a copy of the database alone (the OPFS file, an IndexedDB export, a synced or
 * backed-up copy of the site's storage) cannot have its PIN guessed offline — the key is not in it.
 * What it does not: the browser keeps the key in the same profile, so whoever copies the whole profile, or
 * runs script in this origin (an XSS, a malicious extension), can use the key — compute this one value and
 * send it away with the database — and then the PIN can be guessed offline after all. Clearing the site's
 * data, or WeChat wiping web storage at logout, removes both the database and the key: the vault's
 * encrypted backup and the recovery key are the way back.
 *
 * Where WebCrypto or IndexedDB is missing or refuses (some in-app web views, private modes), this gives
 * `undefined` and the core opens without a device secret: the vault works with the PIN alone. A key is
 * only used once it has been stored and read back, so a PIN is never bound to a key the next visit would
 * not find.
 */
async function deviceValue(): Promise<Uint8Array | undefined> {
  try {
    const subtle = self.crypto?.subtle;
    if (!subtle || typeof indexedDB === 'undefined') return undefined;
    const openDb = (version?: number) => new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('zhuanshu-device', version);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains('keys')) req.result.createObjectStore('keys');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('device key store blocked'));
    });
    let db = await openDb();
    if (!db.objectStoreNames.contains('keys')) {
      // Made by something else without the store: add it with a version step.
      const next = db.version + 1;
      db.close();
      db = await openDb(next);
    }
    const request = <T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction('keys', mode);
        const req = run(tx.objectStore('keys'));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error ?? req.error);
        tx.onabort = () => reject(tx.error ?? new Error('aborted'));
      });
    try {
      const stored = () => request('readonly', (s) => s.get('vault-pin') as IDBRequest<CryptoKey | undefined>);
      let key = await stored();
      if (!key) {
        const fresh = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
        // `add`, not `put`: another tab of the app may have stored its key first, and that one wins.
        await request('readwrite', (s) => s.add(fresh, 'vault-pin')).catch(() => undefined);
        key = await stored();
      }
      if (!(key instanceof CryptoKey) || key.extractable) return undefined;
      return new Uint8Array(await subtle.sign('HMAC', key, core.deviceSecretInput() as BufferSource));
    } finally {
      db.close();
    }
  } catch (e) {
    console.warn('zhuanshu: no device key (the vault uses the PIN alone)', e);
    return undefined;
  }
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
  const device = await deviceValue();
  timings.deviceKey = clock();
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
        app = await Z.openPersistent(fixedNow, backend, device);
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
  app ??= Z.open(fixedNow, device);
  device?.fill(0); // the core keeps its own copy
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

/** A service of the app module, typed by the module's generated declarations. */
function typed<S extends 'assistant' | 'guide' | 'vault'>(name: S): ReturnType<core.ZhuanshuApp[S]> {
  return service(name) as unknown as ReturnType<core.ZhuanshuApp[S]>;
}

function faqIndex(): SearchIndex {
  if (!engine) throw internal('search engine not loaded');
  indexes.faq ??= engine.SearchIndex.faq(typed('assistant').entries());
  return indexes.faq;
}

function guideIndex(): SearchIndex {
  if (!engine) throw internal('search engine not loaded');
  indexes.guide ??= engine.SearchIndex.build(typed('guide').searchEntries());
  return indexes.guide;
}

/** The calls the second module answers (they wait for it and the dictionary); each takes the page's
 * arguments. */
const searches: { [K in Exclude<keyof SearchCalls, 'vault.verifyPackage'>]: SearchCalls[K] } = {
  'assistant.search': (query: string, limit: number) => faqIndex().search(query, limit),
  'assistant.suggest': (prefix: string) => faqIndex().suggest(prefix),
  'assistant.entry': (id: string) => faqIndex().entry(id),
  'assistant.related': (id: string, limit: number) => faqIndex().related(id, limit),
  'assistant.predicted': (uscc: string) => faqIndex().predicted(typed('assistant').topics(uscc)),
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
    // trusts (the given seals, each bound to its company, and, unlocked, its own).
    const [bytes, given] = args as [Uint8Array, TrustedSeal[] | null];
    const trusted = typed('vault').trustedSeals(given ?? []);
    return (await secondModule()).verifyPackage(bytes, trusted);
  }
  const search = Object.hasOwn(searches, method) ? searches[method as keyof typeof searches] : undefined;
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
