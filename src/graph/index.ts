/**
 * weir/graph: graphs as CSR arrays in their own wasm instance, and the algorithms over them —
 * traversal, components, PageRank, cores, triangles, communities, betweenness, link prediction,
 * random walks and GNN neighbour sampling, plus the task helpers influencers and rings.
 *
 * @example
 * import { Graph, pagerank, louvain } from 'weir/graph';
 * using g = await Graph.fromEdges({ src, dst, directed: true });
 * const scores = pagerank(g); // scores[i] belongs to g.nodeIds[i]
 */
export { Graph, GRAPH_DEFAULTS, type GraphOptions, type DuplicatePolicy, type NodeIds, type NodeRef } from './graph.js';
export { planGraph, type GraphPlan, type GraphPlanInput } from './plan.js';
export type { IdColumnInput, WeightColumnInput } from './columns.js';
export { bfs, khop, BFS_DEFAULTS, type BfsResult, type KHopResult, type BfsDirection } from './bfs.js';
export { weaklyConnectedComponents, connectedComponents, stronglyConnectedComponents, type Components } from './components.js';
export { pagerank, pagerankDetailed, PAGERANK_DEFAULTS, type PageRankOptions, type PageRankResult } from './pagerank.js';
export { degree, DEGREE_DEFAULTS } from './degree.js';
export { coreNumbers, kCore } from './kcore.js';
export { triangles, triangleCount, clustering, averageClustering, transitivity } from './triangles.js';
export { louvain, modularity, LOUVAIN_DEFAULTS, type LouvainResult } from './louvain.js';
export { labelPropagation, LABEL_PROPAGATION_DEFAULTS, type LabelPropagationResult } from './label-propagation.js';
export { influencers, topK, INFLUENCERS_DEFAULTS, type Influencer } from './influencers.js';
export { rings, RINGS_DEFAULTS, type Ring, type RingsInput } from './rings.js';
export { betweenness, BETWEENNESS_DEFAULTS } from './betweenness.js';
export { linkPrediction, type LinkScores } from './link-prediction.js';
export { randomWalks, RANDOM_WALKS_DEFAULTS, type Walks } from './walks.js';
export { sampleNeighbors, sageInputs, SAMPLE_NEIGHBORS_DEFAULTS, type NeighborSample, type SageInputs } from './sampling.js';
export { graphFromFile, readEdgeColumns, type EdgeFileOptions } from './file.js';
