// A tiny loopback HTTP server for the browser pages: / -> index.html, /<page>.html, /bundle/<file>
// -> the esbuild output directory, /wasm/<family>.wasm -> dist/wasm with application/wasm (so the
// runtime takes its compileStreaming path). Everything else is 404. Serves only names that exist
// in those directories (no path traversal). Records every request in `requests`.
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const distWasm = fileURLToPath(new URL('../../../dist/wasm/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.wasm': 'application/wasm' };

/** Starts the server on 127.0.0.1 with an OS-chosen port; resolves { url, requests, close() }. */
export async function startServer({ bundleDir }) {
  const roots = { '/bundle/': bundleDir, '/wasm/': distWasm };
  const requests = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    let file = null;
    if (pathname === '/') file = path.join(here, 'index.html');
    if (/^\/[\w-]+\.html$/.test(pathname) && (await readdir(here)).includes(pathname.slice(1))) file = path.join(here, pathname.slice(1));
    for (const [prefix, dir] of Object.entries(roots)) {
      const name = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : null;
      if (name && (await readdir(dir).catch(() => [])).includes(name)) file = path.join(dir, name);
    }
    const type = file ? TYPES[path.extname(file)] ?? 'application/octet-stream' : null;
    requests.push({ path: pathname, status: file ? 200 : 404, type });
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(await readFile(file));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
