// Computes the conformance corpus in a Web Worker in headless Chromium (Debian's package, driven by
// playwright-core): bundles worker.mjs with esbuild into a temporary directory, serves it and
// dist/wasm over loopback HTTP, opens index.html and waits for the worker's digest. Also runs
// pool.html, the browser check of weir/worker (used by test/worker.test.ts).
//   node test/conformance/browser/run.mjs   -> prints the digest, exits 1 on failure, 2 without Chromium
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** `{ ok: true }` when Debian's Chromium is installed, else `{ ok: false, reason }`. */
export function probeChromium() {
  return existsSync(CHROMIUM) ? { ok: true } : { ok: false, reason: `${CHROMIUM} not found (apt-get install chromium)` };
}

/**
 * Resolves `{ digest, summary, inWorker, userAgent, requests, ms }` from the worker; throws with
 * the worker's error, page errors and console output if it fails.
 */
export async function runInChromium({ timeoutMs = 120_000 } = {}) {
  const { result, requests, ms } = await runPage({ page: '', entries: { 'worker.js': new URL('./worker.mjs', import.meta.url) }, timeoutMs });
  if (!result.ok) throw new Error(`browser worker failed: ${result.error}`);
  return { ...result, requests, ms };
}

/**
 * Runs pool.html: weir/worker's pool of module Web Workers in the page (see pool-page.mjs).
 * Resolves `{ result, requests, ms }` with what pool-page.mjs returned.
 */
export function runPoolInChromium({ timeoutMs = 120_000 } = {}) {
  return runPage({
    page: 'pool.html',
    entries: { 'page.js': new URL('./pool-page.mjs', import.meta.url), 'worker.js': new URL('../../../dist/worker/worker.js', import.meta.url) },
    timeoutMs,
  });
}

/**
 * Bundles each of `entries` (output name -> entry file URL) into a temporary /bundle/, serves it,
 * opens `page` in headless Chromium and resolves `{ result, requests, ms }` with the page's
 * `window.result` (index.html names it `window.conformance`).
 */
async function runPage({ page: pageName, entries, timeoutMs }) {
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-browser-'));
  let server;
  let browser;
  const logs = [];
  try {
    for (const [name, entry] of Object.entries(entries)) {
      await build({
        entryPoints: [fileURLToPath(entry)],
        outfile: path.join(dir, name),
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        logLevel: 'error',
      });
    }
    server = await startServer({ bundleDir: dir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    const page = await browser.newPage();
    page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(server.url + pageName, { timeout: timeoutMs });
    const global = pageName === '' ? 'conformance' : 'result';
    await page.waitForFunction((g) => window[g] !== undefined, global, { timeout: timeoutMs });
    const result = await withTimeout(page.evaluate((g) => window[g], global), timeoutMs, 'the page did not answer');
    return { result, requests: server.requests, ms: Date.now() - started };
  } catch (e) {
    e.message += logs.length ? `\n${logs.join('\n')}` : '';
    throw e;
  } finally {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const probe = probeChromium();
  if (!probe.ok) {
    console.error(`browser conformance not run: ${probe.reason}`);
    process.exit(2);
  }
  const r = await runInChromium();
  for (const s of r.summary.sections) console.log(`${s.digest}  ${s.name} (${s.values} values)`);
  console.log(`${r.digest}  ${r.inWorker ? 'Web Worker' : 'NOT a worker'}, ${r.userAgent} (${r.ms} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
