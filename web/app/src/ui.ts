// Shared pieces: icons, toasts, bottom sheets, field errors, days-left text.
import { h, type Child } from './dom';
import { t } from './i18n';
import { isCoreError } from './rpc';

const ICONS: Record<string, string> = {
  home: 'M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z',
  dossier: 'M5 3h10l4 4v14H5zM14 3v5h5M8 12h8M8 16h8M8 8h4',
  assistant: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5',
  settings: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1',
  search: 'M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM15.5 15.5 21 21',
  licence: 'M3 6h18v12H3zM7 10h6M7 14h4M16 10h2',
  chevron: 'M9 5l7 7-7 7',
  plus: 'M12 5v14M5 12h14',
  policy: 'M12 3a6 6 0 1 0 0 12 6 6 0 0 0 0-12zM8.6 13.8 7 21l5-3 5 3-1.6-7.2M12 6.5v5M9.5 9h5',
  vault: 'M5 10h14v11H5zM8 10V7a4 4 0 0 1 8 0v3M12 14v3',
  guide: 'M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M8.5 12l2 2 4-4M8.5 17h7',
  star: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z',
  camera: 'M4 8h3l2-3h6l2 3h3v11H4zM12 10.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z',
  seal: 'M9.5 3h5v4.5L16 12H8l1.5-4.5zM4.5 12h15v4h-15zM6 20h12',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
};

export function icon(name: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name] ?? '');
  svg.appendChild(path);
  return svg;
}

/** "还剩 5 天" / "今天到期" / "已逾期 3 天" for the core's `days_left`. */
export function daysText(days: number): string {
  if (days === 0) return t('dueToday');
  return days > 0 ? t('daysLeft', { n: days }) : t('daysOverdue', { n: -days });
}

let toastTimer = 0;
export function toast(message: string, action?: { label: string; run: () => void }) {
  document.querySelector('.toast')?.remove();
  const el = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' }, h('span', {}, message),
    action && h('button', { type: 'button', class: 'link', onclick: () => { el.remove(); action.run(); } }, action.label));
  document.body.appendChild(el);
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => el.remove(), 5000);
}

/** The core's Chinese message for a failure (or a generic one for anything else). */
export function errorText(e: unknown): string {
  return isCoreError(e) ? e.userMessage : String(e);
}

export function showError(e: unknown) {
  console.error(e);
  toast(errorText(e));
}

/** A bottom sheet with a title and content; resolves when closed. */
export function sheet(title: string, build: (close: () => void) => Child): Promise<void> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const close = () => {
      overlay.remove();
      previous?.focus?.();
      resolve();
    };
    const heading = h('h2', { id: 'sheet-title' }, title);
    const panel = h('div', { class: 'sheet', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'sheet-title' },
      heading, build(close), h('button', { type: 'button', class: 'btn secondary wide', onclick: close }, t('cancel')));
    const overlay = h('div', { class: 'overlay', onclick: (e: Event) => { if (e.target === overlay) close(); } }, panel);
    overlay.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Escape') close(); });
    document.body.appendChild(overlay);
    (panel.querySelector('button') as HTMLButtonElement | null)?.focus();
  });
}

/** A labelled form field with a slot for the core's message about it. */
export function field(id: string, labelText: string, input: HTMLElement, hint?: string): HTMLElement {
  input.id = id;
  input.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field', 'data-path': id },
    h('label', { for: id }, labelText), input,
    hint && h('div', { class: 'hint' }, hint),
    h('div', { class: 'error', id: `${id}-error`, role: 'alert' }));
}

/** Puts each issue's message next to the field its `path` names; returns the ones without a field. */
export function showIssues(form: HTMLElement, issues: { path: string; user_message: string }[]): string[] {
  clearIssues(form);
  const orphans: string[] = [];
  for (const issue of issues) {
    const name = issue.path.replace(/^(company|licence)\./, '').replace(/\[\d+\]$/, '');
    const slot = form.querySelector<HTMLElement>(`.field[data-path="${CSS.escape(name)}"]`);
    if (slot) {
      slot.classList.add('invalid');
      slot.querySelector('input,select,textarea')?.setAttribute('aria-invalid', 'true');
      const error = slot.querySelector('.error')!;
      error.textContent = error.textContent ? `${error.textContent} ${issue.user_message}` : issue.user_message;
    } else {
      orphans.push(issue.user_message);
    }
  }
  form.querySelector<HTMLElement>('.field.invalid input, .field.invalid select')?.focus();
  return orphans;
}

export function clearIssues(form: HTMLElement) {
  for (const slot of form.querySelectorAll('.field.invalid')) {
    slot.classList.remove('invalid');
    slot.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  }
  for (const e of form.querySelectorAll('.field .error')) e.textContent = '';
}
