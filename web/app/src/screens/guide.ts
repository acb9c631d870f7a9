// 办事: the life tree of services by theme and the "一件事" bundles; an item or bundle page asks the
// core's scenario questions one at a time (the answers so far live in the route, so the back button
// takes one back), then shows the exact materials checked against the current company's dossier (reuse,
// renew, missing) and each service's form prefilled from it, with the fields still to fill in.
import { clear, h } from '../dom';
import { t, type Key } from '../i18n';
import { call } from '../rpc';
import { go, type Route } from '../router';
import { state } from '../state';
import type { Answers, GuideForm, GuideItem, GuideQuestion, GuidePlan, ItemPlan, PendingQuestion, RequiredMaterial } from '../types';
import { errorText, icon } from '../ui';

const STATUS_KEY: Record<RequiredMaterial['status'], Key> = {
  reuse: 'statusReuse',
  renew: 'statusRenew',
  missing: 'statusMissing',
  prepare: 'statusPrepare',
};

/** Answers are `a.<question key>=<option value>` in the route's query, in the order given. */
function answersOf(r: Route): [string, string][] {
  return [...r.query.entries()].filter(([k]) => k.startsWith('a.')).map(([k, v]) => [k.slice(2), v]);
}

function hashFor(kind: string, code: string, answers: [string, string][]): string {
  const q = new URLSearchParams(answers.map(([k, v]) => [`a.${k}`, v]));
  const query = q.toString();
  return `#/guide/${kind}/${encodeURIComponent(code)}${query ? `?${query}` : ''}`;
}

async function home(root: HTMLElement) {
  const [bundles, tree] = await Promise.all([call('guide.bundles'), call('guide.tree')]);
  clear(root,
    h('h2', { class: 'page-title' }, icon('guide'), t('guideTitle')),
    h('section', { class: 'section', 'aria-labelledby': 'bundles-title' },
      h('h2', { id: 'bundles-title' }, t('bundlesTitle')),
      h('ul', { class: 'bundles' }, bundles.map((b) => h('li', {},
        h('a', { class: 'card bundle', href: `#/guide/bundle/${encodeURIComponent(b.code)}`, 'data-code': b.code },
          h('span', { class: 'row-title' }, b.name),
          h('span', { class: 'muted small desc' }, b.description),
          h('span', { class: 'chip' }, t('bundleItems', { n: b.items }))))))),
    h('section', { class: 'section', 'aria-labelledby': 'tree-title' },
      h('h2', { id: 'tree-title' }, t('treeTitle')),
      tree.map((node) => h('details', { class: 'card theme', 'data-theme': node.theme.code },
        h('summary', {}, h('span', { class: 'row-title' }, node.theme.name), h('span', { class: 'count' }, String(node.items.length))),
        h('p', { class: 'muted small' }, node.theme.description),
        h('ul', { class: 'list' }, node.items.map((i) => h('li', {},
          h('a', { class: 'row', href: `#/guide/item/${encodeURIComponent(i.code)}` },
            h('span', { class: 'row-main' }, h('span', { class: 'row-title' }, i.name), h('span', { class: 'muted small' }, `${i.department} · ${i.time_limit}`)),
            icon('chevron')))))))));
}

const items = new Map<string, Promise<GuideItem>>();

function itemContent(code: string): Promise<GuideItem> {
  let p = items.get(code);
  if (!p) {
    p = call('guide.item', code);
    p.catch(() => items.delete(code));
    items.set(code, p);
  }
  return p;
}

/** The question and option wording of an answer, looked up in the content (the key says whose it is). */
async function answerText(own: GuideQuestion[], key: string, value: string): Promise<{ question: string; answer: string }> {
  let questions = own;
  let id = key;
  const dot = key.lastIndexOf('.');
  if (dot > 0) {
    id = key.slice(dot + 1);
    questions = (await itemContent(key.slice(0, dot)).catch(() => null))?.questions ?? [];
  }
  const q = questions.find((x) => x.id === id);
  return { question: q?.text ?? key, answer: q?.options.find((o) => o.value === value)?.label ?? value };
}

function materialRow(m: RequiredMaterial): HTMLElement {
  return h('li', { class: `material ${m.status}`, 'data-status': m.status, 'data-kind': m.kind },
    h('span', { class: `chip mat-${m.status}` }, t(STATUS_KEY[m.status])),
    h('div', { class: 'material-body' },
      h('span', { class: 'row-title' }, m.name, !m.required && h('span', { class: 'muted small' }, `（${t('optional')}）`)),
      m.detail && h('p', { class: 'small detail' }, m.detail),
      m.note && h('p', { class: 'muted small' }, m.note)));
}

/** "可复用 2 · 缺少 3" chips for a list of materials, in a fixed order. */
function tallyChips(materials: RequiredMaterial[]): HTMLElement[] {
  return (['reuse', 'renew', 'missing', 'prepare'] as const)
    .map((s) => [s, materials.filter((m) => m.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => h('span', { class: `chip mat-${s}` }, `${t(STATUS_KEY[s])} ${n}`));
}

function formBlock(form: GuideForm | null, error: string | null): HTMLElement | null {
  if (error) return h('div', { class: 'prefill' }, h('h4', {}, t('prefillTitle')), h('p', { class: 'error-text small' }, error));
  if (!form || form.fields.length === 0) return null;
  return h('div', { class: 'prefill', 'data-item': form.item_code },
    h('h4', {}, t('prefillTitle')),
    h('p', { class: `small prefill-state ${form.missing.length ? 'incomplete' : 'complete'}` },
      form.missing.length ? t('prefillMissing', { fields: form.missing.join('、') }) : t('prefillComplete')),
    h('dl', { class: 'form-fields' }, form.fields.map((f) => [
      h('dt', { class: `ff-${f.status}` }, f.field, f.required ? null : h('span', { class: 'muted' }, `（${t('optional')}）`)),
      h('dd', { class: `ff-${f.status}`, 'data-status': f.status },
        f.value ?? h('span', { class: 'muted' }, t('notFilled')),
        f.message && h('span', { class: 'ff-message' }, f.message)),
    ])));
}

function itemPlanCard(p: ItemPlan, form: GuideForm | null, formError: string | null, open: boolean): HTMLElement {
  return h('details', { class: 'card plan-item', 'data-item': p.code, open },
    h('summary', {},
      h('span', { class: 'row-main' },
        h('h3', {}, p.name),
        h('span', { class: 'muted small' }, `${p.department} · ${p.time_limit}`),
        h('span', { class: 'badges' }, tallyChips(p.materials)))),
    p.materials.length > 0 && h('ul', { class: 'materials' }, p.materials.map(materialRow)),
    formBlock(form, formError),
    p.steps.length > 0 && h('details', { class: 'steps' },
      h('summary', {}, t('stepsTitle')),
      h('ol', {}, p.steps.map((s) => h('li', {}, s)))));
}

async function planView(plan: GuidePlan): Promise<HTMLElement> {
  const uscc = state.current?.company.uscc;
  const forms = await Promise.all(plan.items.map(async (it): Promise<[GuideForm | null, string | null]> => {
    if (!uscc) return [null, null];
    try {
      return [await call('guide.prefill', uscc, it.code), null];
    } catch (e) {
      return [null, errorText(e)];
    }
  }));
  const tally = tallyChips(plan.items.flatMap((i) => i.materials));
  return h('div', { class: 'plan', 'data-code': plan.code },
    h('div', { class: 'section-head' },
      h('h2', { id: 'plan-title' }, t('materialList')),
      plan.items.length > 1 && h('span', { class: 'muted small' }, t('itemsInPlan', { n: plan.items.length }))),
    tally.length > 0 && h('div', { class: 'badges tally' }, tally),
    !uscc && h('p', { class: 'card muted small' }, t('noCompanyGuide')),
    plan.items.map((it, i) => itemPlanCard(it, forms[i][0], forms[i][1], i === 0)));
}

function questionCard(q: PendingQuestion, n: number, choose: (value: string) => void): HTMLElement {
  return h('section', { class: 'card question', 'data-key': q.key, 'aria-labelledby': 'question-text' },
    h('div', { class: 'dyn-head' }, h('span', { class: 'chip accent' }, t('questionNo', { n })),
      q.item_name && h('span', { class: 'muted small' }, t('aboutItem', { name: q.item_name }))),
    h('h3', { id: 'question-text' }, q.text),
    h('div', { class: 'choices' }, q.options.map((o) =>
      h('button', { type: 'button', class: 'btn secondary wide option', 'data-value': o.value, onclick: () => choose(o.value) }, o.label))));
}

async function flow(root: HTMLElement, kind: 'item' | 'bundle', code: string, r: Route) {
  const back = h('a', { class: 'back', href: '#/guide' }, `‹ ${t('guideTitle')}`);
  const given = answersOf(r);
  const answers: Answers = Object.fromEntries(given);
  let head: HTMLElement;
  let own: GuideQuestion[];
  try {
    if (kind === 'item') {
      const it = await itemContent(code);
      own = it.questions ?? [];
      head = h('header', { class: 'card flow-head' },
        h('h2', {}, it.name),
        h('p', { class: 'muted small' }, `${it.department} · ${it.time_limit} · ${it.fee}`),
        it.conditions && h('p', { class: 'small' }, it.conditions));
    } else {
      const b = await call('guide.bundle', code);
      own = b.questions ?? [];
      head = h('header', { class: 'card flow-head' }, h('span', { class: 'chip accent' }, t('bundlesTitle')), h('h2', {}, b.name), h('p', { class: 'muted small' }, b.description));
    }
  } catch (e) {
    clear(root, back, h('p', { class: 'card error-box', role: 'alert' }, errorText(e)));
    return;
  }
  const answerRows = await Promise.all(given.map(async ([key, value], i) => {
    const text = await answerText(own, key, value);
    return h('li', { 'data-key': key },
      h('span', { class: 'row-main' }, h('span', { class: 'muted small' }, text.question), h('span', { class: 'row-title' }, text.answer)),
      h('a', { class: 'link small', href: hashFor(kind, code, given.slice(0, i)) }, t('changeAnswer')));
  }));
  let body: HTMLElement;
  let asking = true;
  try {
    const pending = await call('guide.nextQuestions', code, answers);
    asking = pending.length > 0;
    if (pending.length > 0) {
      body = questionCard(pending[0], given.length + 1, (value) => go(hashFor(kind, code, [...given, [pending[0].key, value]])));
    } else {
      const uscc = state.current?.company.uscc;
      const plan = uscc ? await call('guide.checkMaterials', uscc, code, answers) : await call('guide.plan', code, answers);
      body = await planView(plan);
    }
  } catch (e) {
    body = h('div', { class: 'card error-box', role: 'alert' }, h('p', {}, errorText(e)),
      h('a', { class: 'btn secondary', href: hashFor(kind, code, []) }, t('retry')));
  }
  // While asking, the answers so far are in view; with the plan shown they fold away above it.
  const answered = given.length === 0 ? null : h('details', { class: 'card answered-box', open: asking },
    h('summary', { id: 'answered-title' }, t('answeredTitle'), h('span', { class: 'count' }, String(given.length))),
    h('ol', { class: 'answered' }, answerRows));
  clear(root, back, head, answered, body);
  window.scrollTo(0, 0);
}

export async function renderGuide(root: HTMLElement, r: Route) {
  const [, kind, code] = r.path;
  if ((kind === 'item' || kind === 'bundle') && code) return flow(root, kind, code, r);
  return home(root);
}
