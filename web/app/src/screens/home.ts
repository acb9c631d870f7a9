// 首页: today's items of the current company (severity colours, days left, done / dismiss / snooze),
// quick ways into licences and the assistant, and the questions the assistant predicts.
import { clear, h } from '../dom';
import { t } from '../i18n';
import { call } from '../rpc';
import { label, onIndexReady, refreshCompanies, state } from '../state';
import { daysText, icon, sheet, showError, toast } from '../ui';
import type { Dynamic } from '../types';
import { go, rerender } from '../router';

function actionLink(item: Dynamic): HTMLElement | null {
  const a = item.action;
  if (!a) return null;
  const href =
    a.type === 'licence' ? `#/dossier/licence/${a.id}`
    : a.type === 'faq' ? `#/assistant/faq/${encodeURIComponent(a.id)}`
    : a.type === 'record' || a.type === 'material' ? '#/dossier'
    : a.type === 'policy' ? `#/policies/policy/${encodeURIComponent(a.id)}`
    : a.type === 'guide' ? `#/guide/item/${encodeURIComponent(a.item)}`
    : a.type === 'website' ? a.url
    : null;
  if (!href) return null;
  const external = a.type === 'website';
  return h('a', { class: 'btn small secondary', href, target: external ? '_blank' : null, rel: external ? 'noopener noreferrer' : null }, t('open'));
}

async function act(uscc: string, item: Dynamic, what: 'done' | 'dismiss' | 'snooze') {
  try {
    if (what === 'snooze') {
      const choices = await call('dynamics.snoozeChoices');
      let until: string | null = null;
      await sheet(t('snoozeTitle'), (close) =>
        h('div', { class: 'choices' }, choices.map((c) =>
          h('button', { type: 'button', class: 'btn secondary wide', onclick: () => { until = c.until; close(); } },
            c.label, h('span', { class: 'muted' }, ` ${c.until}`)))));
      if (!until) return;
      await call('dynamics.snooze', uscc, item.id, until);
      toast(t('snoozedUntil', { date: until }), { label: t('undo'), run: () => undo(uscc, item.id) });
    } else {
      await call(what === 'done' ? 'dynamics.markDone' : 'dynamics.dismiss', uscc, item.id);
      toast(t(what === 'done' ? 'markedDone' : 'dismissed'), { label: t('undo'), run: () => undo(uscc, item.id) });
    }
    rerender();
  } catch (e) {
    showError(e);
  }
}

async function undo(uscc: string, id: string) {
  try {
    await call('dynamics.restore', uscc, id);
    rerender();
  } catch (e) {
    showError(e);
  }
}

/** Long explanations show three lines until tapped. */
function toggleDetail(el: HTMLElement) {
  const open = el.classList.toggle('clamped') === false;
  el.setAttribute('aria-expanded', String(open));
}

function dynamicCard(uscc: string, item: Dynamic): HTMLElement {
  const severity = label('severities', item.severity);
  return h('li', { class: `card dyn sev-${item.severity}`, 'data-id': item.id },
    h('div', { class: 'dyn-head' },
      h('span', { class: `chip sev-${item.severity}` }, severity),
      h('span', { class: 'kind' }, label('dynamic_kinds', item.kind)),
      h('span', { class: 'days', 'aria-label': `${t('due', { date: item.due })}，${daysText(item.days_left)}` }, daysText(item.days_left))),
    h('h3', {}, item.title),
    item.detail && h('p', {
      class: 'detail clamped', tabindex: '0', role: 'button', 'aria-expanded': 'false',
      onclick: (e: Event) => toggleDetail(e.currentTarget as HTMLElement),
      onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') { e.preventDefault(); toggleDetail(e.currentTarget as HTMLElement); } },
    }, item.detail),
    h('p', { class: 'meta' }, t('due', { date: item.due }), item.days_left > 0 && ` · ${t('workdaysLeft', { n: item.workdays_left })}`, item.estimated && t('estimated')),
    h('div', { class: 'actions' },
      actionLink(item),
      h('button', { type: 'button', class: 'btn small', onclick: () => act(uscc, item, 'done'), 'aria-label': `${t('done')}：${item.title}` }, t('done')),
      h('button', { type: 'button', class: 'btn small secondary', onclick: () => act(uscc, item, 'snooze'), 'aria-label': `${t('snooze')}：${item.title}` }, t('snooze')),
      h('button', { type: 'button', class: 'btn small ghost', onclick: () => act(uscc, item, 'dismiss'), 'aria-label': `${t('dismiss')}：${item.title}` }, t('dismiss'))));
}

function welcome(): HTMLElement {
  return h('section', { class: 'card welcome' },
    h('h2', {}, t('noCompanyTitle')),
    h('p', {}, t('noCompanyBody')),
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: '#/dossier/company/new' }, t('addCompany')),
      h('button', { type: 'button', class: 'btn secondary', onclick: async () => {
        try {
          await call('dossier.loadDemo');
          await refreshCompanies();
          rerender();
        } catch (e) {
          showError(e);
        }
      } }, t('loadDemo'))));
}

function quickActions(): HTMLElement {
  const form = h('form', { class: 'ask', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    const q = (form.querySelector('input') as HTMLInputElement).value.trim();
    go(q ? `#/assistant?q=${encodeURIComponent(q)}` : '#/assistant');
  } },
    h('label', { class: 'visually-hidden', for: 'home-ask' }, t('searchLabel')),
    icon('search'),
    h('input', { id: 'home-ask', type: 'search', enterkeyhint: 'search', placeholder: t('askPlaceholder'), autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'btn small' }, t('quickAsk')));
  return h('div', { class: 'quick' },
    form,
    h('nav', { class: 'quick-links', 'aria-label': t('tabDossier') },
      h('a', { class: 'quick-link', href: '#/dossier/licences' }, icon('licence'), t('quickLicences')),
      h('a', { class: 'quick-link', href: '#/dossier' }, icon('dossier'), t('quickDossier'))));
}

function predictions(uscc: string): HTMLElement {
  const list = h('ul', { class: 'predicted' });
  const section = h('section', { class: 'section', 'aria-labelledby': 'predicted-title' },
    h('h2', { id: 'predicted-title' }, t('predicted')), list);
  clear(list, h('li', { class: 'muted' }, t('predictedLoading')));
  onIndexReady(async () => {
    try {
      const items = await call('assistant.predicted', uscc);
      clear(list, items.map((p) =>
        h('li', {}, h('a', { class: 'row', href: `#/assistant/faq/${encodeURIComponent(p.id)}` },
          h('span', { class: 'row-main' }, h('span', {}, p.question), h('span', { class: 'muted small' }, p.reason)),
          icon('chevron')))));
    } catch (e) {
      clear(list, h('li', { class: 'muted' }, String((e as { userMessage?: string }).userMessage ?? e)));
    }
  });
  return section;
}

export async function renderHome(root: HTMLElement) {
  const current = state.current;
  if (!current) {
    clear(root, welcome(), quickActions());
    return;
  }
  const uscc = current.company.uscc;
  const prefetched = state.prefetched?.uscc === uscc ? state.prefetched.items : null;
  state.prefetched = null;
  const items = prefetched ?? (await call('dynamics.list', uscc));
  clear(root,
    h('a', { class: 'company-bar', href: '#/dossier', 'aria-label': `${t('switchCompany')}：${current.company.name}` },
      h('span', { class: 'company-name' }, current.company.name),
      h('span', { class: 'muted small' }, `${current.stage_label} · ${current.size.class ? label('size_classes', current.size.class) : t('sizeUnknown')}`),
      icon('chevron')),
    quickActions(),
    h('section', { class: 'section', 'aria-labelledby': 'today-title' },
      h('h2', { id: 'today-title' }, t('today'), h('span', { class: 'count' }, String(items.length))),
      items.length === 0
        ? h('p', { class: 'card muted' }, t('nothingToDo'))
        : h('ul', { class: 'dyn-list' }, items.map((item) => dynamicCard(uscc, item)))),
    predictions(uscc));
}
