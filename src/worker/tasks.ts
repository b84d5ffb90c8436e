import type { Table } from 'apache-arrow';
import { windowOperator, type BatchInput, type WindowOptions, type WindowOutput } from '../stream/index.js';
// Not graph/index.js: it also exports graphFromFile, whose import of ../io (node:fs, csv-parse)
// cannot be bundled for a browser worker.
import { Graph, type GraphOptions, type NodeIds } from '../graph/graph.js';
import { pagerank, type PageRankOptions } from '../graph/pagerank.js';
import { louvain } from '../graph/louvain.js';
import { rolling } from '../prep/index.js';

/**
 * The functions a pool's workers can run, by name. Each does one whole job — create, compute,
 * copy the result out, dispose — so no wasm memory outlives the call. Arguments and results are
 * structured-cloneable values (typed arrays, plain objects, arrays, Maps) or Arrow Tables.
 *
 * Adding a task: import the function here and add `'<family>.<name>': async (...args) => result`,
 * returning arrays it owns (never views of wasm memory: those cannot be transferred). It is then
 * callable as `pool.run('<family>.<name>', ...args)`, with argument and result types checked by
 * TypeScript; the pool and worker need no other change.
 */
export const tasks = {
  /**
   * A window operator over a finite history: pushes each batch in order, then flushes; returns
   * everything that fired as one `windows` table and one `late` table.
   */
  'stream.window': async (options: WindowOptions, batches: readonly BatchInput[]): Promise<WindowOutput> => {
    const op = await windowOperator(options);
    try {
      const outputs = batches.map((b) => op.push(b));
      outputs.push(op.flush());
      return { windows: concat(outputs.map((o) => o.windows)), late: concat(outputs.map((o) => o.late)) };
    } finally {
      op.dispose();
    }
  },

  /** PageRank of the graph built from `edges` (see Graph.fromEdges): node ids and their scores. */
  'graph.pagerank': async (edges: GraphOptions, options?: PageRankOptions): Promise<{ ids: NodeIds; scores: Float64Array }> => {
    const graph = await Graph.fromEdges(edges);
    try {
      const ids = graph.nodeIds;
      return { ids: ids instanceof Float64Array ? ids.slice() : [...ids], scores: pagerank(graph, options) };
    } finally {
      graph.dispose();
    }
  },

  /** Louvain communities of the graph built from `edges`: node ids, community per node, modularity. */
  'graph.louvain': async (edges: GraphOptions, options?: Parameters<typeof louvain>[1]): Promise<{ ids: NodeIds; communities: Int32Array | Uint32Array | Float64Array; modularity: number }> => {
    const graph = await Graph.fromEdges(edges);
    try {
      const ids = graph.nodeIds;
      const result = louvain(graph, options);
      return { ids: ids instanceof Float64Array ? ids.slice() : [...ids], communities: result.communities.slice(), modularity: result.modularity };
    } finally {
      graph.dispose();
    }
  },

  /** Rolling statistics of a series (prep `rolling`). */
  'prep.rolling': rolling,
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;

/** One table of all rows; empty parts are skipped so that their schema cannot disagree. */
function concat(tables: Table[]): Table {
  const rows = tables.filter((t) => t.numRows > 0);
  if (rows.length === 0) return tables[tables.length - 1];
  return rows[0].concat(...rows.slice(1));
}
