/**
 * Label propagation — Raghavan, Albert & Kumara, "Near linear time algorithm to detect community
 * structures in large-scale networks" (2007), asynchronous variant as NetworkX
 * asyn_lpa_communities(G, seed) and igraph cluster_label_prop (unweighted), on the undirected
 * simple view (direction and parallel edges ignored, self loops dropped).
 *
 * Every node starts with its own label. Each round visits the nodes in a seeded random order; a
 * node adopts the label most frequent among its neighbours, keeping its own when that is among
 * the most frequent, ties broken by a seeded draw. It stops after a round without change.
 * Seeded, so deterministic on every platform (the same seed gives the same communities).
 * O(E) per round.
 */
import type { Graph } from './graph.js';
import { canonicalize, labelSizes } from './canonical.js';
import { checkNumber, checkSeed, resolve } from './options.js';

export const LABEL_PROPAGATION_DEFAULTS = Object.freeze({
  /** PRNG seed (u32). */
  seed: 1 as number,
  /** Most rounds; the algorithm usually stops far earlier. */
  maxRounds: 100 as number,
});

export interface LabelPropagationResult {
  /** Community of each node, numbered by each community's first node (copy). */
  communities: Int32Array;
  count: number;
  sizes: Int32Array;
  /** Rounds run. */
  rounds: number;
}

/**
 * Communities by asynchronous label propagation.
 *
 * @example
 * labelPropagation(g, { seed: 42 }).count
 */
export function labelPropagation(graph: Graph, options?: Partial<typeof LABEL_PROPAGATION_DEFAULTS>): LabelPropagationResult {
  graph.assertLive();
  const o = resolve('labelPropagation', LABEL_PROPAGATION_DEFAULTS, options);
  checkSeed('labelPropagation', o.seed);
  checkNumber('labelPropagation', 'maxRounds', o.maxRounds, 1, 2 ** 31 - 1, true);
  const n = graph.nodeCount;
  const view = graph.simple();
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const labels = alloc(4 * n);
    const order = alloc(4 * n);
    const freq = alloc(8 * n);
    k.view(Float64Array, freq, n).fill(0);
    const seen = alloc(4 * n);
    const best = alloc(4 * n);
    const rounds = k.exports.labelPropagation(n, view.off, view.adj, o.seed, o.maxRounds, labels, order, freq, seen, best);
    const communities = k.copyOut(Int32Array, labels, n);
    const count = canonicalize(communities);
    return { communities, count, sizes: labelSizes(communities, count), rounds };
  });
}
