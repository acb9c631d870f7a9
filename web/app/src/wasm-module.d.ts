// The wasm-bindgen package (target/wasm-pkg-app, aliased by vite.config.ts). Values cross as plain
// JSON-shaped objects; the worker calls services by name, so only the entry points are typed here.
declare module 'zhuanshu-wasm' {
  export default function init(options: { module_or_path: string | URL }): Promise<unknown>;
  export class ZhuanshuApp {
    static open(fixedNow: string | null): ZhuanshuApp;
    static openPersistent(fixedNow: string | null, backend: 'opfs' | 'indexeddb'): Promise<ZhuanshuApp>;
    storage(): string;
    dossier(): unknown;
    dynamics(): unknown;
    assistant(): unknown;
    free(): void;
  }
  export function loadDictionary(bytes: Uint8Array): void;
  export function labels(): unknown;
}
declare module 'zhuanshu-wasm/zhuanshu_wasm_bg.wasm?url' {
  const url: string;
  export default url;
}
declare module 'zhuanshu-dict?url' {
  const url: string;
  export default url;
}
