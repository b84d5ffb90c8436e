import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Graph, bfs, khop, weaklyConnectedComponents, stronglyConnectedComponents, pagerank, pagerankDetailed,
  degree, coreNumbers, triangles, triangleCount, clustering, averageClustering, transitivity, planGraph,
  PAGERANK_DEFAULTS,
} from '../dist/graph/index.js';
import { WeirError } from '../dist/index.js';
import {
  refGraph, refBfs, refWcc, refScc, refPagerank, refDegree, refCore, refTriangles, refClustering,
} from './reference/graph.js';
import { edgeCaseArb, karate, closeTo, buildCase, type EdgeCase } from './reference/graph-cases.js';

const build = (c: EdgeCase): Promise<Graph> => buildCase(Graph, c);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return (e as WeirError).code;
  }
  return undefined;
}

async function codeAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return (e as WeirError).code;
  }
  return undefined;
}


/**
 * m directed edges over ids < n with power-law degrees (sources rank n·u², targets n·u³, u from a
 * seeded LCG) and integer weights 1–4.
 */
function powerLawEdges(n: number, m: number, seed: number): { src: number[]; dst: number[]; weight: number[] } {
  const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < m; i++) {
    src.push(Math.floor(n * next() ** 2));
    dst.push(Math.floor(n * next() ** 3));
    weight.push(1 + Math.floor(next() * 4));
  }
  return { src, dst, weight };
}

describe('graph: building', () => {
  it('has the ids in the edges as nodes, not 0..max id', async () => {
    using g = await Graph.fromEdges({ src: [5], dst: [1_000_000], directed: true });
    expect(g.nodeCount).toBe(2);
    expect(Array.from(g.nodeIds)).toEqual([5, 1_000_000]);
    expect(g.indexOf(1_000_000)).toBe(1);
    expect(g.indexOf(7)).toBe(-1);
  });

  it('maps huge, negative and string ids and lists isolated nodes', async () => {
    using a = await Graph.fromEdges({ src: [1e15, -4], dst: [-4, 2 ** 53 - 1], nodes: [77] });
    expect(Array.from(a.nodeIds)).toEqual([-4, 77, 1e15, 2 ** 53 - 1]);
    using s = await Graph.fromEdges({ src: ['b', 'a'], dst: ['a', 'c'], nodes: ['z'] });
    expect(s.nodeIds).toEqual(['z', 'b', 'a', 'c']);
    expect(s.edgeCount).toBe(2);
  });

  it('grows its id hash for many sparse ids and keeps ascending id order', async () => {
    const n = 10_000;
    const ids = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) * 1e9 - 5e12);
    const next = Float64Array.from({ length: n }, (_, i) => ids[(i + 1) % n]);
    using g = await Graph.fromEdges({ src: ids, dst: next });
    expect(g.nodeCount).toBe(n);
    const sorted = Float64Array.from(ids).sort();
    expect(Array.from(g.nodeIds)).toEqual(Array.from(sorted));
    expect(Array.from(degree(g)).every((d) => d === 2)).toBe(true);
    expect(g.indexOf(sorted[1234])).toBe(1234);
    expect(weaklyConnectedComponents(g).count).toBe(1);
  });

  it('matches the reference graph (degrees) on random edge lists', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, async (c) => {
        using g = await build(c);
        const r = refGraph(c);
        expect(Array.from(g.nodeIds)).toEqual(r.ids);
        const edges = r.directed ? r.out.reduce((s, row) => s + row.length, 0)
          : r.out.reduce((s, row, u) => s + row.filter(([v]) => v !== u).length, 0) / 2 + r.out.reduce((s, row, u) => s + row.filter(([v]) => v === u).length, 0);
        expect(g.edgeCount).toBe(edges);
        for (const mode of ['out', 'in', 'all'] as const) {
          expect(Array.from(degree(g, { mode }))).toEqual(refDegree(r, mode));
          expect(closeTo(degree(g, { mode, weighted: true }), refDegree(r, mode, true), 1e-12)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('handles an empty edge list and a graph of isolated nodes', async () => {
    using e = await Graph.fromEdges({ src: [], dst: [] });
    expect(e.nodeCount).toBe(0);
    expect(pagerank(e).length).toBe(0);
    expect(weaklyConnectedComponents(e).count).toBe(0);
    using iso = await Graph.fromEdges({ src: [], dst: [], nodes: [3, 1, 2] });
    expect(Array.from(pagerank(iso))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(weaklyConnectedComponents(iso).count).toBe(3);
  });

  it('accepts Arrow columns (integer, dictionary strings) and BigInt ids', async () => {
    const { tableFromArrays } = await import('apache-arrow');
    const t = tableFromArrays({ s: Int32Array.of(1, 2, 3), d: Int32Array.of(2, 3, 1), a: ['x', 'y', 'x'], b: ['y', 'z', 'z'] });
    using g = await Graph.fromEdges({ src: t.getChild('s')!, dst: t.getChild('d')!, directed: true });
    expect(g.edgeCount).toBe(3);
    using h = await Graph.fromEdges({ src: t.getChild('a')!, dst: t.getChild('b')! });
    expect(h.nodeIds).toEqual(['x', 'y', 'z']);
    expect(h.edgeCount).toBe(3);
    using b = await Graph.fromEdges({ src: BigInt64Array.of(10n, 20n), dst: BigInt64Array.of(20n, 30n) });
    expect(Array.from(b.nodeIds)).toEqual([10, 20, 30]);
  });

  it('builds in O(V + E) with identity ids fast (100k edges)', async () => {
    const n = 20_000;
    const src = new Int32Array(100_000).map((_, i) => (i * 7919) % n);
    const dst = new Int32Array(100_000).map((_, i) => (i * 104729 + 3) % n);
    using g = await Graph.fromEdges({ src, dst, directed: true });
    expect(g.nodeCount).toBe(n);
    expect(g.edgeCount).toBe(100_000);
    const d = degree(g, { mode: 'out' });
    expect(d.reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});

describe('graph: bad input', () => {
  it('rejects mismatched lengths, bad ids, bad weights and bad options with a code naming the argument', async () => {
    await expect(Graph.fromEdges({ src: [1, 2], dst: [1] })).rejects.toMatchObject({ code: 'E_LENGTH', message: expect.stringMatching(/dst/) });
    await expect(Graph.fromEdges({ src: [1, 2], dst: [1, 2], weight: [1] })).rejects.toMatchObject({ code: 'E_LENGTH', message: expect.stringMatching(/weight/) });
    await expect(Graph.fromEdges({ src: [1, 2.5], dst: [1, 2] })).rejects.toMatchObject({ code: 'E_GRAPH', message: expect.stringMatching(/src\[1\] = 2.5/) });
    await expect(Graph.fromEdges({ src: [1, NaN], dst: [1, 2] })).rejects.toMatchObject({ code: 'E_GRAPH', message: expect.stringMatching(/src\[1\]/) });
    await expect(Graph.fromEdges({ src: [1, 2], dst: [1, 2 ** 60] })).rejects.toMatchObject({ code: 'E_GRAPH', message: expect.stringMatching(/dst\[1\]/) });
    await expect(Graph.fromEdges({ src: [1, 2], dst: [1, 2], weight: [1, NaN] })).rejects.toMatchObject({ code: 'E_GRAPH', message: expect.stringMatching(/weight\[1\]/) });
    await expect(Graph.fromEdges({ src: ['a'], dst: [1] })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(Graph.fromEdges({ src: ['a', null as unknown as string], dst: ['b', 'c'] })).rejects.toMatchObject({ code: 'E_GRAPH', message: expect.stringMatching(/src\[1\]/) });
    await expect(Graph.fromEdges({ src: [1], dst: [2], duplicates: 'nope' as never })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/duplicates/) });
    const { tableFromArrays } = await import('apache-arrow');
    const t = tableFromArrays({ f: new Float32Array(1), flag: [true] as never });
    await expect(Graph.fromEdges({ src: t.getChild('flag')!, dst: [1] })).rejects.toMatchObject({ code: 'E_COLUMN' });
  });

  it('refuses a graph over the memory limit up front with the bytes it needs', async () => {
    const src = new Int32Array(200_000).map((_, i) => i % 5000);
    const err = await Graph.fromEdges({ src, dst: src, memoryLimit: 1 << 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err.code).toBe('E_MEMORY');
    expect(err.message).toMatch(/needs \d+ bytes/);
    const plan = planGraph({ nodes: 10_000_000, edges: 100_000_000, directed: true, weighted: false });
    expect(plan.peak).toBeLessThan(4 * 2 ** 30);
    expect(planGraph({ nodes: 1e8, edges: 6e8, directed: true, weighted: true }).peak).toBeGreaterThan(4 * 2 ** 30);
  });

  it('rejects sources that are not nodes, bad options, and use after dispose', async () => {
    const g = await Graph.fromEdges({ src: [1, 2], dst: [2, 3], directed: true });
    expect(code(() => bfs(g, 9))).toBe('E_GRAPH');
    expect(code(() => bfs(g, [1, 9]))).toBe('E_GRAPH');
    expect(code(() => bfs(g, 1, { maxDepth: -1 }))).toBe('E_ARG');
    expect(code(() => pagerank(g, { alpha: 2 }))).toBe('E_ARG');
    expect(code(() => pagerank(g, { personalization: [1, 2] }))).toBe('E_LENGTH');
    expect(code(() => pagerank(g, { personalization: [1, -1, 0] }))).toBe('E_GRAPH');
    expect(code(() => pagerank(g, { personalization: [0, 0, 0] }))).toBe('E_GRAPH');
    expect(code(() => pagerank(g, { bogus: 1 } as never))).toBe('E_ARG');
    g.dispose();
    g.dispose();
    expect(code(() => pagerank(g))).toBe('E_STATE');
    expect(code(() => weaklyConnectedComponents(g))).toBe('E_STATE');
    expect(g.memoryBytes).toBe(0);
  });

  it('refuses negative weights in PageRank', async () => {
    using g = await Graph.fromEdges({ src: [1, 2], dst: [2, 3], weight: [1, -1] });
    expect(code(() => pagerank(g))).toBe('E_GRAPH');
    expect(pagerank(g, { weighted: false }).length).toBe(3);
  });
});

describe('graph: traversal and components', () => {
  it('BFS distances and k-hop sets match the reference', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom('out', 'in', 'both'), async (c, pick, k, direction) => {
        using g = await build(c);
        const r = refGraph(c);
        const s = pick % r.n;
        const res = bfs(g, r.ids[s], { direction: direction as 'out' });
        expect(Array.from(res.distance)).toEqual(refBfs(r, [s], Infinity, direction as 'out'));
        // parents are one hop closer, along an edge of the walked direction
        for (let v = 0; v < r.n; v++) {
          if (res.distance[v] > 0) expect(res.distance[res.parent[v]]).toBe(res.distance[v] - 1);
        }
        const hop = khop(g, [r.ids[s], r.ids[(s + 1) % r.n]], k, { direction: direction as 'out' });
        const ref = refBfs(r, [s, (s + 1) % r.n], k, direction as 'out');
        expect([...hop.nodes].sort((a, b) => a - b)).toEqual(ref.flatMap((d, i) => (d >= 0 ? [i] : [])));
        expect(Array.from(hop.distance)).toEqual(Array.from(hop.nodes, (i) => ref[i]));
      }),
      { numRuns: 120 },
    );
  });

  it('weak and strong components match the reference', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, async (c) => {
        using g = await build(c);
        const r = refGraph(c);
        const w = weaklyConnectedComponents(g);
        expect(Array.from(w.labels)).toEqual(refWcc(r));
        expect(w.sizes.reduce((a, b) => a + b, 0)).toBe(r.n);
        const s = stronglyConnectedComponents(g);
        expect(Array.from(s.labels)).toEqual(r.directed ? refScc(r) : refWcc(r));
        for (let i = 0; i < s.count; i++) expect(s.sizes[i]).toBe(Array.from(s.labels).filter((l) => l === i).length);
      }),
      { numRuns: 150 },
    );
  });

  it('strong components of a long cycle and a long path (deep DFS, no recursion)', async () => {
    const n = 200_000;
    const src = Int32Array.from({ length: n }, (_, i) => i);
    const cyc = Int32Array.from({ length: n }, (_, i) => (i + 1) % n);
    using g = await Graph.fromEdges({ src, dst: cyc, directed: true });
    expect(stronglyConnectedComponents(g).count).toBe(1);
    using p = await Graph.fromEdges({ src: src.subarray(0, n - 1), dst: cyc.subarray(0, n - 1), directed: true });
    expect(stronglyConnectedComponents(p).count).toBe(n);
    expect(weaklyConnectedComponents(p).count).toBe(1);
  });
});

describe('graph: PageRank', () => {
  it('matches the NetworkX power iteration on random graphs (weights, personalization, dangling nodes)', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.boolean(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (c, personal, alpha) => {
        using g = await build(c);
        const r = refGraph(c);
        const p = personal ? r.ids.map((_, i) => (i % 3) + (i === 0 ? 1 : 0)) : undefined;
        const scores = pagerank(g, { alpha, personalization: p });
        expect(closeTo(scores, refPagerank(r, alpha, p), 1e-10)).toBe(true);
        expect(Math.abs(scores.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
        const fixed = pagerankDetailed(g, { iterations: 3, alpha });
        expect(fixed.iterations).toBe(3);
        expect(closeTo(fixed.scores, refPagerank(r, alpha, undefined, 3), 1e-12)).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it('matches the reference on a larger power-law graph (70k nodes, 250k edges)', async () => {
    const { src, dst } = powerLawEdges(70_000, 250_000, 7);
    using g = await Graph.fromEdges({ src, dst, directed: true });
    const r = refGraph({ src, dst, directed: true });
    expect(closeTo(pagerank(g), refPagerank(r), 1e-12)).toBe(true);
    expect(closeTo(pagerankDetailed(g, { iterations: 5 }).scores, refPagerank(r, 0.85, undefined, 5), 1e-14)).toBe(true);
  });

  it('matches the reference on a graph large enough to iterate in out-degree order (300k nodes; weights, personalization)', async () => {
    // from 2^18 nodes PageRank renumbers the graph by out-degree internally; scores come back in
    // node-index order
    const { src, dst, weight } = powerLawEdges(300_000, 600_000, 11);
    using g = await Graph.fromEdges({ src, dst, directed: true });
    expect(g.nodeCount).toBeGreaterThanOrEqual(2 ** 18);
    const r = refGraph({ src, dst, directed: true });
    expect(closeTo(pagerankDetailed(g, { iterations: 5 }).scores, refPagerank(r, 0.85, undefined, 5), 1e-14)).toBe(true);
    using gw = await Graph.fromEdges({ src, dst, weight, directed: true });
    const rw = refGraph({ src, dst, weight, directed: true });
    expect(closeTo(pagerankDetailed(gw, { iterations: 5 }).scores, refPagerank(rw, 0.85, undefined, 5), 1e-14)).toBe(true);
    // with a personalization (refPagerank normalises it in O(n^2), too slow here): the scores are
    // the fixed point x = alpha (sum over u->v of x(u) w / W(u) + p(v) dangling) + (1 - alpha) p(v)
    const raw = rw.ids.map((_, i) => (i % 5) + (i === 0 ? 1 : 0));
    const total = raw.reduce((a, b) => a + b, 0);
    const pv = raw.map((v) => v / total);
    const x = pagerank(gw, { personalization: raw });
    const outW = rw.out.map((row) => row.reduce((acc, [, w]) => acc + w, 0));
    const fx = new Array(rw.n).fill(0);
    let dangling = 0;
    for (let u = 0; u < rw.n; u++) {
      if (!(outW[u] > 0)) dangling += x[u];
      else for (const [v, w] of rw.out[u]) fx[v] += (x[u] * w) / outW[u];
    }
    let residual = 0;
    for (let v = 0; v < rw.n; v++) residual += Math.abs(0.85 * (fx[v] + pv[v] * dangling) + 0.15 * pv[v] - x[v]);
    expect(residual).toBeLessThan(1e-11);
  });

  it('gives the NetworkX karate club scores (alpha 0.85)', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src, dst });
    expect(g.nodeCount).toBe(34);
    expect(g.edgeCount).toBe(78);
    // NetworkX's published values come from its stopping rule, L1 change < N * tol (tol = 1e-6):
    // with that tolerance weir stops at the same iteration with the same numbers.
    const nx = pagerank(g, { tolerance: 34e-6 });
    expect(nx[0]).toBeCloseTo(0.09700181758983709, 13);
    expect(nx[33]).toBeCloseTo(0.1009179167487121, 13);
    expect(nx[32]).toBeCloseTo(0.07169213006588289, 13);
    // the default iterates to convergence; the published values are within NetworkX's tolerance of it
    const pr = pagerank(g);
    expect(closeTo(pr, nx, 1e-5)).toBe(true);
    expect(pr[0]).toBeCloseTo(0.0969972853882975, 12);
    expect(PAGERANK_DEFAULTS.alpha).toBe(0.85);
  });

  it('throws E_STATE when it cannot converge in maxIterations', async () => {
    using g = await Graph.fromEdges({ src: [1, 2, 3], dst: [2, 3, 1], directed: true, nodes: [4] });
    expect(code(() => pagerank(g, { maxIterations: 1, tolerance: 1e-15, personalization: [1, 0, 0, 0] }))).toBe('E_STATE');
    expect(pagerankDetailed(g, { maxIterations: 1, tolerance: 1e-15, personalization: [1, 0, 0, 0] }).converged).toBe(false);
  });
});

describe('graph: k-core, triangles, clustering', () => {
  it('match the reference on random graphs (simple undirected view)', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, async (c) => {
        using g = await build(c);
        const r = refGraph(c);
        expect(Array.from(coreNumbers(g))).toEqual(refCore(r));
        const t = refTriangles(r);
        expect(Array.from(triangles(g))).toEqual(t);
        expect(triangleCount(g)).toBe(t.reduce((a, b) => a + b, 0) / 3);
        expect(closeTo(clustering(g), refClustering(r), 1e-12)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('gives the published karate club values', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src, dst });
    expect(Array.from(coreNumbers(g))).toEqual([
      4, 4, 4, 4, 3, 3, 3, 4, 4, 2, 3, 1, 2, 4, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3, 3, 4, 3, 4, 4,
    ]);
    expect(triangleCount(g)).toBe(45);
    expect(triangles(g)[0]).toBe(18);
    expect(transitivity(g)).toBeCloseTo(0.2556818181818182, 12);
    expect(averageClustering(g)).toBeCloseTo(0.5706384782076823, 12);
  });
});

describe('graph: memory ownership', () => {
  it('algorithms free their temporaries: live wasm bytes return to the same level after each call', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src: src.map((x) => x * 3), dst, directed: true, nodes: [500] });
    coreNumbers(g); // builds and keeps the simple view
    const arena = (g as unknown as { arena: { used: number } }).arena;
    const before = arena.used;
    bfs(g, 0, { direction: 'both' });
    pagerank(g);
    weaklyConnectedComponents(g);
    stronglyConnectedComponents(g);
    triangles(g);
    degree(g);
    expect(() => pagerank(g, { personalization: [1] })).toThrow(WeirError);
    expect(arena.used).toBe(before);
  });
});
