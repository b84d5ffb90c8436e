/**
 * PageRank — NetworkX pagerank(G, alpha, personalization, max_iter, tol, weight) and igraph
 * page_rank(algo = "prpack"): the stationary distribution of the random surfer who follows an
 * out-edge u -> v with probability alpha * w(u,v) / W(u) (W(u) = u's out-weight; parallel edges
 * add up, a self loop is an edge like any other) and otherwise jumps to a node drawn from the
 * personalization vector p (uniform by default). Dangling nodes (W(u) = 0) jump by p as well, which
 * is what NetworkX (dangling=None) and igraph do. An undirected edge is followed both ways.
 *
 * Power iteration, pulling along in-edges: O(E) per iteration. By default it iterates until the
 * L1 change between iterations is below `tolerance` (1e-12), which puts the scores within about
 * 1e-11 of the exact solution (PRPACK's). `iterations: k` runs exactly k iterations instead
 * (the fixed-budget mode benchmarks use). Scores sum to 1.
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph } from './graph.js';
import { checkNumber, resolve } from './options.js';

export const PAGERANK_DEFAULTS = Object.freeze({
  /** Damping factor: probability of following an edge. */
  alpha: 0.85 as number,
  /** Stop when the L1 change between iterations falls below this. */
  tolerance: 1e-12 as number,
  /** Give up (E_STATE) after this many iterations without convergence. */
  maxIterations: 1000 as number,
  /** Run exactly this many iterations, with no convergence test (null: iterate to tolerance). */
  iterations: null as number | null,
  /** Use edge weights when the graph has them. */
  weighted: true as boolean,
  /**
   * Teleport (and dangling) distribution: a vector of n non-negative numbers in node-index order,
   * or a Map from node id to weight (missing ids weigh 0). Normalised to sum 1. null: uniform.
   */
  personalization: null as ArrayLike<number> | Map<number | string, number> | null,
});

export type PageRankOptions = Partial<typeof PAGERANK_DEFAULTS>;

export interface PageRankResult {
  /** Score per node, in node-index order, summing to 1 (copy). */
  scores: Float64Array;
  /** Iterations run. */
  iterations: number;
  /** L1 change of the last iteration. */
  delta: number;
  /** Whether delta fell below the tolerance (always true in fixed-iteration mode). */
  converged: boolean;
}

/**
 * PageRank scores in node-index order (`graph.nodeIds[i]` scored `scores[i]`). Throws E_STATE if
 * it does not converge within maxIterations, like NetworkX.
 *
 * @example
 * const scores = pagerank(g, { alpha: 0.85 });
 */
export function pagerank(graph: Graph, options?: PageRankOptions): Float64Array {
  const r = pagerankDetailed(graph, options);
  if (!r.converged) {
    throw new WeirError('E_STATE', `weir/graph/pagerank: no convergence to tolerance ${String(options?.tolerance ?? PAGERANK_DEFAULTS.tolerance)} in ${r.iterations} iterations (L1 change ${r.delta}); raise maxIterations or tolerance`);
  }
  return r.scores;
}

/** {@link pagerank} plus iterations run, last change and whether it converged (never throws for that). */
export function pagerankDetailed(graph: Graph, options?: PageRankOptions): PageRankResult {
  graph.assertLive();
  const o = resolve('pagerank', PAGERANK_DEFAULTS, options);
  checkNumber('pagerank', 'alpha', o.alpha, 0, 1);
  checkNumber('pagerank', 'tolerance', o.tolerance, 0, Infinity);
  checkNumber('pagerank', 'maxIterations', o.maxIterations, 1, 2 ** 31 - 1, true);
  if (o.iterations !== null) checkNumber('pagerank', 'iterations', o.iterations, 0, 2 ** 31 - 1, true);
  if (typeof o.weighted !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/pagerank: weighted must be a boolean');
  const weighted = o.weighted && graph.weighted;
  if (weighted && graph.hasNegativeWeights) throw new WeirError('E_GRAPH', 'weir/graph/pagerank: the graph has negative edge weights; PageRank needs weights >= 0 (or weighted: false)');
  const n = graph.nodeCount;
  const p = personalizationVector(graph, o.personalization);
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, delta: 0, converged: true };
  const k = graph.kernel;
  const inEdges = graph.inEdges;
  const m = inEdges.m;
  // Large graphs iterate in a node order by out-degree (highest first): the gathers read y of the
  // sources, so the most-read entries sit together at the front of y and stay cached. Renumbering
  // costs about one iteration and 4 bytes per edge (12 when weighted) while PageRank runs; it is
  // skipped when y fits in a core's cache anyway, and when memory is short.
  const relabelBytes = 4 * (2 * n + 4097) + 4 * m + (weighted ? 8 * m : 0);
  const relabel = n >= RELABEL_MIN_NODES && graph.arena.available > relabelBytes + 40 * n + (1 << 20);
  return graph.arena.scoped((alloc) => {
    const x = k.exports;
    let off = inEdges.off;
    let adj = inEdges.adj;
    let w = weighted ? inEdges.w : 0;
    let perm = 0;
    if (relabel) {
      perm = alloc(4 * n);
      x.pagerankOrder(n, graph.out.off, perm, alloc(4 * 4096));
      off = alloc(4 * (n + 1));
      adj = alloc(4 * m);
      const rw = weighted ? alloc(8 * m) : 0;
      x.pagerankRelabel(n, inEdges.off, inEdges.adj, w, perm, off, adj, rw);
      w = rw;
    }
    // W(u) in iteration order: f64 out-weights, or u32 out-degrees for an unweighted graph
    const outW = weighted ? alloc(8 * n) : 0;
    const deg = weighted ? 0 : alloc(4 * n);
    x.pagerankOutWeights(n, graph.out.off, weighted ? graph.out.w : 0, perm, outW, deg);
    // a uniform personalization goes in as one number (every entry of p is the same)
    const uniform = o.personalization === null;
    let pp = 0;
    if (!uniform) {
      pp = alloc(8 * n);
      k.write(pp, p);
      if (relabel) {
        const ppr = alloc(8 * n);
        x.permuteF64(n, perm, pp, ppr);
        pp = ppr;
      }
    }
    let y = alloc(8 * n);
    let yn = alloc(8 * n);
    k.view(Float64Array, y, n).fill(1 / n);
    const stats = alloc(16);
    const fixed = o.iterations !== null;
    const limit = fixed ? o.iterations! : o.maxIterations;
    let dangling = x.pagerankStart(n, outW, deg, y, y);
    let iterations = 0;
    let delta = Infinity;
    while (iterations < limit) {
      // a fixed run reports only its last change, so only the last iteration computes one
      const change = !fixed || iterations === limit - 1 ? 1 : 0;
      delta = x.pagerankStep(n, off, adj, w, outW, deg, pp, p[0], o.alpha, dangling, y, yn, stats, change);
      dangling = k.view(Float64Array, stats, 2)[1];
      [y, yn] = [yn, y];
      iterations++;
      if (!fixed && delta < o.tolerance) break;
    }
    // scores in node-index order, divided by their sum
    x.pagerankScores(n, outW, deg, perm, y, yn);
    const scores = k.copyOut(Float64Array, yn, n);
    return { scores, iterations, delta, converged: fixed || delta < o.tolerance };
  });
}

/** Graphs with at least this many nodes run PageRank in out-degree order (8 bytes of y each: 2 MiB). */
const RELABEL_MIN_NODES = 1 << 18;

function personalizationVector(graph: Graph, given: typeof PAGERANK_DEFAULTS.personalization): Float64Array {
  const n = graph.nodeCount;
  const p = new Float64Array(n);
  if (given === null) return p.fill(1 / n);
  if (given instanceof Map) {
    for (const [id, v] of given) {
      const i = graph.indexOf(id);
      if (i < 0) throw new WeirError('E_GRAPH', `weir/graph/pagerank: personalization names ${String(id)}, which is not a node of this graph`);
      p[i] = v;
    }
  } else if (given && typeof given === 'object' && typeof given.length === 'number') {
    if (given.length !== n) throw new WeirError('E_LENGTH', `weir/graph/pagerank: personalization has ${given.length} values but the graph has ${n} nodes`);
    for (let i = 0; i < n; i++) p[i] = given[i];
  } else {
    throw new WeirError('E_ARG', 'weir/graph/pagerank: personalization must be an array of n numbers or a Map from node id to number');
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(p[i] >= 0) || !Number.isFinite(p[i])) throw new WeirError('E_GRAPH', `weir/graph/pagerank: personalization[${i}] = ${p[i]} must be a finite number >= 0`);
    sum += p[i];
  }
  if (!(sum > 0)) throw new WeirError('E_GRAPH', 'weir/graph/pagerank: personalization sums to 0');
  for (let i = 0; i < n; i++) p[i] /= sum;
  return p;
}
