/**
 * influencers: the k most influential nodes (key opinion leaders) ranked by a centrality —
 * PageRank by default (what NetworkX / igraph users reach for), or degree, in-degree, or any
 * per-node score array. O(cost of the score + V log k).
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph } from './graph.js';
import { degree } from './degree.js';
import { checkNumber, resolve } from './options.js';
import { pagerank, PAGERANK_DEFAULTS, type PageRankOptions } from './pagerank.js';

export const INFLUENCERS_DEFAULTS = Object.freeze({
  /** 'pagerank', 'degree' (in + out), 'inDegree' (followers), or one score per node. */
  by: 'pagerank' as 'pagerank' | 'degree' | 'inDegree' | ArrayLike<number>,
  /** Options for PageRank when by is 'pagerank'. */
  pagerank: PAGERANK_DEFAULTS as PageRankOptions,
});

export interface Influencer {
  /** The caller's node id. */
  id: number | string;
  /** Node index. */
  index: number;
  score: number;
  /** 1 for the top node. */
  rank: number;
}

/**
 * The top k nodes by score, highest first; equal scores keep node-index order.
 *
 * @example
 * influencers(g, 10) // [{ id: 'alice', score: 0.031, rank: 1, index: 17 }, …]
 */
export function influencers(graph: Graph, k: number, options?: Partial<typeof INFLUENCERS_DEFAULTS>): Influencer[] {
  graph.assertLive();
  checkNumber('influencers', 'k', k, 0, 2 ** 31 - 1, true);
  const o = resolve('influencers', INFLUENCERS_DEFAULTS, options);
  let scores: ArrayLike<number>;
  if (o.by === 'pagerank') scores = pagerank(graph, o.pagerank === PAGERANK_DEFAULTS ? undefined : o.pagerank);
  else if (o.by === 'degree') scores = degree(graph, { mode: 'all' });
  else if (o.by === 'inDegree') scores = degree(graph, { mode: 'in' });
  else if (typeof o.by === 'object' && o.by !== null && typeof o.by.length === 'number') {
    if (o.by.length !== graph.nodeCount) throw new WeirError('E_LENGTH', `weir/graph/influencers: by has ${o.by.length} scores but the graph has ${graph.nodeCount} nodes`);
    scores = o.by;
  } else {
    throw new WeirError('E_ARG', `weir/graph/influencers: by must be 'pagerank', 'degree', 'inDegree' or an array of scores; got ${String(o.by)}`);
  }
  const ids = graph.nodeIds;
  return topK(scores, k).map((index, i) => ({ id: ids[index], index, score: scores[index], rank: i + 1 }));
}

/** Indices of the k largest scores (NaN last), ties by index; a size-k min-heap, O(n log k). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  k = Math.min(k, n);
  if (k === 0) return [];
  const val = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  // "a ranks below b": smaller score, or equal score and larger index
  const below = (a: number, b: number) => val(a) < val(b) || (val(a) === val(b) && a > b);
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!below(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(heap[l], heap[m])) m = l;
      if (r < heap.length && below(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (below(heap[0], i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
