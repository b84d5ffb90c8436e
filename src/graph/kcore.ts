/**
 * Core numbers (k-core decomposition) — NetworkX core_number, igraph coreness(mode = "all"):
 * the largest k such that the node belongs to a subgraph where every node has degree >= k.
 * Computed on the undirected simple view (direction and parallel edges ignored, self loops
 * dropped), as igraph's as_undirected(mode = "collapse") + simplify() followed by coreness gives.
 * Batagelj–Zaversnik bucket algorithm, O(V + E).
 */
import type { Graph } from './graph.js';

/**
 * Core number of each node in node-index order (copy).
 *
 * @example
 * const core = coreNumbers(g); // core[i] for g.nodeIds[i]
 */
export function coreNumbers(graph: Graph): Int32Array {
  graph.assertLive();
  const n = graph.nodeCount;
  const view = graph.simple();
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const core = alloc(4 * n);
    const scratch = alloc(4 * (3 * n + 1) + 4 * maxRow(graph, view.off, n));
    k.exports.coreNumbers(n, view.off, view.adj, core, scratch);
    return k.copyOut(Int32Array, core, n);
  });
}

/** Nodes of the k-core (core number >= k), as node indices (copy). */
export function kCore(graph: Graph, k: number): Uint32Array {
  const core = coreNumbers(graph);
  const out: number[] = [];
  for (let i = 0; i < core.length; i++) if (core[i] >= k) out.push(i);
  return Uint32Array.from(out);
}

function maxRow(graph: Graph, off: number, n: number): number {
  const o = graph.kernel.view(Uint32Array, off, n + 1);
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, o[i + 1] - o[i]);
  return m;
}
