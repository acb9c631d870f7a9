// 设置: language, appearance, large text (适老化), due-date notifications, content updates from the signed
// feed, where the data is kept and whether the app works offline.
import { clear, h } from '../dom';
import { LANGS, getLang, setLang, t, type Key } from '../i18n';
import * as prefs from '../prefs';
import { call } from '../rpc';
import { rerender } from '../router';
import { state } from '../state';
import type { FeedStatus } from '../types';
import { errorText, field } from '../ui';
import { notifyCard } from './notify-card';

function radios<T extends string>(name: string, legend: string, options: { value: T; label: string }[], current: T, onChange: (v: T) => void) {
  return h('fieldset', { class: 'card radios' },
    h('legend', {}, legend),
    options.map((o) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name, value: o.value, checked: o.value === current, onchange: () => onChange(o.value) }),
      h('span', {}, o.label))));
}

async function offlineState(): Promise<Key> {
  if (!('serviceWorker' in navigator)) return 'offlineUnsupported';
  const reg = await navigator.serviceWorker.getRegistration();
  return reg?.active ? 'offlineReady' : 'offlineNotYet';
}

/** The feed site to sync from: what the owner typed last (kept on this device), else the site published
 * beside the app (`feed/`, as `cargo xtask demo` serves it). */
const FEED_URL_KEY = 'zs.feedUrl';
const defaultFeedUrl = () => new URL('feed/', location.href).href;
const feedUrl = () => localStorage.getItem(FEED_URL_KEY) || defaultFeedUrl();

/** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
const when = (at: string | null) => (at ? at.replace('T', ' ').slice(0, 16) : t('feedNever'));

function feedFacts(status: FeedStatus): HTMLElement {
  return h('div', { id: 'feed-status', 'data-version': status.version },
    h('dl', { class: 'facts' },
      h('dt', {}, t('feedVersion')),
      h('dd', { id: 'feed-version' }, status.version === 0 ? t('feedBuiltIn') : t('feedVersionN', { n: status.version })),
      h('dt', {}, t('feedSource')),
      h('dd', { class: 'feed-source' }, status.source ?? t('feedSourceBuiltIn')),
      status.version > 0 && [h('dt', {}, t('feedSynced')), h('dd', {}, when(status.synced_at))],
      h('dt', {}, t('feedChecked')),
      h('dd', {}, when(status.checked_at)),
      status.expires && [h('dt', {}, t('feedExpires')), h('dd', {}, when(status.expires))]),
    status.verified_until && status.checked_at && (status.fresh
      ? h('p', { class: 'small muted', id: 'feed-fresh' }, t('feedFresh', { checked: when(status.checked_at), until: when(status.verified_until) }))
      : h('p', { class: 'warn-box', role: 'alert', id: 'feed-fresh' }, t('feedStale', { until: when(status.verified_until) }))),
    status.problem && h('p', { class: 'warn-box', role: 'alert' }, status.problem),
    status.expired && h('p', { class: 'warn-box', role: 'alert' }, t('feedExpired')),
    status.files.length > 0 && h('details', { class: 'feed-files' },
      h('summary', {}, t('feedFiles', { n: status.files.length })),
      h('ul', { class: 'small muted' }, status.files.map((f) => h('li', {},
        h('span', { class: 'mono' }, f.name), ` · ${f.version === 0 ? t('feedSourceBuiltIn') : t('feedVersionN', { n: f.version })}`)))));
}

/** 内容更新: the version in force and where it came from, and a sync. A failed sync changes nothing the
 * card shows but the message: the core keeps the previous content in force. */
async function feedCard(): Promise<HTMLElement> {
  let facts: HTMLElement;
  try {
    facts = feedFacts(await call('feed.status'));
  } catch (e) {
    facts = h('p', { class: 'error-text', id: 'feed-status' }, errorText(e));
  }
  const input = h('input', { type: 'url', inputmode: 'url', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', value: feedUrl(), enterkeyhint: 'go' });
  const outcome = h('p', { class: 'status feed-outcome', id: 'feed-outcome', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn wide', id: 'feed-sync' }, t('feedSync'));
  const form = h('form', { class: 'card form', id: 'feed-card', 'aria-labelledby': 'feed-title', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    const url = input.value.trim() || defaultFeedUrl();
    input.value = url;
    if (url === defaultFeedUrl()) localStorage.removeItem(FEED_URL_KEY);
    else localStorage.setItem(FEED_URL_KEY, url);
    button.disabled = true;
    button.textContent = t('feedSyncing');
    outcome.className = 'status feed-outcome';
    outcome.textContent = '';
    try {
      const report = await call('feed.sync', url);
      outcome.classList.add('ok');
      outcome.textContent = report.updated
        ? t('feedUpdated', { n: report.version, files: report.changed.length + report.removed.length })
        : t('feedUpToDate', { n: report.version });
      const fresh = feedFacts(await call('feed.status'));
      form.querySelector('#feed-status')?.replaceWith(fresh);
    } catch (err) {
      outcome.classList.add('error-text');
      outcome.textContent = errorText(err);
    } finally {
      button.disabled = false;
      button.textContent = t('feedSync');
    }
  } },
    h('h3', { id: 'feed-title' }, t('feedTitle')),
    h('p', { class: 'muted small' }, t('feedIntro')),
    facts,
    field('feed-url', t('feedUrl'), input),
    button,
    outcome);
  return form;
}

export async function renderSettings(root: HTMLElement) {
  const storageKey: Key = state.ready?.storage === 'opfs' ? 'storageOpfs' : state.ready?.storage === 'indexeddb' ? 'storageIdb' : 'storageMemory';
  const large = h('input', { type: 'checkbox', id: 'large-text', role: 'switch', checked: prefs.largeText(),
    onchange: () => prefs.setLargeText(large.checked) });
  clear(root,
    h('h2', { class: 'page-title' }, t('tabSettings')),
    radios('lang', t('language'), LANGS.map((l) => ({ value: l.code, label: l.name })), getLang(), (v) => {
      setLang(v);
      void rerender();
    }),
    radios('theme', t('theme'), [
      { value: 'system', label: t('themeSystem') },
      { value: 'light', label: t('themeLight') },
      { value: 'dark', label: t('themeDark') },
    ] as { value: prefs.Theme; label: string }[], prefs.theme(), prefs.setTheme),
    h('div', { class: 'card toggle' },
      h('label', { for: 'large-text' }, h('span', { class: 'row-title' }, t('largeFont')), h('span', { class: 'muted small' }, t('largeFontHint'))),
      large),
    await notifyCard(),
    await feedCard(),
    h('section', { class: 'card', 'aria-labelledby': 'storage-title' },
      h('h3', { id: 'storage-title' }, t('storage')),
      h('p', { id: 'storage-kind', 'data-storage': state.ready?.storage ?? 'memory' }, t(storageKey)),
      state.ready?.storageNote && h('p', { class: 'muted small' }, state.ready.storageNote)),
    h('section', { class: 'card', 'aria-labelledby': 'offline-title' },
      h('h3', { id: 'offline-title' }, t('offline')),
      h('p', { id: 'offline-state' }, t(await offlineState()))),
    h('section', { class: 'card' }, h('h3', {}, t('about')), h('p', { class: 'muted' }, t('aboutBody'))));
}
