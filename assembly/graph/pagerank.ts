// PageRank by power iteration, pulling along in-edges (NetworkX's pagerank / igraph's
// definition): x'(v) = alpha * (sum over in-edges u->v of x(u) w(u,v) / W(u)
//                     + p(v) * sum over dangling u of x(u)) + (1 - alpha) p(v)
// where W(u) is u's out-weight and p the personalization vector (uniform when absent), which
// also receives the dangling mass, as in NetworkX (dangling=None) and igraph's PRPACK.
// One call is one iteration: TS loops, tests convergence and can report progress, and V8 runs
// the later iterations in its optimising tier (wasm functions tier up between calls).

import { ldu, ldf, stf } from "./mem";

/** y(u) = x(u) / W(u) (0 for dangling nodes); returns the dangling mass, the sum of their x(u). */
export function pagerankStart(n: i32, outW: usize, x: usize, y: usize): f64 {
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
  return dangling;
}

/**
 * One iteration from x (with y = x / W and its dangling mass) into xn, writing yn = xn / W for
 * the next one, so each iteration reads the node arrays once. inOff/inAdj/inW: in-edge CSR (for
 * undirected graphs the graph itself); outW: W(u); p: personalization (sums to 1).
 * stats (f64[2]) receives the L1 change sum |xn - x| and xn's dangling mass; returns the change.
 */
export function pagerankStep(n: i32, inOff: usize, inAdj: usize, inW: usize, outW: usize, p: usize, alpha: f64, dangling: f64, x: usize, y: usize, xn: usize, yn: usize, stats: usize): f64 {
  const base = alpha * dangling + (1 - alpha);
  let err = 0.0;
  let next = 0.0;
  let b = <i32>ldu(inOff, 0);
  for (let v = 0; v < n; v++) {
    const a = b;
    b = <i32>ldu(inOff, v + 1);
    let s = 0.0;
    if (inW) {
      for (let q = a; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q)) * ldf(inW, q);
    } else {
      for (let q = a; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q));
    }
    const xv = alpha * s + base * ldf(p, v);
    err += Math.abs(xv - ldf(x, v));
    stf(xn, v, xv);
    const wv = ldf(outW, v);
    if (wv > 0) stf(yn, v, xv / wv);
    else {
      stf(yn, v, 0);
      next += xv;
    }
  }
  stf(stats, 0, err);
  stf(stats, 1, next);
  return err;
}
