/**
 * Louvain community detection — Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of
 * communities in large networks" (2008), with the resolution parameter of Reichardt & Bornholdt
 * (2006) as in NetworkX louvain_communities(resolution) and igraph cluster_louvain(resolution).
 * It maximises Newman's modularity (Newman & Girvan 2004; Newman 2006):
 *   Q = 1/2m * sum_ij [A_ij - gamma k_i k_j / 2m] delta(c_i, c_j)
 * on the undirected simple view (direction and parallel edges ignored, self loops dropped, every
 * edge of weight 1) — igraph's as_undirected(mode = "collapse") + simplify() + cluster_louvain.
 *
 * Each level moves single nodes to the neighbouring community with the best modularity gain
 * until no move helps, then collapses communities into nodes; it stops when a level moves
 * nothing. Within a level, nodes are visited with the fast local move queue (only neighbours of
 * moved nodes are revisited; `fastLocalMoves: false` for full sweeps), starting in index order
 * (deterministic) or a seeded shuffle (`seed`, as igraph and graphology randomise).
 * O(E) per pass over the nodes; a few passes per level, a few levels.
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph } from './graph.js';
import { canonicalize, labelSizes } from './canonical.js';
import { checkNumber, checkSeed, resolve } from './options.js';

export const LOUVAIN_DEFAULTS = Object.freeze({
  /** Resolution gamma: > 1 favours smaller communities, < 1 larger ones. */
  resolution: 1 as number,
  /** null: visit nodes in index order; a number: seeded random order per sweep. */
  seed: null as number | null,
  /** Most levels (collapse steps). */
  maxLevels: 100 as number,
  /**
   * Fast local moves (Traag, Waltman & van Eck 2019; graphology's default): after the first pass
   * only neighbours of moved nodes are revisited. false: full sweeps until one moves nothing.
   */
  fastLocalMoves: true as boolean,
  /** Most node evaluations within one level, in multiples of its node count. */
  maxSweeps: 1000 as number,
});

export interface LouvainResult {
  /** Community id of each node, numbered in order of each community's first node (copy). */
  communities: Int32Array;
  /** Number of communities. */
  count: number;
  /** Size of each community. */
  sizes: Int32Array;
  /** Newman modularity of the partition, at the given resolution. */
  modularity: number;
  /** Levels that moved nodes. */
  levels: number;
}

/**
 * Communities by Louvain, with their modularity.
 *
 * @example
 * const { communities, modularity } = louvain(g, { resolution: 1 });
 */
export function louvain(graph: Graph, options?: Partial<typeof LOUVAIN_DEFAULTS>): LouvainResult {
  graph.assertLive();
  const o = resolve('louvain', LOUVAIN_DEFAULTS, options);
  checkNumber('louvain', 'resolution', o.resolution, 0, Infinity);
  if (o.seed !== null) checkSeed('louvain', o.seed);
  checkNumber('louvain', 'maxLevels', o.maxLevels, 1, 2 ** 31 - 1, true);
  checkNumber('louvain', 'maxSweeps', o.maxSweeps, 1, 2 ** 31 - 1, true);
  if (typeof o.fastLocalMoves !== 'boolean') throw new WeirError('E_ARG', 'weir/graph/louvain: fastLocalMoves must be a boolean');
  const n = graph.nodeCount;
  const view = graph.simple();
  const k = graph.kernel;
  const x = k.exports;
  const arena = graph.arena;
  if (view.m === 0) {
    // no edges: every node is its own community
    const communities = Int32Array.from({ length: n }, (_, i) => i);
    return { communities, count: n, sizes: new Int32Array(n).fill(1), modularity: 0, levels: 0 };
  }
  return arena.scoped((alloc) => {
    const assign = alloc(4 * n);
    k.view(Uint32Array, assign, n).set(Uint32Array.from({ length: n }, (_, i) => i));
    let level = { n, off: view.off, adj: view.adj, w: 0, m: view.m, owned: false };
    let levels = 0;
    let seed = o.seed ?? 0;
    let q = 0;
    try {
      while (levels < o.maxLevels) {
        const ln = level.n;
        const step = arena.scoped((tmp) => {
          const kk = tmp(4 * ln);
          const m2 = x.louvainDegrees(ln, level.off, level.w, kk);
          const comm = tmp(4 * ln);
          const tot = tmp(4 * ln);
          const nw = tmp(4 * ln);
          k.view(Uint32Array, nw, ln).fill(0);
          const seen = tmp(4 * (ln + 1));
          const order = tmp(4 * ln);
          const queued = tmp(ln);
          const moves = x.louvainMove(ln, level.off, level.adj, level.w, kk, m2, o.resolution, o.seed === null ? 0 : 1, seed, o.fastLocalMoves ? 1 : 0, o.maxSweeps, comm, tot, nw, seen, order, queued);
          if (moves === 0) return null;
          const c = x.renumber(ln, comm, order);
          x.compose(n, assign, comm);
          const memOff = tmp(4 * (c + 1));
          const nOff = arena.alloc(4 * (c + 1));
          const blocks = [nOff];
          try {
            // the next level has at most as many entries as this one: with room for that, one pass
            // writes it; otherwise a counting pass first, so it is allocated exactly
            const upper = level.m;
            const onePass = arena.available > 8 * upper + (1 << 24);
            const cap = onePass ? upper : x.louvainAggregate(ln, level.off, level.adj, level.w, comm, c, memOff, order, nw, seen, nOff, 0, 0);
            const nAdj = arena.alloc(4 * cap);
            blocks.push(nAdj);
            const nW = arena.alloc(4 * cap);
            blocks.push(nW);
            const m = x.louvainAggregate(ln, level.off, level.adj, level.w, comm, c, memOff, order, nw, seen, nOff, nAdj, nW);
            if (onePass) {
              arena.shrink(nAdj, 4 * m);
              arena.shrink(nW, 4 * m);
            }
            return { n: c, off: nOff, adj: nAdj, w: nW, m, owned: true };
          } catch (err) {
            for (const b of blocks) arena.release(b);
            throw err;
          }
        });
        if (!step) break;
        if (level.owned) releaseLevel(graph, level);
        level = step;
        levels++;
        seed = (seed + 0x9e3779b9) >>> 0;
        if (level.n === 1) break;
      }
      // the last level graph is the final partition collapsed: its modularity is the partition's
      q = x.louvainQuality(level.n, level.off, level.adj, level.w, o.resolution);
    } finally {
      if (level.owned) releaseLevel(graph, level);
    }
    const communities = k.copyOut(Int32Array, assign, n);
    const count = canonicalize(communities);
    return { communities, count, sizes: labelSizes(communities, count), modularity: q, levels };
  });
}

function releaseLevel(graph: Graph, level: { off: number; adj: number; w: number }): void {
  graph.arena.release(level.off);
  graph.arena.release(level.adj);
  graph.arena.release(level.w);
}

/**
 * Newman's modularity of a partition (community id per node, in node-index order) on the
 * undirected simple view — NetworkX community.modularity(G, communities, resolution), igraph
 * modularity(). O(V + E).
 *
 * @example
 * modularity(g, louvain(g).communities) // the same number louvain reports
 */
export function modularity(graph: Graph, communities: ArrayLike<number>, options?: { resolution?: number }): number {
  graph.assertLive();
  const o = resolve('modularity', { resolution: 1 }, options);
  checkNumber('modularity', 'resolution', o.resolution, 0, Infinity);
  if (communities.length !== graph.nodeCount) {
    throw new WeirError('E_LENGTH', `weir/graph/modularity: communities has ${communities.length} entries but the graph has ${graph.nodeCount} nodes`);
  }
  const labels = new Int32Array(communities.length);
  for (let i = 0; i < labels.length; i++) {
    const c = communities[i];
    if (!Number.isInteger(c) || c < 0) throw new WeirError('E_GRAPH', `weir/graph/modularity: communities[${i}] = ${c} is not a community id (an integer >= 0)`);
    labels[i] = c;
  }
  canonicalize(labels);
  return modularityOf(graph, labels, o.resolution);
}

function modularityOf(graph: Graph, labels: Int32Array, gamma: number): number {
  const n = graph.nodeCount;
  const view = graph.simple();
  const k = graph.kernel;
  return graph.arena.scoped((alloc) => {
    const l = alloc(4 * n);
    k.write(l, labels);
    const scratch = alloc(16 * n);
    k.view(Float64Array, scratch, 2 * n).fill(0);
    return k.exports.modularity(n, view.off, view.adj, 0, l, gamma, scratch);
  });
}
