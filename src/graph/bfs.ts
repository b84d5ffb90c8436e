/**
 * Breadth-first search from one or many sources — NetworkX single_source_shortest_path_length /
 * bfs_predecessors, igraph bfs / distances(mode) with unit weights. O(V + E).
 *
 * Follows the graph's direction: 'out' walks u -> v, 'in' walks edges backwards, 'both' ignores
 * direction (the undirected simple view). Undirected graphs are the same in every direction.
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph, NodeRef } from './graph.js';
import { checkEnum, checkNumber, resolve } from './options.js';

export type BfsDirection = 'out' | 'in' | 'both';

export const BFS_DEFAULTS = Object.freeze({
  /** Stop expanding at this many hops (Infinity: no limit). */
  maxDepth: Infinity as number,
  direction: 'out' as BfsDirection,
});

export interface BfsResult {
  /** Hops from the nearest source per node, -1 when unreachable (copy). */
  distance: Int32Array;
  /** Node index of each node's BFS parent, -1 for sources and unreachable nodes (copy). */
  parent: Int32Array;
  /** Indices of the reached nodes in visiting order, sources first (copy). */
  order: Uint32Array;
}

/**
 * Distances and BFS-tree parents from `sources` (one id or a column of ids).
 *
 * @example
 * const { distance, parent } = bfs(g, 'alice');
 * distance[g.indexOf('bob')] // hops from alice to bob, or -1
 */
export function bfs(graph: Graph, sources: NodeRef, options?: Partial<typeof BFS_DEFAULTS>): BfsResult {
  graph.assertLive();
  const o = resolve('bfs', BFS_DEFAULTS, options);
  checkNumber('bfs', 'maxDepth', o.maxDepth, 0, Infinity, true);
  const direction = checkEnum('bfs', 'direction', o.direction, ['out', 'in', 'both']);
  const src = graph.indicesOf(sources, 'sources');
  return runBfs(graph, src, o.maxDepth, direction);
}

export interface KHopResult {
  /** Node indices within k hops, in BFS order (sources first) (copy). */
  nodes: Uint32Array;
  /** Hops of each entry of `nodes` (copy). */
  distance: Int32Array;
  /** The caller's ids of `nodes`. */
  ids: (number | string)[];
}

/**
 * The k-hop neighbourhood of `sources`: every node at most k hops away (NetworkX ego_graph's node
 * set, radius k; igraph neighborhood(order = k)), sources included. O(size of the neighbourhood).
 *
 * @example
 * khop(g, 42, 2).ids // 42, its neighbours and theirs
 */
export function khop(graph: Graph, sources: NodeRef, k: number, options?: Partial<Pick<typeof BFS_DEFAULTS, 'direction'>>): KHopResult {
  graph.assertLive();
  checkNumber('khop', 'k', k, 0, Infinity, true);
  const o = resolve('khop', { direction: BFS_DEFAULTS.direction }, options);
  const direction = checkEnum('khop', 'direction', o.direction, ['out', 'in', 'both']);
  const src = graph.indicesOf(sources, 'sources');
  const r = runBfs(graph, src, k, direction);
  const distance = new Int32Array(r.order.length);
  for (let i = 0; i < r.order.length; i++) distance[i] = r.distance[r.order[i]];
  const ids = graph.nodeIds;
  return { nodes: r.order, distance, ids: Array.from(r.order, (i) => ids[i]) };
}

function runBfs(graph: Graph, src: Uint32Array, maxDepth: number, direction: BfsDirection): BfsResult {
  const n = graph.nodeCount;
  const csr = !graph.directed || direction === 'out' ? graph.out : direction === 'in' ? graph.sortedIn() : graph.simple();
  const k = graph.kernel;
  if (src.length === 0) throw new WeirError('E_GRAPH', 'weir/graph/bfs: sources is empty');
  return graph.arena.scoped((alloc) => {
    const s = alloc(4 * src.length);
    k.write(s, src);
    const dist = alloc(4 * n);
    const parent = alloc(4 * n);
    const order = alloc(4 * n);
    const depth = maxDepth === Infinity ? -1 : Math.min(maxDepth, 2 ** 31 - 1);
    const reached = k.exports.bfs(n, csr.off, csr.adj, s, src.length, depth, dist, parent, order);
    return {
      distance: k.copyOut(Int32Array, dist, n),
      parent: k.copyOut(Int32Array, parent, n),
      order: k.copyOut(Uint32Array, order, reached),
    };
  });
}
