/**
 * Link prediction scores for candidate pairs (u, v) on the undirected simple view (direction and
 * parallel edges ignored, self loops dropped), as NetworkX defines them:
 * - common neighbours: |N(u) ∩ N(v)| (common_neighbors)
 * - Jaccard coefficient: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|, 0 when the union is empty
 *   (jaccard_coefficient)
 * - Adamic–Adar index: sum over common neighbours w of 1 / log(deg w) (adamic_adar_index)
 * O(deg u + deg v) per pair (sorted rows, merged).
 */
import { WeirError } from '../runtime/errors.js';
import type { Graph, NodeRef } from './graph.js';

export interface LinkScores {
  commonNeighbors: Float64Array;
  jaccard: Float64Array;
  adamicAdar: Float64Array;
}

/**
 * Scores for pairs (u[i], v[i]), given as ids (one each or columns of equal length).
 *
 * @example
 * const { jaccard } = linkPrediction(g, ['alice', 'alice'], ['bob', 'carol']);
 */
export function linkPrediction(graph: Graph, u: NodeRef, v: NodeRef): LinkScores {
  graph.assertLive();
  const us = graph.indicesOf(u, 'u');
  const vs = graph.indicesOf(v, 'v');
  if (us.length !== vs.length) throw new WeirError('E_LENGTH', `weir/graph/linkPrediction: u has ${us.length} ids but v has ${vs.length}`);
  const view = graph.simple();
  const k = graph.kernel;
  const len = us.length;
  return graph.arena.scoped((alloc) => {
    const pu = alloc(4 * len);
    const pv = alloc(4 * len);
    k.write(pu, us);
    k.write(pv, vs);
    const cn = alloc(8 * len);
    const jac = alloc(8 * len);
    const aa = alloc(8 * len);
    k.exports.linkScores(view.off, view.adj, pu, pv, len, cn, jac, aa);
    return { commonNeighbors: k.copyOut(Float64Array, cn, len), jaccard: k.copyOut(Float64Array, jac, len), adamicAdar: k.copyOut(Float64Array, aa, len) };
  });
}
