// What the 档案 screen's forms share: inputs, the form shell that puts the core's issues next to their
// fields, the vault's PIN asked in place when the core answers `vault_locked`, the vault documents linked
// to a licence or a material, copying text (with a way out where the clipboard is refused), and the
// screen's few styles (here, not in style.css: they load with this chunk, not with the first screen).
import { h, type Child } from '../dom';
import { t } from '../i18n';
import { call, isCoreError } from '../rpc';
import type { DocumentInfo } from '../types';
import { errorText, field, sheet, showError, showIssues, toast } from '../ui';
import { dt } from './dossier-strings';

const STYLE = `
.form input[type='datetime-local'] { width: 100%; min-height: var(--tap); padding: 8px 12px; font: inherit; color: var(--text);
  background: var(--surface); border: 1px solid var(--line); border-radius: 10px; }
.form .field.invalid input[type='datetime-local'] { border-color: var(--overdue); border-width: 2px; }
.record-link { display: block; color: inherit; text-decoration: none; }
.record-link .row-title { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.record-link .icon { color: var(--muted); width: 18px; height: 18px; flex: none; }
.dyn-head .when { margin-left: auto; }
.secret { display: flex; gap: 8px; align-items: stretch; }
.secret input { flex: 1; min-width: 0; min-height: var(--tap); padding: 8px 12px; font: inherit; font-size: 1.15rem; letter-spacing: 0.05em;
  color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: 10px; }
.ics-text { width: 100%; font-size: 0.8rem; min-height: 9em; padding: 8px; color: var(--text); background: var(--bg);
  border: 1px solid var(--line); border-radius: 10px; }
.scan-list .doc-main { align-items: center; }
.scan-list .actions { margin-top: 0; padding-left: 0; flex-wrap: nowrap; }
.dossier-note { margin: 8px 0 0; }
#dossier-quick > :last-child { grid-column: 1 / -1; }
button.quick-link { font: inherit; font-weight: 600; cursor: pointer; text-align: center; }
.form.card > .btn.danger { margin-top: 10px; }
#password-card > p, #scans .card > p { margin: 0 0 10px; }
`;

if (!document.getElementById('dossier-style')) document.head.append(h('style', { id: 'dossier-style' }, STYLE));

export function input(value: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type: 'text', value, ...attrs });
}

export function select(value: string, options: { code: string; label: string }[], placeholder?: string): HTMLSelectElement {
  const el = h('select', {},
    placeholder !== undefined && h('option', { value: '' }, placeholder),
    options.map((o) => h('option', { value: o.code }, o.label)));
  el.value = value;
  return el;
}

/** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
export const when = (at: string) => at.replace('T', ' ').slice(0, 16);

/** A form whose failures are the core's: issues next to the fields their paths name, the rest above. */
export function coreForm(attrs: Record<string, string>, children: Child[], onSubmit: (form: HTMLFormElement) => Promise<void>): HTMLFormElement {
  const summary = h('div', { class: 'form-error', role: 'alert' });
  const form: HTMLFormElement = h('form', { ...attrs, novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    summary.textContent = '';
    showIssues(form, []);
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    button.disabled = true;
    try {
      await onSubmit(form);
    } catch (err) {
      const orphans = isCoreError(err) && err.issues.length > 0 ? showIssues(form, err.issues) : [errorText(err)];
      summary.textContent = orphans.length > 0 ? orphans.join(' ') : t('fixErrors');
    } finally {
      button.disabled = false;
    }
  } }, summary, children);
  return form;
}

/** An add or edit page: back link, title, the form with save and cancel, `extra` inside the form (a
 * delete button), `after` below it (sections with buttons of their own). */
export function formShell(title: string, fields: Child[], onSubmit: (form: HTMLFormElement) => Promise<void>, extra?: Child, after?: Child, back = '#/dossier'): HTMLElement {
  const form = coreForm({ class: 'form card' }, [
    fields,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'btn wide' }, t('save')),
      h('a', { class: 'btn secondary wide', href: back }, t('cancel'))),
    extra,
  ], onSubmit);
  return h('div', {}, h('a', { class: 'back', href: back }, `‹ ${t('back')}`), h('h2', { class: 'page-title' }, title), form, after);
}

// ---- the vault, from the dossier ----

/** Asks for the PIN in a sheet that first says the core's message (`证照夹已锁定…`); resolves to whether
 * the vault is now open. The core's answer to a wrong PIN (or a vault not set up) is shown in place. */
export async function unlockSheet(reason: string): Promise<boolean> {
  let opened = false;
  await sheet(dt('unlockVault'), (close) => {
    const pin = h('input', { type: 'password', inputmode: 'numeric', autocomplete: 'current-password', enterkeyhint: 'done', class: 'pin' });
    const message = h('p', { class: 'form-error', id: 'dossier-unlock-error', role: 'alert' });
    const goVault = h('a', { class: 'btn secondary wide', href: '#/vault', hidden: true, onclick: () => close() }, dt('goVault'));
    const form = h('form', { class: 'form', id: 'dossier-unlock', novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      message.textContent = '';
      try {
        await call('vault.unlockWithPin', pin.value);
        opened = true;
        close();
      } catch (err) {
        message.textContent = errorText(err);
        goVault.hidden = !(isCoreError(err) && err.code === 'vault_not_set_up');
        pin.select();
      }
    } },
      h('p', { class: 'notice' }, reason),
      field('dossier-pin', t('pinLabel'), pin),
      message,
      h('div', { class: 'choices' }, h('button', { type: 'submit', class: 'btn wide' }, t('unlock')), goVault));
    setTimeout(() => pin.focus(), 0);
    return form;
  });
  return opened;
}

/** Runs a call that needs the vault's key; when the core says the vault is locked, asks for the PIN and
 * runs it once more. Any other failure (or a closed PIN sheet) is the caller's to show. */
export async function withVault<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(isCoreError(e) && e.code === 'vault_locked')) throw e;
    if (!(await unlockSheet(e.userMessage))) throw e;
    return run();
  }
}

/** Picks one of the vault's documents; `marked` ones show as chosen already. */
async function chooseDocument(marked: (d: DocumentInfo) => boolean): Promise<DocumentInfo | null> {
  const docs = await withVault(() => call('vault.documents'));
  let chosen: DocumentInfo | null = null;
  await sheet(dt('chooseDocument'), (close) => docs.length === 0
    ? h('p', { class: 'muted' }, dt('noVaultDocuments'))
    : h('div', { class: 'choices' }, docs.map((d) => h('button', {
      type: 'button', class: `btn secondary wide${marked(d) ? ' on' : ''}`, onclick: () => { chosen = d; close(); },
    }, d.name, h('span', { class: 'muted small' }, ` ${when(d.created_at)}`)))));
  return chosen;
}

/** The scans a licence or a material has in the vault, with link and unlink. The names are sealed, so
 * the list needs the vault open: locked, the core's message and a button to unlock. */
export function scansSection(owner: {
  /** The linked documents (throws the core's error when the vault is locked). */
  list: () => Promise<DocumentInfo[]>;
  link: (doc: DocumentInfo) => Promise<unknown>;
  unlink: (doc: DocumentInfo) => Promise<unknown>;
}): HTMLElement {
  const body = h('div', {});
  const section = h('section', { class: 'section', id: 'scans', 'aria-labelledby': 'scans-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'scans-title' }, dt('scansTitle'))), body);
  const draw = async () => {
    let docs: DocumentInfo[];
    try {
      docs = await owner.list();
    } catch (e) {
      const locked = isCoreError(e) && e.code === 'vault_locked';
      body.replaceChildren(h('div', { class: 'card' },
        h('p', { class: 'muted', id: 'scans-message' }, errorText(e)),
        locked
          ? h('button', { type: 'button', class: 'btn secondary wide', id: 'scans-unlock', onclick: async () => {
            if (await unlockSheet(errorText(e))) await draw();
          } }, dt('showScans'))
          : isCoreError(e) && e.code === 'vault_not_set_up' && h('a', { class: 'btn secondary wide', href: '#/vault' }, dt('goVault'))));
      return;
    }
    const act = (run: () => Promise<unknown>, done: string) => async () => {
      try {
        await withVault(run);
        toast(done);
        await draw();
      } catch (err) {
        showError(err);
      }
    };
    body.replaceChildren(h('div', { class: 'card' },
      docs.length === 0
        ? h('p', { class: 'muted' }, dt('noScans'))
        : h('ul', { class: 'docs scan-list' }, docs.map((d) => h('li', { class: 'doc', 'data-id': d.id },
          h('div', { class: 'doc-main' },
            h('span', { class: 'row-main' }, h('span', { class: 'row-title doc-name' }, d.name), h('span', { class: 'muted small' }, when(d.created_at))),
            h('div', { class: 'actions' },
              h('button', { type: 'button', class: 'btn small ghost', 'aria-label': `${dt('unlink')}：${d.name}`, onclick: act(() => owner.unlink(d), dt('unlinked')) }, dt('unlink'))))))),
      h('button', { type: 'button', class: 'btn secondary wide', id: 'scans-link', onclick: async () => {
        try {
          const doc = await chooseDocument((x) => docs.some((d) => d.id === x.id));
          if (doc) await act(() => owner.link(doc), dt('linkedNow'))();
        } catch (err) {
          showError(err);
        }
      } }, dt('linkDocument'))));
  };
  void draw();
  return section;
}

// ---- copying and downloading ----

/** Copies `text`; where the clipboard is refused (some in-app web views), selects it in `shown` for a
 * long-press copy and says so in `status`. */
export async function copyText(text: string, shown: HTMLInputElement | HTMLTextAreaElement, status: HTMLElement) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    status.textContent = dt('copied');
    status.dataset.copied = 'true';
  } catch {
    shown.focus();
    shown.select();
    shown.setSelectionRange(0, shown.value.length);
    status.textContent = dt('copyUnavailable');
    status.dataset.copied = 'false';
  }
}

/** The calendar text in a sheet, to copy, when a download cannot be had; `why` says why plainly. */
function icsSheet(text: string, why: string) {
  return sheet(dt('icsTitle'), () => {
    const area = h('textarea', { class: 'ics-text mono', id: 'ics-text', readonly: true, rows: 9, spellcheck: 'false', 'aria-label': dt('icsText') }, text);
    const status = h('p', { class: 'muted small', id: 'ics-copy-status', role: 'status', 'aria-live': 'polite' });
    return h('div', { id: 'ics-fallback' },
      h('p', { class: 'warn-box', id: 'ics-why' }, why),
      area,
      status,
      h('div', { class: 'choices' }, h('button', { type: 'button', class: 'btn wide', id: 'ics-copy', onclick: () => copyText(text, area, status) }, dt('icsCopy'))));
  });
}

/** WeChat's web view on iPhone and iPad: a download link does nothing there. */
const iosWeChat = () => /MicroMessenger/i.test(navigator.userAgent) && /iPhone|iPad|iPod/i.test(navigator.userAgent);

/** The company's deadlines as `zhuanshu-<uscc>.ics` (the core writes it); where downloads fail, the text
 * to copy instead. */
export async function downloadIcs(uscc: string) {
  let text: string;
  try {
    text = await call('dynamics.ics', uscc);
  } catch (e) {
    return showError(e);
  }
  if (iosWeChat()) return icsSheet(text, dt('icsWhyIos'));
  const file = `zhuanshu-${uscc}.ics`;
  try {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
    const a = h('a', { href: url, download: file, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  } catch {
    return icsSheet(text, dt('icsWhyFailed'));
  }
  // Whether the browser saved it cannot be seen from the page: the way out stays one tap away.
  toast(dt('icsDownloaded', { file }), { label: dt('icsNotStarted'), run: () => void icsSheet(text, dt('icsWhyFailed')) });
}
