// 档案: company switcher, quick actions (add a licence, a material, an application record; the calendar
// file), profile with the derived size class and stage, licences with days left, materials, application
// records with their latest status; add and edit forms that show the core's validation messages next to
// the fields its issue paths name, and the vault documents linked to a licence. Materials and records are
// in dossier-items.ts, the forms' shared pieces in dossier-kit.ts.
import { clear, h, type Child } from '../dom';
import { t, type Key } from '../i18n';
import { call } from '../rpc';
import { go, rerender, type Route } from '../router';
import { label, refreshCompanies, state } from '../state';
import type { CompanyForm, CompanyOverview, Industry, Licence, LicenceForm, LicenceKind, Region } from '../types';
import { clearIssues, daysText, field, icon, showError, toast } from '../ui';
import { downloadIcs, formShell, input, scansSection, select, when } from './dossier-kit';
import { materialForm, recordForm, recordPage } from './dossier-items';
import { dt } from './dossier-strings';

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

/** The dossier's everyday additions, one tap from here (so two from the home screen's 企业档案 link; a
 * licence is two from its 查证照 link, which lands on the licences and their 添加证照), and the calendar
 * file of the company's deadlines. */
function quickActions(uscc: string): HTMLElement {
  return h('nav', { class: 'quick-links section', id: 'dossier-quick', 'aria-label': dt('quickActions') },
    h('a', { class: 'quick-link', href: '#/dossier/record/new' }, icon('plus'), dt('addRecord')),
    h('a', { class: 'quick-link', href: '#/dossier/material/new' }, icon('dossier'), dt('addMaterial')),
    h('button', { type: 'button', class: 'quick-link', id: 'ics-download', onclick: () => void downloadIcs(uscc) }, icon('download'), dt('icsDownload')));
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
  return h('section', { class: 'section', id: 'materials', 'aria-labelledby': 'materials-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'materials-title' }, t('materials')),
      h('a', { class: 'btn small secondary', href: '#/dossier/material/new' }, dt('addMaterial'))),
    materials.length === 0
      ? h('p', { class: 'card muted' }, t('noMaterials'))
      : h('ul', { class: 'list card' }, materials.map((m) => h('li', {},
        h('a', { class: 'row', href: `#/dossier/material/${m.id}` },
          h('span', { class: 'row-main' },
            h('span', { class: 'row-title' }, m.data.title),
            h('span', { class: 'muted small' }, `${m.kind_name}${m.data.valid_until ? ` · ${t('validUntil')} ${m.data.valid_until}` : ''}`),
            m.data.vault_document && h('span', { class: 'muted small' }, icon('vault'), ` ${dt('scansTitle')}`)),
          m.days_left !== null && h('span', { class: `days-badge ${severityOf(m.days_left)}` }, daysText(m.days_left)),
          icon('chevron'))))));
}

async function recordList(uscc: string): Promise<HTMLElement> {
  const records = await call('dossier.records', uscc);
  return h('section', { class: 'section', id: 'records', 'aria-labelledby': 'records-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'records-title' }, t('records')),
      h('a', { class: 'btn small secondary', href: '#/dossier/record/new' }, dt('addRecord'))),
    records.length === 0
      ? h('p', { class: 'card muted' }, t('noRecords'))
      : h('ul', { class: 'records' }, records.map((r) => {
        const last = r.history[r.history.length - 1];
        return h('li', { class: 'card', 'data-id': r.id },
          h('a', { class: 'record-link', href: `#/dossier/record/${r.id}` },
            h('div', { class: 'dyn-head' },
              h('span', { class: `chip status-${last?.status}` }, label('record_statuses', last?.status)),
              last && h('span', { class: 'muted small when' }, when(last.at))),
            h('h3', { class: 'row-title' }, r.data.item_name, icon('chevron')),
            h('p', { class: 'muted small' }, `${r.data.item_code} · ${label('channels', r.data.channel)} · ${r.data.submitted_on}`)));
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
  clear(root, switcher(), quickActions(uscc), await profile(current), licenceList(licences), await materialList(uscc), await recordList(uscc),
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
  if (focus === 'licences' || focus === 'materials' || focus === 'records') document.getElementById(focus)?.scrollIntoView({ block: 'start' });
}

// ---- forms ----


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

/** The licence form: the core's `LicenceForm` (a saved licence as text, or the empty form of a new one),
 * handed back as typed; the core reads the dates and names every problem by field. 长期有效 is an empty
 * 有效期至. */
async function licenceForm(root: HTMLElement, id: number | null) {
  const current = state.current;
  if (!current) return go('#/dossier');
  const [{ kinds }, d] = await Promise.all([catalogs(), call('dossier.licenceForm', id)]);
  const kind = select(d.kind, kinds.map((k) => ({ code: k.code, label: k.name })), t('choose'));
  const issuer = input(d.issuer, { required: true });
  const validUntil = input(d.valid_until, { type: 'date' });
  const longTerm = h('input', { type: 'checkbox', id: 'long_term', checked: id !== null && d.valid_until === '' });
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
    field('number', t('licenceNumber'), input(d.number, { required: true, spellcheck: false })),
    field('issuer', t('issuer'), issuer),
    field('issued_on', t('issuedOn'), input(d.issued_on, { type: 'date', required: true })),
    field('valid_until', t('validUntil'), validUntil),
    h('label', { class: 'check' }, longTerm, t('longTerm')),
    field('scope', t('scope'), h('textarea', { rows: 2 }, d.scope)),
  ];
  const value = (form: HTMLFormElement, fid: string) => form.querySelector<HTMLInputElement>(`#${fid}`)!.value;
  const remove = id !== null && h('button', { type: 'button', class: 'btn danger wide', onclick: async () => {
    if (!confirm(t('confirmRemoveLicence'))) return;
    try {
      await call('dossier.removeLicence', id);
      go('#/dossier/licences');
    } catch (e) {
      showError(e);
    }
  } }, t('delete'));
  clear(root, formShell(id !== null ? t('editLicence') : t('addLicence'), fields, async (form) => {
    clearIssues(form);
    const typed: LicenceForm = {
      kind: kind.value,
      number: value(form, 'number'),
      issuer: issuer.value,
      issued_on: value(form, 'issued_on'),
      valid_until: longTerm.checked ? '' : validUntil.value,
      scope: form.querySelector<HTMLTextAreaElement>('#scope')!.value,
    };
    await call('dossier.saveLicence', current.company.uscc, id, typed);
    toast(t('saved'));
    go('#/dossier/licences');
  }, remove, id !== null && scansSection({
    list: () => call('vault.licenceDocuments', id),
    link: (doc) => call('vault.linkLicence', doc.id, id),
    unlink: (doc) => call('vault.unlinkLicence', doc.id, id),
  }), '#/dossier/licences'));
}

export async function renderDossier(root: HTMLElement, r: Route) {
  const [, what, arg] = r.path;
  if (what === 'company') {
    return companyForm(root, arg === 'edit' ? state.current : null);
  }
  if (what === 'licence') {
    return licenceForm(root, arg === 'new' || arg === undefined ? null : Number(arg));
  }
  if (what === 'material') {
    return materialForm(root, arg === 'new' || arg === undefined ? null : Number(arg));
  }
  if (what === 'record') {
    if (arg === 'new' || arg === undefined) return recordForm(root, null);
    return r.path[3] === 'edit' ? recordForm(root, Number(arg)) : recordPage(root, Number(arg));
  }
  return overview(root, what);
}
