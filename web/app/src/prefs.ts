// Display preferences (language is in i18n.ts): theme and large text, kept in localStorage because they
// are about this device's screen, not the owner's data.
export type Theme = 'system' | 'light' | 'dark';

export function theme(): Theme {
  const v = localStorage.getItem('zs.theme');
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function largeText(): boolean {
  return localStorage.getItem('zs.large') === '1';
}

export function apply() {
  const root = document.documentElement;
  const th = theme();
  if (th === 'system') delete root.dataset.theme;
  else root.dataset.theme = th;
  root.classList.toggle('large', largeText());
  const dark = th === 'dark' || (th === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? '#15171c' : '#c8102e');
}

export function setTheme(th: Theme) {
  localStorage.setItem('zs.theme', th);
  apply();
}

export function setLargeText(on: boolean) {
  localStorage.setItem('zs.large', on ? '1' : '0');
  apply();
}
