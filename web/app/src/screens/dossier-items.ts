// 档案's materials and application records (办事记录): the material form (add, edit, delete, its scan in
// the vault), the record form (add, with an optional 查询密码 sealed in the vault), and a record's page
// (its progress history, a new status with its time, the 查询密码 shown again after unlocking, with a copy
// button, delete). Every check is the core's: its issues are shown next to the fields their paths name.
import { clear, h } from '../dom';
import { t } from '../i18n';
import { call } from '../rpc';
import { go, rerender } from '../router';
import { label, state } from '../state';
import type { Material, MaterialForm, MaterialKind, RecordForm, RecordItem } from '../types';
import { errorText, field, icon, showError, toast } from '../ui';
import { copyText, coreForm, formShell, input, scansSection, select, when, withVault } from './dossier-kit';
import { dt } from './dossier-strings';

let materialKinds: MaterialKind[] | null = null;

/** The core's kinds: the catalog's, then `other` (其他材料) for a material outside it. */
async function kindChoices() {
  materialKinds ??= await call('dossier.materialKinds');
  return materialKinds.map((k) => ({ code: k.code, label: k.name }));
}

// ---- materials ----

export async function materialForm(root: HTMLElement, id: number | null) {
  const current = state.current;
  if (!current) return go('#/dossier');
  const [kinds, d, existing] = await Promise.all([
    kindChoices(), call('dossier.materialForm', id), id === null ? Promise.resolve(null) : call('dossier.material', id)]);
  const kind = select(d.kind, kinds, t('choose'));
  const title = input(d.title, { required: true });
  kind.addEventListener('change', () => {
    const k = kinds.find((x) => x.code === kind.value);
    if (k && k.code !== 'other' && !title.value) title.value = k.label;
  });
  const fields = [
    field('kind', dt('materialKind'), kind),
    field('title', dt('materialTitle'), title),
    field('valid_until', dt('materialValidUntil'), input(d.valid_until, { type: 'date' }), dt('materialValidHint')),
  ];
  const remove = existing && h('button', { type: 'button', class: 'btn danger wide', onclick: async () => {
    if (!confirm(dt('confirmRemoveMaterial'))) return;
    try {
      await call('dossier.removeMaterial', existing.id);
      toast(t('deleted'));
      go('#/dossier/materials');
    } catch (e) {
      showError(e);
    }
  } }, t('delete'));
  const scans = existing && materialScans(existing);
  clear(root, formShell(existing ? dt('editMaterial') : dt('addMaterial'), fields, async (form) => {
    // The scan link is the vault's to change (link / unlink below): the core keeps it on save.
    const typed: MaterialForm = {
      kind: kind.value,
      title: title.value,
      valid_until: form.querySelector<HTMLInputElement>('#valid_until')!.value,
    };
    await call('dossier.saveMaterial', current.company.uscc, id, typed);
    toast(t('saved'));
    go('#/dossier/materials');
  }, remove, scans, '#/dossier/materials'));
}

/** A material has at most one scan (its `vault_document`); linking another replaces it. */
function materialScans(material: Material): HTMLElement {
  return scansSection({
    list: async () => {
      const doc = (await call('dossier.material', material.id)).data.vault_document;
      // Without a scan there is nothing sealed to show; linking one asks for the PIN if need be.
      return doc ? [await call('vault.document', doc)] : [];
    },
    link: (doc) => call('vault.linkMaterial', doc.id, material.id),
    unlink: () => call('vault.unlinkMaterial', material.id),
  });
}

// ---- records ----

/** The record form: the core's `RecordForm`, added (`id` null) or edited. A 查询密码 typed here is sealed
 * by the vault: when it is locked the core saves nothing and the PIN is asked in place, then the save is
 * tried again. Editing leaves the password field empty, which keeps the saved one. */
export async function recordForm(root: HTMLElement, id: number | null) {
  const current = state.current;
  if (!current) return go('#/dossier');
  const labels = state.labels!;
  const d = await call('dossier.recordForm', id);
  const password = input('', { autocomplete: 'off', spellcheck: false, autocapitalize: 'off' });
  const fields = [
    field('item_code', dt('itemCode'), input(d.item_code, { required: true, spellcheck: false, autocapitalize: 'characters' }), dt('itemCodeHint')),
    field('item_name', dt('itemName'), input(d.item_name, { required: true })),
    field('channel', dt('channel'), select(d.channel, labels.channels)),
    field('submitted_on', dt('submittedOn'), input(d.submitted_on, { type: 'date', required: true })),
    id === null && field('lookup_password', dt('lookupPassword'), password, dt('lookupPasswordHint')),
  ];
  const value = (form: HTMLFormElement, fid: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`#${fid}`)!.value;
  const back = id === null ? '#/dossier/records' : `#/dossier/record/${id}`;
  clear(root, formShell(id === null ? dt('addRecord') : dt('editRecord'), fields, async (form) => {
    const typed: RecordForm = {
      item_code: value(form, 'item_code'),
      item_name: value(form, 'item_name'),
      channel: value(form, 'channel') as RecordForm['channel'],
      submitted_on: value(form, 'submitted_on'),
      lookup_password: id === null ? password.value : '',
    };
    const record = await withVault(() => call('dossier.saveRecord', current.company.uscc, id, typed));
    toast(t('saved'));
    go(`#/dossier/record/${record.id}`);
  }, null, null, back));
}

function statusForm(record: RecordItem): HTMLElement {
  const labels = state.labels!;
  const status = select('', labels.record_statuses, t('choose'));
  const at = h('input', { type: 'datetime-local', step: '1' });
  return coreForm({ class: 'form card', id: 'status-form' }, [
    field('status', dt('newStatus'), status),
    field('at', dt('statusAt'), at, dt('statusAtHint')),
    h('button', { type: 'submit', class: 'btn wide' }, dt('changeStatus')),
  ], async () => {
    // As the picker gives it (`YYYY-MM-DDTHH:MM[:SS]`); the core reads it, empty is now.
    const updated = await call('dossier.setRecordStatus', record.id, status.value as RecordItem['history'][number]['status'], at.value);
    const last = updated.history[updated.history.length - 1];
    toast(dt('statusUpdated', { status: label('record_statuses', last?.status) }));
    await rerender();
  });
}

/** 查询密码: sealed in the vault, so shown only when asked for and the vault is open (the PIN is asked in
 * place); shown with a copy button, changed or cleared there too. */
function passwordSection(record: RecordItem): HTMLElement {
  const body = h('div', { class: 'card', id: 'password-card' });
  const section = h('section', { class: 'section', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, dt('passwordTitle')), body);

  const sealed = (message = dt('passwordSealed')) => clear(body,
    h('p', { class: 'muted', id: 'password-message' }, message),
    h('button', { type: 'button', class: 'btn secondary wide', id: 'password-show', onclick: () => void reveal() }, icon('vault'), dt('showPassword')));

  const editForm = (initial: string, intro?: string) => {
    const secret = input(initial, { autocomplete: 'off', spellcheck: false, autocapitalize: 'off' });
    const form = coreForm({ class: 'form', id: 'password-form' }, [
      field('lookup_password', dt('newPassword'), secret, dt('lookupPasswordHint')),
      h('button', { type: 'submit', class: 'btn wide' }, dt('savePassword')),
    ], async () => {
      await withVault(() => call('dossier.setRecordLookupPassword', record.id, secret.value));
      toast(dt('passwordSaved'));
      shown(secret.value);
    });
    clear(body, intro && h('p', { class: 'muted', id: 'password-message' }, intro), form);
    secret.focus();
  };

  const shown = (value: string | null | undefined) => {
    // No password: `undefined` from the module, `null` once through the worker's message.
    if (value == null) return editForm('', dt('noPassword'));
    const box = h('input', { type: 'text', class: 'mono', id: 'lookup-password', readonly: true, value, 'aria-label': dt('passwordTitle') });
    const status = h('p', { class: 'muted small dossier-note', id: 'copy-status', role: 'status', 'aria-live': 'polite' });
    clear(body,
      h('div', { class: 'secret' }, box,
        h('button', { type: 'button', class: 'btn', id: 'password-copy', onclick: () => copyText(value, box, status) }, dt('copy'))),
      status,
      h('div', { class: 'actions two' },
        h('button', { type: 'button', class: 'btn secondary', id: 'password-change', onclick: () => editForm(value) }, dt('changePassword')),
        h('button', { type: 'button', class: 'btn ghost', id: 'password-clear', onclick: async () => {
          if (!confirm(dt('confirmClearPassword'))) return;
          try {
            await withVault(() => call('dossier.setRecordLookupPassword', record.id, null));
            toast(dt('passwordCleared'));
            shown(undefined);
          } catch (e) {
            showError(e);
          }
        } }, dt('clearPassword'))));
  };

  const reveal = async () => {
    try {
      shown(await withVault(() => call('dossier.recordLookupPassword', record.id)));
    } catch (e) {
      // Still locked (the PIN sheet was closed) or not set up: the core's message.
      sealed(errorText(e));
    }
  };

  sealed();
  return section;
}

export async function recordPage(root: HTMLElement, id: number) {
  const record = await call('dossier.record', id);
  const last = record.history[record.history.length - 1];
  clear(root,
    h('a', { class: 'back', href: '#/dossier/records' }, `‹ ${t('back')}`),
    h('h2', { class: 'page-title', id: 'record-title' }, record.data.item_name),
    h('a', { class: 'btn small secondary', id: 'record-edit', href: `#/dossier/record/${record.id}/edit` }, dt('editRecord')),
    h('div', { class: 'card' },
      h('div', { class: 'dyn-head' },
        h('span', { class: `chip status-${last?.status}`, id: 'record-status' }, label('record_statuses', last?.status)),
        last && h('span', { class: 'muted small when' }, when(last.at))),
      h('dl', { class: 'facts' },
        h('dt', {}, dt('itemCode')), h('dd', { class: 'mono' }, record.data.item_code),
        h('dt', {}, dt('channel')), h('dd', {}, label('channels', record.data.channel)),
        h('dt', {}, dt('submittedOn')), h('dd', {}, record.data.submitted_on))),
    h('section', { class: 'section', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title' }, dt('progressTitle')),
      h('div', { class: 'card' },
        h('ol', { class: 'timeline', id: 'record-history' },
          record.history.map((s) => h('li', {}, h('span', { class: 'when' }, when(s.at)), ' ', label('record_statuses', s.status)))))),
    h('section', { class: 'section', 'aria-labelledby': 'status-title' },
      h('h2', { id: 'status-title' }, dt('changeStatus')), statusForm(record)),
    passwordSection(record),
    h('div', { class: 'section' }, h('button', { type: 'button', class: 'btn danger wide', onclick: async () => {
      if (!confirm(dt('confirmRemoveRecord'))) return;
      try {
        await call('dossier.removeRecord', record.id);
        toast(t('deleted'));
        go('#/dossier/records');
      } catch (e) {
        showError(e);
      }
    } }, dt('removeRecord'))));
}
