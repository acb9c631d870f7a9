// 证照夹: the encrypted vault. First use sets a PIN and shows the recovery key once (or restores a backup
// made on another phone); then unlock with the PIN (the core counts wrong PINs and says how long to wait;
// a forgotten PIN is reset with the recovery key), add photos and files, view, delete, link a scan to a
// licence of the current company, lock. The open vault also stamps chosen documents with the current
// company's electronic seal (one ZIP to send), verifies a package received, downloads an encrypted backup,
// changes the PIN and replaces the recovery key (the PIN is asked again: the core rotates the keys).
// Auto-lock is the core's alone: it locks the vault once the key has gone unused for auto_lock_seconds of
// real time (whatever `?now=` pins — that is the planning date, not the clock of security decisions).
// The page keeps no idle rule of its own: it only asks the core again when the core's idle time may have
// run out, and shows the lock screen whenever the core answers `vault_locked` or says it is locked. 验章
// needs no PIN and is there in every state.
import type { Api, Method } from '../api';
import { clear, h, type Child } from '../dom';
import { t } from '../i18n';
import { call as rpc, isCoreError } from '../rpc';
import { rerender, route } from '../router';
import { state } from '../state';
import type { CompanyOverview, DocumentInfo, Licence, PackageReport, SealInfo, VaultStatus } from '../types';
import { errorText, field, icon, sheet, showError, showIssues, toast } from '../ui';

/** The recovery key just created: shown once, until the owner says it is written down. */
let recoveryKey: string | null = null;
/** What a restore brought back, said once on the opened vault. */
let restoredNotice: string[] | null = null;
let idleTimer = 0;
/** The core's auto_lock_seconds while the vault is open (0: off, or locked). */
let idleSeconds = 0;

const onVault = () => route().path[0] === 'vault';

function stopIdle() {
  idleSeconds = 0;
  clearTimeout(idleTimer);
}

/** Looks at the core again once its idle time may be over: `after` ms from now, by default the whole idle
 * time (the key was just used) and a little more. Taps and scrolls do not count: the core cannot see them. */
function watchIdle(seconds = idleSeconds, after = seconds * 1000 + 250) {
  idleSeconds = seconds;
  clearTimeout(idleTimer);
  if (seconds > 0) idleTimer = window.setTimeout(() => void checkIdle(), after);
}

/** The core decides: locked, so the lock screen; still open (the key was used meanwhile, e.g. by a sealed
 * field of the dossier), so look again shortly. */
async function checkIdle() {
  let status: VaultStatus;
  try {
    status = await rpc('vault.status');
  } catch (e) {
    console.error(e);
    return;
  }
  if (status.unlocked) return watchIdle(status.auto_lock_seconds, Math.min(status.auto_lock_seconds * 1000, 5000));
  if (idleSeconds === 0) return; // locked on purpose meanwhile (the lock button, a failed call)
  stopIdle();
  document.querySelector('.overlay')?.remove();
  toast(t('lockedToast'));
  if (onVault()) void rerender();
}

/** Calls that do not use the vault's key, so do not restart the core's idle time. */
const KEYLESS = new Set<string>(['vault.status', 'vault.lock', 'vault.sealInfo']);

/** This screen's calls: one that used the key restarted the core's idle time, so the page looks later. */
async function call<M extends Method>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
  const value = await rpc(method, ...args);
  if (idleSeconds > 0 && method.startsWith('vault.') && !KEYLESS.has(method)) watchIdle();
  return value;
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

/** A form field whose input has its own id but takes the core's issues about `path` (`pin`,
 * `recovery_key`): several forms on one page name the same core field. */
function pathField(id: string, path: string, labelText: string, input: HTMLElement, hint?: string): HTMLElement {
  const f = field(id, labelText, input, hint);
  f.dataset.path = path;
  return f;
}

/** A recovery key or fingerprint as typed: long, so it wraps instead of scrolling out of sight. */
function keyInput(rows = 2): HTMLTextAreaElement {
  return h('textarea', { rows, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', class: 'key-input mono' });
}

/** A failed form submission: the core's issues next to their fields, the rest above the button. */
function formFailed(form: HTMLElement, formError: HTMLElement, err: unknown) {
  if (isCoreError(err) && err.code === 'vault_locked') return failed(err);
  if (isCoreError(err) && err.issues.length > 0) formError.textContent = showIssues(form, err.issues).join(' ');
  else {
    showIssues(form, []);
    formError.textContent = errorText(err);
  }
}

/** Whether the two new-PIN inputs agree; says so at the second if not. */
function pinsAgree(form: HTMLElement, again: HTMLInputElement, pin: HTMLInputElement): boolean {
  if (pin.value === again.value) return true;
  const path = again.closest<HTMLElement>('.field')?.dataset.path ?? 'pin-again';
  showIssues(form, [{ path, user_message: t('pinMismatch') }]);
  return false;
}

/** Bytes the core made, saved by the browser as a download. */
function saveFile(bytes: Uint8Array, name: string, type: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A name usable as a file name on any phone. */
const fileSafe = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'zhuanshu';

/** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
const when = (at: string | null) => (at ?? '').replace('T', ' ').slice(0, 16);

/** A hex fingerprint in groups of four, to read aloud and compare. */
function fingerprint(fp: string, id?: string): HTMLElement {
  const groups = fp.toUpperCase().match(/.{1,4}/g) ?? [];
  return h('div', { class: 'fingerprint mono', id, 'aria-label': groups.join(' '), 'data-fingerprint': fp },
    groups.map((g) => h('span', { class: 'group' }, g)));
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
  clear(root, header(), form, restoreCard(), verifySection());
  pin.focus();
}

/** 从备份恢复: on a vault not set up yet, a backup file + its recovery key + a new PIN. */
function restoreCard(): HTMLElement {
  const file = h('input', { type: 'file', id: 'restore-file', accept: '.zsvb,application/octet-stream', class: 'visually-hidden' });
  const chosen = h('span', { class: 'file-name muted small' });
  file.addEventListener('change', () => { chosen.textContent = file.files?.[0]?.name ?? ''; });
  const key = keyInput();
  const pin = pinInput('new-password');
  const again = pinInput('new-password');
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const progress = h('p', { class: 'muted small status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn wide' }, t('restore'));
  const form: HTMLFormElement = h('form', { class: 'form', id: 'vault-restore', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    formError.textContent = '';
    showIssues(form, []);
    const backup = file.files?.[0];
    if (!backup) {
      formError.textContent = t('noBackupFile');
      return;
    }
    if (!pinsAgree(form, again, pin)) return;
    button.disabled = true;
    progress.textContent = t('restoring');
    try {
      const summary = await call('vault.restore', new Uint8Array(await backup.arrayBuffer()), key.value, pin.value);
      restoredNotice = [t('restored', { docs: summary.documents, seals: summary.seals })];
      if (summary.seals_skipped.length > 0) restoredNotice.push(t('sealsSkipped', { list: summary.seals_skipped.join('、') }));
      await rerender();
      window.scrollTo(0, 0);
    } catch (err) {
      button.disabled = false;
      progress.textContent = '';
      formFailed(form, formError, err);
    }
  } },
    h('p', { class: 'muted small intro' }, t('restoreIntro')),
    h('div', { class: 'field file-field' },
      h('label', { class: 'btn secondary wide', for: 'restore-file' }, icon('dossier'), t('chooseBackup')),
      file,
      chosen),
    pathField('restore-key', 'recovery_key', t('recoveryKeyLabel'), key, t('recoveryKeyHint')),
    pathField('restore-pin', 'pin', t('newPin'), pin),
    pathField('restore-pin-again', 'restore-pin-again', t('newPinConfirm'), again),
    formError,
    progress,
    button);
  return h('details', { class: 'card restore-card' },
    h('summary', {}, t('restoreTitle')),
    form);
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
    button,
    h('button', { type: 'button', class: 'link forgot', onclick: () => void recoverSheet() }, t('forgotPin')));
  clear(root, header(), form, verifySection());
  pin.focus();
}

/** 忘记 PIN 码: the written-down recovery key opens the vault and sets a new PIN. */
async function recoverSheet() {
  let done = false;
  await sheet(t('recoverTitle'), (close) => {
    const key = keyInput();
    const pin = pinInput('new-password');
    const again = pinInput('new-password');
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const button = h('button', { type: 'submit', class: 'btn wide' }, t('recoverDo'));
    const form: HTMLFormElement = h('form', { class: 'form', id: 'vault-recover', novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      formError.textContent = '';
      showIssues(form, []);
      if (!pinsAgree(form, again, pin)) return;
      button.disabled = true;
      try {
        await call('vault.recover', key.value, pin.value);
        done = true;
        close();
      } catch (err) {
        button.disabled = false;
        formFailed(form, formError, err);
      }
    } },
      pathField('recover-key', 'recovery_key', t('recoveryKeyLabel'), key, t('recoveryKeyHint')),
      pathField('recover-pin', 'pin', t('newPin'), pin),
      pathField('recover-pin-again', 'recover-pin-again', t('newPinConfirm'), again),
      formError,
      button);
    setTimeout(() => key.focus(), 0);
    return form;
  });
  if (done) {
    toast(t('pinChanged'));
    await rerender();
    window.scrollTo(0, 0);
  }
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
      URL.revokeObjectURL(url);
      saveFile(bytes, doc.name, doc.media_type);
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
      watchIdle(Number(select.value));
      toast(t('autoLockSaved'));
    } catch (e) {
      failed(e);
    }
  } }, seconds.map((s) => h('option', { value: String(s), selected: s === status.auto_lock_seconds },
    s === 0 ? t('autoLockOff') : t('autoLockMinutes', { n: Math.round((s / 60) * 10) / 10 }))));
  return h('div', { class: 'card toggle auto-lock' }, h('label', { for: 'auto-lock' }, h('span', { class: 'row-title' }, t('autoLock'))), select);
}

/** 电子印章: the chosen documents stamped with the current company's seal (created on first use), as one
 * ZIP to download and send; the seal's fingerprint, grouped, for the recipient to compare. */
function sealSection(docs: DocumentInfo[], company: CompanyOverview | null, seal: SealInfo | null): HTMLElement {
  const body: Child[] = [h('p', { class: 'muted small intro' }, t('sealIntro'))];
  const sealBox = h('div', { class: 'seal-box', id: 'seal-box' });
  const showSeal = (info: SealInfo | null) => {
    if (!company) return;
    clear(sealBox, info
      ? [h('p', { class: 'row-title' }, t('sealOf', { name: company.company.name })),
        h('p', { class: 'muted small' }, `${t('sealFingerprint')} · ${t('sealCreatedAt', { date: when(info.created_at) })}`),
        fingerprint(info.fingerprint, 'seal-fingerprint'),
        h('p', { class: 'muted small' }, t('sealFingerprintHint'))]
      : h('p', { class: 'muted small' }, t('sealNone', { name: company.company.name })));
  };
  showSeal(seal);
  if (!company) body.push(h('p', { class: 'notice' }, t('sealNoCompany')));
  else if (docs.length === 0) body.push(sealBox, h('p', { class: 'notice' }, t('sealNoDocs')));
  else {
    const boxes = docs.map((d) => h('input', { type: 'checkbox', value: d.id, 'data-name': d.name }));
    const count = h('span', { class: 'muted small', id: 'seal-count' });
    const status = h('p', { class: 'status seal-status', id: 'seal-status', role: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'button', class: 'btn wide', id: 'seal-sign' }, icon('seal'), t('sealSign'));
    const update = () => {
      const n = boxes.filter((b) => b.checked).length;
      count.textContent = t('sealSelected', { n });
      button.disabled = n === 0;
    };
    for (const b of boxes) b.addEventListener('change', update);
    update();
    button.addEventListener('click', async () => {
      const ids = boxes.filter((b) => b.checked).map((b) => b.value);
      const uscc = company.company.uscc;
      button.disabled = true;
      status.className = 'status seal-status muted small';
      status.textContent = t('sealSigning');
      try {
        if (!seal) {
          seal = await call('vault.createSeal', uscc);
          showSeal(seal);
          toast(t('sealCreated', { name: company.company.name }));
        }
        const bytes = await call('vault.signPackage', uscc, ids);
        const name = `${fileSafe(company.company.name)}-材料包.zip`;
        saveFile(bytes, name, 'application/zip');
        status.className = 'status seal-status ok';
        status.textContent = t('sealDone', { file: name, n: ids.length });
      } catch (e) {
        status.textContent = '';
        failed(e);
      } finally {
        update();
      }
    });
    body.push(sealBox,
      h('fieldset', { class: 'pick-list' },
        h('legend', { class: 'visually-hidden' }, t('documentsTitle')),
        docs.map((d, i) => h('label', { class: 'pick' }, boxes[i], h('span', { class: 'doc-name' }, d.name)))),
      h('div', { class: 'pick-foot' }, count),
      button,
      status);
  }
  return h('section', { class: 'section', 'aria-labelledby': 'seal-title' },
    h('h2', { id: 'seal-title' }, t('sealTitle')),
    h('div', { class: 'card seal-card' }, body));
}

function verdict(report: PackageReport, name: string): HTMLElement {
  const signer = report.signer;
  return h('div', { class: `verdict ${report.valid ? 'valid' : 'invalid'}`, 'data-valid': String(report.valid) },
    h('h3', {}, report.valid ? `✓ ${t('verifyValid')}` : `✗ ${t('verifyInvalid')}`),
    h('p', { class: 'muted small package-name' }, t('verifyPackage', { name })),
    report.problems.length > 0 && h('ul', { class: 'problems' }, report.problems.map((p) =>
      h('li', { class: 'problem', 'data-kind': p.kind, 'data-file': p.file ?? '' }, p.user_message))),
    signer && h('dl', { class: 'facts' },
      h('dt', {}, t('verifySigner')), h('dd', { class: 'signer' }, `${signer.name}（${signer.uscc}）`),
      report.signed_at && [h('dt', {}, t('verifySignedAt')), h('dd', {}, when(report.signed_at))]),
    signer && [h('p', { class: 'muted small fp-label' }, t('sealFingerprint')), fingerprint(signer.fingerprint)],
    report.verified_files.length > 0 && [
      h('h4', {}, t('verifyFiles', { n: report.verified_files.length })),
      h('ul', { class: 'verified-files' }, report.verified_files.map((f) => h('li', {}, `✓ ${f}`)))]);
}

/** 验章: a package received (its ZIP) checked by the core: signature, signer, every file. It needs no
 * PIN (seals are public), so it is offered on the locked and the not-yet-set-up vault too. */
function verifySection(): HTMLElement {
  let last: { name: string; bytes: Uint8Array } | null = null;
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const trusted = keyInput(3);
  const trustedUscc = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '18', class: 'mono' });
  const trust = h('details', { class: 'trust' },
    h('summary', {}, t('verifyTrusted')),
    field('verify-trusted', t('verifyTrusted'), trusted, t('verifyTrustedHint')),
    field('verify-trusted-uscc', t('verifyTrustedUscc'), trustedUscc, t('verifyTrustedUsccHint')));
  const run = async () => {
    if (!last) return;
    const { name, bytes } = last;
    clear(result, h('p', { class: 'muted small' }, t('verifying')));
    try {
      // A fingerprint is trusted for one company only: the one it was given for.
      const fingerprint = trusted.value.trim();
      const uscc = trustedUscc.value.trim();
      const report = await call('vault.verifyPackage', bytes, fingerprint && uscc ? [{ uscc, fingerprint }] : []);
      clear(result, verdict(report, name));
      // A good signature by a seal this phone does not know: the sender's fingerprint is what is missing.
      if (report.problems.some((p) => p.kind === 'unknown_key')) trust.open = true;
    } catch (e) {
      if (isCoreError(e) && e.code === 'vault_locked') return failed(e);
      clear(result, h('div', { class: 'verdict invalid', 'data-valid': 'false' },
        h('h3', {}, `✗ ${t('verifyInvalid')}`),
        h('p', { class: 'muted small package-name' }, t('verifyPackage', { name })),
        h('ul', { class: 'problems' }, h('li', { class: 'problem' }, errorText(e)))));
    }
  };
  const file = h('input', { type: 'file', id: 'verify-file', accept: '.zip,application/zip', class: 'visually-hidden',
    onchange: async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      last = { name: chosen.name, bytes: new Uint8Array(await chosen.arrayBuffer()) };
      file.value = '';
      await run();
    } });
  trusted.addEventListener('change', () => void run());
  trustedUscc.addEventListener('change', () => void run());
  return h('section', { class: 'section', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title' }, t('verifyTitle')),
    h('div', { class: 'card form verify-card' },
      h('p', { class: 'muted small intro' }, t('verifyIntro')),
      h('label', { class: 'btn secondary wide', for: 'verify-file' }, icon('seal'), t('verifyChoose')),
      file,
      trust,
      result));
}

/** 更换 PIN 码: the current PIN and the new one, twice. */
async function changePinSheet() {
  let done = false;
  await sheet(t('changePin'), (close) => {
    const old = pinInput('current-password');
    const pin = pinInput('new-password');
    const again = pinInput('new-password');
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const button = h('button', { type: 'submit', class: 'btn wide' }, t('changePin'));
    const form: HTMLFormElement = h('form', { class: 'form', id: 'vault-change-pin', novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      formError.textContent = '';
      showIssues(form, []);
      if (!pinsAgree(form, again, pin)) return;
      button.disabled = true;
      try {
        await call('vault.changePin', old.value, pin.value);
        done = true;
        close();
      } catch (err) {
        button.disabled = false;
        formFailed(form, formError, err);
        if (isCoreError(err) && err.issues.length === 0) old.select();
      }
    } },
      field('old-pin', t('oldPin'), old),
      pathField('new-pin', 'pin', t('newPin'), pin),
      pathField('new-pin-again', 'new-pin-again', t('newPinConfirm'), again),
      formError,
      button);
    setTimeout(() => old.focus(), 0);
    return form;
  });
  if (done) toast(t('pinChanged'));
}

/** 重新生成恢复密钥: the core rotates the vault's keys and needs the PIN for it (counted like an unlock);
 * the new key is then shown once, as after setup. */
async function replaceRecoveryKey() {
  if (!confirm(t('confirmNewRecoveryKey'))) return;
  let fresh: string | null = null;
  await sheet(t('newRecoveryKey'), (close) => {
    const pin = pinInput('current-password');
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const button = h('button', { type: 'submit', class: 'btn wide' }, t('newRecoveryKey'));
    const form: HTMLFormElement = h('form', { class: 'form', id: 'vault-new-recovery-form', novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      formError.textContent = '';
      showIssues(form, []);
      button.disabled = true;
      try {
        // An empty field is no PIN: the core then says the PIN is needed, without counting an attempt.
        fresh = await call('vault.newRecoveryKey', pin.value || null);
        close();
      } catch (err) {
        button.disabled = false;
        formFailed(form, formError, err);
        pin.select();
      }
    } },
      h('p', { class: 'muted small intro' }, t('newRecoveryKeyIntro')),
      pathField('new-recovery-pin', 'pin', t('pinLabel'), pin),
      formError,
      button);
    setTimeout(() => pin.focus(), 0);
    return form;
  });
  if (fresh) {
    recoveryKey = fresh;
    await rerender();
    window.scrollTo(0, 0);
  }
}

/** 备份与安全: the encrypted backup as a download, the PIN, the recovery key, the idle lock. */
function securitySection(status: VaultStatus): HTMLElement {
  const note = h('p', { class: 'status small ok', id: 'backup-status', role: 'status', 'aria-live': 'polite' });
  const backup = h('button', { type: 'button', class: 'btn wide', id: 'vault-backup', onclick: async () => {
    backup.disabled = true;
    note.textContent = '';
    try {
      const bytes = await call('vault.backup');
      const d = new Date();
      const name = `证照夹备份-${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}.zsvb`;
      saveFile(bytes, name, 'application/octet-stream');
      note.textContent = t('backupDone', { file: name });
    } catch (e) {
      failed(e);
    } finally {
      backup.disabled = false;
    }
  } }, icon('download'), t('backupDownload'));
  return h('section', { class: 'section', 'aria-labelledby': 'security-title' },
    h('h2', { id: 'security-title' }, t('securityTitle')),
    h('div', { class: 'card' },
      h('p', { class: 'muted small intro' }, t('backupIntro')),
      backup,
      note,
      h('div', { class: 'actions two' },
        h('button', { type: 'button', class: 'btn secondary', id: 'vault-change-pin-open', onclick: () => void changePinSheet() }, t('changePin')),
        h('button', { type: 'button', class: 'btn secondary', id: 'vault-new-recovery', onclick: () => void replaceRecoveryKey() }, t('newRecoveryKey')))),
    autoLock(status));
}

async function openView(root: HTMLElement, status: VaultStatus) {
  const company = state.current;
  const uscc = company?.company.uscc;
  let docs: DocumentInfo[];
  let licences: Licence[];
  let seal: SealInfo | null;
  try {
    [docs, licences, seal] = await Promise.all([
      call('vault.documents'),
      uscc ? call('dossier.licences', uscc) : Promise.resolve([]),
      uscc ? call('vault.sealInfo', uscc) : Promise.resolve(null),
    ]);
  } catch (e) {
    if (isCoreError(e) && e.code === 'vault_locked') return unlockView(root);
    throw e;
  }
  watchIdle(status.auto_lock_seconds);
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
  const notice = restoredNotice;
  restoredNotice = null;
  clear(root,
    header(h('button', { type: 'button', class: 'btn small secondary', id: 'vault-lock', onclick: () => void lockNow() }, icon('vault'), t('lock'))),
    notice && h('div', { class: 'card restored', id: 'restored', role: 'status' }, notice.map((line) => h('p', {}, line))),
    h('label', { class: 'btn wide add-doc', for: 'vault-file' }, icon('camera'), t('addDocument')),
    input,
    progress,
    h('section', { class: 'section', 'aria-labelledby': 'docs-title' },
      h('h2', { id: 'docs-title' }, t('documentsTitle'), h('span', { class: 'count' }, String(docs.length))),
      docs.length === 0 ? h('p', { class: 'card muted' }, t('noDocuments'))
        : h('ul', { class: 'card docs' }, docs.map((d) => docRow(d, licences)))),
    sealSection(docs, company, seal),
    verifySection(),
    securitySection(status));
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
