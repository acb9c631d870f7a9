// Hash routes (#/dossier/licence/3, #/assistant?q=年报): the back button works and a route is a link.
export interface Route {
  path: string[];
  query: URLSearchParams;
}

let renderer: () => Promise<void> = async () => {};

export function route(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function go(hash: string) {
  if (location.hash === hash) void renderer();
  else location.hash = hash;
}

/** Draws the current route again (after a change to the data). */
export function rerender(): Promise<void> {
  return renderer();
}

export function setRenderer(f: () => Promise<void>) {
  renderer = f;
  window.addEventListener('hashchange', () => void renderer());
}
