// The wasm-bindgen packages (target/wasm-pkg-app, aliased by vite.config.ts): the app module and the
// search engine. Values cross as plain JSON-shaped objects; the worker calls services by name, so only
// the entry points are typed here.
declare module 'zhuanshu-wasm' {
  export default function init(options: { module_or_path: string | URL }): Promise<unknown>;
  export class ZhuanshuApp {
    /** `fixedNow` pins the planning clock only (security decisions use the real one); `deviceValue` is
     * the device secret's HMAC of `deviceSecretInput()` (see worker.ts), absent where there is none. */
    static open(fixedNow: string | null, deviceValue?: Uint8Array): ZhuanshuApp;
    static openPersistent(fixedNow: string | null, backend: 'opfs' | 'indexeddb', deviceValue?: Uint8Array): Promise<ZhuanshuApp>;
    storage(): string;
    dossier(): unknown;
    dynamics(): unknown;
    assistant(): unknown;
    free(): void;
  }
  export function labels(): unknown;
  /** What the browser's device key signs (HMAC-SHA256) to give `deviceValue`. */
  export function deviceSecretInput(): Uint8Array;
  export function provideContent(name: string, bytes: Uint8Array): void;
}
declare module 'zhuanshu-search-wasm' {
  export default function init(options: { module_or_path: string | URL }): Promise<unknown>;
  export function loadDictionary(bytes: Uint8Array): void;
  export function verifyPackage(bytes: Uint8Array, trusted: unknown): unknown;
  export class SearchIndex {
    static build(entries: unknown): SearchIndex;
    /** The FAQ index of the stored entries, or of the embedded knowledge base for `null`. */
    static faq(stored: unknown): SearchIndex;
    search(query: string, limit: number): unknown;
    suggest(prefix: string): unknown;
    entry(id: string): unknown;
    related(id: string, limit: number): unknown;
    predicted(topics: unknown): unknown;
    free(): void;
  }
}
declare module 'zhuanshu-search-wasm/zhuanshu_search_wasm_bg.wasm?url' {
  const url: string;
  export default url;
}
declare module 'zhuanshu-wasm/zhuanshu_wasm_bg.wasm?url' {
  const url: string;
  export default url;
}
declare module 'zhuanshu-guide?url' {
  const url: string;
  export default url;
}
declare module 'zhuanshu-dict?url' {
  const url: string;
  export default url;
}
