/**
 * Random walks — DeepWalk (Perozzi et al. 2014) and node2vec with p = q = 1 (Grover & Leskovec
 * 2016), as PyG's random_walk / torch_cluster: each step goes to an out-neighbour drawn uniformly
 * (parallel edges weigh by multiplicity) or, with `weighted`, in proportion to edge weight. Seeded:
 * the same seed gives the same walks on every platform. O(walks x length) (x degree when weighted).
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph, NodeRef } from './graph.js';
import { checkNumber, checkSeed, resolve } from './options.js';

export const RANDOM_WALKS_DEFAULTS = Object.freeze({
  /** Nodes per walk, the start included. */
  length: 10 as number,
  /** Walks started from each start node. */
  walksPerNode: 1 as number,
  /** Start nodes (ids); null: every node. */
  starts: null as NodeRef | null,
  /** Draw steps in proportion to edge weights. */
  weighted: false as boolean,
  seed: 1 as number,
});

export interface Walks {
  /** Node indices, walks x length, row-major; -1 after a walk ends at a node without out-edges (copy). */
  nodes: Int32Array;
  walks: number;
  length: number;
}

/**
 * Seeded random walks. Walk r * starts + s is the r-th walk from start s.
 *
 * @example
 * const { nodes, walks, length } = randomWalks(g, { length: 20, walksPerNode: 4, seed: 7 });
 */
export function randomWalks(graph: Graph, options?: Partial<typeof RANDOM_WALKS_DEFAULTS>): Walks {
  graph.assertLive();
  const o = resolve('randomWalks', RANDOM_WALKS_DEFAULTS, options);
  checkNumber('randomWalks', 'length', o.length, 1, 2 ** 20, true);
  checkNumber('randomWalks', 'walksPerNode', o.walksPerNode, 1, 2 ** 20, true);
  checkSeed('randomWalks', o.seed);
  if (typeof o.weighted !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/randomWalks: weighted must be a boolean');
  if (o.weighted && graph.hasNegativeWeights) throw new WeirError('E_GRAPH', 'weir/graph/randomWalks: weighted walks need edge weights >= 0');
  const starts = o.starts === null ? Uint32Array.from({ length: graph.nodeCount }, (_, i) => i) : graph.indicesOf(o.starts, 'starts');
  const ns = starts.length;
  const total = ns * o.walksPerNode;
  if (total * o.length > 2 ** 28) throw new WeirError('E_ARG', `weir/graph/randomWalks: ${total} walks of ${o.length} nodes is over 2^28 entries; walk in batches of starts`);
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const all = new Uint32Array(total);
    for (let r = 0; r < o.walksPerNode; r++) all.set(starts, r * ns);
    const s = alloc(4 * Math.max(1, total));
    k.write(s, all);
    const out = alloc(4 * Math.max(1, total * o.length));
    k.exports.rngSeed(o.seed);
    k.exports.randomWalks(graph.out.off, graph.out.adj, o.weighted && graph.weighted ? graph.out.w : 0, s, total, o.length, out);
    return { nodes: k.copyOut(Int32Array, out, total * o.length), walks: total, length: o.length };
  });
}
