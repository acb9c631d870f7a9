// 证照夹: the encrypted vault. First use sets a PIN and shows the recovery key once; then unlock with the
// PIN (the core counts wrong PINs and says how long to wait), add photos and files, view, delete, link a
// scan to a licence of the current company, lock. The page locks the vault after the idle time the core
// keeps (auto_lock_seconds), and shows the lock screen whenever the core answers `vault_locked`.
import { clear, h } from '../dom';
import { t } from '../i18n';
import { call, isCoreError } from '../rpc';
import { rerender, route } from '../router';
import { state } from '../state';
import type { DocumentInfo, Licence, VaultStatus } from '../types';
import { errorText, field, icon, sheet, showError, showIssues, toast } from '../ui';

/** The recovery key just created: shown once, until the owner says it is written down. */
let recoveryKey: string | null = null;
let idleTimer = 0;
let idleSeconds = 0;
let watching = false;

const onVault = () => route().path[0] === 'vault';

function stopIdle() {
  idleSeconds = 0;
  clearTimeout(idleTimer);
}

function restartIdle() {
  clearTimeout(idleTimer);
  if (idleSeconds > 0) idleTimer = window.setTimeout(() => void lockNow(), idleSeconds * 1000);
}

/** Counts the owner's taps and keys as activity while the vault is open. */
function armIdle(seconds: number) {
  idleSeconds = seconds;
  if (!watching) {
    watching = true;
    for (const type of ['pointerdown', 'keydown', 'scroll']) addEventListener(type, () => { if (idleSeconds > 0) restartIdle(); }, { passive: true, capture: true });
  }
  restartIdle();
}

async function lockNow() {
  stopIdle();
  try {
    await call('vault.lock');
  } catch (e) {
    console.error(e);
  }
  toast(t('lockedToast'));
  if (onVault()) void rerender();
}

/** A failure of a vault call: the lock screen if the core says the vault is locked, else the message. */
function failed(e: unknown) {
  if (isCoreError(e) && e.code === 'vault_locked') {
    stopIdle();
    document.querySelector('.overlay')?.remove();
    toast(e.userMessage);
    if (onVault()) void rerender();
    return;
  }
  showError(e);
}

function pinInput(autocomplete: string): HTMLInputElement {
  return h('input', { type: 'password', inputmode: 'numeric', autocomplete, enterkeyhint: 'done', class: 'pin' });
}

function header(...extra: (Node | false)[]): HTMLElement {
  return h('div', { class: 'section-head' }, h('h2', { class: 'page-title' }, icon('vault'), t('vaultTitle')), ...extra.filter(Boolean) as Node[]);
}

function setupView(root: HTMLElement) {
  const pin = pinInput('new-password');
  const again = pinInput('new-password');
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn wide' }, t('setPin'));
  const form = h('form', { class: 'card form', id: 'vault-setup', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    formError.textContent = '';
    showIssues(form, []);
    if (pin.value !== again.value) {
      showIssues(form, [{ path: 'pin-again', user_message: t('pinMismatch') }]);
      return;
    }
    button.disabled = true;
    try {
      recoveryKey = await call('vault.init', pin.value);
      await rerender();
    } catch (err) {
      button.disabled = false;
      if (isCoreError(err) && err.issues.length > 0) formError.textContent = showIssues(form, err.issues).join(' ');
      else formError.textContent = errorText(err);
    }
  } },
    h('h3', {}, t('setPinTitle')),
    h('p', { class: 'muted small' }, t('vaultIntro')),
    field('pin', t('pinLabel'), pin),
    field('pin-again', t('pinConfirm'), again),
    formError,
    button);
  clear(root, header(), form);
  pin.focus();
}

function recoveryView(root: HTMLElement, key: string) {
  clear(root, header(),
    h('section', { class: 'card recovery', role: 'alert', 'aria-labelledby': 'recovery-title' },
      h('h3', { id: 'recovery-title' }, t('recoveryTitle')),
      h('p', {}, t('recoveryBody')),
      h('div', { class: 'recovery-key mono', 'aria-label': key }, key.split('-').map((g) => h('span', { class: 'group' }, g))),
      h('button', { type: 'button', class: 'btn wide', onclick: () => { recoveryKey = null; void rerender(); } }, t('recoveryDone'))));
}

function unlockView(root: HTMLElement) {
  const pin = pinInput('current-password');
  const message = h('p', { class: 'form-error', id: 'vault-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn wide' }, t('unlock'));
  const form = h('form', { class: 'card form lock-card', id: 'vault-unlock', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    message.textContent = '';
    button.disabled = true;
    try {
      await call('vault.unlockWithPin', pin.value);
      await rerender();
    } catch (err) {
      button.disabled = false;
      message.textContent = errorText(err);
      pin.select();
    }
  } },
    h('div', { class: 'lock-badge' }, icon('vault')),
    h('h3', {}, t('unlockTitle')),
    h('p', { class: 'muted small' }, t('vaultIntro')),
    field('vault-pin', t('pinLabel'), pin),
    message,
    button);
  clear(root, header(), form);
  pin.focus();
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function view(doc: DocumentInfo) {
  try {
    const bytes = await call('vault.read', doc.id);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: doc.media_type }));
    if (doc.media_type.startsWith('image/')) {
      await sheet(doc.name, () => h('img', { class: 'doc-image', src: url, alt: doc.name }));
      URL.revokeObjectURL(url);
    } else {
      const a = h('a', { href: url, download: doc.name });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }
  } catch (e) {
    failed(e);
  }
}

async function remove(doc: DocumentInfo) {
  if (!confirm(t('confirmDeleteDoc', { name: doc.name }))) return;
  try {
    await call('vault.remove', doc.id);
    toast(t('deleted'));
    await rerender();
  } catch (e) {
    failed(e);
  }
}

async function link(doc: DocumentInfo, licences: Licence[]) {
  let chosen: Licence | null = null;
  await sheet(t('chooseLicence'), (close) => licences.length === 0
    ? h('p', { class: 'muted' }, t('noLicencesToLink'))
    : h('div', { class: 'choices' }, licences.map((l) => h('button', {
      type: 'button', class: `btn secondary wide${doc.licence_ids.includes(l.id) ? ' on' : ''}`, onclick: () => { chosen = l; close(); },
    }, l.kind_name, h('span', { class: 'muted small' }, ` ${l.data.number}`)))));
  if (!chosen) return;
  try {
    await call('vault.linkLicence', doc.id, (chosen as Licence).id);
    toast(t('linked'));
    await rerender();
  } catch (e) {
    failed(e);
  }
}

function docRow(doc: DocumentInfo, licences: Licence[]): HTMLElement {
  const names = doc.licence_ids.map((id) => licences.find((l) => l.id === id)?.kind_name).filter(Boolean);
  const image = doc.media_type.startsWith('image/');
  return h('li', { class: 'doc', 'data-id': doc.id },
    h('div', { class: 'doc-main' },
      h('span', { class: `doc-type${image ? ' image' : ''}`, 'aria-hidden': 'true' }, image ? icon('camera') : icon('dossier')),
      h('span', { class: 'row-main' },
        h('span', { class: 'row-title doc-name' }, doc.name),
        h('span', { class: 'muted small' }, `${sizeText(doc.size)} · ${doc.created_at.replace('T', ' ').slice(0, 16)}`),
        names.length > 0 && h('span', { class: 'chip accent linked' }, t('linkedTo', { names: names.join('、') })))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn small', onclick: () => view(doc) }, image ? t('view') : t('download')),
      h('button', { type: 'button', class: 'btn small secondary', onclick: () => link(doc, licences) }, t('linkLicence')),
      h('button', { type: 'button', class: 'btn small ghost', onclick: () => remove(doc), 'aria-label': `${t('delete')}：${doc.name}` }, t('delete'))));
}

const AUTO_LOCK_CHOICES = [60, 300, 900, 1800, 0];

function autoLock(status: VaultStatus): HTMLElement {
  const seconds = [...new Set([...AUTO_LOCK_CHOICES, status.auto_lock_seconds])];
  const select = h('select', { id: 'auto-lock', onchange: async () => {
    try {
      await call('vault.setAutoLock', Number(select.value));
      armIdle(Number(select.value));
      toast(t('autoLockSaved'));
    } catch (e) {
      failed(e);
    }
  } }, seconds.map((s) => h('option', { value: String(s), selected: s === status.auto_lock_seconds },
    s === 0 ? t('autoLockOff') : t('autoLockMinutes', { n: Math.round((s / 60) * 10) / 10 }))));
  return h('div', { class: 'card toggle auto-lock' }, h('label', { for: 'auto-lock' }, h('span', { class: 'row-title' }, t('autoLock'))), select);
}

async function openView(root: HTMLElement, status: VaultStatus) {
  const uscc = state.current?.company.uscc;
  let docs: DocumentInfo[];
  let licences: Licence[];
  try {
    [docs, licences] = await Promise.all([call('vault.documents'), uscc ? call('dossier.licences', uscc) : Promise.resolve([])]);
  } catch (e) {
    if (isCoreError(e) && e.code === 'vault_locked') return unlockView(root);
    throw e;
  }
  armIdle(status.auto_lock_seconds);
  const progress = h('p', { class: 'muted small status', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'vault-file', accept: 'image/*,application/pdf', class: 'visually-hidden',
    onchange: async () => {
      const file = input.files?.[0];
      if (!file) return;
      progress.textContent = t('adding');
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        await call('vault.add', file.name, file.type || 'application/octet-stream', bytes);
        toast(t('added'));
        await rerender();
      } catch (e) {
        progress.textContent = '';
        failed(e);
      } finally {
        input.value = '';
      }
    } });
  clear(root,
    header(h('button', { type: 'button', class: 'btn small secondary', id: 'vault-lock', onclick: () => void lockNow() }, icon('vault'), t('lock'))),
    h('label', { class: 'btn wide add-doc', for: 'vault-file' }, icon('camera'), t('addDocument')),
    input,
    progress,
    h('section', { class: 'section', 'aria-labelledby': 'docs-title' },
      h('h2', { id: 'docs-title' }, t('documentsTitle'), h('span', { class: 'count' }, String(docs.length))),
      docs.length === 0 ? h('p', { class: 'card muted' }, t('noDocuments'))
        : h('ul', { class: 'card docs' }, docs.map((d) => docRow(d, licences)))),
    autoLock(status));
}

export async function renderVault(root: HTMLElement) {
  if (recoveryKey) return recoveryView(root, recoveryKey);
  const status = await call('vault.status');
  if (!status.set_up) return setupView(root);
  if (!status.unlocked) {
    stopIdle();
    return unlockView(root);
  }
  return openView(root, status);
}
