// 政策: the current company's checkup as the core judges it — eligible policies with one line per
// condition (the core's ✓ / ✗ wording), near misses with exactly the unmet conditions and what to change,
// 免申即享 as the core's "无需申请", saved policies; a policy's page records the open and shows its
// benefit, window, materials and the guide services that carry it out. Nothing is decided here.
import { clear, h } from '../dom';
import { t } from '../i18n';
import { call } from '../rpc';
import type { Route } from '../router';
import { onIndexReady, state } from '../state';
import type { ConditionResult, MaterialKind, Policy, PolicyCheck } from '../types';
import { errorText, icon, showError, toast } from '../ui';

let materialKinds: Promise<MaterialKind[]> | null = null;

function materialName(kinds: MaterialKind[], code: string): string {
  return kinds.find((k) => k.code === code)?.name ?? code;
}

function noCompany(root: HTMLElement) {
  clear(root,
    h('h2', { class: 'page-title' }, t('policiesTitle')),
    h('div', { class: 'card' }, h('p', {}, t('noCompanyPolicies')),
      h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/dossier/company/new' }, t('addCompany')))));
}

/** The save toggle; every toggle of the same policy on the page follows. */
function saveButton(uscc: string, id: string, saved: Set<string>, title: string): HTMLButtonElement {
  const paint = (b: HTMLButtonElement) => {
    const on = saved.has(id);
    b.setAttribute('aria-pressed', String(on));
    b.classList.toggle('on', on);
    b.lastChild!.textContent = on ? t('unsavePolicy') : t('savePolicy');
  };
  const button = h('button', {
    type: 'button', class: 'save-toggle', 'data-save': id, 'aria-label': `${t('savePolicy')}：${title}`,
    onclick: async () => {
      const on = saved.has(id);
      try {
        if (on) await call('policies.unsave', uscc, id);
        else await call('policies.save', uscc, id);
        if (on) saved.delete(id);
        else saved.add(id);
        for (const b of document.querySelectorAll<HTMLButtonElement>(`.save-toggle[data-save="${CSS.escape(id)}"]`)) paint(b);
        toast(t(on ? 'unsavedToast' : 'savedToast'));
      } catch (e) {
        showError(e);
      }
    },
  }, icon('star'), h('span', {}));
  paint(button);
  return button;
}

function conditionLine(c: ConditionResult, withMissing: boolean): HTMLElement {
  return h('li', { class: `cond ${c.truth}`, 'data-truth': c.truth },
    h('span', { class: 'cond-line' }, c.line),
    withMissing && c.missing && h('span', { class: 'cond-missing' }, c.missing),
    c.alternatives && c.alternatives.length > 0 && h('span', { class: 'cond-alt muted small' }, c.alternatives.join('；')));
}

function statusChip(c: PolicyCheck): HTMLElement {
  return h('span', { class: `chip${c.no_application_needed ? ' free' : c.window.status === 'open' ? ' accent' : ''}` }, c.status_label);
}

function policyCard(uscc: string, c: PolicyCheck, saved: Set<string>): HTMLElement {
  const p = c.policy;
  const near = c.verdict === 'near_miss';
  return h('li', { class: `card policy ${c.verdict}`, 'data-id': p.id, 'data-verdict': c.verdict },
    h('div', { class: 'dyn-head' }, statusChip(c), saveButton(uscc, p.id, saved, p.title)),
    h('h3', {}, h('a', { href: `#/policies/policy/${encodeURIComponent(p.id)}` }, p.title)),
    h('p', { class: 'benefit' }, p.benefit.description),
    near
      ? [h('p', { class: 'still-needed' }, t('stillNeeded')),
        h('ul', { class: 'conds unmet-list' }, c.conditions.filter((x) => !x.met).map((x) => conditionLine(x, true)))]
      : h('ul', { class: 'conds' }, c.conditions.map((x) => conditionLine(x, false))),
    h('a', { class: 'link small more', href: `#/policies/policy/${encodeURIComponent(p.id)}` }, `${t('details')} ›`));
}

/** The first few cards (in the core's ranking) and a button for the rest, so near misses stay in reach. */
const FIRST = 4;
function cards(uscc: string, checks: PolicyCheck[], saved: Set<string>): HTMLElement[] {
  const list = h('ul', { class: 'policies' }, checks.map((c, i) => {
    const card = policyCard(uscc, c, saved);
    card.hidden = i >= FIRST;
    return card;
  }));
  if (checks.length <= FIRST) return [list];
  const more = h('button', { type: 'button', class: 'btn secondary wide show-all', onclick: () => {
    for (const li of list.children) (li as HTMLElement).hidden = false;
    more.remove();
  } }, t('showAll', { n: checks.length }));
  return [list, more];
}

function savedList(checks: Map<string, PolicyCheck>, saved: string[], others: Map<string, Policy>): HTMLElement {
  return h('section', { class: 'section', 'aria-labelledby': 'saved-title' },
    h('h2', { id: 'saved-title' }, icon('star'), t('savedTitle')),
    saved.length === 0
      ? h('p', { class: 'card muted small' }, t('noSaved'))
      : h('ul', { class: 'list card saved-list' }, saved.map((id) => {
        const c = checks.get(id);
        const title = c?.policy.title ?? others.get(id)?.title ?? id;
        return h('li', {}, h('a', { class: 'row', href: `#/policies/policy/${encodeURIComponent(id)}` },
          h('span', { class: 'row-main' }, h('span', { class: 'row-title' }, title),
            c && h('span', { class: 'muted small' }, c.status_label)),
          icon('chevron')));
      })));
}

async function overview(root: HTMLElement) {
  const current = state.current;
  if (!current) return noCompany(root);
  const uscc = current.company.uscc;
  const [checkup, savedIds] = await Promise.all([call('policies.checkup', uscc), call('policies.saved', uscc)]);
  const saved = new Set(savedIds);
  const byId = new Map(checkup.policies.map((c) => [c.policy.id, c]));
  // A saved policy of another region (or one the catalog no longer judges for this company) by its title.
  const others = new Map<string, Policy>();
  await Promise.all(savedIds.filter((id) => !byId.has(id)).map(async (id) => {
    try {
      others.set(id, await call('policies.policy', id));
    } catch {
      // withdrawn from the catalog: listed by its id
    }
  }));
  const eligible = checkup.policies.filter((c) => c.verdict === 'eligible');
  const near = checkup.policies.filter((c) => c.verdict === 'near_miss');
  const rest = checkup.policies.filter((c) => c.verdict === 'not_eligible');
  clear(root,
    h('h2', { class: 'page-title' }, t('policiesTitle')),
    h('p', { class: 'muted small checkup-for' }, t('checkupFor', { name: current.company.name, date: checkup.today })),
    h('div', { class: 'counts' },
      h('a', { class: 'count-box eligible', href: '#/policies', onclick: (e: Event) => { e.preventDefault(); document.getElementById('eligible-title')?.scrollIntoView({ behavior: 'smooth' }); } },
        h('strong', {}, String(checkup.eligible)), h('span', {}, t('eligibleTitle'))),
      h('a', { class: 'count-box near', href: '#/policies', onclick: (e: Event) => { e.preventDefault(); document.getElementById('near-title')?.scrollIntoView({ behavior: 'smooth' }); } },
        h('strong', {}, String(checkup.near_miss)), h('span', {}, t('nearMissTitle')))),
    h('section', { class: 'section', 'aria-labelledby': 'eligible-title' },
      h('h2', { id: 'eligible-title' }, t('eligibleTitle'), h('span', { class: 'count' }, String(eligible.length))),
      eligible.length === 0 ? h('p', { class: 'card muted' }, t('noEligible')) : cards(uscc, eligible, saved)),
    h('section', { class: 'section', 'aria-labelledby': 'near-title' },
      h('h2', { id: 'near-title' }, t('nearMissTitle'), h('span', { class: 'count near' }, String(near.length))),
      near.length === 0 ? h('p', { class: 'card muted' }, t('noNearMiss')) : cards(uscc, near, saved)),
    savedList(byId, savedIds, others),
    rest.length > 0 && h('section', { class: 'section' },
      h('details', { class: 'card not-eligible' },
        h('summary', {}, `${t('notEligibleTitle')}（${rest.length}）`),
        h('ul', { class: 'list' }, rest.map((c) => h('li', {},
          h('a', { class: 'row', href: `#/policies/policy/${encodeURIComponent(c.policy.id)}` },
            h('span', { class: 'row-main' },
              h('span', { class: 'row-title' }, c.policy.title),
              h('span', { class: 'muted small' }, c.conditions.find((x) => !x.met)?.line ?? c.status_label)),
            icon('chevron'))))))));
}

function guideLinks(policyId: string): HTMLElement {
  const list = h('ul', { class: 'list card guide-links' }, h('li', { class: 'muted small row' }, t('guideLinksLoading')));
  void (async () => {
    try {
      const items = await call('guide.forPolicy', policyId);
      clear(list, items.map((i) => h('li', {}, h('a', { class: 'row', href: `#/guide/item/${encodeURIComponent(i.code)}` },
        h('span', { class: 'row-main' }, h('span', { class: 'row-title' }, i.name), h('span', { class: 'muted small' }, `${i.department} · ${i.time_limit}`)),
        icon('chevron')))));
      if (items.length === 0) list.closest('section')?.remove();
    } catch (e) {
      clear(list, h('li', { class: 'row error-text' }, errorText(e)));
    }
  })();
  return h('section', { class: 'section', 'aria-labelledby': 'guide-links-title' }, h('h2', { id: 'guide-links-title' }, t('guideLinks')), list);
}

async function detail(root: HTMLElement, id: string) {
  const current = state.current;
  if (!current) return noCompany(root);
  const uscc = current.company.uscc;
  const back = h('a', { class: 'back', href: '#/policies', onclick: (ev: Event) => { if (history.length > 1) { ev.preventDefault(); history.back(); } } }, `‹ ${t('back')}`);
  let c: PolicyCheck;
  let savedIds: string[];
  let kinds: MaterialKind[];
  try {
    materialKinds ??= call('dossier.materialKinds');
    [c, savedIds, kinds] = await Promise.all([call('policies.open', uscc, id), call('policies.saved', uscc), materialKinds]);
  } catch (e) {
    clear(root, back, h('p', { class: 'card error-box', role: 'alert' }, errorText(e)));
    return;
  }
  const p = c.policy;
  const saved = new Set(savedIds);
  const near = c.verdict === 'near_miss';
  clear(root, back,
    h('article', { class: `card policy-detail ${c.verdict}`, 'data-id': p.id, 'data-verdict': c.verdict },
      h('div', { class: 'dyn-head' }, h('span', { class: `chip verdict ${c.verdict}` }, t(c.verdict === 'eligible' ? 'eligibleTitle' : near ? 'nearMissTitle' : 'notEligibleTitle')), statusChip(c)),
      h('h2', {}, p.title),
      h('p', {}, p.summary),
      h('dl', { class: 'facts' },
        h('dt', {}, t('benefit')), h('dd', { class: 'benefit' }, p.benefit.description),
        h('dt', {}, t('window')), h('dd', {}, p.window ? `${p.window.opens} – ${p.window.closes}` : c.status_label),
        h('dt', {}, t('issuerLabel')), h('dd', {}, p.issuer),
        h('dt', {}, t('sourceLabel')), h('dd', {}, p.source)),
      h('div', { class: 'actions' }, saveButton(uscc, p.id, saved, p.title))),
    h('section', { class: 'section', 'aria-labelledby': 'cond-title' },
      h('h2', { id: 'cond-title' }, t('conditionsTitle')),
      near && c.missing.length > 0 && h('div', { class: 'card still-box' }, h('p', { class: 'still-needed' }, t('stillNeeded')),
        h('ul', { class: 'missing-list' }, c.missing.map((m) => h('li', {}, m)))),
      h('ul', { class: 'card conds' }, c.conditions.map((x) => conditionLine(x, !near && !x.met)))),
    p.materials.length > 0 && h('section', { class: 'section', 'aria-labelledby': 'pmat-title' },
      h('h2', { id: 'pmat-title' }, t('policyMaterials')),
      h('ul', { class: 'card plain-list' }, p.materials.map((m) => h('li', {}, materialName(kinds, m))))),
    guideLinks(p.id),
    p.faq.length > 0 && h('section', { class: 'section', 'aria-labelledby': 'pfaq-title' },
      h('h2', { id: 'pfaq-title' }, t('faqLinks')),
      faqList(p.faq)));
  window.scrollTo(0, 0);
}

/** The policy's FAQ entries by their questions (the assistant answers once its index is built). */
function faqList(ids: string[]): HTMLElement {
  const texts = ids.map(() => h('span', { class: 'row-main muted' }, t('indexLoading')));
  onIndexReady(() => {
    ids.forEach(async (id, i) => {
      try {
        const e = await call('assistant.entry', id);
        texts[i].textContent = e.question;
        texts[i].classList.remove('muted');
      } catch (e) {
        texts[i].textContent = errorText(e);
      }
    });
  });
  return h('ul', { class: 'list card' }, ids.map((f, i) => h('li', {}, h('a', { class: 'row', href: `#/assistant/faq/${encodeURIComponent(f)}` },
    texts[i], icon('chevron')))));
}

export async function renderPolicies(root: HTMLElement, r: Route) {
  if (r.path[1] === 'policy' && r.path[2]) return detail(root, r.path[2]);
  return overview(root);
}
