/**
 * Influencers: the accounts with the highest PageRank in the follow graph (edges follower ->
 * followee, damping 0.85, to convergence), with their followers and two-hop reach. One whole
 * job — build the graph, rank, measure reach, dispose — so it can run on a pool worker while the
 * main thread streams the events.
 */
import { Graph, degree, khop, pagerankDetailed, topK } from '../graph/index.js';
import type { IdColumn } from './read-columns.js';
import type { Influencer } from './types.js';

export interface InfluenceResult {
  nodes: number;
  edges: number;
  iterations: number;
  influencers: Influencer[];
  ms: { build: number; pagerank: number; reach: number };
}

/**
 * The top `k` accounts by PageRank with their followers (in-degree) and two-hop reach (accounts
 * that follow them or follow one of their followers). O(E) per PageRank iteration, O(V log k)
 * for the top list, one two-hop breadth-first search per influencer.
 *
 * @example
 * const { influencers } = await influenceFigures({ src, dst }, 10);
 */
export async function influenceFigures(edges: { src: IdColumn; dst: IdColumn }, k: number): Promise<InfluenceResult> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const graph = await Graph.fromEdges({ src: edges.src, dst: edges.dst, directed: true });
  try {
    const build = lap();
    const pr = pagerankDetailed(graph);
    if (!pr.converged) throw new Error(`PageRank did not converge in ${pr.iterations} iterations`);
    const pagerank = lap();
    const followers = degree(graph, { mode: 'in' });
    const ids = graph.nodeIds;
    const influencers = topK(pr.scores, k).map((i, r) => ({
      rank: r + 1,
      user: ids[i],
      pagerank: pr.scores[i],
      followers: followers[i],
      reach2: khop(graph, ids[i], 2, { direction: 'in' }).nodes.length - 1,
    }));
    return { nodes: graph.nodeCount, edges: graph.edgeCount, iterations: pr.iterations, influencers, ms: { build, pagerank, reach: lap() } };
  } finally {
    graph.dispose();
  }
}
