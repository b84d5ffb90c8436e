// PageRank by power iteration, pulling along in-edges (NetworkX's pagerank / igraph's
// definition): x'(v) = alpha * (sum over in-edges u->v of x(u) w(u,v) / W(u)
//                     + p(v) * sum over dangling u of x(u)) + (1 - alpha) p(v)
// where W(u) is u's out-weight and p the personalization vector (uniform when absent), which
// also receives the dangling mass, as in NetworkX (dangling=None) and igraph's PRPACK.
// One call is one iteration: TS loops, tests convergence and can report progress, and V8 runs
// the later iterations in its optimising tier (wasm functions tier up between calls).

import { ldu, ldf, stf } from "./mem";

/**
 * One iteration from x into xn. inOff/inAdj/inW: in-edge CSR (for undirected graphs the graph
 * itself); outW: W(u) per node; p: personalization (sums to 1); y: f64[n] scratch.
 * Returns the L1 change sum |xn - x|.
 */
export function pagerankStep(n: i32, inOff: usize, inAdj: usize, inW: usize, outW: usize, p: usize, alpha: f64, x: usize, y: usize, xn: usize): f64 {
  let dangling = 0.0;
  for (let u = 0; u < n; u++) {
    const wu = ldf(outW, u);
    const xu = ldf(x, u);
    if (wu > 0) stf(y, u, xu / wu);
    else {
      stf(y, u, 0);
      dangling += xu;
    }
  }
  const base = alpha * dangling + (1 - alpha);
  let err = 0.0;
  for (let v = 0; v < n; v++) {
    const a = <i32>ldu(inOff, v);
    const b = <i32>ldu(inOff, v + 1);
    let s = 0.0;
    if (inW) {
      for (let q = a; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q)) * ldf(inW, q);
    } else {
      for (let q = a; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q));
    }
    const xv = alpha * s + base * ldf(p, v);
    err += Math.abs(xv - ldf(x, v));
    stf(xn, v, xv);
  }
  return err;
}
