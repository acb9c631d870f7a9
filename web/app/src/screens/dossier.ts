// 档案: company switcher, profile with the derived size class and stage, licences with days left,
// materials, application records with their status history; add and edit forms that show the core's
// validation messages next to the fields its issue paths name.
import { clear, h, type Child } from '../dom';
import { t, type Key } from '../i18n';
import { call, isCoreError } from '../rpc';
import { go, rerender, type Route } from '../router';
import { label, refreshCompanies, state } from '../state';
import type { CompanyForm, CompanyOverview, Industry, Licence, LicenceData, LicenceKind, Region } from '../types';
import { clearIssues, daysText, field, icon, showError, showIssues, toast } from '../ui';

let catalog: { kinds: LicenceKind[]; industries: Industry[]; regions: Region[] } | null = null;

async function catalogs() {
  catalog ??= {
    kinds: await call('dossier.licenceKinds'),
    industries: await call('dossier.industries'),
    regions: await call('dossier.regions'),
  };
  return catalog;
}

function severityOf(days: number | null): string {
  // Colour only: the thresholds of the list's severity are the core's; here days left just tint the badge.
  if (days === null) return 'none';
  return days < 0 ? 'overdue' : 'plain';
}

function switcher(): HTMLElement {
  return h('section', { class: 'section', 'aria-labelledby': 'switch-title' },
    h('h2', { id: 'switch-title' }, t('switchCompany')),
    h('div', { class: 'switcher', role: 'radiogroup', 'aria-labelledby': 'switch-title' },
      state.companies.map((c) => h('button', {
        type: 'button', role: 'radio', class: `company-chip${c.current ? ' active' : ''}`, 'aria-checked': c.current ? 'true' : 'false',
        onclick: async () => {
          if (c.current) return;
          try {
            await call('dossier.useCompany', c.company.uscc);
            await refreshCompanies();
            rerender();
          } catch (e) {
            showError(e);
          }
        },
      }, c.company.name)),
      h('a', { class: 'company-chip add', href: '#/dossier/company/new' }, icon('plus'), t('addCompany'))));
}

function row(term: string, value: Child): Child[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

/** A form label without its parenthesised unit or hint, for showing a stored value. */
function bare(key: Key): string {
  return t(key).replace(/（.*?）|\s*\(.*?\)/g, '');
}

async function profile(o: CompanyOverview): Promise<HTMLElement> {
  const c = o.company;
  const [capital, revenue, assets] = await Promise.all([
    call('fn.formatYuan', c.registered_capital_fen),
    call('fn.formatYuan', c.revenue_fen),
    c.total_assets_fen == null ? Promise.resolve(null) : call('fn.formatYuan', c.total_assets_fen),
  ]);
  return h('section', { class: 'section', 'aria-labelledby': 'profile-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'profile-title' }, t('profile')),
      h('a', { class: 'btn small secondary', href: '#/dossier/company/edit' }, t('edit'))),
    h('div', { class: 'card' },
      h('h3', { class: 'company-title' }, c.name),
      h('div', { class: 'badges' },
        h('span', { class: 'chip accent', title: o.size.basis }, `${t('size')}：${o.size.class ? label('size_classes', o.size.class) : t('sizeUnknown')}`),
        h('span', { class: 'chip accent' }, `${t('stage')}：${o.stage_label}`),
        h('span', { class: 'chip' }, t('age', { n: o.age_years }))),
      h('p', { class: 'muted small basis' }, o.size.basis),
      h('dl', { class: 'facts' },
        row(t('uscc'), h('span', { class: 'mono' }, c.uscc)),
        row(t('companyType'), o.company_type_label),
        row(bare('legalRep'), c.legal_representative),
        row(bare('capital'), capital),
        row(t('established'), c.established_on),
        row(t('district'), o.district_name),
        row(bare('address'), c.address),
        row(t('industry'), o.industry_name),
        row(bare('employees'), String(c.employees)),
        row(bare('revenue'), revenue),
        assets !== null && row(bare('assets'), assets),
        row(t('taxpayer'), o.taxpayer_kind_label),
        row(t('credit'), c.credit_grade ? label('credit_grades', c.credit_grade) : t('none')),
        (c.tags ?? []).length > 0 && row(bare('tags'), h('span', { class: 'tags' }, (c.tags ?? []).map((x) => h('span', { class: 'chip' }, x)))))));
}

function licenceList(licences: Licence[]): HTMLElement {
  return h('section', { class: 'section', id: 'licences', 'aria-labelledby': 'licences-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'licences-title' }, t('licences')),
      h('a', { class: 'btn small secondary', href: '#/dossier/licence/new' }, t('addLicence'))),
    licences.length === 0
      ? h('p', { class: 'card muted' }, t('noLicences'))
      : h('ul', { class: 'list card' }, licences.map((l) => h('li', {},
        h('a', { class: 'row', href: `#/dossier/licence/${l.id}` },
          h('span', { class: 'row-main' },
            h('span', { class: 'row-title' }, l.kind_name),
            h('span', { class: 'muted small' }, `${l.data.number} · ${l.data.valid_until ? `${t('validUntil')} ${l.data.valid_until}` : t('longTerm')}`)),
          l.days_left !== null && h('span', { class: `days-badge ${severityOf(l.days_left)}` }, daysText(l.days_left)),
          icon('chevron'))))));
}

async function materialList(uscc: string): Promise<HTMLElement> {
  const materials = await call('dossier.materials', uscc);
  return h('section', { class: 'section', 'aria-labelledby': 'materials-title' },
    h('h2', { id: 'materials-title' }, t('materials')),
    materials.length === 0
      ? h('p', { class: 'card muted' }, t('noMaterials'))
      : h('ul', { class: 'list card' }, materials.map((m) => h('li', { class: 'row' },
        h('span', { class: 'row-main' },
          h('span', { class: 'row-title' }, m.data.title),
          h('span', { class: 'muted small' }, `${m.kind_name}${m.data.valid_until ? ` · ${t('validUntil')} ${m.data.valid_until}` : ''}`)),
        m.days_left !== null && h('span', { class: `days-badge ${severityOf(m.days_left)}` }, daysText(m.days_left))))));
}

async function recordList(uscc: string): Promise<HTMLElement> {
  const records = await call('dossier.records', uscc);
  return h('section', { class: 'section', 'aria-labelledby': 'records-title' },
    h('h2', { id: 'records-title' }, t('records')),
    records.length === 0
      ? h('p', { class: 'card muted' }, t('noRecords'))
      : h('ul', { class: 'records' }, records.map((r) => {
        const last = r.history[r.history.length - 1];
        return h('li', { class: 'card' },
          h('div', { class: 'dyn-head' },
            h('span', { class: `chip status-${last?.status}` }, label('record_statuses', last?.status)),
            h('span', { class: 'muted small' }, label('channels', r.data.channel))),
          h('h3', {}, r.data.item_name),
          h('p', { class: 'muted small' }, `${r.data.item_code} · ${r.data.submitted_on}`),
          h('ol', { class: 'timeline', 'aria-label': label('record_statuses', last?.status) },
            r.history.map((s) => h('li', {}, h('span', { class: 'when' }, s.at.replace('T', ' ').slice(0, 16)), ' ', label('record_statuses', s.status)))));
      })));
}

async function overview(root: HTMLElement, focus: string | undefined) {
  const current = state.current;
  if (!current) {
    clear(root, switcher(), h('p', { class: 'card muted' }, t('noCompanyBody')));
    return;
  }
  const uscc = current.company.uscc;
  const licences = await call('dossier.licences', uscc);
  clear(root, switcher(), await profile(current), licenceList(licences), await materialList(uscc), await recordList(uscc),
    h('div', { class: 'section' }, h('button', { type: 'button', class: 'btn danger wide', onclick: async () => {
      if (!confirm(t('confirmRemove', { name: current.company.name }))) return;
      try {
        await call('dossier.removeCompany', uscc);
        await refreshCompanies();
        go('#/dossier');
      } catch (e) {
        showError(e);
      }
    } }, t('removeCompany'))));
  if (focus === 'licences') document.getElementById('licences')?.scrollIntoView({ block: 'start' });
}

// ---- forms ----

function input(value: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type: 'text', value, ...attrs });
}

function select(value: string, options: { code: string; label: string }[], placeholder?: string): HTMLSelectElement {
  const el = h('select', {},
    placeholder !== undefined && h('option', { value: '' }, placeholder),
    options.map((o) => h('option', { value: o.code }, o.label)));
  el.value = value;
  return el;
}

function formShell(title: string, fields: Child[], onSubmit: (form: HTMLFormElement) => Promise<void>, extra?: Child): HTMLElement {
  const summary = h('div', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'form card', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    summary.textContent = '';
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    button.disabled = true;
    try {
      await onSubmit(form);
    } catch (err) {
      const orphans = isCoreError(err) && err.issues.length > 0 ? showIssues(form, err.issues) : [isCoreError(err) ? err.userMessage : String(err)];
      summary.textContent = orphans.length > 0 ? orphans.join(' ') : t('fixErrors');
    } finally {
      button.disabled = false;
    }
  } },
    summary,
    fields,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'btn wide' }, t('save')),
      h('a', { class: 'btn secondary wide', href: '#/dossier' }, t('cancel'))),
    extra);
  return h('div', {}, h('a', { class: 'back', href: '#/dossier' }, `‹ ${t('back')}`), h('h2', { class: 'page-title' }, title), form);
}

/** The company form: the core's `CompanyForm` (the saved profile as text, or a new company's empty form),
 * shown field by field and handed back as typed; the core reads it and names every problem by field. */
async function companyForm(root: HTMLElement, existing: CompanyOverview | null) {
  const [{ industries, regions }, c] = await Promise.all([catalogs(), call('dossier.companyForm', existing?.company.uscc ?? null)]);
  const labels = state.labels!;
  const sections = [...new Set(industries.map((i) => i.section_name))];
  const industry = h('select', {},
    h('option', { value: '' }, t('choose')),
    sections.map((s) => h('optgroup', { label: s }, industries.filter((i) => i.section_name === s).map((i) => h('option', { value: i.code }, `${i.code} ${i.name}`)))));
  industry.value = c.industry;
  const fields = [
    field('uscc', t('uscc'), input(c.uscc, { maxlength: '18', autocapitalize: 'characters', spellcheck: false, inputmode: 'text', required: true })),
    field('name', t('name'), input(c.name, { required: true })),
    field('company_type', t('companyType'), select(c.company_type, labels.company_types)),
    field('legal_representative', t('legalRep'), input(c.legal_representative, { required: true })),
    field('registered_capital_yuan', t('capital'), input(c.registered_capital_yuan, { inputmode: 'decimal' })),
    field('established_on', t('established'), input(c.established_on, { type: 'date', required: true })),
    field('address', t('address'), input(c.address, { required: true })),
    field('district', t('district'), select(c.district, regions.map((r) => ({ code: r.code, label: r.name })), t('choose'))),
    field('industry', t('industry'), industry),
    field('employees', t('employees'), input(c.employees, { inputmode: 'numeric' })),
    field('revenue_yuan', t('revenue'), input(c.revenue_yuan, { inputmode: 'decimal' })),
    field('total_assets_yuan', t('assets'), input(c.total_assets_yuan, { inputmode: 'decimal' })),
    field('taxpayer_kind', t('taxpayer'), select(c.taxpayer_kind, labels.taxpayer_kinds)),
    field('credit_grade', t('credit'), select(c.credit_grade ?? '', labels.credit_grades, t('none'))),
    field('tags', t('tags'), input(c.tags)),
  ];
  const value = (form: HTMLFormElement, id: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!.value;
  clear(root, formShell(existing ? t('editCompany') : t('addCompany'), fields, async (form) => {
    clearIssues(form);
    // The closed lists' values are the core's own codes (the options come from its labels).
    const typed: CompanyForm = {
      uscc: value(form, 'uscc'),
      name: value(form, 'name'),
      company_type: value(form, 'company_type') as CompanyForm['company_type'],
      legal_representative: value(form, 'legal_representative'),
      registered_capital_yuan: value(form, 'registered_capital_yuan'),
      established_on: value(form, 'established_on'),
      address: value(form, 'address'),
      district: value(form, 'district'),
      industry: value(form, 'industry'),
      employees: value(form, 'employees'),
      revenue_yuan: value(form, 'revenue_yuan'),
      total_assets_yuan: value(form, 'total_assets_yuan'),
      taxpayer_kind: value(form, 'taxpayer_kind') as CompanyForm['taxpayer_kind'],
      credit_grade: (value(form, 'credit_grade') || null) as CompanyForm['credit_grade'],
      tags: value(form, 'tags'),
    };
    const company = await call('dossier.readCompanyForm', typed);
    const saved = existing
      ? await call('dossier.updateCompany', existing.company.uscc, company)
      : await call('dossier.addCompany', company);
    if (!existing) await call('dossier.useCompany', saved.company.uscc);
    await refreshCompanies();
    toast(t('saved'));
    go(existing ? '#/dossier' : '#/');
  }));
}

async function licenceForm(root: HTMLElement, id: number | null) {
  const current = state.current;
  if (!current) return go('#/dossier');
  const { kinds } = await catalogs();
  const licences = await call('dossier.licences', current.company.uscc);
  const existing = id === null ? null : licences.find((l) => l.id === id) ?? null;
  const d: Partial<LicenceData> = existing?.data ?? {};
  const kind = select(d.kind ?? '', kinds.map((k) => ({ code: k.code, label: k.name })), t('choose'));
  const issuer = input(d.issuer ?? '', { required: true });
  const validUntil = input(d.valid_until ?? '', { type: 'date' });
  const longTerm = h('input', { type: 'checkbox', id: 'long_term', checked: existing !== null && d.valid_until === null });
  const syncLongTerm = () => {
    validUntil.disabled = longTerm.checked;
  };
  longTerm.addEventListener('change', syncLongTerm);
  syncLongTerm();
  kind.addEventListener('change', () => {
    const k = kinds.find((x) => x.code === kind.value);
    if (k && !issuer.value) issuer.value = k.issuer;
    if (k && k.validity_years === null && !validUntil.value) {
      longTerm.checked = true;
      syncLongTerm();
    }
  });
  const fields = [
    field('kind', t('licenceKind'), kind),
    field('number', t('licenceNumber'), input(d.number ?? '', { required: true, spellcheck: false })),
    field('issuer', t('issuer'), issuer),
    field('issued_on', t('issuedOn'), input(d.issued_on ?? '', { type: 'date', required: true })),
    field('valid_until', t('validUntil'), validUntil),
    h('label', { class: 'check' }, longTerm, t('longTerm')),
    field('scope', t('scope'), h('textarea', { rows: 2 }, d.scope ?? '')),
  ];
  const value = (form: HTMLFormElement, fid: string) => form.querySelector<HTMLInputElement>(`#${fid}`)!.value;
  const remove = existing && h('button', { type: 'button', class: 'btn danger wide', onclick: async () => {
    if (!confirm(t('confirmRemoveLicence'))) return;
    try {
      await call('dossier.removeLicence', existing.id);
      go('#/dossier/licences');
    } catch (e) {
      showError(e);
    }
  } }, t('delete'));
  clear(root, formShell(existing ? t('editLicence') : t('addLicence'), fields, async (form) => {
    clearIssues(form);
    const issued = value(form, 'issued_on');
    if (!issued) {
      throw { code: 'invalid_input', message: 'issued_on', userMessage: t('required'), issues: [{ path: 'issued_on', user_message: `${t('required')}：${t('issuedOn')}`, message: '' }] };
    }
    const data: LicenceData = {
      kind: kind.value,
      number: value(form, 'number'),
      issuer: issuer.value,
      issued_on: issued,
      valid_until: longTerm.checked ? null : validUntil.value || null,
      scope: form.querySelector<HTMLTextAreaElement>('#scope')!.value,
    };
    if (existing) await call('dossier.updateLicence', existing.id, data);
    else await call('dossier.addLicence', current.company.uscc, data);
    toast(t('saved'));
    go('#/dossier/licences');
  }, remove));
}

export async function renderDossier(root: HTMLElement, r: Route) {
  const [, what, arg] = r.path;
  if (what === 'company') {
    return companyForm(root, arg === 'edit' ? state.current : null);
  }
  if (what === 'licence') {
    return licenceForm(root, arg === 'new' || arg === undefined ? null : Number(arg));
  }
  return overview(root, what);
}
