import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../dist/report/index.js';

// report.html opened in headless Chromium (Debian's package, driven by playwright-core): every
// chart renders as SVG with marks, nothing is fetched from the network, nothing is logged as an
// error; a screenshot goes to test-artifacts/report.png. Without Chromium the test is skipped with
// the reason, except under CI=true where that is a failure.
const CI = process.env.CI === 'true' || process.env.CI === '1';
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'weir-report-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let html: string;

beforeAll(async () => {
  const { files } = await runReport({ scale: 'small', cacheDir: join(dir, 'cache'), out: join(dir, 'out') });
  html = files.html;
});

function unavailable(ctx: { skip: (note?: string) => never }, what: string, reason: string): never {
  if (CI) throw new Error(`${what} is required under CI: ${reason}`);
  console.warn(`SKIPPED ${what}: ${reason}`);
  return ctx.skip(reason);
}

describe('report.html', () => {
  it('is one self-contained file: no script, no external resource', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(text).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    expect(statSync(html).size).toBeLessThan(5 * 2 ** 20);
  });

  it('renders in headless Chromium: charts drawn as SVG with marks, no console errors, no requests', { timeout: 120_000 }, async (ctx) => {
    if (!existsSync(CHROMIUM)) unavailable(ctx, 'the Chromium check of report.html', `${CHROMIUM} not found (apt-get install chromium)`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart')].map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            caption: f.querySelector('figcaption')?.textContent ?? '',
            svg: svg !== null,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg ? svg.querySelectorAll('g[class*="role-mark"] > path, g[class*="role-mark"] > g > path, g[class*="role-mark"] > rect').length : 0,
          };
        }),
      );
      const sections = await page.evaluate(() => [...document.querySelectorAll('section h2')].map((h) => h.textContent));
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html).href]);
      expect(sections).toEqual(expect.arrayContaining(['Traffic', 'Anomalous periods', 'Funnel and categories', 'Trending items', 'Sessions', 'Influencers', 'Communities', 'Fraud rings']));
      expect(charts.length).toBeGreaterThanOrEqual(10);
      for (const c of charts) {
        expect(c.svg, c.caption).toBe(true);
        expect(c.width, c.caption).toBeGreaterThan(100);
        expect(c.height, c.caption).toBeGreaterThan(50);
        expect(c.marks, c.caption).toBeGreaterThan(0);
      }
      expect(statSync(join(ARTIFACTS, 'report.png')).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
