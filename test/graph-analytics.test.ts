import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Graph, betweenness, linkPrediction, randomWalks, sampleNeighbors, sageInputs, influencers, rings, pagerank, topK,
} from '../dist/graph/index.js';
import { WeirError } from '../dist/index.js';
import { refGraph, refPagerank } from './reference/graph.js';
import { refRng } from './reference/graph-community.js';
import { refBetweenness, refLinkScores, refWalks, refSampleLayer } from './reference/graph-analytics.js';
import { edgeCaseArb, karate, closeTo, buildCase, type EdgeCase } from './reference/graph-cases.js';

const build = (c: EdgeCase): Promise<Graph> => buildCase(Graph, c);

describe('graph: betweenness', () => {
  it('matches the definition on random graphs (directed, parallel edges, disconnected)', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.boolean(), async (c, normalized) => {
        using g = await build(c);
        const r = refGraph(c);
        expect(closeTo(betweenness(g, { normalized }), refBetweenness(r, normalized), 1e-9)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the published karate club values, and a seeded estimate near them', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src, dst });
    const bc = betweenness(g);
    expect(bc[0]).toBeCloseTo(0.43763528138528146, 12);
    expect(bc[33]).toBeCloseTo(0.30407497594997596, 12);
    const est = betweenness(g, { samples: 34 });
    expect(closeTo(est, bc, 1e-12)).toBe(true);
    const a = betweenness(g, { samples: 20, seed: 3 });
    expect(Array.from(betweenness(g, { samples: 20, seed: 3 }))).toEqual(Array.from(a));
    expect(Math.abs(a[0] - bc[0])).toBeLessThan(0.2);
    expect(() => betweenness(g, { samples: 0 })).toThrow(WeirError);
  });
});

describe('graph: link prediction', () => {
  it('matches the NetworkX definitions on random pairs', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }), async (c, picks) => {
        using g = await build(c);
        const r = refGraph(c);
        const pairs = picks.map(([a, b]) => [a % r.n, b % r.n]).filter(([a, b]) => a !== b);
        if (pairs.length === 0) return;
        const s = linkPrediction(g, pairs.map(([a]) => r.ids[a]), pairs.map(([, b]) => r.ids[b]));
        pairs.forEach(([a, b], i) => {
          const [cn, jac, aa] = refLinkScores(r, a, b);
          expect(s.commonNeighbors[i]).toBe(cn);
          expect(s.jaccard[i]).toBeCloseTo(jac, 12);
          expect(s.adamicAdar[i]).toBeCloseTo(aa, 12);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rejects unknown ids and mismatched lengths', async () => {
    using g = await Graph.fromEdges({ src: [1, 2], dst: [2, 3] });
    expect(() => linkPrediction(g, [1], [9])).toThrow(expect.objectContaining({ code: 'E_GRAPH', message: expect.stringMatching(/v\[0\] = 9/) }));
    expect(() => linkPrediction(g, [1, 2], [3])).toThrow(expect.objectContaining({ code: 'E_LENGTH' }));
  });
});

describe('graph: random walks and neighbour sampling', () => {
  it('walks follow edges and match the seeded reference (uniform and weighted)', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.nat(), fc.boolean(), async (c, seed, weighted) => {
        using g = await build(c);
        const r = refGraph(c);
        const starts = r.ids.map((_, i) => i);
        const w = randomWalks(g, { length: 5, walksPerNode: 2, seed, weighted });
        expect(w.walks).toBe(2 * r.n);
        const ref = refWalks(r, starts, 2, 5, seed, weighted && g.weighted);
        expect(Array.from(w.nodes)).toEqual(ref.flat());
        for (let i = 0; i < w.walks; i++) for (let t = 1; t < 5; t++) {
          const a = w.nodes[i * 5 + t - 1];
          const b = w.nodes[i * 5 + t];
          if (b >= 0) expect(r.out[a].some(([v]) => v === b)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('samples fixed-shape layers of real neighbours, as the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.nat(), fc.boolean(), async (c, seed, replace) => {
        using g = await build(c);
        const r = refGraph(c);
        const seeds = [0, Math.floor(r.n / 2)].map((i) => r.ids[i]);
        const s = sampleNeighbors(g, seeds, { fanouts: [3, 2], replace, seed });
        expect(s.shapes).toEqual([[2], [2, 3], [2, 3, 2]]);
        const rows = r.in.map((row) => row.map(([v]) => v).sort((a, b) => a - b));
        const rng = refRng(seed);
        const l1 = refSampleLayer(rows, [0, Math.floor(r.n / 2)], 3, replace, rng);
        const l2 = refSampleLayer(rows, l1, 2, replace, rng);
        expect(Array.from(s.layers[1])).toEqual(l1);
        expect(Array.from(s.layers[2])).toEqual(l2);
        if (!replace) {
          // without replacement a slot group never repeats a row position
          for (let p = 0; p < l1.length / 3; p++) {
            const u = s.layers[0][p];
            const got = Array.from(s.layers[1].subarray(p * 3, p * 3 + 3)).filter((v) => v >= 0);
            expect(got.length).toBe(Math.min(3, rows[u].length));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('aggregates features into float32 tensors shaped [B, f1, ..., d]', async () => {
    using g = await Graph.fromEdges({ src: [0, 1, 2, 3], dst: [1, 2, 3, 0] });
    const features = Float32Array.from({ length: 4 * 2 }, (_, i) => i);
    const s = sampleNeighbors(g, [0, 2], { fanouts: [2, 2] });
    const { x, neighbors } = sageInputs(s, features, 2);
    expect(x.map((t) => t.dims)).toEqual([[2, 2], [2, 2, 2], [2, 2, 2, 2]]);
    expect(neighbors.map((t) => t.dims)).toEqual([[2, 2], [2, 2, 2]]);
    // node 0's neighbours are 1 and 3: mean of rows 1 and 3
    expect(Array.from(neighbors[0].data.subarray(0, 2))).toEqual([(2 + 6) / 2, (3 + 7) / 2]);
    const sum = sageInputs(s, features, 2, { aggregate: 'sum' });
    expect(Array.from(sum.neighbors[0].data.subarray(0, 2))).toEqual([8, 10]);
    expect(x[0].dtype).toBe('float32');
    expect(() => sageInputs(s, features, 3)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
  });
});

describe('graph: influencers and rings', () => {
  it('ranks the top k by PageRank, ties by index', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.integer({ min: 0, max: 6 }), async (c, k) => {
        using g = await build(c);
        const r = refGraph(c);
        const pr = refPagerank(r);
        const top = influencers(g, k, { pagerank: { weighted: true } });
        expect(top.length).toBe(Math.min(k, r.n));
        const order = r.ids.map((_, i) => i).sort((a, b) => pr[b] - pr[a] || a - b);
        top.forEach((t, i) => {
          expect(t.rank).toBe(i + 1);
          expect(pr[t.index]).toBeCloseTo(pr[order[i]], 9);
          expect(t.id).toBe(r.ids[t.index]);
        });
      }),
      { numRuns: 80 },
    );
    expect(topK([3, 1, 3, NaN, 2], 3)).toEqual([0, 2, 4]);
  });

  it('finds the karate club\'s leaders: 33 and 0', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src, dst });
    const top = influencers(g, 2);
    expect(top.map((t) => t.id)).toEqual([33, 0]);
    expect(top[0].score).toBe(pagerank(g)[33]);
    expect(influencers(g, 1, { by: 'degree' })[0].id).toBe(33);
  });

  it('groups users who share attributes, with the attributes that tie them', async () => {
    const user = ['u1', 'u2', 'u2', 'u3', 'u4', 'u5', 'u6', 'u6', 'u7'];
    const attribute = ['card1', 'card1', 'dev9', 'dev9', 'ip0', 'ip0', 'ip0', 'card2', 'phone'];
    const all = await rings({ user, attribute });
    expect(all).toEqual([
      { users: ['u1', 'u2', 'u3'], attributes: ['card1', 'dev9'] },
      { users: ['u4', 'u5', 'u6'], attributes: ['ip0'] },
    ]);
    // an attribute shared by too many users does not make a ring
    expect(await rings({ user, attribute }, { maxAttributeUsers: 2 })).toEqual([{ users: ['u1', 'u2', 'u3'], attributes: ['card1', 'dev9'] }]);
    expect((await rings({ user, attribute }, { minSize: 1 })).length).toBe(3);
    expect(await rings({ user: [1, 2, 3], attribute: [7, 7, 8] })).toEqual([{ users: [1, 2], attributes: [7] }]);
    await expect(rings({ user: [1, 2], attribute: [7] })).rejects.toMatchObject({ code: 'E_LENGTH' });
  });

  it('rings match components of the user projection on random data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 8 })), { maxLength: 40 }), async (rows) => {
        const res = await rings({ user: rows.map(([u]) => u), attribute: rows.map(([, a]) => a) }, { minSize: 1 });
        // oracle: union users that share an attribute
        const users = [...new Set(rows.map(([u]) => u))];
        const parent = new Map(users.map((u) => [u, u]));
        const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
        const byAttr = new Map<number, number[]>();
        for (const [u, a] of rows) byAttr.set(a, [...(byAttr.get(a) ?? []), u]);
        for (const us of byAttr.values()) for (const u of us) parent.set(find(u), find(us[0]));
        const groups = new Map<number, number[]>();
        for (const u of users) groups.set(find(u), [...(groups.get(find(u)) ?? []), u]);
        const want = [...groups.values()].map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => b.length - a.length || a[0] - b[0]);
        expect(res.map((r) => [...(r.users as number[])].sort((a, b) => a - b)).sort((a, b) => b.length - a.length || a[0] - b[0])).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });
});
