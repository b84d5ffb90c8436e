/**
 * Communities of the follow graph by Louvain (on its undirected simple view, nodes visited in
 * index order so the result is deterministic): how many, their sizes and Newman modularity. One
 * whole job — build, detect, dispose — so it can run on a pool worker.
 * Louvain rather than label propagation: on the built-in 1M-account graph it took a third of the
 * time (13 s against 40 s on the bench machine) and finds a partition of higher modularity.
 */
import { Graph, louvain, topK } from '../graph/index.js';
import type { IdColumn } from './read-columns.js';
import type { GraphFigures } from './types.js';

const BUCKET_NAMES = ['1', '2–9', '10–99', '100–999', '1k–10k', '10k–100k', '100k–1M', '1M+'];

/** Size bucket of a community: 1, 2–9, 10–99, … */
function bucketOf(size: number): number {
  return size <= 1 ? 0 : Math.min(BUCKET_NAMES.length - 1, Math.floor(Math.log10(size)) + 1);
}

export interface CommunityResult {
  communities: GraphFigures['communities'];
  ms: { build: number; louvain: number };
}

/**
 * Louvain communities of the graph of `edges`, with the `largest` biggest sizes and a size
 * histogram. O(E) per pass over the nodes, a few passes per level, a few levels.
 *
 * @example
 * const { communities } = await communityFigures({ src, dst }, 20);
 */
export async function communityFigures(edges: { src: IdColumn; dst: IdColumn }, largest: number): Promise<CommunityResult> {
  const t0 = performance.now();
  const graph = await Graph.fromEdges({ src: edges.src, dst: edges.dst, directed: true });
  try {
    const t1 = performance.now();
    const r = louvain(graph);
    const t2 = performance.now();
    const counts = new Array<number>(BUCKET_NAMES.length).fill(0);
    const members = new Array<number>(BUCKET_NAMES.length).fill(0);
    for (const s of r.sizes) {
      counts[bucketOf(s)]++;
      members[bucketOf(s)] += s;
    }
    return {
      communities: {
        algorithm: 'louvain',
        count: r.count,
        modularity: r.modularity,
        levels: r.levels,
        largest: topK(r.sizes, largest).map((i) => r.sizes[i]),
        sizeBuckets: BUCKET_NAMES.map((bucket, i) => ({ bucket, communities: counts[i], members: members[i] })).filter((b) => b.communities > 0),
      },
      ms: { build: t1 - t0, louvain: t2 - t1 },
    };
  } finally {
    graph.dispose();
  }
}
