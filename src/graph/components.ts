/**
 * Connected components.
 * - weaklyConnectedComponents: NetworkX weakly_connected_components / connected_components,
 *   igraph components(mode = "weak"); direction ignored. Union-find, O(E α(V)).
 * - stronglyConnectedComponents: NetworkX strongly_connected_components, igraph
 *   components(mode = "strong"); follows direction. Iterative Tarjan, O(V + E).
 * Component ids are numbered 0.. in order of each component's smallest node index, so results do
 * not depend on traversal order.
 */
import type { Graph } from './graph.js';

export interface Components {
  /** Number of components. */
  count: number;
  /** Component id of each node (copy). */
  labels: Int32Array;
  /** Size of each component, indexed by component id (copy). */
  sizes: Int32Array;
}

/**
 * Weakly connected components (the connected components of an undirected graph).
 *
 * @example
 * const { count, labels, sizes } = weaklyConnectedComponents(g);
 */
export function weaklyConnectedComponents(graph: Graph): Components {
  graph.assertLive();
  return labelled(graph, 4, (n, scratch, labels, sizes) => graph.kernel.exports.weakComponents(n, graph.out.off, graph.out.adj, scratch, labels, sizes));
}

/** Same as {@link weaklyConnectedComponents}; the name NetworkX uses for undirected graphs. */
export const connectedComponents = weaklyConnectedComponents;

/**
 * Strongly connected components: nodes that reach each other along edge directions. For an
 * undirected graph they are the connected components.
 *
 * @example
 * stronglyConnectedComponents(g).count
 */
export function stronglyConnectedComponents(graph: Graph): Components {
  graph.assertLive();
  if (!graph.directed) return weaklyConnectedComponents(graph);
  return labelled(graph, 16, (n, scratch, labels, sizes) => graph.kernel.exports.strongComponents(n, graph.out.off, graph.out.adj, scratch, labels, sizes));
}

// Runs a component kernel with `scratchPerNode` bytes of scratch per node and per-node label and
// per-component size outputs; returns copies of both.
function labelled(graph: Graph, scratchPerNode: number, run: (n: number, scratch: number, labels: number, sizes: number) => number): Components {
  const n = graph.nodeCount;
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const scratch = alloc(scratchPerNode * n);
    const labels = alloc(4 * n);
    const sizes = alloc(4 * n);
    const count = run(n, scratch, labels, sizes);
    return { count, labels: k.copyOut(Int32Array, labels, n), sizes: k.copyOut(Int32Array, sizes, count) };
  });
}
