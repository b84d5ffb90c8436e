/**
 * bench/graph.ts — weir's graph family vs graphology (+ graphology-metrics, -components,
 * -communities-louvain) vs plain typed-array JS, on synthetic power-law graphs, one run each
 * after a warm-up (wasm functions reach V8's optimising tier on a small graph first).
 *
 * Graphs: Chung–Lu style power laws on both ends (see powerLaw), ids 0..n-1 with a few unused.
 *
 * Cases (goals from issue 5):
 *  - build CSR from 10M edges (1M nodes): <= 1 s
 *  - PageRank, 20 iterations, 1M nodes / 10M edges: <= 1 s and >= 50x graphology
 *  - weakly connected components, same graph: <= 0.3 s
 *  - Louvain, 100k nodes / 1M edges: >= 10x graphology, modularity at least graphology's
 *  - 10M nodes / 100M edges: build + PageRank (20 it.) + WCC <= 60 s in < 4 GiB of wasm memory;
 *    graphology cannot hold it (its edge Map stops at 2^24 entries), shown by filling a Map.
 *
 * Flags: --no-big skips the 100M-edge case, --only-big runs only it. Results go to
 * bench/results/graph.json (DESIGN.md format) only on a full run.
 *
 *   npx tsx bench/graph.ts            (or: npm run bench -- graph)
 */
import GraphologyGraph from 'graphology';
import { pagerank as graphologyPagerank } from 'graphology-metrics/centrality/index.js';
import { connectedComponents as graphologyComponents } from 'graphology-components';
import graphologyLouvain from 'graphology-communities-louvain';
import { formatTable, gc, machine, rngU32, writeResults, type BenchCase } from './lib.ts';
import { Graph, pagerankDetailed, weaklyConnectedComponents, louvain, modularity } from '../dist/graph/index.js';

const noBig = process.argv.includes('--no-big');
const onlyBig = process.argv.includes('--only-big');

// ---------------------------------------------------------------- data

/** mulberry32 as u32 draws (seeded, the same on every platform). */
const prng = rngU32;

/**
 * A directed power-law graph written straight into typed arrays (Chung–Lu style): each endpoint
 * is a Zipf-like draw, rank floor(n * u^k) with u uniform — k = 2 for sources (out-degree
 * exponent ~3), k = 3 for targets (in-degree exponent ~2.5), as in follower graphs where a few
 * accounts are followed by very many — and ranks are scattered over the ids 0..n-1 by a fixed
 * permutation, so hubs are not neighbours in memory. A few ids in the tail may never be drawn.
 */
function powerLaw(n: number, m: number, seed: number): { src: Int32Array; dst: Int32Array } {
  const next = prng(seed);
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  // 1234567 is odd and not a multiple of 5, so r -> (r * 1234567 + 89) mod n permutes 0..n-1 for n = 10^k
  const scatter = (r: number) => (r * 1234567 + 89) % n;
  for (let i = 0; i < m; i++) {
    const a = next() / 4294967296;
    const b = next() / 4294967296;
    src[i] = scatter(Math.floor(n * a * a));
    dst[i] = scatter(Math.floor(n * b * b * b));
  }
  return { src, dst };
}

/**
 * A power-law graph with communities: nodes in blocks of `block`; each edge picks a source by
 * the copy model and, with probability 1 - mix, a target in the source's block, else anywhere.
 */
function communityGraph(n: number, m: number, block: number, mix: number, seed: number): { src: Int32Array; dst: Int32Array } {
  const next = prng(seed);
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const mixCut = Math.floor(mix * 2 ** 32);
  for (let i = 0; i < m; i++) {
    const s = i > 0 && (next() & 1) === 0 ? src[next() % i] : next() % n;
    src[i] = s;
    if (next() < mixCut) dst[i] = next() % n;
    else {
      const base = s - (s % block);
      dst[i] = base + (next() % Math.min(block, n - base));
    }
  }
  return { src, dst };
}

// ---------------------------------------------------------------- plain typed-array JS peers

function jsBuild(src: Int32Array, dst: Int32Array, n: number) {
  const m = src.length;
  const inOff = new Uint32Array(n + 1);
  const outDeg = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    inOff[dst[i] + 1]++;
    outDeg[src[i]]++;
  }
  for (let i = 0; i < n; i++) inOff[i + 1] += inOff[i];
  const cur = inOff.slice(0, n);
  const inAdj = new Uint32Array(m);
  for (let i = 0; i < m; i++) inAdj[cur[dst[i]]++] = src[i];
  return { inOff, inAdj, outDeg };
}

function jsPagerank(g: ReturnType<typeof jsBuild>, n: number, iterations: number): Float64Array {
  let x = new Float64Array(n).fill(1 / n);
  let xn = new Float64Array(n);
  const y = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let dangling = 0;
    for (let u = 0; u < n; u++) {
      if (g.outDeg[u] > 0) y[u] = x[u] / g.outDeg[u];
      else {
        y[u] = 0;
        dangling += x[u];
      }
    }
    const base = (0.85 * dangling + 0.15) / n;
    for (let v = 0; v < n; v++) {
      let s = 0;
      for (let q = g.inOff[v], e = g.inOff[v + 1]; q < e; q++) s += y[g.inAdj[q]];
      xn[v] = 0.85 * s + base;
    }
    [x, xn] = [xn, x];
  }
  return x;
}

function jsComponents(src: Int32Array, dst: Int32Array, n: number): number {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < src.length; i++) {
    const a = find(src[i]);
    const b = find(dst[i]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  let c = 0;
  for (let i = 0; i < n; i++) if (find(i) === i) c++;
  return c;
}

// ---------------------------------------------------------------- helpers

const now = () => performance.now();
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const millions = (x: number) => `${(x / 1e6).toFixed(x >= 1e7 ? 0 : 1)}M`;

function graphologyFrom(src: Int32Array, dst: Int32Array, n: number, type: 'directed' | 'undirected'): InstanceType<typeof GraphologyGraph> {
  const g = new GraphologyGraph({ type, multi: true, allowSelfLoops: true });
  for (let i = 0; i < n; i++) g.addNode(i);
  for (let i = 0; i < src.length; i++) g.addEdge(src[i], dst[i]);
  return g;
}

async function warmUp(): Promise<void> {
  // V8 compiles wasm with its baseline tier first and optimises hot functions on later calls.
  for (let r = 0; r < 3; r++) {
    const { src, dst } = powerLaw(50_000, 500_000, 99 + r);
    using g = await Graph.fromEdges({ src, dst, directed: true });
    pagerankDetailed(g, { iterations: 20 });
    weaklyConnectedComponents(g);
    using u = await Graph.fromEdges({ src, dst });
    louvain(u);
  }
}

const cases: BenchCase[] = [];

// ---------------------------------------------------------------- 1M nodes / 10M edges

async function mediumCases(): Promise<void> {
  const n = 1_000_000;
  const m = 10_000_000;
  let t = now();
  const { src, dst } = powerLaw(n, m, 1);
  console.log(`\npower-law graph: ${millions(n)} node ids, ${millions(m)} directed edges (generated in ${fmt(now() - t)})`);

  gc();
  t = now();
  const g = await Graph.fromEdges({ src, dst, directed: true });
  const buildMs = now() - t;
  t = now();
  const pr = pagerankDetailed(g, { iterations: 20 });
  const prMs = now() - t;
  t = now();
  const wcc = weaklyConnectedComponents(g);
  const wccMs = now() - t;
  t = now();
  const conv = pagerankDetailed(g);
  const convMs = now() - t;
  console.log(`  weir: build ${fmt(buildMs)} (${g.nodeCount} nodes, ${(g.memoryBytes / 2 ** 20).toFixed(0)} MiB wasm), PageRank x20 ${fmt(prMs)}, WCC ${fmt(wccMs)} (${wcc.count} components)`);
  console.log(`        PageRank to convergence (L1 < 1e-12): ${conv.iterations} iterations in ${fmt(convMs)}`);

  gc();
  t = now();
  const jg = jsBuild(src, dst, n);
  const jsBuildMs = now() - t;
  t = now();
  const jpr = jsPagerank(jg, n, 20);
  const jsPrMs = now() - t;
  t = now();
  const jc = jsComponents(src, dst, n);
  const jsWccMs = now() - t;
  // the JS peer numbers ids 0..n-1 while weir's graph has only the ids that occur
  const missing = n - g.nodeCount;
  console.log(`  plain JS: build ${fmt(jsBuildMs)}, PageRank x20 ${fmt(jsPrMs)}, WCC ${fmt(jsWccMs)} (${jc - missing} components over the ids present)`);
  if (jc - missing !== wcc.count) console.log(`  !! component counts differ: weir ${wcc.count}, JS ${jc - missing}`);
  if (missing === 0) {
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(pr.scores[i] - jpr[i]));
    console.log(`  check: max |weir - JS| PageRank difference ${d.toExponential(1)}`);
  } else {
    console.log(`  (${missing} ids never used, so the JS peer (ids 0..n-1) and weir (${g.nodeCount} nodes) are not compared entrywise)`);
  }
  g.dispose();

  gc();
  let grBuildMs: number | null = null;
  let grPrMs: number | null = null;
  let grWccMs: number | null = null;
  const grNotes: string[] = [];
  try {
    t = now();
    const gg = graphologyFrom(src, dst, n, 'directed');
    grBuildMs = now() - t;
    t = now();
    try {
      graphologyPagerank(gg, { maxIterations: 20, tolerance: 0, getEdgeWeight: null });
    } catch (e) {
      // with tolerance 0 it runs exactly maxIterations, then reports non-convergence
      if (!String(e).includes('failed to converge')) throw e;
    }
    grPrMs = now() - t;
    t = now();
    graphologyComponents(gg);
    grWccMs = now() - t;
    console.log(`  graphology: build ${fmt(grBuildMs)}, PageRank x20 ${fmt(grPrMs)}, connected components ${fmt(grWccMs)}`);
  } catch (e) {
    grNotes.push(`graphology failed: ${String(e).slice(0, 120)}`);
    console.log(`  graphology failed: ${String(e)}`);
  }
  gc();

  cases.push({
    case: 'build CSR, 10M edges (1M nodes)', unit: 'ms', weir: buildMs,
    peers: { graphology: grBuildMs, 'plain JS': jsBuildMs }, goal: 1000,
    notes: ['weir maps ids (labels) to nodes and builds forward + reverse CSR with sorted rows; plain JS builds only an in-edge CSR over ids 0..n-1; graphology adds nodes and edges to a multi DirectedGraph', ...grNotes],
  });
  cases.push({
    case: 'PageRank 20 iterations, 1M nodes / 10M edges', unit: 'ms', weir: prMs,
    peers: { graphology: grPrMs, 'plain JS': jsPrMs }, goal: 1000,
    goalText: '≤ 1 s and ≥ 50x graphology',
    met: prMs <= 1000 && grPrMs !== null && grPrMs / prMs >= 50,
    notes: [
      `default (to convergence, L1 < 1e-12): ${conv.iterations} iterations in ${fmt(convMs)}`,
      'weir\'s time is the whole pagerankDetailed call: out-weights, renumbering the in-edge CSR by out-degree (done per call, for graphs of 2^18+ nodes), the iterations, and the scores copied out in node order',
      'graphology-metrics pagerank builds its neighbourhood index on every call; that is included',
    ],
  });
  cases.push({
    case: 'weakly connected components, 1M nodes / 10M edges', unit: 'ms', weir: wccMs,
    peers: { graphology: grWccMs, 'plain JS': jsWccMs }, goal: 300,
  });
}

// ---------------------------------------------------------------- Louvain

async function louvainCase(): Promise<void> {
  const n = 100_000;
  const m = 1_000_000;
  const { src, dst } = communityGraph(n, m, 100, 0.3, 7);
  console.log(`\ncommunity graph: ${millions(n)} node ids, ${millions(m)} undirected edges, blocks of 100, 30% of edges across blocks`);
  gc();
  using g = await Graph.fromEdges({ src, dst });
  let t = now();
  const r = louvain(g);
  const ms = now() - t;
  console.log(`  weir Louvain: ${fmt(ms)}, ${r.count} communities, modularity ${r.modularity.toFixed(4)} (${r.levels} levels)`);
  let grMs: number | null = null;
  let grQ: number | null = null;
  let grGraph: InstanceType<typeof GraphologyGraph> | null = null;
  try {
    const gg = new GraphologyGraph({ type: 'undirected' });
    for (let i = 0; i < g.nodeCount; i++) gg.addNode((g.nodeIds as Float64Array)[i]);
    for (let i = 0; i < m; i++) if (src[i] !== dst[i]) gg.mergeEdge(src[i], dst[i]);
    grGraph = gg;
    gc();
    t = now();
    const d = graphologyLouvain.detailed(gg, { rng: prngUnit(3) });
    grMs = now() - t;
    // score graphology's partition with weir's modularity (Newman's) to compare like with like
    const labels = Int32Array.from({ length: g.nodeCount }, (_, i) => d.communities[String((g.nodeIds as Float64Array)[i])]);
    grQ = modularity(g, labels);
    console.log(`  graphology Louvain: ${fmt(grMs)}, ${d.count} communities, modularity ${grQ.toFixed(4)} (its own figure ${d.modularity.toFixed(4)})`);
  } catch (e) {
    console.log(`  graphology failed: ${String(e)}`);
  }
  // Both sides are greedy heuristics whose result depends on the visiting order; how far Q moves
  // between orders shows how much a difference in the comparison above means.
  const spread = grGraph ? seedSpread(g, grGraph) : 'modularity over visiting orders: graphology could not run';
  console.log(`  ${spread}`);
  cases.push({
    case: 'Louvain, 100k nodes / 1M edges', unit: 'ms', weir: ms, peers: { graphology: grMs }, goal: grMs === null ? 0 : grMs / 10,
    goalText: '≥ 10x graphology, modularity ≥ graphology\'s',
    met: grMs !== null && grQ !== null && grMs / ms >= 10 && r.modularity >= grQ - 1e-9,
    notes: [
      `modularity: weir ${r.modularity.toFixed(4)}, graphology ${grQ === null ? '—' : grQ.toFixed(4)} (Newman's Q of each partition on the same simple graph)`,
      'weir\'s time is the first louvain call on a fresh graph, so it includes building the undirected simple view (kept for later calls)',
      spread,
    ],
  });
}

/** Modularity over visiting orders: graphology with rng seeds 1-5, weir with `seed` 1-5 (min / median / max). */
function seedSpread(g: Graph, gg: InstanceType<typeof GraphologyGraph>): string {
  const seeds = [1, 2, 3, 4, 5];
  const theirs = seeds.map((seed) => graphologyLouvain.detailed(gg, { rng: prngUnit(seed) }).modularity);
  const ours = seeds.map((seed) => louvain(g, { seed }).modularity);
  const summary = (q: number[]) => {
    const sorted = [...q].sort((a, b) => a - b);
    return `${sorted[0]!.toFixed(6)} / ${sorted[2]!.toFixed(6)} / ${sorted[4]!.toFixed(6)}`;
  };
  return `modularity over visiting orders (min / median / max of seeds 1-5): graphology ${summary(theirs)}, weir (seed option) ${summary(ours)}`;
}

function prngUnit(seed: number): () => number {
  const next = prng(seed);
  return () => next() / 2 ** 32;
}

// ---------------------------------------------------------------- 10M nodes / 100M edges

async function bigCase(): Promise<void> {
  const n = 10_000_000;
  const m = 100_000_000;
  let t = now();
  const { src, dst } = powerLaw(n, m, 11);
  console.log(`\nseed scale: ${millions(n)} node ids, ${millions(m)} directed edges (generated in ${fmt(now() - t)})`);
  gc();
  t = now();
  const g = await Graph.fromEdges({ src, dst, directed: true });
  const buildMs = now() - t;
  t = now();
  pagerankDetailed(g, { iterations: 20 });
  const prMs = now() - t;
  t = now();
  const wcc = weaklyConnectedComponents(g);
  const wccMs = now() - t;
  const total = buildMs + prMs + wccMs;
  const wasm = g.memoryBytes;
  console.log(`  weir: build ${fmt(buildMs)}, PageRank x20 ${fmt(prMs)}, WCC ${fmt(wccMs)} (${wcc.count} components): ${fmt(total)} total`);
  console.log(`        ${g.nodeCount} nodes; wasm memory ${(wasm / 2 ** 30).toFixed(2)} GiB (build peak ${(g.arena.peak / 2 ** 30).toFixed(2)} GiB live)`);
  g.dispose();

  // graphology keeps its edges in a JS Map; V8 Maps hold at most 2^24 entries.
  const map = new Map<number, number>();
  let limit = 0;
  let why = '';
  try {
    for (let i = 0; i < m; i++) {
      map.set(i, i);
      limit = i + 1;
    }
  } catch (e) {
    why = String(e);
  }
  map.clear();
  console.log(`  graphology: cannot load it — its edge store is a Map, and a V8 Map takes ${limit.toLocaleString('en')} entries, then: ${why}`);
  cases.push({
    case: 'build + PageRank (20 it.) + WCC, 10M nodes / 100M edges', unit: 'ms', weir: total, peers: { graphology: null }, goal: 60_000,
    notes: [`build ${fmt(buildMs)}, PageRank ${fmt(prMs)}, WCC ${fmt(wccMs)}`, `graphology cannot hold 100M edges: a V8 Map stops at ${limit.toLocaleString('en')} entries (${why})`],
  });
  cases.push({
    case: 'wasm memory, 10M nodes / 100M edges', unit: 'bytes', weir: wasm, peers: { graphology: null }, goal: 4 * 2 ** 30 - 1,
    goalText: '< 4 GiB',
    notes: ['the whole instance (memory.buffer.byteLength) after build, PageRank and WCC'],
  });
}

// ---------------------------------------------------------------- main

console.log(`bench graph: ${machine()}; node ${process.version}`);
await warmUp();
if (!onlyBig) {
  await mediumCases();
  await louvainCase();
}
if (!noBig) await bigCase();
const results = { machine: machine(), node: process.version, date: new Date().toISOString(), cases };
console.log(`\n${formatTable(results, 'graph')}\n`);
if (!noBig && !onlyBig) console.log(`wrote ${writeResults('graph', cases)}`);
else console.log('not writing bench/results/graph.json: partial run (--no-big / --only-big)');
