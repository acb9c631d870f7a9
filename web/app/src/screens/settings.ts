// 设置: language, appearance, large text (适老化), where the data is kept and whether the app works offline.
import { clear, h } from '../dom';
import { LANGS, getLang, setLang, t, type Key } from '../i18n';
import * as prefs from '../prefs';
import { rerender } from '../router';
import { state } from '../state';

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
    h('section', { class: 'card', 'aria-labelledby': 'storage-title' },
      h('h3', { id: 'storage-title' }, t('storage')),
      h('p', { id: 'storage-kind', 'data-storage': state.ready?.storage ?? 'memory' }, t(storageKey)),
      state.ready?.storageNote && h('p', { class: 'muted small' }, state.ready.storageNote)),
    h('section', { class: 'card', 'aria-labelledby': 'offline-title' },
      h('h3', { id: 'offline-title' }, t('offline')),
      h('p', { id: 'offline-state' }, t(await offlineState()))),
    h('section', { class: 'card' }, h('h3', {}, t('about')), h('p', { class: 'muted' }, t('aboutBody'))));
}
