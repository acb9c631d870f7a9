// 客服: search as you type (suggestions and results with the core's highlights), answers in light
// markdown, one entry with its related questions. Works with simplified, traditional and pinyin input:
// all of that is the core's analyzer; this screen only shows what it returns.
import { clear, h } from '../dom';
import { t } from '../i18n';
import { call } from '../rpc';
import type { Route } from '../router';
import { state } from '../state';
import { highlighted, renderAnswer } from '../markdown';
import type { Hit } from '../types';
import { errorText, icon } from '../ui';

let generation = 0;

function resultCard(hit: Hit, open: boolean): HTMLElement {
  return h('li', {},
    h('details', { class: 'card hit', open, 'data-id': hit.id },
      h('summary', {}, h('span', { class: 'q' }, highlighted(hit.question, hit.question_highlights)), h('span', { class: 'chip' }, hit.theme)),
      renderAnswer(hit.answer, hit.answer_highlights),
      h('a', { class: 'link small', href: `#/assistant/faq/${encodeURIComponent(hit.id)}` }, `${t('related')} ›`)));
}

async function update(query: string, suggestions: HTMLElement, results: HTMLElement, status: HTMLElement) {
  const mine = ++generation;
  const q = query.trim();
  history.replaceState(null, '', q ? `#/assistant?q=${encodeURIComponent(q)}` : '#/assistant');
  if (!q) {
    clear(suggestions);
    clear(results);
    status.textContent = '';
    return;
  }
  if (!state.indexReady) status.textContent = t('indexLoading');
  try {
    const [sugg, hits] = await Promise.all([call('assistant.suggest', q), call('assistant.search', q, 10)]);
    if (mine !== generation) return;
    clear(suggestions, sugg.length === 0 ? null : [
      h('h2', { class: 'small-title' }, t('suggestions')),
      h('ul', { class: 'suggest' }, sugg.slice(0, 5).map((s) =>
        h('li', {}, h('a', { class: 'row', href: `#/assistant/faq/${encodeURIComponent(s.id)}` }, h('span', { class: 'row-main' }, s.question), icon('chevron'))))),
    ]);
    clear(results, hits.length === 0 ? h('p', { class: 'card muted' }, t('noResults')) : [
      h('h2', { class: 'small-title' }, t('results')),
      h('ul', { class: 'hits' }, hits.map((hit, i) => resultCard(hit, i === 0))),
    ]);
    status.textContent = '';
  } catch (e) {
    if (mine === generation) status.textContent = errorText(e);
  }
}

async function entry(root: HTMLElement, id: string) {
  clear(root, h('p', { class: 'muted' }, state.indexReady ? t('loading') : t('indexLoading')));
  try {
    const [e, related] = await Promise.all([call('assistant.entry', id), call('assistant.related', id, 5)]);
    clear(root,
      h('a', { class: 'back', href: '#/assistant', onclick: (ev: Event) => { if (history.length > 1) { ev.preventDefault(); history.back(); } } }, `‹ ${t('back')}`),
      h('article', { class: 'card faq' },
        h('div', { class: 'dyn-head' }, h('span', { class: 'chip' }, e.theme), h('span', { class: 'muted small' }, e.updated)),
        h('h2', {}, e.question),
        renderAnswer(e.answer)),
      related.length > 0 && h('section', { class: 'section', 'aria-labelledby': 'related-title' },
        h('h2', { id: 'related-title' }, t('related')),
        h('ul', { class: 'list card' }, related.map((r) =>
          h('li', {}, h('a', { class: 'row', href: `#/assistant/faq/${encodeURIComponent(r.id)}` }, h('span', { class: 'row-main' }, r.question), icon('chevron')))))));
  } catch (e) {
    clear(root, h('p', { class: 'card error-box' }, errorText(e)));
  }
}

export async function renderAssistant(root: HTMLElement, r: Route) {
  if (r.path[1] === 'faq' && r.path[2]) return entry(root, r.path[2]);
  const suggestions = h('div', { class: 'suggestions' });
  const results = h('div', { class: 'results' });
  const status = h('p', { class: 'muted status', 'aria-live': 'polite' });
  let timer = 0;
  const box = h('input', {
    id: 'faq-search', type: 'search', enterkeyhint: 'search', autocomplete: 'off', placeholder: t('searchPlaceholder'),
    value: r.query.get('q') ?? '',
    oninput: () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => void update(box.value, suggestions, results, status), 120);
    },
  });
  const form = h('form', { class: 'ask big', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    clearTimeout(timer);
    box.blur();
    void update(box.value, suggestions, results, status);
  } },
    h('label', { class: 'visually-hidden', for: 'faq-search' }, t('searchLabel')),
    icon('search'), box, h('button', { type: 'submit', class: 'btn small' }, t('search')));
  clear(root, form, status, suggestions, results);
  if (box.value) void update(box.value, suggestions, results, status);
  else box.focus();
}
