/**
 * Triangles and clustering on the undirected simple view (direction and parallel edges ignored,
 * self loops dropped — igraph's as_undirected(mode = "collapse") + simplify()):
 * - triangles: NetworkX triangles, igraph count_triangles — triangles through each node.
 * - clustering: NetworkX clustering (undirected, unweighted), igraph
 *   transitivity_local_undirected(mode = "zero"): 2 T(v) / (d(v) (d(v) - 1)), 0 when d(v) < 2.
 * - averageClustering: NetworkX average_clustering (zeros included).
 * - transitivity: NetworkX transitivity, igraph transitivity_undirected: 3 x triangles / connected
 *   triples.
 * Degree-ordered forward algorithm: O(E^1.5) time, O(V + E) extra memory.
 */
import type { Graph } from './graph.js';

interface TriangleCounts {
  perNode: Float64Array;
  total: number;
  degrees: Uint32Array;
}

function count(graph: Graph): TriangleCounts {
  graph.assertLive();
  const n = graph.nodeCount;
  const view = graph.simple();
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const tri = alloc(8 * n);
    const fOff = alloc(4 * (n + 1));
    const fAdj = alloc(4 * Math.ceil(view.m / 2));
    const mark = alloc(4 * n);
    const total = k.exports.triangles(n, view.off, view.adj, tri, fOff, fAdj, mark);
    const off = k.view(Uint32Array, view.off, n + 1);
    const degrees = new Uint32Array(n);
    for (let i = 0; i < n; i++) degrees[i] = off[i + 1] - off[i];
    return { perNode: k.copyOut(Float64Array, tri, n), total, degrees };
  });
}

/**
 * Number of triangles through each node, in node-index order (copy).
 *
 * @example
 * triangles(g)[g.indexOf(0)]
 */
export function triangles(graph: Graph): Float64Array {
  return count(graph).perNode;
}

/** Number of triangles in the graph. */
export function triangleCount(graph: Graph): number {
  return count(graph).total;
}

/** Local clustering coefficient of each node (copy). */
export function clustering(graph: Graph): Float64Array {
  const { perNode, degrees } = count(graph);
  const c = new Float64Array(perNode.length);
  for (let i = 0; i < c.length; i++) {
    const d = degrees[i];
    c[i] = d < 2 ? 0 : (2 * perNode[i]) / (d * (d - 1));
  }
  return c;
}

/** Mean local clustering coefficient over all nodes (0 for an empty graph). */
export function averageClustering(graph: Graph): number {
  const c = clustering(graph);
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i];
  return c.length ? s / c.length : 0;
}

/** Global clustering coefficient: 3 x triangles / connected triples (0 without triples). */
export function transitivity(graph: Graph): number {
  const { total, degrees } = count(graph);
  let triples = 0;
  for (let i = 0; i < degrees.length; i++) triples += (degrees[i] * (degrees[i] - 1)) / 2;
  return triples === 0 ? 0 : (3 * total) / triples;
}
