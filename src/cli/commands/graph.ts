/**
 * `weir graph <algorithm> <edges file>`: graph analytics over an edge-list file.
 *
 * Reads the edge columns (CSV, NDJSON, Arrow IPC or Parquet with a header), builds the graph in
 * wasm memory, runs one algorithm and writes one row per node — `node, value`, or
 * `node, community` for communities — with the file's own node ids, in the format the --out
 * extension names. Prints a short summary (counts, top nodes, modularity) to stderr.
 */
import { resolve } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { WeirError } from '../../runtime/errors.js';

const ALGORITHMS = ['pagerank', 'components', 'scc', 'kcore', 'triangles', 'communities', 'betweenness', 'bfs'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

interface GraphCliOptions {
  src: string;
  dst: string;
  weight?: string;
  directed?: boolean;
  out?: string;
  format?: 'csv' | 'ndjson' | 'arrow' | 'arrows' | 'parquet';
  duplicates: string;
  selfLoops: string;
  top: string;
  alpha: string;
  iterations?: string;
  resolution: string;
  seed?: string;
  samples?: string;
  source?: string;
  progress: boolean;
}

const EXAMPLES = `
Algorithms (the value column):
  pagerank     PageRank score (damping --alpha, to convergence or --iterations N)
  components   weakly connected component id        scc          strongly connected component id
  kcore        core number                           triangles    triangles through the node
  communities  Louvain community (column "community"; --resolution, --seed)
  betweenness  normalised betweenness (exact, or --samples K sources)
  bfs          hops from --source (-1 when unreachable)

Examples:
  $ weir graph pagerank follows.csv --src follower --dst followee --directed --out rank.parquet
  $ weir graph communities edges.parquet --src a --dst b --resolution 1.2 --out communities.csv
  $ weir graph bfs edges.arrow --src a --dst b --source 42 --out hops.ndjson`;

/** Registers `weir graph` on `program`. */
export function register(program: Command): void {
  program
    .command('graph')
    .summary('graph analytics (PageRank, components, k-core, triangles, communities, …) over an edge list')
    .description('Build a graph from an edge-list file and write one row per node with the result of an algorithm.')
    .addArgument(new Argument('<algorithm>', 'what to compute').choices(ALGORITHMS))
    .argument('<edges>', 'edge list: .csv, .ndjson/.jsonl, .arrow/.arrows/.feather or .parquet with a header')
    .requiredOption('--src <column>', 'source id column (integers or strings)')
    .requiredOption('--dst <column>', 'target id column')
    .option('--weight <column>', 'edge weight column (PageRank uses it)')
    .option('--directed', 'edges are directed (default: undirected)')
    .option('--out <file>', 'write one row per node here; the extension chooses the format')
    .option('--format <format>', 'input format when the extension does not say (csv, ndjson, arrow, arrows, parquet)')
    .addOption(new Option('--duplicates <policy>', 'parallel edges').choices(['keep', 'sum', 'min', 'max', 'first', 'last']).default('keep'))
    .addOption(new Option('--self-loops <policy>', 'self loops').choices(['keep', 'drop']).default('keep'))
    .option('--top <n>', 'nodes listed in the summary', '10')
    .option('--alpha <x>', 'PageRank damping factor', '0.85')
    .option('--iterations <n>', 'PageRank: exactly this many iterations instead of iterating to convergence')
    .option('--resolution <x>', 'communities: Louvain resolution', '1')
    .option('--seed <n>', 'communities: visit nodes in a seeded random order; betweenness: seed for --samples')
    .option('--samples <k>', 'betweenness: estimate from k sampled sources')
    .option('--source <id>', 'bfs: the source node id')
    .option('--no-progress', 'do not show progress')
    .addHelpText('after', EXAMPLES)
    .action(async (algorithm: Algorithm, edges: string, opts: GraphCliOptions) => runGraph(algorithm, edges, opts));
}

function num(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new WeirError('E_ARG', `${flag}: expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
  }
  return x;
}

async function runGraph(algorithm: Algorithm, edges: string, opts: GraphCliOptions): Promise<void> {
  const started = performance.now();
  const top = num(opts.top, '--top', true)!;
  const alpha = num(opts.alpha, '--alpha')!;
  const iterations = num(opts.iterations, '--iterations', true);
  const resolution = num(opts.resolution, '--resolution')!;
  const seed = num(opts.seed, '--seed', true);
  const samples = num(opts.samples, '--samples', true);
  if (algorithm === 'bfs' && opts.source === undefined) throw new WeirError('E_ARG', 'bfs: --source ID is required');
  if (opts.out !== undefined && resolve(opts.out) === resolve(edges)) throw new WeirError('E_ARG', `${opts.out}: refusing to overwrite the input file`);

  const [g, io, { tableFromArrays }, { createProgress, formatCount }] = await Promise.all([
    import('../../graph/index.js'),
    import('../../io/index.js'),
    import('apache-arrow'),
    import('../progress.js'),
  ]);
  const progress = createProgress({ enabled: opts.progress });
  const reading = progress.stage(`graph: reading ${edges}`, 0, 'bytes');
  let cols: Awaited<ReturnType<typeof g.readEdgeColumns>>;
  try {
    cols = await g.readEdgeColumns(edges, { src: opts.src, dst: opts.dst, weight: opts.weight, format: opts.format, onProgress: (done, total) => reading.update(done, total) });
    reading.finish();
  } finally {
    progress.stop();
  }
  const readMs = performance.now() - started;
  using graph = await g.Graph.fromEdges({
    src: cols.src, dst: cols.dst, weight: cols.weight, directed: opts.directed === true,
    duplicates: opts.duplicates as never, selfLoops: opts.selfLoops as never,
  });
  const builtMs = performance.now() - started - readMs;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`weir graph: ${formatCount(graph.nodeCount)} nodes, ${formatCount(graph.edgeCount)} ${graph.directed ? 'directed' : 'undirected'} edges` +
    ` (read ${(readMs / 1000).toFixed(2)} s, built in ${(builtMs / 1000).toFixed(2)} s, ${(graph.memoryBytes / 2 ** 20).toFixed(0)} MiB wasm memory)`);

  let values: Float64Array | Int32Array;
  let column = 'value';
  const ranked = (label: string, v: ArrayLike<number>) => {
    const ids = graph.nodeIds;
    const list = g.topK(v, top).map((i) => `${String(ids[i])} (${fmt(v[i])})`);
    if (list.length) say(`  top ${label}: ${list.join(', ')}`);
  };
  const t0 = performance.now();
  switch (algorithm) {
    case 'pagerank': {
      const r = g.pagerankDetailed(graph, { alpha, iterations: iterations ?? null });
      if (!r.converged) throw new WeirError('E_STATE', `pagerank: no convergence in ${r.iterations} iterations; pass --iterations N for a fixed count`);
      values = r.scores;
      say(`  pagerank: ${r.iterations} iterations, last L1 change ${r.delta.toExponential(2)}`);
      ranked('nodes', values);
      break;
    }
    case 'components':
    case 'scc': {
      const c = algorithm === 'scc' ? g.stronglyConnectedComponents(graph) : g.weaklyConnectedComponents(graph);
      values = c.labels;
      const largest = g.topK(c.sizes, Math.min(top, 5)).map((i) => formatCount(c.sizes[i]));
      say(`  ${formatCount(c.count)} ${algorithm === 'scc' ? 'strongly' : 'weakly'} connected components; largest: ${largest.join(', ')}`);
      break;
    }
    case 'kcore': {
      values = g.coreNumbers(graph);
      let max = 0;
      for (const v of values) max = Math.max(max, v);
      say(`  degeneracy (largest core number): ${max}`);
      ranked('nodes', values);
      break;
    }
    case 'triangles': {
      values = g.triangles(graph);
      let sum = 0;
      for (const v of values) sum += v;
      say(`  ${formatCount(sum / 3)} triangles, transitivity ${fmt(g.transitivity(graph))}`);
      ranked('nodes', values);
      break;
    }
    case 'communities': {
      const r = g.louvain(graph, { resolution, seed: seed ?? null });
      values = r.communities;
      column = 'community';
      const largest = g.topK(r.sizes, Math.min(top, 5)).map((i) => formatCount(r.sizes[i]));
      say(`  ${formatCount(r.count)} communities, modularity ${r.modularity.toFixed(4)} (${r.levels} levels); largest: ${largest.join(', ')}`);
      break;
    }
    case 'betweenness': {
      values = g.betweenness(graph, { samples: samples ?? null, seed: seed ?? 1 });
      ranked('nodes', values);
      break;
    }
    case 'bfs': {
      const id = graph.nodeIds instanceof Float64Array ? Number(opts.source) : opts.source!;
      if (graph.indexOf(id) < 0) throw new WeirError('E_GRAPH', `--source: ${opts.source} is not a node of ${edges}`);
      const r = g.bfs(graph, id);
      values = r.distance;
      let far = 0;
      for (const d of values) far = Math.max(far, d);
      say(`  reached ${formatCount(r.order.length)} nodes from ${opts.source}; farthest ${far} hops`);
      break;
    }
  }
  say(`  ${algorithm} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  if (opts.out !== undefined) {
    const out = await io.openWriter(opts.out);
    try {
      const ids = graph.nodeIds;
      const step = 65536;
      for (let i = 0; i < graph.nodeCount || i === 0; i += step) {
        const j = Math.min(graph.nodeCount, i + step);
        const node = ids instanceof Float64Array ? ids.subarray(i, j) : ids.slice(i, j);
        await out.write(tableFromArrays({ node, [column]: values!.subarray(i, j) } as Record<string, Float64Array | Int32Array | string[]>));
        if (graph.nodeCount === 0) break;
      }
      await out.close();
    } catch (e) {
      await out.abort();
      throw e;
    }
    say(`  wrote ${formatCount(graph.nodeCount)} rows to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(2)} s total`);
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
