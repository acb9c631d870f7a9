// The asset URLs Vite resolves (`?url`). The wasm modules' own declarations are the ones wasm-bindgen
// generates (tsconfig.json `paths`), with the core's types in them.
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
