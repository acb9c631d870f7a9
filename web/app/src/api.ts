// The RPC surface between the page and the worker: each method is `service.method` of the wasm binding
// (`dossier.addCompany` is `app.dossier().addCompany(...)`), or `fn.name` for a free function. The page
// calls them by name with their arguments; the worker answers with the result or the thrown error object.
//
// Nothing here is written per method: the table is computed from the wasm modules' generated
// declarations (wasm-bindgen's .d.ts, whose argument and result types the binding states and
// `cargo xtask parity` checks against the core), so a core method the binding exports is callable, and
// typed, the moment it is built.
import type * as core from 'zhuanshu-wasm';
import type { SearchIndex, verifyPackage } from 'zhuanshu-search-wasm';

type Fn = (...args: never[]) => unknown;

/** The app handle's services (`app.dossier()` …): the methods that return a binding object. */
type Services = {
  [S in keyof core.ZhuanshuApp & string as core.ZhuanshuApp[S] extends () => { free(): void } ? S : never]:
    ReturnType<core.ZhuanshuApp[S] extends () => infer R ? () => R : never>;
};
type ServiceName = keyof Services & string;
/** A service's callable methods (not `free`). */
type Methods<T> = { [M in keyof T & string as T[M] extends Fn ? (M extends 'free' ? never : M) : never]: T[M] };

/** `fn.name`: the module's free functions (not the classes, not the loader). */
type Functions = {
  [F in keyof typeof core & string as (typeof core)[F] extends abstract new (...a: never[]) => unknown
    ? never
    : (typeof core)[F] extends Fn
      ? F extends 'default' | 'initSync' | 'provideContent' | 'deviceSecretInput'
        ? never
        : `fn.${F}`
      : never]: (typeof core)[F];
};

/** Calls the worker answers from the search module (see worker.ts `searches`): the same names as the
 * app module's services, the engine's types. */
export interface SearchCalls {
  'assistant.search': SearchIndex['search'];
  'assistant.suggest': SearchIndex['suggest'];
  'assistant.entry': SearchIndex['entry'];
  'assistant.related': SearchIndex['related'];
  'assistant.predicted': (uscc: string) => ReturnType<SearchIndex['predicted']>;
  'guide.search': SearchIndex['search'];
  'vault.verifyPackage': (bytes: Uint8Array, trusted: Parameters<typeof verifyPackage>[1]) => ReturnType<typeof verifyPackage>;
}

type ServiceKey = { [S in ServiceName]: `${S}.${keyof Methods<Services[S]> & string}` }[ServiceName];
type ServiceCall<K> = K extends `${infer S}.${infer M}`
  ? S extends ServiceName
    ? M extends keyof Methods<Services[S]>
      ? Methods<Services[S]>[M]
      : never
    : never
  : never;

/** Every call: its arguments, and what it resolves to (a promise's value for the async ones). */
export type Api = {
  [K in ServiceKey | keyof Functions | keyof SearchCalls]: K extends keyof SearchCalls
    ? SearchCalls[K]
    : K extends keyof Functions
      ? Functions[K]
      : ServiceCall<K>;
};

export type Method = keyof Api;

/** Page -> worker. */
export type Request =
  | { id: number; kind: 'call'; method: Method; args: unknown[] }
  | { id: number; kind: 'open'; fixedNow: string | null; storage: 'auto' | 'indexeddb' | 'memory'; demo: boolean }
  | { id: number; kind: 'warm' };

/** Worker -> page. */
export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown };
