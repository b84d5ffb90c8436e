// Plain-TS oracles for the graph family: adjacency lists in Maps and arrays, the textbook
// algorithm, no cleverness. Nodes are numbered by ascending id (integer ids) exactly as weir does.

export interface RefEdges {
  src: number[];
  dst: number[];
  weight?: number[];
  directed: boolean;
  nodes?: number[];
  duplicates?: 'keep' | 'sum' | 'min' | 'max' | 'first' | 'last';
  selfLoops?: 'keep' | 'drop';
}

export interface RefGraph {
  n: number;
  ids: number[];
  directed: boolean;
  /** out[u] = list of [v, weight]; undirected: both directions, a self loop once. */
  out: [number, number][][];
  /** in[v] = list of [u, weight] (directed); same as out for undirected. */
  in: [number, number][][];
}

export function refGraph(e: RefEdges): RefGraph {
  const ids = [...new Set([...e.src, ...e.dst, ...(e.nodes ?? [])])].sort((a, b) => a - b);
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  // collect edges as (u, v, w) in input order, then apply the options on (u, v) pairs
  let list: [number, number, number][] = e.src.map((s, i) => [index.get(s)!, index.get(e.dst[i])!, e.weight ? e.weight[i] : 1]);
  if (e.selfLoops === 'drop') list = list.filter(([u, v]) => u !== v);
  const dup = e.duplicates ?? 'keep';
  if (dup !== 'keep') {
    const merged = new Map<string, [number, number, number]>();
    for (const [u, v, w] of list) {
      const key = e.directed ? `${u},${v}` : `${Math.min(u, v)},${Math.max(u, v)}`;
      const old = merged.get(key);
      if (!old) merged.set(key, [u, v, w]);
      else if (dup === 'sum') old[2] += w;
      else if (dup === 'min') old[2] = Math.min(old[2], w);
      else if (dup === 'max') old[2] = Math.max(old[2], w);
      else if (dup === 'last') old[2] = w;
    }
    list = [...merged.values()];
  }
  const out: [number, number][][] = Array.from({ length: n }, () => []);
  const inn: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [u, v, w] of list) {
    out[u].push([v, w]);
    if (e.directed) inn[v].push([u, w]);
    else if (u !== v) out[v].push([u, w]);
  }
  return { n, ids, directed: e.directed, out, in: e.directed ? inn : out };
}

/** Undirected simple view: neighbour sets without self. */
export function refSimple(g: RefGraph): Set<number>[] {
  const s = Array.from({ length: g.n }, () => new Set<number>());
  for (let u = 0; u < g.n; u++) {
    for (const [v] of g.out[u]) {
      if (u === v) continue;
      s[u].add(v);
      s[v].add(u);
    }
  }
  return s;
}

export function refBfs(g: RefGraph, sources: number[], maxDepth = Infinity, dir: 'out' | 'in' | 'both' = 'out'): number[] {
  const nb = (u: number): number[] => dir === 'both' ? [...refSimple(g)[u]] : (dir === 'in' ? g.in[u] : g.out[u]).map(([v]) => v);
  const dist = new Array(g.n).fill(-1);
  let frontier: number[] = [];
  for (const s of sources) if (dist[s] < 0) { dist[s] = 0; frontier.push(s); }
  for (let d = 0; frontier.length && d < maxDepth; d++) {
    const next: number[] = [];
    for (const u of frontier) for (const v of nb(u)) if (dist[v] < 0) { dist[v] = d + 1; next.push(v); }
    frontier = next;
  }
  return dist;
}

/** Component labels numbered by smallest member. */
function canonical(comp: number[]): number[] {
  const map = new Map<number, number>();
  return comp.map((c) => {
    if (!map.has(c)) map.set(c, map.size);
    return map.get(c)!;
  });
}

export function refWcc(g: RefGraph): number[] {
  const comp = new Array(g.n).fill(-1);
  const und = refSimple(g);
  for (let s = 0; s < g.n; s++) {
    if (comp[s] >= 0) continue;
    const stack = [s];
    comp[s] = s;
    while (stack.length) for (const v of und[stack.pop()!]) if (comp[v] < 0) { comp[v] = s; stack.push(v); }
  }
  return canonical(comp);
}

/** Two nodes share an SCC iff each reaches the other (quadratic, obviously right). */
export function refScc(g: RefGraph): number[] {
  const reach = Array.from({ length: g.n }, (_, s) => refBfs(g, [s]));
  const comp = new Array(g.n).fill(-1);
  for (let u = 0; u < g.n; u++) {
    if (comp[u] >= 0) continue;
    for (let v = u; v < g.n; v++) if (reach[u][v] >= 0 && reach[v][u] >= 0) comp[v] = u;
  }
  return canonical(comp);
}

/** NetworkX's pagerank_python loop, iterated to a tight tolerance. */
export function refPagerank(g: RefGraph, alpha = 0.85, personalization?: number[], iterations?: number, weighted = true): number[] {
  const n = g.n;
  if (n === 0) return [];
  const p = personalization ? personalization.map((x) => x / personalization.reduce((a, b) => a + b, 0)) : new Array(n).fill(1 / n);
  const outW = g.out.map((row) => row.reduce((s, [, w]) => s + (weighted ? w : 1), 0));
  let x = new Array(n).fill(1 / n);
  for (let it = 0; it < (iterations ?? 10000); it++) {
    const xl = x;
    x = new Array(n).fill(0);
    let dangle = 0;
    for (let u = 0; u < n; u++) if (!(outW[u] > 0)) dangle += alpha * xl[u];
    for (let u = 0; u < n; u++) {
      if (!(outW[u] > 0)) continue;
      for (const [v, w] of g.out[u]) x[v] += (alpha * xl[u] * (weighted ? w : 1)) / outW[u];
    }
    let err = 0;
    for (let v = 0; v < n; v++) {
      x[v] += dangle * p[v] + (1 - alpha) * p[v];
      err += Math.abs(x[v] - xl[v]);
    }
    if (iterations === undefined && err < 1e-14) break;
  }
  const s = x.reduce((a, b) => a + b, 0);
  return x.map((v) => v / s);
}

export function refDegree(g: RefGraph, mode: 'out' | 'in' | 'all', weighted = false): number[] {
  const sum = (row: [number, number][], u: number, loopsTwice: boolean) =>
    row.reduce((s, [v, w]) => s + (weighted ? w : 1) * (loopsTwice && v === u ? 2 : 1), 0);
  return Array.from({ length: g.n }, (_, u) => {
    if (!g.directed) return sum(g.out[u], u, true);
    const o = sum(g.out[u], u, false);
    const i = sum(g.in[u], u, false);
    return mode === 'out' ? o : mode === 'in' ? i : o + i;
  });
}

/** Core numbers by repeated peeling of the minimum-degree node. */
export function refCore(g: RefGraph): number[] {
  const nb = refSimple(g);
  const deg = nb.map((s) => s.size);
  const removed = new Array(g.n).fill(false);
  const core = new Array(g.n).fill(0);
  let k = 0;
  for (let step = 0; step < g.n; step++) {
    let best = -1;
    for (let u = 0; u < g.n; u++) if (!removed[u] && (best < 0 || deg[u] < deg[best])) best = u;
    k = Math.max(k, deg[best]);
    core[best] = k;
    removed[best] = true;
    for (const v of nb[best]) if (!removed[v]) deg[v]--;
  }
  return core;
}

export function refTriangles(g: RefGraph): number[] {
  const nb = refSimple(g);
  return nb.map((s, u) => {
    let t = 0;
    for (const v of s) for (const w of s) if (v < w && nb[v].has(w)) t++;
    return t;
  });
}

export function refClustering(g: RefGraph): number[] {
  const nb = refSimple(g);
  const t = refTriangles(g);
  return t.map((x, u) => (nb[u].size < 2 ? 0 : (2 * x) / (nb[u].size * (nb[u].size - 1))));
}
