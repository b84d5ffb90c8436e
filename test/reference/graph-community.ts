// Plain-TS oracles for communities: Newman's modularity as the double sum of its definition,
// Louvain and asynchronous label propagation written with arrays and Maps, using the same seeded
// PRNG (mulberry32) and the same visiting and tie-breaking rules as the kernels.
import { refSimple, type RefGraph } from './graph.js';

/** mulberry32, as assembly/graph/rng.ts. */
export function refRng(seed: number): { next(): number; below(k: number): number; shuffle(a: number[]): void } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (k: number) => next() % k;
  const shuffle = (a: number[]) => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = below(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
  };
  return { next, below, shuffle };
}

/** Q = 1/2m sum_ij [A_ij - gamma k_i k_j / 2m] delta(c_i, c_j) on the simple view. */
export function refModularity(g: RefGraph, labels: ArrayLike<number>, gamma = 1): number {
  const nb = refSimple(g);
  const k = nb.map((s) => s.size);
  const m2 = k.reduce((a, b) => a + b, 0);
  if (m2 === 0) return 0;
  let q = 0;
  for (let i = 0; i < g.n; i++) {
    for (let j = 0; j < g.n; j++) {
      if (labels[i] !== labels[j]) continue;
      q += (nb[i].has(j) ? 1 : 0) - (gamma * k[i] * k[j]) / m2;
    }
  }
  return q / m2;
}

function canonical(labels: number[]): number[] {
  const map = new Map<number, number>();
  return labels.map((c) => {
    if (!map.has(c)) map.set(c, map.size);
    return map.get(c)!;
  });
}

export function refLabelPropagation(g: RefGraph, seed: number, maxRounds = 100): number[] {
  const nb = refSimple(g).map((s) => [...s].sort((a, b) => a - b));
  const labels = nb.map((_, i) => i);
  const order = nb.map((_, i) => i);
  const rng = refRng(seed);
  for (let round = 0; round < maxRounds; round++) {
    rng.shuffle(order);
    let changed = false;
    for (const u of order) {
      if (nb[u].length === 0) continue;
      const freq = new Map<number, number>();
      for (const v of nb[u]) freq.set(labels[v], (freq.get(labels[v]) ?? 0) + 1);
      const top = Math.max(...freq.values());
      const best = [...freq].filter(([, f]) => f === top).map(([l]) => l);
      if (best.includes(labels[u])) continue;
      labels[u] = best[rng.below(best.length)];
      changed = true;
    }
    if (!changed) break;
  }
  return canonical(labels);
}

/**
 * Louvain on the simple view (unit weights): full sweeps in index order or seeded shuffles, or
 * the fast local move queue (every node once, then the neighbours of movers outside their new
 * community, appended in row order).
 */
export function refLouvain(g: RefGraph, gamma = 1, seed: number | null = null, fast = true): number[] {
  const simple = refSimple(g).map((s) => [...s].sort((a, b) => a - b));
  // level graph: rows of [neighbour, weight], insertion-ordered
  let rows: [number, number][][] = simple.map((s) => s.map((v) => [v, 1] as [number, number]));
  let assign = g.ids.map((_, i) => i);
  let s = seed ?? 0;
  if (rows.every((r) => r.length === 0)) return assign;
  for (let level = 0; level < 100; level++) {
    const n = rows.length;
    const k = rows.map((r) => r.reduce((a, [, w]) => a + w, 0));
    const m2 = k.reduce((a, b) => a + b, 0);
    const comm = rows.map((_, i) => i);
    const tot = [...k];
    const order = rows.map((_, i) => i);
    const rng = refRng(s);
    // returns the new community, or -1 when i stays
    const visit = (i: number): number => {
      const ci = comm[i];
      const nw = new Map<number, number>([[ci, 0]]);
      for (const [j, w] of rows[i]) if (j !== i) nw.set(comm[j], (nw.get(comm[j]) ?? 0) + w);
      tot[ci] -= k[i];
      const scale = (gamma * k[i]) / m2;
      let best = ci;
      let bestGain = nw.get(ci)! - tot[ci] * scale;
      for (const [c, w] of nw) {
        const gain = w - tot[c] * scale;
        if (c !== ci && gain > bestGain + 1e-12 * (Math.abs(bestGain) + k[i])) {
          best = c;
          bestGain = gain;
        }
      }
      tot[best] += k[i];
      if (best === ci) return -1;
      comm[i] = best;
      return best;
    };
    let moves = 0;
    if (fast) {
      if (seed !== null) rng.shuffle(order);
      const queue = [...order];
      const queued = new Set(queue);
      while (queue.length) {
        const i = queue.shift()!;
        queued.delete(i);
        const c = visit(i);
        if (c < 0) continue;
        moves++;
        for (const [j] of rows[i]) {
          if (j === i || queued.has(j) || comm[j] === c) continue;
          queued.add(j);
          queue.push(j);
        }
      }
    } else {
      for (let sweep = 0; sweep < 1000; sweep++) {
        if (seed !== null) rng.shuffle(order);
        let moved = 0;
        for (const i of order) if (visit(i) >= 0) moved++;
        moves += moved;
        if (moved === 0) break;
      }
    }
    if (moves === 0) break;
    const renum = canonical(comm);
    assign = assign.map((a) => renum[a]);
    const c = Math.max(...renum) + 1;
    const next: [number, number][][] = [];
    for (let d = 0; d < c; d++) {
      const acc = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        if (renum[i] !== d) continue;
        for (const [j, w] of rows[i]) acc.set(renum[j], (acc.get(renum[j]) ?? 0) + w);
      }
      next.push([...acc]);
    }
    rows = next;
    s = (s + 0x9e3779b9) >>> 0;
    if (rows.length === 1) break;
  }
  return canonical(assign);
}
