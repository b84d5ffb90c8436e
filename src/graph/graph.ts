/**
 * Graph: a CSR (compressed sparse row) graph in its own wasm instance.
 *
 * Node ids are labels, not array indices: the nodes of a graph are exactly the ids that appear in
 * its edges plus those listed in `nodes`, so edges 5 -> 1000000 make a graph of two nodes. Each
 * node gets an index 0..n-1 — ascending id order for integer ids, order of first appearance
 * (`nodes`, then each edge's src before its dst) for string ids — and every per-node result is a
 * typed array in that order, with `graph.nodeIds[i]` the caller's id of entry i.
 *
 * Building is O(V + E) by counting sort (no comparison sort of edges): rows come out sorted by
 * neighbour, duplicate edges adjacent in input order, so `duplicates` and `selfLoops` are applied
 * in one pass. Directed graphs also keep the reverse CSR. Memory is planned first: a graph that
 * would not fit in 4 GiB of wasm memory (or `memoryLimit`) is refused with E_MEMORY and the bytes
 * it needs, before any edge array is allocated.
 */
import { WeirError } from '../runtime/errors.js';
import { MAX_WASM_BYTES, type Kernel } from '../runtime/kernel.js';
import { Arena, formatBytes } from './arena.js';
import { toIdColumn, toWeights, type IdColumn, type IdColumnInput, type IntChunk, type StrChunk, type WeightColumnInput } from './columns.js';
import { createGraphKernel, type GraphExports } from './kernel.js';
import { planGraph } from './plan.js';

/** How parallel edges (same endpoints; for undirected graphs in either order) are treated. */
export type DuplicatePolicy = 'keep' | 'sum' | 'min' | 'max' | 'first' | 'last';

export interface GraphOptions {
  /** Source id of each edge. */
  src: IdColumnInput;
  /** Target id of each edge (same length and id kind as `src`). */
  dst: IdColumnInput;
  /** Edge weights, finite numbers (same length); absent: every edge weighs 1. */
  weight?: WeightColumnInput;
  /** Directed edges (keeps a reverse CSR too). Default false. */
  directed?: boolean;
  /** Extra node ids, e.g. isolated nodes; ids already in the edges are fine. */
  nodes?: IdColumnInput;
  /**
   * 'keep' (default): parallel edges stay, as in igraph (they count as weight in PageRank and as
   * distinct paths in BFS-based betweenness). Otherwise they merge into one edge whose weight is
   * the sum / min / max / first / last of theirs (input order). 'sum' on an unweighted graph makes
   * it weighted, each edge weighing its multiplicity.
   */
  duplicates?: DuplicatePolicy;
  /** 'keep' (default) or 'drop' self loops u -> u. */
  selfLoops?: 'keep' | 'drop';
  /** Most bytes of wasm memory the graph may use. Default and maximum 4 GiB. */
  memoryLimit?: number;
}

export const GRAPH_DEFAULTS = Object.freeze({
  directed: false as boolean,
  duplicates: 'keep' as DuplicatePolicy,
  selfLoops: 'keep' as 'keep' | 'drop',
  memoryLimit: MAX_WASM_BYTES as number,
});

const COMBINE: Record<DuplicatePolicy, number> = { keep: 0, sum: 1, min: 2, max: 3, first: 4, last: 5 };

/** One CSR in wasm memory: offsets u32[n + 1], neighbours u32[m], weights f64[m] or 0. */
export interface Csr {
  off: number;
  adj: number;
  w: number;
  m: number;
}

/** Node ids in index order: numbers (ascending) or strings (first appearance). */
export type NodeIds = Float64Array | readonly string[];

/** Anything that names nodes: one id, or a column of ids. */
export type NodeRef = number | string | IdColumnInput;

const CHUNK = 1 << 20;

export class Graph {
  readonly directed: boolean;
  /** True when edges carry weights (given, or made by duplicates: 'sum'). */
  readonly weighted: boolean;
  readonly nodeCount: number;
  /** Edges kept after `duplicates` and `selfLoops` (an undirected edge counts once). */
  readonly edgeCount: number;
  /** Self loops kept. */
  readonly selfLoopCount: number;
  /** True when some pair of nodes has more than one edge. */
  readonly hasParallelEdges: boolean;
  /** True when some weight is negative (PageRank and Louvain refuse such graphs). */
  readonly hasNegativeWeights: boolean;

  /** @internal */ readonly kernel: Kernel<GraphExports>;
  /** @internal */ readonly arena: Arena;
  /** @internal out-edges (undirected: the symmetric adjacency) */ readonly out: Csr;
  /** @internal in-edges of a directed graph, null when undirected */ readonly in: Csr | null;
  private simpleCsr: Csr | null = null;
  private inSorted: boolean;
  private ids: NodeIds | null;
  private readonly stringIndex: Map<string, number> | null;
  private disposed = false;

  /** @internal use Graph.fromEdges */
  constructor(init: {
    kernel: Kernel<GraphExports>; arena: Arena; directed: boolean; weighted: boolean; n: number;
    out: Csr; in: Csr | null; ids: NodeIds | null; stringIndex: Map<string, number> | null;
    loops: number; parallel: boolean; negative: boolean; inSorted: boolean;
  }) {
    this.kernel = init.kernel;
    this.arena = init.arena;
    this.directed = init.directed;
    this.weighted = init.weighted;
    this.nodeCount = init.n;
    this.out = init.out;
    this.in = init.in;
    this.ids = init.ids;
    this.stringIndex = init.stringIndex;
    this.selfLoopCount = init.loops;
    this.hasParallelEdges = init.parallel;
    this.hasNegativeWeights = init.negative;
    this.inSorted = init.inSorted;
    this.edgeCount = init.directed ? init.out.m : (init.out.m + init.loops) / 2;
  }

  /**
   * Builds a graph from edge columns. O(V + E) time; wasm memory as `planGraph` says.
   *
   * @example
   * const g = await Graph.fromEdges({ src: Int32Array.of(1, 2, 3), dst: Int32Array.of(2, 3, 1), directed: true });
   * g.nodeCount // 3
   */
  static async fromEdges(options: GraphOptions): Promise<Graph> {
    const o = resolveOptions(options);
    const src = toIdColumn(options.src, 'src');
    const dst = toIdColumn(options.dst, 'dst');
    if (src.length !== dst.length) throw new WeirError('E_LENGTH', `weir/graph: src has ${src.length} ids but dst has ${dst.length}`);
    if (src.kind !== dst.kind) throw new WeirError('E_ARG', `weir/graph: src holds ${src.kind} ids but dst holds ${dst.kind} ids`);
    const extra = options.nodes === undefined ? null : toIdColumn(options.nodes, 'nodes');
    if (extra && extra.length > 0 && src.length > 0 && extra.kind !== src.kind) {
      throw new WeirError('E_ARG', `weir/graph: nodes holds ${extra.kind} ids but the edges hold ${src.kind} ids`);
    }
    const weights = options.weight === undefined ? null : toWeights(options.weight, 'weight');
    if (weights && weights.length !== src.length) throw new WeirError('E_LENGTH', `weir/graph: weight has ${weights.length} values but src has ${src.length}`);
    const e = src.length;
    const weighted = weights !== null || o.duplicates === 'sum';
    const least = planGraph({ nodes: 0, edges: e, directed: o.directed, weighted });
    if (least.peak > o.memoryLimit) throw tooBig(least.peak, o.memoryLimit, `a graph of ${e} edges`);

    const kernel = await createGraphKernel();
    const arena = new Arena(kernel, o.memoryLimit);
    try {
      return build(kernel, arena, o, src, dst, extra, weights, weighted);
    } catch (err) {
      kernel.dispose();
      throw err;
    }
  }

  /** Caller ids in node-index order (for integer ids a Float64Array, else strings). */
  get nodeIds(): NodeIds {
    this.assertLive();
    if (!this.ids) this.ids = Float64Array.from({ length: this.nodeCount }, (_, i) => i);
    return this.ids;
  }

  /** The id of node index i. */
  idOf(index: number): number | string {
    return this.nodeIds[index];
  }

  /** The index of a node id, or -1 when the graph has no such node. O(log n) for integer ids. */
  indexOf(id: number | string): number {
    this.assertLive();
    if (this.stringIndex) return typeof id === 'string' ? (this.stringIndex.get(id) ?? -1) : -1;
    if (typeof id !== 'number' || !Number.isInteger(id)) return -1;
    if (!this.ids) return id >= 0 && id < this.nodeCount ? id : -1;
    const ids = this.ids as Float64Array;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Node indices of the given ids; E_GRAPH naming `name` and the position of the first id that
   * is not a node.
   */
  indicesOf(ref: NodeRef, name: string): Uint32Array {
    this.assertLive();
    const list: ArrayLike<unknown> =
      typeof ref === 'number' || typeof ref === 'string' ? [ref] : ArrayBuffer.isView(ref) || Array.isArray(ref) ? (ref as ArrayLike<unknown>) : idColumnValues(toIdColumn(ref, name));
    const out = new Uint32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = typeof list[i] === 'bigint' ? Number(list[i]) : list[i];
      const k = typeof v === 'number' || typeof v === 'string' ? this.indexOf(v) : -1;
      if (k < 0) throw new WeirError('E_GRAPH', `weir/graph: ${name}${list.length > 1 || typeof ref === 'object' ? `[${i}]` : ''} = ${String(v)} is not a node of this graph`);
      out[i] = k;
    }
    return out;
  }

  /** Bytes of wasm memory this graph's instance holds. */
  get memoryBytes(): number {
    return this.kernel.isDisposed ? 0 : this.arena.memoryBytes;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the graph's wasm memory (its whole instance). A second call does nothing. */
  dispose(): void {
    this.disposed = true;
    this.kernel.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** @internal E_STATE after dispose. */
  assertLive(): void {
    if (this.disposed) throw new WeirError('E_STATE', 'weir/graph: this graph was disposed');
  }

  /** @internal The in-edge CSR: the reverse CSR when directed, the graph itself otherwise. */
  get inEdges(): Csr {
    return this.in ?? this.out;
  }

  /**
   * @internal The in-edge CSR with rows sorted by source (parallel edges in input order). The
   * build leaves reverse rows in edge order when it merged nothing; the first call sorts them in
   * place, O(V + E), by transposing the forward CSR again.
   */
  sortedIn(): Csr {
    this.assertLive();
    const rin = this.in;
    if (!rin) return this.out;
    if (!this.inSorted) {
      const n = this.nodeCount;
      const k = this.kernel;
      this.arena.scoped((alloc) => {
        const cur = alloc(4 * n);
        k.view(Uint32Array, cur, n).set(k.view(Uint32Array, rin.off, n));
        k.exports.csrTranspose(n, this.out.off, this.out.adj, this.out.w, cur, rin.adj, rin.w);
      });
      this.inSorted = true;
    }
    return rin;
  }

  /**
   * @internal The undirected simple view (direction and parallel edges ignored, self loops
   * dropped; sorted rows) that k-core, triangles, clustering, label propagation and Louvain use —
   * what igraph's as_undirected(mode = "collapse") plus simplify() gives. Built once, on first use,
   * and kept until dispose; it is the graph itself when the graph is already simple and undirected.
   */
  simple(): Csr {
    this.assertLive();
    if (this.simpleCsr) return this.simpleCsr;
    if (!this.directed && this.selfLoopCount === 0 && !this.hasParallelEdges) {
      this.simpleCsr = { off: this.out.off, adj: this.out.adj, w: 0, m: this.out.m };
      return this.simpleCsr;
    }
    const n = this.nodeCount;
    const x = this.kernel.exports;
    if (!this.directed) {
      // one pass into room for every entry (+1, see csrSimpleUndirected), then the rest given back
      this.arena.ensure(4 * (n + 1) + 4 * (this.out.m + 1), 'the undirected simple view');
      const off = this.arena.alloc(4 * (n + 1));
      const adj = this.arena.alloc(4 * (this.out.m + 1));
      const m = x.csrSimpleUndirected(n, this.out.off, this.out.adj, off, adj);
      this.arena.shrink(adj, 4 * (m + 1));
      this.simpleCsr = { off, adj, w: 0, m };
      return this.simpleCsr;
    }
    const rin = this.in ? this.sortedIn() : null;
    const upper = this.out.m + (rin ? rin.m : 0);
    this.arena.ensure(4 * (2 * n + 1) + 4 * upper, 'the undirected simple view');
    const off = this.arena.alloc(4 * (n + 1));
    const deg = this.arena.alloc(4 * n);
    try {
      x.csrSimpleView(n, this.out.off, this.out.adj, rin ? rin.off : 0, rin ? rin.adj : 0, deg, 0, 0);
      const m = x.csrOffsets(deg, n, off);
      const adj = this.arena.alloc(4 * m);
      x.csrSimpleView(n, this.out.off, this.out.adj, rin ? rin.off : 0, rin ? rin.adj : 0, deg, off, adj);
      this.simpleCsr = { off, adj, w: 0, m };
      return this.simpleCsr;
    } catch (err) {
      this.arena.release(off);
      throw err;
    } finally {
      this.arena.release(deg);
    }
  }
}

function resolveOptions(options: GraphOptions) {
  if (typeof options !== 'object' || options === null) throw new WeirError('E_ARG', 'weir/graph: options must be an object with src and dst');
  const directed = options.directed ?? GRAPH_DEFAULTS.directed;
  if (typeof directed !== 'boolean') throw new WeirError('E_ARG', `weir/graph: directed must be a boolean, got ${String(directed)}`);
  const duplicates = options.duplicates ?? GRAPH_DEFAULTS.duplicates;
  if (!(duplicates in COMBINE)) throw new WeirError('E_ARG', `weir/graph: duplicates must be one of ${Object.keys(COMBINE).join(', ')}; got ${String(duplicates)}`);
  const selfLoops = options.selfLoops ?? GRAPH_DEFAULTS.selfLoops;
  if (selfLoops !== 'keep' && selfLoops !== 'drop') throw new WeirError('E_ARG', `weir/graph: selfLoops must be 'keep' or 'drop'; got ${String(selfLoops)}`);
  const memoryLimit = options.memoryLimit ?? GRAPH_DEFAULTS.memoryLimit;
  if (typeof memoryLimit !== 'number' || !(memoryLimit > 0) || memoryLimit > MAX_WASM_BYTES) {
    throw new WeirError('E_ARG', `weir/graph: memoryLimit must be a number of bytes in (0, ${MAX_WASM_BYTES}]; got ${String(memoryLimit)}`);
  }
  return { directed, duplicates, selfLoops, memoryLimit };
}

function tooBig(bytes: number, limit: number, what: string): WeirError {
  return new WeirError(
    'E_MEMORY',
    `weir/graph: ${what} needs ${formatBytes(bytes)} of wasm memory to build, over the limit of ${formatBytes(limit)}` +
      (limit >= MAX_WASM_BYTES ? ' (a wasm32 module can address at most 4 GiB)' : ''),
  );
}

function idColumnValues(col: IdColumn): unknown[] {
  const out: unknown[] = [];
  if (col.kind === 'int') for (const c of col.chunks) for (let i = 0; i < c.length; i++) out.push(c[i]);
  else for (const c of col.chunks) for (let i = 0; i < c.length; i++) out.push(strAt(c, i));
  return out;
}

function strAt(c: StrChunk, i: number): unknown {
  if ('get' in c) return c.get(i);
  if (c.nulls && !c.nulls.getValid(i)) return null;
  return c.dict.get(c.codes[i]);
}

function suffix(c: IntChunk): 'I32' | 'U32' | 'F64' {
  return c instanceof Int32Array ? 'I32' : c instanceof Uint32Array ? 'U32' : 'F64';
}

/**
 * Calls fn for each piece (at most CHUNK ids) of the columns with a wasm pointer to its ids: in
 * place when the column is resident (already copied whole into wasm at that address), else
 * copied into buf first.
 */
function eachPiece(
  k: Kernel<GraphExports>, buf: number, cols: IdColumn[], resident: Map<IdColumn, number>,
  fn: (ptr: number, col: IdColumn, at: number, len: number, type: 'I32' | 'U32' | 'F64', chunk: IntChunk, start: number) => void,
): void {
  for (const col of cols) {
    if (col.kind !== 'int') continue;
    const base = resident.get(col);
    let at = 0;
    for (const chunk of col.chunks) {
      for (let start = 0; start < chunk.length; start += CHUNK) {
        const len = Math.min(chunk.length, start + CHUNK) - start;
        let ptr = buf;
        if (base === undefined) k.write(buf, chunk.subarray(start, start + len));
        else ptr = base + 4 * (at + start);
        fn(ptr, col, at + start, len, suffix(chunk), chunk, start);
      }
      at += chunk.length;
    }
  }
}

interface Mapped {
  n: number;
  ids: NodeIds | null;
  stringIndex: Map<string, number> | null;
  esrc: number;
  edst: number;
  /** Directed graphs: out- and in-degrees (u32[n]), counted while mapping; 0 otherwise. */
  outDeg: number;
  inDeg: number;
}

function build(
  k: Kernel<GraphExports>, arena: Arena, o: ReturnType<typeof resolveOptions>,
  src: IdColumn, dst: IdColumn, extra: IdColumn | null, weights: Float64Array | null, weighted: boolean,
): Graph {
  const x = k.exports;
  const e = src.length;
  const mapped = src.kind === 'int' && (!extra || extra.kind === 'int' || extra.length === 0)
    ? mapIntIds(k, arena, o, src, dst, extra, weighted)
    : mapStringIds(k, arena, o, src, dst, extra, weighted);
  const n = mapped.n;
  const { esrc, edst } = mapped;
  let ew = 0;
  if (weighted) {
    ew = arena.alloc(8 * e, 'the edge weights');
    if (weights) k.write(ew, weights);
    else k.view(Float64Array, ew, e).fill(1);
  }
  const combine = COMBINE[o.duplicates];
  const dropLoops = o.selfLoops === 'drop' ? 1 : 0;
  const wb = weighted ? 8 : 0;
  const cur = arena.alloc(4 * n);
  const deg = arena.alloc(4 * n);
  let out: Csr;
  let rin: Csr | null = null;
  let inSorted = true;
  try {
    if (o.directed) {
      // 1. scatter edges into rows keyed by target (the reverse CSR, rows in edge order)
      const inOff = arena.alloc(4 * (n + 1));
      x.csrOffsets(mapped.inDeg, n, inOff);
      const tmp = arena.alloc(4 * e);
      const tmpW = weighted ? arena.alloc(wb * e) : 0;
      k.view(Uint32Array, cur, n).set(k.view(Uint32Array, inOff, n));
      x.csrScatter(edst, esrc, ew, e, cur, tmp, tmpW);
      arena.release(esrc);
      arena.release(edst);
      if (ew) arena.release(ew);
      // 2. gather into the forward CSR, rows sorted by target
      const outOff = arena.alloc(4 * (n + 1));
      x.csrOffsets(mapped.outDeg, n, outOff);
      const adj = arena.alloc(4 * e);
      const adjW = weighted ? arena.alloc(wb * e) : 0;
      k.view(Uint32Array, cur, n).set(k.view(Uint32Array, outOff, n));
      x.csrTranspose(n, inOff, tmp, tmpW, cur, adj, adjW);
      // 3. merge duplicates / drop loops; then the reverse CSR is rebuilt (sorted) in place of
      // tmp. Without them tmp already is the reverse CSR, its rows in edge order: they are
      // sorted later, only if an algorithm needs that (Graph.sortedIn).
      let m = e;
      inSorted = false;
      if (combine || dropLoops) {
        m = x.csrCompact(n, outOff, adj, adjW, dropLoops, combine);
        k.view(Uint32Array, deg, n).fill(0);
        x.csrCount(adj, m, deg);
        x.csrOffsets(deg, n, inOff);
        k.view(Uint32Array, cur, n).set(k.view(Uint32Array, inOff, n));
        x.csrTranspose(n, outOff, adj, adjW, cur, tmp, tmpW);
        inSorted = true;
      }
      out = { off: outOff, adj, w: adjW, m };
      rin = { off: inOff, adj: tmp, w: tmpW, m };
    } else {
      k.view(Uint32Array, deg, n).fill(0);
      x.csrCountUndirected(esrc, edst, e, deg);
      const off = arena.alloc(4 * (n + 1));
      const total = x.csrOffsets(deg, n, off);
      const tmp = arena.alloc(4 * total);
      const tmpW = weighted ? arena.alloc(wb * total) : 0;
      k.view(Uint32Array, cur, n).set(k.view(Uint32Array, off, n));
      x.csrScatterUndirected(esrc, edst, ew, e, cur, tmp, tmpW);
      arena.release(esrc);
      arena.release(edst);
      if (ew) arena.release(ew);
      const adj = arena.alloc(4 * total);
      const adjW = weighted ? arena.alloc(wb * total) : 0;
      k.view(Uint32Array, cur, n).set(k.view(Uint32Array, off, n));
      x.csrTranspose(n, off, tmp, tmpW, cur, adj, adjW);
      arena.release(tmp);
      if (tmpW) arena.release(tmpW);
      const m = combine || dropLoops ? x.csrCompact(n, off, adj, adjW, dropLoops, combine) : total;
      out = { off, adj, w: adjW, m };
    }
  } finally {
    arena.release(cur);
    arena.release(deg);
    arena.release(mapped.outDeg);
    arena.release(mapped.inDeg);
  }
  const shape = x.csrShape(n, out.off, out.adj);
  const loops = Math.floor(shape / 4);
  let negative = false;
  if (weights) for (let i = 0; i < weights.length && !negative; i++) negative = weights[i] < 0;
  return new Graph({
    kernel: k, arena, directed: o.directed, weighted, n, out, in: rin,
    ids: mapped.ids, stringIndex: mapped.stringIndex, loops, parallel: ((shape % 4) & 2) !== 0, negative, inSorted,
  });
}

/** Refuses (E_MEMORY) a build whose plan, plus `held` bytes alive beside it, does not fit. */
function checkPlan(arena: Arena, o: ReturnType<typeof resolveOptions>, n: number, e: number, weighted: boolean, held: number): void {
  const need = planGraph({ nodes: n, edges: e, directed: o.directed, weighted }).peak + held;
  if (need > arena.available) throw tooBig(arena.used + need, o.memoryLimit, `a graph of ${n} nodes and ${e} edges`);
}

/** Integer ids: validate, collect the distinct ids in ascending order, map edges to indices. */
function mapIntIds(
  k: Kernel<GraphExports>, arena: Arena, o: ReturnType<typeof resolveOptions>,
  src: IdColumn, dst: IdColumn, extra: IdColumn | null, weighted: boolean,
): Mapped {
  const x = k.exports;
  const e = src.length;
  const cols = extra ? [src, dst, extra] : [src, dst];
  const total = cols.reduce((s, c) => s + c.length, 0);
  // 4-byte integer ids are copied once, straight into the edge arrays, and mapped there in place
  const resident = new Map<IdColumn, number>();
  let esrc = 0;
  let edst = 0;
  if ([src, dst].every((c) => c.kind === 'int' && c.chunks.every((ch) => ch instanceof Int32Array || ch instanceof Uint32Array))) {
    esrc = arena.alloc(4 * e, 'the edge list');
    edst = arena.alloc(4 * e, 'the edge list');
    for (const [col, base] of [[src, esrc], [dst, edst]] as const) {
      let at = 0;
      for (const chunk of col.chunks as IntChunk[]) {
        k.write(base + 4 * at, chunk);
        at += chunk.length;
      }
      resident.set(col, base);
    }
  }
  const buf = arena.alloc(8 * Math.min(CHUNK, Math.max(1, total)));
  const pieces = (list: IdColumn[], fn: Parameters<typeof eachPiece>[4]) => eachPiece(k, buf, list, resident, fn);
  const mm = arena.alloc(16);
  try {
    const f = k.view(Float64Array, mm, 2);
    f[0] = Infinity;
    f[1] = -Infinity;
    pieces(cols, (ptr, col, at, len, type, chunk, start) => {
      const bad = x[`idsScan${type}`](ptr, len, mm);
      if (bad >= 0) {
        throw new WeirError('E_GRAPH', `weir/graph: ${col.name}[${at + bad}] = ${chunk[start + bad]} is not a safe integer id (|id| <= 2^53 - 1)`);
      }
    });
    const [lo, hi] = k.view(Float64Array, mm, 2);
    if (total === 0) {
      checkPlan(arena, o, 0, 0, weighted, 0);
      return { n: 0, ids: new Float64Array(0), stringIndex: null, esrc: esrc || arena.alloc(0), edst: edst || arena.alloc(0), outDeg: 0, inDeg: 0 };
    }
    const range = hi - lo + 1;
    // maps both columns into the edge arrays (in place when resident), counting directed degrees
    const mapEdges = (n: number, map: (ptr: number, len: number, type: 'I32' | 'U32' | 'F64', out: number, deg: number) => void) => {
      const outDeg = o.directed ? arena.calloc(4 * n) : 0;
      const inDeg = o.directed ? arena.calloc(4 * n) : 0;
      if (!esrc) {
        esrc = arena.alloc(4 * e, 'the edge list');
        edst = arena.alloc(4 * e, 'the edge list');
      }
      pieces([src], (ptr, _c, at, len, type) => map(ptr, len, type, esrc + 4 * at, outDeg));
      pieces([dst], (ptr, _c, at, len, type) => map(ptr, len, type, edst + 4 * at, inDeg));
      return { esrc, edst, outDeg, inDeg };
    };
    if (range <= 16 * total + (1 << 20) && range < 2 ** 32 - 64) {
      // direct: a presence bitmap over [lo, hi] with a rank prefix per 32-bit word (8 bytes per 32 ids)
      const words = Math.ceil(range / 32);
      checkPlan(arena, o, Math.min(range, total), e, weighted, 8 * words);
      const bits = arena.calloc(4 * words, 'the id bitmap');
      const prefix = arena.alloc(4 * words, 'the id bitmap');
      try {
        pieces(cols, (ptr, _c, _a, len, type) => x[`idsMark${type}`](ptr, len, lo, bits));
        const n = x.idsRankBits(bits, words, prefix);
        const identity = lo === 0 && n === range;
        let ids: Float64Array | null = null;
        if (!identity) {
          const idsPtr = arena.alloc(8 * n);
          x.idsListBits(bits, words, lo, idsPtr);
          ids = k.copyOut(Float64Array, idsPtr, n);
          arena.release(idsPtr);
        }
        checkPlan(arena, o, n, e, weighted, 0);
        // ids 0..n-1: the index is the id, so mapping is a conversion
        return { n, ids, stringIndex: null, ...mapEdges(n, (ptr, len, type, out, deg) => {
          if (identity) x[`idsIdentity${type}`](ptr, len, out, deg);
          else x[`idsMapDirect${type}`](ptr, len, lo, bits, prefix, out, deg);
        }) };
      } finally {
        arena.release(bits);
        arena.release(prefix);
      }
    }
    // sparse ids: open-addressing hash, grown by doubling
    let cap = 1 << 12;
    let keys = arena.alloc(8 * cap, 'the id hash');
    x.hashInit(keys, cap);
    const count = arena.calloc(8);
    try {
      pieces(cols, (ptr, _c, _a, len, type) => {
        let i = 0;
        while ((i = x[`hashInsert${type}`](ptr, i, len, keys, cap, Math.floor(cap * 0.7), count)) < len) {
          const n = k.view(Int32Array, count, 1)[0];
          const old = arena.alloc(8 * n);
          x.hashCollect(keys, cap, old);
          arena.release(keys);
          cap *= 2;
          keys = arena.alloc(8 * cap, 'the id hash');
          x.hashInit(keys, cap);
          k.view(Int32Array, count, 1)[0] = 0;
          x.hashInsertF64(old, 0, n, keys, cap, cap, count);
          arena.release(old);
        }
      });
      const n = k.view(Int32Array, count, 1)[0];
      const sortedPtr = arena.alloc(8 * n);
      x.hashCollect(keys, cap, sortedPtr);
      const ids = k.copyOut(Float64Array, sortedPtr, n).sort();
      k.write(sortedPtr, ids);
      const vals = arena.alloc(4 * cap, 'the id hash');
      x.hashRank(keys, vals, cap, sortedPtr, n);
      arena.release(sortedPtr);
      checkPlan(arena, o, n, e, weighted, 0);
      try {
        return { n, ids, stringIndex: null, ...mapEdges(n, (ptr, len, type, out, deg) => x[`idsMapHash${type}`](ptr, len, keys, vals, cap, out, deg)) };
      } finally {
        arena.release(vals);
      }
    } finally {
      arena.release(keys);
      arena.release(count);
    }
  } finally {
    arena.release(buf);
    arena.release(mm);
  }
}

/** String ids: a Map in first-appearance order (nodes, then src[i] before dst[i]). */
function mapStringIds(
  k: Kernel<GraphExports>, arena: Arena, o: ReturnType<typeof resolveOptions>,
  src: IdColumn, dst: IdColumn, extra: IdColumn | null, weighted: boolean,
): Mapped {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const intern = (v: unknown, name: string, i: number): number => {
    if (typeof v !== 'string') throw new WeirError('E_GRAPH', `weir/graph: ${name}[${i}] = ${String(v)} is not a string id`);
    let id = index.get(v);
    if (id === undefined) {
      id = ids.length;
      index.set(v, id);
      ids.push(v);
    }
    return id;
  };
  const reader = (col: IdColumn) => {
    if (col.kind !== 'string') throw new WeirError('E_ARG', `weir/graph: ${col.name} must hold string ids like the other columns`);
    let ci = 0;
    let base = 0;
    let memo: Int32Array | null = null;
    return (i: number): number => {
      while (i - base >= col.chunks[ci].length) {
        base += col.chunks[ci].length;
        ci++;
        memo = null;
      }
      const c = col.chunks[ci];
      const j = i - base;
      if ('get' in c) return intern(c.get(j), col.name, i);
      if (c.nulls && !c.nulls.getValid(j)) return intern(null, col.name, i);
      // dictionary codes: intern each dictionary entry once, on first use
      if (!memo) memo = new Int32Array(c.dict.length).fill(-1);
      const code = c.codes[j];
      if (memo[code] < 0) memo[code] = intern(c.dict.get(code), col.name, i);
      return memo[code];
    };
  };
  if (extra) {
    const r = reader(extra);
    for (let i = 0; i < extra.length; i++) r(i);
  }
  const e = src.length;
  const s = new Uint32Array(e);
  const d = new Uint32Array(e);
  const rs = reader(src);
  const rd = reader(dst);
  for (let i = 0; i < e; i++) {
    s[i] = rs(i);
    d[i] = rd(i);
  }
  checkPlan(arena, o, ids.length, e, weighted, 0);
  const esrc = arena.alloc(4 * e, 'the edge list');
  const edst = arena.alloc(4 * e, 'the edge list');
  k.write(esrc, s);
  k.write(edst, d);
  const n = ids.length;
  const outDeg = o.directed ? arena.calloc(4 * n) : 0;
  const inDeg = o.directed ? arena.calloc(4 * n) : 0;
  if (o.directed) {
    k.exports.csrCount(esrc, e, outDeg);
    k.exports.csrCount(edst, e, inDeg);
  }
  return { n, ids, stringIndex: index, esrc, edst, outDeg, inDeg };
}
