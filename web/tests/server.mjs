// A tiny static server on 127.0.0.1 for the browser tests: the wasm package, the golden vectors and
// the test pages. Started and stopped by the tests themselves.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
  '.css': 'text/css', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml' };

/** `mounts` maps a URL prefix ('/pkg/') to a directory; `routes` maps an exact path to a handler
 * `(req, res) => void` (misbehaving servers for the tests). Resolves to { url, close }. */
export function serve(mounts, routes = {}) {
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (routes[path]) {
      routes[path](req, res);
      return;
    }
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const rel = prefix && normalize(path.slice(prefix.length) || 'index.html');
    if (!prefix || rel.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const file = join(mounts[prefix], rel);
      const body = await readFile(rel.endsWith('/') ? join(file, 'index.html') : file);
      res.writeHead(200, { 'content-type': types[extname(rel.endsWith('/') ? 'index.html' : rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  // Endless responses keep their socket open: close() ends them.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const close = () => new Promise((r) => {
        for (const socket of sockets) socket.destroy();
        server.close(r);
      });
      resolve({ url: `http://127.0.0.1:${port}`, close });
    });
  });
}
