/**
 * Degree and strength — NetworkX G.degree / in_degree / out_degree (weight=None or "weight"),
 * igraph degree(mode, loops = TRUE) and strength. In an undirected graph a self loop counts twice;
 * parallel edges each count. O(V + E).
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph } from './graph.js';
import { checkEnum, resolve } from './options.js';

export const DEGREE_DEFAULTS = Object.freeze({
  /** 'out', 'in' or 'all' (in + out); the same for undirected graphs. */
  mode: 'all' as 'out' | 'in' | 'all',
  /** Sum edge weights (strength) instead of counting edges. */
  weighted: false as boolean,
});

/**
 * Degree of each node in node-index order (copy).
 *
 * @example
 * degree(g, { mode: 'in' })
 */
export function degree(graph: Graph, options?: Partial<typeof DEGREE_DEFAULTS>): Float64Array {
  graph.assertLive();
  const o = resolve('degree', DEGREE_DEFAULTS, options);
  const mode = checkEnum('degree', 'mode', o.mode, ['out', 'in', 'all']);
  if (typeof o.weighted !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/degree: weighted must be a boolean');
  const n = graph.nodeCount;
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const a = alloc(8 * n);
    if (!graph.directed) {
      k.exports.csrDegrees(n, graph.out.off, graph.out.adj, o.weighted ? graph.out.w : 0, 1, a);
      return k.copyOut(Float64Array, a, n);
    }
    const rin = graph.inEdges;
    if (mode === 'out') k.exports.csrDegrees(n, graph.out.off, graph.out.adj, o.weighted ? graph.out.w : 0, 0, a);
    else k.exports.csrDegrees(n, rin.off, rin.adj, o.weighted ? rin.w : 0, 0, a);
    const d = k.copyOut(Float64Array, a, n);
    if (mode === 'all') {
      k.exports.csrDegrees(n, graph.out.off, graph.out.adj, o.weighted ? graph.out.w : 0, 0, a);
      const out = k.view(Float64Array, a, n);
      for (let i = 0; i < n; i++) d[i] += out[i];
    }
    return d;
  });
}
