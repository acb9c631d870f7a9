// The service worker (generated into dist/ by vite.config.ts, which fills in the version and the file
// list). The shell, the wasm and the dictionary are precached at install, so the app starts offline after
// the first load. Feed files (/feed/…) go to the network first and fall back to the last copy cached.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const SHELL = `zhuanshu-shell-${VERSION}`;
const FEED = 'zhuanshu-feed';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('zhuanshu-shell-') && key !== SHELL) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function feed(request) {
  const cache = await caches.open(FEED);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw e;
  }
}

async function shell(request) {
  const cache = await caches.open(SHELL);
  // The page itself, whatever its query (?demo, ?now=…), is the cached index.
  const url = new URL(request.url);
  const key = request.mode === 'navigate' ? new URL('./', self.registration.scope).href : url.href;
  const cached = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.includes('/feed/')) event.respondWith(feed(event.request));
  else event.respondWith(shell(event.request));
});

// A tap on a due-date notification (shown by the page, see src/notify.ts) brings the app to the front on
// 首页, or opens it.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((c) => new URL(c.url).origin === self.location.origin);
    if (open) {
      await open.focus();
      if ('navigate' in open) await open.navigate(new URL('#/', open.url).href).catch(() => undefined);
      return;
    }
    await self.clients.openWindow(new URL('./#/', self.registration.scope).href);
  })());
});
