// Betweenness centrality by Brandes' algorithm ("A faster algorithm for betweenness centrality",
// 2001) for unweighted graphs: one BFS per source counting shortest paths, then dependencies
// accumulated in reverse BFS order along in-edges. O(V + E) per source.

import { ldu, ldi, sti, stu, ldf, stf } from "./mem";

/**
 * Adds each source's dependencies to bc (f64[n]). off/adj: out-edges; inOff/inAdj: in-edges
 * (the same CSR for undirected graphs). Parallel edges are distinct shortest paths (igraph's
 * convention). scratch: dist i32[n], sigma f64[n], delta f64[n], order u32[n].
 */
export function betweenness(n: i32, off: usize, adj: usize, inOff: usize, inAdj: usize, sources: usize, ns: i32, bc: usize, dist: usize, sigma: usize, delta: usize, order: usize): void {
  memory.fill(dist, 0xff, <usize>n << 2);
  for (let si = 0; si < ns; si++) {
    const s = <i32>ldu(sources, si);
    sti(dist, s, 0);
    stf(sigma, s, 1);
    stu(order, 0, <u32>s);
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const u = <i32>ldu(order, head++);
      const du = ldi(dist, u);
      const su = ldf(sigma, u);
      const end = <i32>ldu(off, u + 1);
      for (let p = <i32>ldu(off, u); p < end; p++) {
        const v = <i32>ldu(adj, p);
        let dv = ldi(dist, v);
        if (dv < 0) {
          dv = du + 1;
          sti(dist, v, dv);
          stf(sigma, v, 0);
          stf(delta, v, 0);
          stu(order, tail++, <u32>v);
        }
        if (dv == du + 1) stf(sigma, v, ldf(sigma, v) + su);
      }
    }
    stf(delta, s, 0);
    for (let t = tail - 1; t > 0; t--) {
      const w = <i32>ldu(order, t);
      const dw = ldi(dist, w);
      const coef = (1 + ldf(delta, w)) / ldf(sigma, w);
      const end = <i32>ldu(inOff, w + 1);
      for (let p = <i32>ldu(inOff, w); p < end; p++) {
        const v = <i32>ldu(inAdj, p);
        if (ldi(dist, v) == dw - 1) stf(delta, v, ldf(delta, v) + ldf(sigma, v) * coef);
      }
      stf(bc, w, ldf(bc, w) + ldf(delta, w));
    }
    // reset only what this source touched
    for (let t = 0; t < tail; t++) sti(dist, <i32>ldu(order, t), -1);
  }
}
