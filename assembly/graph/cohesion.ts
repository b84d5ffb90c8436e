// Cohesion measures on the undirected simple view (sorted rows, no loops, no repeats):
// core numbers (Batagelj & Zaversnik 2003, O(V + E)) and triangle counts (degree-ordered
// forward algorithm, O(E^1.5)).

import { ldu, stu, ldi, sti } from "./mem";

/**
 * Core number of every node into core (i32[n]). scratch: u32[3n + maxDeg + 1] for the bucket
 * sort (bin, pos, vert). The degree of a node is its row length in the simple view.
 */
export function coreNumbers(n: i32, off: usize, adj: usize, core: usize, scratch: usize): void {
  let maxDeg = 0;
  for (let v = 0; v < n; v++) {
    const d = <i32>(ldu(off, v + 1) - ldu(off, v));
    sti(core, v, d);
    if (d > maxDeg) maxDeg = d;
  }
  const pos = scratch;
  const vert = scratch + (<usize>n << 2);
  const bin = scratch + (<usize>n << 3);
  memory.fill(bin, 0, <usize>(maxDeg + 1) << 2);
  for (let v = 0; v < n; v++) {
    const d = ldi(core, v);
    sti(bin, d, ldi(bin, d) + 1);
  }
  let start = 0;
  for (let d = 0; d <= maxDeg; d++) {
    const num = ldi(bin, d);
    sti(bin, d, start);
    start += num;
  }
  for (let v = 0; v < n; v++) {
    const d = ldi(core, v);
    const ps = ldi(bin, d);
    sti(pos, v, ps);
    sti(vert, ps, v);
    sti(bin, d, ps + 1);
  }
  for (let d = maxDeg; d > 0; d--) sti(bin, d, ldi(bin, d - 1));
  sti(bin, 0, 0);
  for (let i = 0; i < n; i++) {
    const v = ldi(vert, i);
    const dv = ldi(core, v);
    const end = <i32>ldu(off, v + 1);
    for (let p = <i32>ldu(off, v); p < end; p++) {
      const u = <i32>ldu(adj, p);
      const du = ldi(core, u);
      if (du > dv) {
        const pu = ldi(pos, u);
        const pw = ldi(bin, du);
        const w = ldi(vert, pw);
        if (u != w) {
          sti(pos, u, pw);
          sti(vert, pu, w);
          sti(pos, w, pu);
          sti(vert, pw, u);
        }
        sti(bin, du, pw + 1);
        sti(core, u, du - 1);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function before(off: usize, a: i32, b: i32): bool {
  const da = ldu(off, a + 1) - ldu(off, a);
  const db = ldu(off, b + 1) - ldu(off, b);
  return da < db || (da == db && a < b);
}

/**
 * Triangles through each node into tri (f64[n]). Each edge is oriented from the endpoint that
 * comes first in (degree, index) order; a triangle is found once, from its first node, by marking
 * that node's forward neighbours. scratch: u32[n + 1 + m/2] forward CSR offsets and rows, plus
 * u32[n] marks (m = entries in the view). Returns the total number of triangles.
 */
export function triangles(n: i32, off: usize, adj: usize, tri: usize, fOff: usize, fAdj: usize, mark: usize): f64 {
  stu(fOff, 0, 0);
  let k = 0;
  for (let u = 0; u < n; u++) {
    const end = <i32>ldu(off, u + 1);
    for (let p = <i32>ldu(off, u); p < end; p++) {
      const v = <i32>ldu(adj, p);
      if (before(off, u, v)) stu(fAdj, k++, <u32>v);
    }
    stu(fOff, u + 1, <u32>k);
  }
  memory.fill(mark, 0xff, <usize>n << 2);
  memory.fill(tri, 0, <usize>n << 3);
  let total = 0.0;
  for (let u = 0; u < n; u++) {
    const a = <i32>ldu(fOff, u);
    const b = <i32>ldu(fOff, u + 1);
    for (let p = a; p < b; p++) stu(mark, <i32>ldu(fAdj, p), <u32>u);
    for (let p = a; p < b; p++) {
      const v = <i32>ldu(fAdj, p);
      const e = <i32>ldu(fOff, v + 1);
      for (let q = <i32>ldu(fOff, v); q < e; q++) {
        const w = <i32>ldu(fAdj, q);
        if (ldu(mark, w) == <u32>u) {
          store<f64>(tri + (<usize>u << 3), load<f64>(tri + (<usize>u << 3)) + 1);
          store<f64>(tri + (<usize>v << 3), load<f64>(tri + (<usize>v << 3)) + 1);
          store<f64>(tri + (<usize>w << 3), load<f64>(tri + (<usize>w << 3)) + 1);
          total += 1;
        }
      }
    }
  }
  return total;
}
