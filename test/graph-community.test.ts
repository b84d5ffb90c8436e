import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import GraphologyGraph from 'graphology';
import louvainGraphology from 'graphology-communities-louvain';
import { Graph, louvain, labelPropagation, modularity, LOUVAIN_DEFAULTS } from '../dist/graph/index.js';
import { WeirError } from '../dist/index.js';
import { refGraph } from './reference/graph.js';
import { refLouvain, refLabelPropagation, refModularity } from './reference/graph-community.js';
import { edgeCaseArb, karate, buildCase, type EdgeCase } from './reference/graph-cases.js';

const build = (c: EdgeCase): Promise<Graph> => buildCase(Graph, c);

describe('graph: modularity', () => {
  it('equals the double sum of Newman\'s definition for random partitions', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 60, maxLength: 60 }), fc.constantFrom(0.5, 1, 2), async (c, parts, gamma) => {
        using g = await build(c);
        const labels = Array.from({ length: g.nodeCount }, (_, i) => parts[i]);
        expect(modularity(g, labels, { resolution: gamma })).toBeCloseTo(refModularity(refGraph(c), labels, gamma), 12);
      }),
      { numRuns: 120 },
    );
  });

  it('rejects partitions of the wrong length or with bad ids', async () => {
    using g = await Graph.fromEdges({ src: [1, 2], dst: [2, 3] });
    expect(() => modularity(g, [0, 0])).toThrow(expect.objectContaining({ code: 'E_LENGTH' }));
    expect(() => modularity(g, [0, -1, 0])).toThrow(expect.objectContaining({ code: 'E_GRAPH' }));
  });
});

describe('graph: Louvain', () => {
  it('matches the reference Louvain on random graphs: in order and seeded, sweeps and fast local moves', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.option(fc.nat({ max: 1000 }), { nil: null }), fc.constantFrom(0.5, 1, 1.5), fc.boolean(), async (c, seed, gamma, fast) => {
        using g = await build(c);
        const r = refGraph(c);
        const res = louvain(g, { seed, resolution: gamma, fastLocalMoves: fast });
        const ref = refLouvain(r, gamma, seed, fast);
        expect(Array.from(res.communities)).toEqual(ref);
        expect(res.modularity).toBeCloseTo(refModularity(r, ref, gamma), 12);
        expect(res.count).toBe(new Set(ref).size);
        expect(res.sizes.reduce((a, b) => a + b, 0)).toBe(r.n);
      }),
      { numRuns: 150 },
    );
  });

  it('finds the karate club communities (modularity 0.41-0.42), as graphology does', async () => {
    const { src, dst } = karate();
    using g = await Graph.fromEdges({ src, dst });
    const r = louvain(g);
    expect(r.modularity).toBeGreaterThan(0.41);
    expect(r.modularity).toBeLessThan(0.42);
    expect(r.count).toBe(4);
    const gg = new GraphologyGraph({ type: 'undirected' });
    for (let i = 0; i < src.length; i++) gg.mergeEdge(src[i], dst[i]);
    const ref = louvainGraphology.detailed(gg, { rng: () => 0.5, randomWalk: false });
    expect(r.modularity).toBeGreaterThanOrEqual(ref.modularity - 1e-12);
    expect(LOUVAIN_DEFAULTS.resolution).toBe(1);
  });

  it('gives singletons on an edgeless graph and one community on a clique', async () => {
    using e = await Graph.fromEdges({ src: [], dst: [], nodes: [1, 2, 3] });
    expect(louvain(e).count).toBe(3);
    const src: number[] = [];
    const dst: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) { src.push(i); dst.push(j); }
    using k6 = await Graph.fromEdges({ src, dst });
    expect(louvain(k6).count).toBe(1);
    expect(louvain(k6).modularity).toBeCloseTo(0, 12);
  });

  it('rejects bad options', async () => {
    using g = await Graph.fromEdges({ src: [1], dst: [2] });
    expect(() => louvain(g, { resolution: -1 })).toThrow(WeirError);
    expect(() => louvain(g, { seed: 1.5 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});

describe('graph: label propagation', () => {
  it('matches the seeded reference and is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(edgeCaseArb, fc.nat({ max: 2 ** 32 - 1 }), async (c, seed) => {
        using g = await build(c);
        const res = labelPropagation(g, { seed });
        expect(Array.from(res.communities)).toEqual(refLabelPropagation(refGraph(c), seed));
        expect(Array.from(labelPropagation(g, { seed }).communities)).toEqual(Array.from(res.communities));
      }),
      { numRuns: 150 },
    );
  });

  it('separates two cliques joined by one edge', async () => {
    const src: number[] = [];
    const dst: number[] = [];
    for (const base of [0, 10]) for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) { src.push(base + i); dst.push(base + j); }
    src.push(0);
    dst.push(10);
    using g = await Graph.fromEdges({ src, dst });
    const r = labelPropagation(g, { seed: 7 });
    expect(r.count).toBe(2);
    expect(Array.from(r.sizes)).toEqual([5, 5]);
  });
});
