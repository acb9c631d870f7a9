// What the screens share: the worker's answer to `open`, the core's closed lists, and the current company.
import { call } from './rpc';
import type { Choice, CompanyOverview, Dynamic, Labels, Ready } from './types';

export const state = {
  ready: null as Ready | null,
  labels: null as Labels | null,
  companies: [] as CompanyOverview[],
  current: null as CompanyOverview | null,
  /** The search index is built (after the first screen). */
  indexReady: false,
  indexWaiters: [] as (() => void)[],
  /** The current company's dynamics as `open` computed them, used once by the first screen. */
  prefetched: null as { uscc: string; items: Dynamic[] } | null,
};

export async function refreshCompanies() {
  state.companies = await call('dossier.companies');
  state.current = state.companies.find((c) => c.current) ?? null;
}

/** The core's label of `code` in one of its closed lists. */
export function label(list: keyof Labels, code: string | null | undefined): string {
  if (!code) return '';
  return state.labels?.[list].find((c: Choice) => c.code === code)?.label ?? code;
}

export function onIndexReady(f: () => void) {
  if (state.indexReady) f();
  else state.indexWaiters.push(f);
}

export function setIndexReady() {
  state.indexReady = true;
  for (const f of state.indexWaiters.splice(0)) f();
}
