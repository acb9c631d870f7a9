// Builds the H5 app (web/app) into web/dist. The wasm packages (app and search engine, both in one
// wasm-bindgen output directory) and the jieba dictionary come from the
// Rust build (`cargo xtask demo` / `cargo xtask test` set the paths); after the bundle is written, the
// service worker is generated with the list of files to precache.
import { defineConfig, type Plugin } from 'vite';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const here = import.meta.dirname;
const pkg = resolve(process.env.ZHUANSHU_WASM_PKG ?? join(here, '..', 'target', 'wasm-pkg-app'));
const dict = process.env.ZHUANSHU_DICT ? resolve(process.env.ZHUANSHU_DICT) : join(here, 'app', 'no-dictionary.txt');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Writes dist/sw.js from app/sw.js: the version is a hash of every file, PRECACHE lists them all. */
function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'zhuanshu-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const hash = createHash('sha256');
      const list = files(outDir)
        .map((f) => relative(outDir, f).split('\\').join('/'))
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      for (const f of list) hash.update(f).update(readFileSync(join(outDir, f)));
      const template = readFileSync(join(here, 'app', 'sw.js'), 'utf8');
      const body = template
        .replace('__VERSION__', hash.digest('hex').slice(0, 16))
        .replace('__PRECACHE__', JSON.stringify(['./', ...list.filter((f) => f !== 'index.html')]));
      writeFileSync(join(outDir, 'sw.js'), body);
    },
  };
}

export default defineConfig({
  root: join(here, 'app'),
  base: './',
  publicDir: false,
  resolve: {
    alias: [
      { find: /^zhuanshu-wasm$/, replacement: join(pkg, 'zhuanshu_wasm.js') },
      { find: /^zhuanshu-wasm\/(.*)$/, replacement: join(pkg, '$1') },
      { find: /^zhuanshu-search-wasm$/, replacement: join(pkg, 'zhuanshu_search_wasm.js') },
      { find: /^zhuanshu-search-wasm\/(.*)$/, replacement: join(pkg, '$1') },
      { find: /^zhuanshu-dict(\?.*)?$/, replacement: `${dict}$1` },
      // The guide's content, shipped as a file of its own rather than inside the first screen's module.
      { find: /^zhuanshu-guide(\?.*)?$/, replacement: `${join(here, '..', 'core', 'content', 'guide', 'guide.json')}$1` },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: { fs: { allow: [here, pkg, existsSync(dict) ? dict : here] } },
  plugins: [serviceWorker()],
});
