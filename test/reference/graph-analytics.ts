// Plain-TS oracles for betweenness, link prediction, random walks and neighbour sampling.
import { refSimple, type RefGraph } from './graph.js';
import { refRng } from './graph-community.js';

/**
 * Betweenness by its definition: for every ordered pair (s, t), count shortest paths with BFS
 * path counts (parallel edges as distinct paths) and credit sigma_sv * sigma_vt / sigma_st to
 * every v strictly between. O(V^3); NetworkX normalisation.
 */
export function refBetweenness(g: RefGraph, normalized = true): number[] {
  const n = g.n;
  const dist: number[][] = [];
  const sigma: number[][] = [];
  for (let s = 0; s < n; s++) {
    const d = new Array(n).fill(-1);
    const c = new Array(n).fill(0);
    d[s] = 0;
    c[s] = 1;
    const queue = [s];
    for (let h = 0; h < queue.length; h++) {
      const u = queue[h];
      for (const [v] of g.out[u]) {
        if (d[v] < 0) { d[v] = d[u] + 1; queue.push(v); }
        if (d[v] === d[u] + 1) c[v] += c[u];
      }
    }
    dist.push(d);
    sigma.push(c);
  }
  const bc = new Array(n).fill(0);
  for (let s = 0; s < n; s++) for (let t = 0; t < n; t++) {
    if (s === t || dist[s][t] <= 0) continue;
    for (let v = 0; v < n; v++) {
      if (v === s || v === t || dist[s][v] <= 0 || dist[v][t] <= 0) continue;
      if (dist[s][v] + dist[v][t] === dist[s][t]) bc[v] += (sigma[s][v] * sigma[v][t]) / sigma[s][t];
    }
  }
  let scale = 1;
  if (normalized) scale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 1;
  else if (!g.directed) scale = 0.5;
  return bc.map((x) => x * scale);
}

export function refLinkScores(g: RefGraph, u: number, v: number): [number, number, number] {
  const nb = refSimple(g);
  const common = [...nb[u]].filter((w) => nb[v].has(w));
  const union = new Set([...nb[u], ...nb[v]]).size;
  return [common.length, union ? common.length / union : 0, common.reduce((s, w) => s + 1 / Math.log(nb[w].size), 0)];
}

/**
 * Walks drawing from the same PRNG stream as the kernel, over rows in weir's stored order:
 * ascending neighbour, parallel edges in input order (a stable sort).
 */
export function refWalks(g: RefGraph, starts: number[], walksPerNode: number, length: number, seed: number, weighted: boolean): number[][] {
  const rng = refRng(seed);
  const rows = g.out.map((row) => [...row].sort((a, b) => a[0] - b[0]));
  const walks: number[][] = [];
  for (let r = 0; r < walksPerNode; r++) for (const s of starts) {
    const walk = [s];
    let u = s;
    while (walk.length < length) {
      const row = rows[u];
      if (row.length === 0) break;
      let next: number;
      if (weighted) {
        const total = row.reduce((a, [, w]) => a + w, 0);
        if (!(total > 0)) break;
        let x = (rng.next() / 4294967296) * total;
        next = row[row.length - 1][0];
        for (const [v, w] of row) { x -= w; if (x < 0) { next = v; break; } }
      } else {
        next = row[rng.below(row.length)][0];
      }
      walk.push(next);
      u = next;
    }
    while (walk.length < length) walk.push(-1);
    walks.push(walk);
  }
  return walks;
}

/** One sampling layer with the kernel's rules (row order = ascending neighbour, as weir stores rows). */
export function refSampleLayer(rows: number[][], prev: number[], fanout: number, replace: boolean, rng: ReturnType<typeof refRng>): number[] {
  const out: number[] = [];
  for (const u of prev) {
    if (u < 0 || rows[u].length === 0) { for (let f = 0; f < fanout; f++) out.push(-1); continue; }
    const row = rows[u];
    if (replace) for (let f = 0; f < fanout; f++) out.push(row[rng.below(row.length)]);
    else if (row.length <= fanout) for (let f = 0; f < fanout; f++) out.push(f < row.length ? row[f] : -1);
    else {
      const chosen: number[] = [];
      for (let j = row.length - fanout; j < row.length; j++) {
        const t = rng.below(j + 1);
        chosen.push(chosen.includes(t) ? j : t);
      }
      for (const c of chosen) out.push(row[c]);
    }
  }
  return out;
}
