// The app shell: tab bar, routes, start-up. The first screen is drawn as soon as the worker has opened
// the database; the dictionary and the search index load afterwards, and the service worker is
// registered last (then, if switched on, due notifications are shown).
import './style.css';
import { clear, h } from './dom';
import { setLang, getLang, t, type Key } from './i18n';
import * as prefs from './prefs';
import { open, warm } from './rpc';
import { route, setRenderer, type Route } from './router';
import { setIndexReady, state } from './state';
import { renderHome } from './screens/home';
import { errorText, icon } from './ui';

interface Tab {
  id: string;
  label: Key;
  icon: string;
  render: (root: HTMLElement, r: Route) => Promise<void>;
}

// One line per tab. Only home is in the first screen's bundle; the other screens load when opened (the
// service worker precaches them for offline use).
const TABS: Tab[] = [
  { id: 'home', label: 'tabHome', icon: 'home', render: renderHome },
  { id: 'policies', label: 'tabPolicies', icon: 'policy', render: (root, r) => import('./screens/policies').then((m) => m.renderPolicies(root, r)) },
  { id: 'guide', label: 'tabGuide', icon: 'guide', render: (root, r) => import('./screens/guide').then((m) => m.renderGuide(root, r)) },
  { id: 'dossier', label: 'tabDossier', icon: 'dossier', render: (root, r) => import('./screens/dossier').then((m) => m.renderDossier(root, r)) },
  { id: 'vault', label: 'tabVault', icon: 'vault', render: (root) => import('./screens/vault').then((m) => m.renderVault(root)) },
  { id: 'assistant', label: 'tabAssistant', icon: 'assistant', render: (root, r) => import('./screens/assistant').then((m) => m.renderAssistant(root, r)) },
  { id: 'settings', label: 'tabSettings', icon: 'settings', render: (root) => import('./screens/settings').then((m) => m.renderSettings(root)) },
];

const params = new URLSearchParams(location.search);
const main = h('main', { id: 'main', tabindex: '-1' });
const nav = h('nav', { class: 'tabbar', 'aria-label': 'Zhuanshu' });
const title = h('h1', { class: 'app-title' });
const banner = h('div', { class: 'offline-banner', role: 'status', hidden: true });
let lastTab = '';
let lastLang = '';

function drawChrome(active: string) {
  title.textContent = t('appName');
  clear(nav, TABS.map((tab) => h('a', {
    href: `#/${tab.id === 'home' ? '' : tab.id}`, class: `tab${tab.id === active ? ' active' : ''}`,
    'aria-current': tab.id === active ? 'page' : null,
  }, icon(tab.icon), h('span', {}, t(tab.label)))));
  banner.textContent = t('offlineBanner');
}

async function render() {
  const r = route();
  const tab = TABS.find((x) => x.id === (r.path[0] ?? 'home')) ?? TABS[0];
  if (tab.id !== lastTab || getLang() !== lastLang) drawChrome(tab.id);
  const changedTab = tab.id !== lastTab;
  lastTab = tab.id;
  lastLang = getLang();
  try {
    await tab.render(main, r);
  } catch (e) {
    console.error(e);
    clear(main, h('div', { class: 'card error-box', role: 'alert' }, h('h2', {}, t('error')), h('p', {}, errorText(e)),
      h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, t('retry'))));
  }
  if (changedTab) window.scrollTo(0, 0);
}

/** The worker's wall-clock times as performance marks of this page (`zs-worker-…`). */
function marks(times: Record<string, number>) {
  for (const [name, at] of Object.entries(times)) {
    performance.mark(`zs-worker-${name}`, { startTime: Math.max(0, at - performance.timeOrigin) });
  }
}

function onlineState() {
  banner.hidden = navigator.onLine;
}

async function start() {
  prefs.apply();
  setLang(getLang());
  document.body.append(h('header', { class: 'appbar' }, title), banner, main, nav);
  drawChrome('home');
  clear(main, h('p', { class: 'muted loading' }, t('loading')));
  window.addEventListener('online', onlineState);
  window.addEventListener('offline', onlineState);
  onlineState();

  const storage = params.get('storage');
  state.ready = await open(params.get('now'), storage === 'indexeddb' || storage === 'memory' ? storage : 'auto', params.has('demo'));
  document.documentElement.dataset.storage = state.ready.storage;
  if (state.ready.storage === 'memory') {
    // Nothing typed now survives a reload: say so on every screen (the settings say why).
    main.before(h('div', { class: 'offline-banner', role: 'alert' }, t('storageMemory')));
  }
  marks(state.ready.timings);
  state.labels = state.ready.first.labels;
  state.companies = state.ready.first.companies;
  state.current = state.companies.find((c) => c.current) ?? null;
  if (state.current) state.prefetched = { uscc: state.current.company.uscc, items: state.ready.first.dynamics };
  setRenderer(render);
  await render();
  performance.mark('zs-first-screen');
  document.documentElement.dataset.firstScreen = 'ready';

  // After the first screen: the dictionary and the index, then offline support.
  setTimeout(() => {
    warm().then((times) => {
      marks(times);
      setIndexReady();
      document.documentElement.dataset.index = 'ready';
      performance.mark('zs-index-ready');
    }, (e) => console.error('search index', e));
    if ('serviceWorker' in navigator && params.get('sw') !== 'off') {
      navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('service worker', e));
    }
    // 到期提醒通知, once the owner has turned them on in 设置: what is due now, from a module of its own.
    if (localStorage.getItem('zs.notify') === 'on') import('./notify').then((m) => m.watch(), (e) => console.warn('notifications', e));
  }, 0);
}

start().catch((e) => {
  console.error(e);
  clear(main, h('div', { class: 'card error-box', role: 'alert' }, h('h2', {}, t('error')), h('p', {}, errorText(e))));
});
