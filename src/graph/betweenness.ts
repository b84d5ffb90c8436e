/**
 * Betweenness centrality — NetworkX betweenness_centrality(G, k, normalized, seed) and igraph
 * betweenness(directed, normalized): for each node v, the sum over pairs s != v != t of the
 * fraction of shortest s–t paths through v, unweighted, following the graph's direction.
 * Parallel edges count as distinct shortest paths (igraph; build with duplicates: 'first' for
 * NetworkX's simple Graph). Brandes (2001): O(V E) exact.
 *
 * For large graphs, `samples: k` runs the BFS from k sources drawn with the seeded PRNG (as
 * NetworkX's k and seed) and scales by n / k — an unbiased estimate (Brandes & Pich 2007).
 * Normalisation as NetworkX (endpoints excluded): x 1/((n-1)(n-2)) when normalized; undirected
 * unnormalised values are halved, each path having been counted from both ends.
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph } from './graph.js';
import { checkNumber, checkSeed, resolve } from './options.js';

export const BETWEENNESS_DEFAULTS = Object.freeze({
  normalized: true as boolean,
  /** Number of sampled sources (null: all nodes, exact). */
  samples: null as number | null,
  /** PRNG seed for the sampled sources. */
  seed: 1 as number,
});

/**
 * Betweenness of each node in node-index order (copy).
 *
 * @example
 * betweenness(g)                       // exact
 * betweenness(g, { samples: 256, seed: 7 }) // estimate on a large graph
 */
export function betweenness(graph: Graph, options?: Partial<typeof BETWEENNESS_DEFAULTS>): Float64Array {
  graph.assertLive();
  const o = resolve('betweenness', BETWEENNESS_DEFAULTS, options);
  if (typeof o.normalized !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/betweenness: normalized must be a boolean');
  checkSeed('betweenness', o.seed);
  const n = graph.nodeCount;
  if (o.samples !== null) checkNumber('betweenness', 'samples', o.samples, 1, Math.max(1, n), true);
  const k = graph.kernel;
  const x = k.exports;
  let sources: Uint32Array;
  if (o.samples === null || o.samples >= n) sources = Uint32Array.from({ length: n }, (_, i) => i);
  else sources = sampleSources(graph, n, o.samples, o.seed);
  const raw = graph.arena.scoped((alloc) => {
    const bc = alloc(8 * n);
    k.view(Float64Array, bc, n).fill(0);
    const src = alloc(4 * Math.max(1, sources.length));
    k.write(src, sources);
    const dist = alloc(4 * n);
    const sigma = alloc(8 * n);
    const delta = alloc(8 * n);
    const order = alloc(4 * n);
    const rin = graph.inEdges;
    x.betweenness(n, graph.out.off, graph.out.adj, rin.off, rin.adj, src, sources.length, bc, dist, sigma, delta, order);
    return k.copyOut(Float64Array, bc, n);
  });
  let scale = 1;
  if (o.normalized) scale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 1;
  else if (!graph.directed) scale = 0.5;
  if (sources.length < n) scale *= n / sources.length;
  if (scale !== 1) for (let i = 0; i < n; i++) raw[i] *= scale;
  return raw;
}

/** k distinct node indices: the first k of a seeded Fisher–Yates shuffle (the kernel's PRNG). */
function sampleSources(graph: Graph, n: number, count: number, seed: number): Uint32Array {
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const order = alloc(4 * n);
    k.view(Uint32Array, order, n).set(Uint32Array.from({ length: n }, (_, i) => i));
    k.exports.rngSeed(seed);
    k.exports.shuffleIndices(order, n);
    return k.copyOut(Uint32Array, order, count);
  });
}
