import { beforeAll, describe, expect, it } from 'vitest';
import { runCorpus, CanonicalWriter } from './conformance/corpus.mjs';
import { compareArm64, corpusDigest, differingSections, probeArm64 } from './conformance/arm64.mjs';
import { probeChromium, runInChromium } from './conformance/browser/run.mjs';

// The same corpus must give the same digest on Node 20 (here), on arm64 Node 18 under qemu and in
// a Web Worker in headless Chromium. A missing system package (qemu, Chromium) skips its test with
// the reason outside CI and fails it under CI=true.
const CI = process.env.CI === 'true' || process.env.CI === '1';

type Corpus = Awaited<ReturnType<typeof runCorpus>>;
let expected: Corpus;

beforeAll(async () => {
  expected = await runCorpus();
});

function unavailable(ctx: { skip: (note?: string) => never }, what: string, reason: string): never {
  if (CI) throw new Error(`${what} is required under CI: ${reason}`);
  console.warn(`SKIPPED ${what}: ${reason}`);
  return ctx.skip(reason);
}

function expectSameDigest(actual: Corpus, where: string): void {
  const differing = differingSections(expected, actual);
  expect(differing, `sections whose output differs ${where}`).toEqual([]);
  expect(actual.digest).toBe(expected.digest);
}

describe('conformance: canonical serialisation', () => {
  const text = (v: unknown) => {
    const w = new CanonicalWriter();
    w.write('v', v);
    return w.text();
  };

  it('writes floats exactly, keeps -0, and folds NaN bit patterns into one', () => {
    expect(text(0.1 + 0.2)).not.toBe(text(0.3));
    expect(text(1 + Number.EPSILON)).not.toBe(text(1));
    expect(text(-0)).not.toBe(text(0));
    const nans = new Float64Array(new BigUint64Array([0x7ff8000000000000n, 0xfff8000000000001n]).buffer);
    expect(text(nans[0])).toBe(text(nans[1]));
  });

  it('tells types apart', () => {
    const forms = [1, '1', 1n, [1], Int32Array.of(1), Float64Array.of(1), { a: 1 }, true, null, undefined];
    expect(new Set(forms.map(text)).size).toBe(forms.length);
    expect(text({ b: 2, a: 1 })).toBe(text({ a: 1, b: 2 }));
  });
});

describe('conformance: Node 20', () => {
  it('computes every section, deterministically', async () => {
    expect(expected.summary.sections.length).toBeGreaterThan(0);
    for (const s of expected.summary.sections) expect(s.values, s.name).toBeGreaterThan(0);
    expectSameDigest(await runCorpus(), 'between two runs in one process');
  });

  it('covers what it claims: late events, updated firings, session merges, snapshot round trip', () => {
    const facts = Object.fromEntries(expected.summary.sections.map((s) => [s.name, s.facts]));
    for (const name of ['stream.tumbling', 'stream.tumbling-final', 'stream.sliding', 'stream.session', 'stream.snapshot']) {
      expect(facts[name]?.windowRows, name).toBeGreaterThan(0);
      expect(facts[name]?.lateRows, `${name}: events beyond allowed lateness`).toBeGreaterThan(0);
      expect(facts[name]?.updatedFirings, `${name}: firings updated within allowed lateness`).toBeGreaterThan(0);
    }
    expect(facts['stream.session'].retractions, 'session merges retract earlier rows').toBeGreaterThan(0);
    expect(facts['stream.snapshot'].restoredMatches, 'the restored operator emits what the original does').toBe(true);
  });

  it('prints the same digest from node.mjs in a fresh process', async () => {
    expectSameDigest(await corpusDigest(process.execPath), 'in a fresh Node process');
  });
});

describe('conformance: arm64 Node 18 under qemu', () => {
  it('gives the same digest as Node 20', { timeout: 900_000 }, async (ctx) => {
    const probe = await probeArm64();
    if (!probe.ok) unavailable(ctx, 'the arm64 conformance check', probe.reason);
    const { host, arm } = await compareArm64({ timeoutMs: 300_000 });
    console.log(`arm64 conformance: ${arm.digest} on node ${arm.node} ${arm.arch} in ${arm.wallMs} ms`);
    expect(arm.arch).toBe('arm64');
    expect(arm.node).toMatch(/^v18\./);
    expectSameDigest(host, 'in a fresh Node 20 process');
    expectSameDigest(arm, `on arm64 ${arm.node}`);
  });
});

describe('conformance: Web Worker in headless Chromium', () => {
  it('gives the same digest as Node 20', { timeout: 300_000 }, async (ctx) => {
    const probe = probeChromium();
    if (!probe.ok) unavailable(ctx, 'the browser conformance check', probe.reason);
    const r = await runInChromium();
    console.log(`browser conformance: ${r.digest} in ${r.userAgent} in ${r.ms} ms`);
    expect(r.inWorker).toBe(true);
    // The worker fetched the .wasm over HTTP as application/wasm (compileStreaming), not some fallback.
    expect(r.requests).toContainEqual({ path: '/wasm/stream.wasm', status: 200, type: 'application/wasm' });
    expectSameDigest(r, `in ${r.userAgent}`);
  });
});
