// PageRank by power iteration, pulling along in-edges (NetworkX's pagerank / igraph's
// definition): x'(v) = alpha * (sum over in-edges u->v of x(u) w(u,v) / W(u)
//                     + p(v) * sum over dangling u of x(u)) + (1 - alpha) p(v)
// where W(u) is u's out-weight and p the personalization vector (uniform when absent), which
// also receives the dangling mass, as in NetworkX (dangling=None) and igraph's PRPACK.
// One call is one iteration: TS loops, tests convergence and can report progress, and V8 runs
// the later iterations in its optimising tier (wasm functions tier up between calls).

import { ldu, stu, ldf, stf } from "./mem";

// The state between iterations is one array, y: y(u) = x(u) / W(u), or x(u) itself for a dangling
// node (W(u) = 0). Gathers read y of sources with out-edges only (a dangling node's edges, if
// any, weigh 0), and x is y * W again where it is needed (the L1 change, the result): per
// iteration the node arrays streamed are y, W and the next y, not x, x', y, y', W and p.

// W comes as f64 out-weights (weighted graphs) or, unweighted, as u32 out-degrees (deg != 0),
// half the bytes per iteration; either way W(u) is the same number.

// @ts-ignore: decorator
@inline function wAt(outW: usize, deg: usize, byDeg: bool, u: i32): f64 {
  return byDeg ? <f64>ldu(deg, u) : ldf(outW, u);
}

/** y from x (f64[n] each; x may be y); returns the dangling mass, the sum of x over W(u) = 0. */
export function pagerankStart(n: i32, outW: usize, deg: usize, x: usize, y: usize): f64 {
  let dangling = 0.0;
  for (let u = 0; u < n; u++) {
    const wu = deg ? wAt(outW, deg, true, u) : wAt(outW, deg, false, u);
    const xu = ldf(x, u);
    if (wu > 0) stf(y, u, xu / wu);
    else {
      stf(y, u, xu);
      dangling += xu;
    }
  }
  return dangling;
}

/**
 * The scores from y after the last iteration, in node-index order (perm: node u's position in
 * y, or 0 when y is in index order), divided by their sum, into out (f64[n]). Returns the sum.
 */
export function pagerankScores(n: i32, outW: usize, deg: usize, perm: usize, y: usize, out: usize): f64 {
  let sum = 0.0;
  for (let u = 0; u < n; u++) {
    const r = perm ? <i32>ldu(perm, u) : u;
    const wu = deg ? wAt(outW, deg, true, r) : wAt(outW, deg, false, r);
    const yu = ldf(y, r);
    const xu = wu > 0 ? yu * wu : yu;
    stf(out, u, xu);
    sum += xu;
  }
  for (let u = 0; u < n; u++) stf(out, u, ldf(out, u) / sum);
  return sum;
}

/**
 * One iteration from y (with its dangling mass) into yn. inOff/inAdj/inW: in-edge CSR (for
 * undirected graphs the graph itself); W: outW, or deg when the graph is unweighted (inW == 0);
 * p: personalization (sums to 1), or 0 for the uniform one, every p(v) = pu. stats (f64[2])
 * receives the L1 change sum |x' - x| (only when change != 0; else 0, and y is not read back)
 * and x''s dangling mass; returns the change.
 */
export function pagerankStep(n: i32, inOff: usize, inAdj: usize, inW: usize, outW: usize, deg: usize, p: usize, pu: f64, alpha: f64, dangling: f64, y: usize, yn: usize, stats: usize, change: i32): f64 {
  if (inW) return step(n, inOff, inAdj, inW, true, outW, 0, p, pu, alpha, dangling, y, yn, stats, true);
  return change ? step(n, inOff, inAdj, 0, false, 0, deg, p, pu, alpha, dangling, y, yn, stats, true) : step(n, inOff, inAdj, 0, false, 0, deg, p, pu, alpha, dangling, y, yn, stats, false);
}

// @ts-ignore: decorator
@inline function step(n: i32, inOff: usize, inAdj: usize, inW: usize, weighted: bool, outW: usize, deg: usize, p: usize, pu: f64, alpha: f64, dangling: f64, y: usize, yn: usize, stats: usize, change: bool): f64 {
  const base = alpha * dangling + (1 - alpha);
  const baseU = base * pu;
  let err = 0.0;
  let next = 0.0;
  let b = <i32>ldu(inOff, 0);
  for (let v = 0; v < n; v++) {
    const a = b;
    b = <i32>ldu(inOff, v + 1);
    let s = 0.0;
    if (weighted) {
      for (let q = a; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q)) * ldf(inW, q);
    } else {
      s = gather(inAdj, y, a, b);
    }
    const xv = alpha * s + (p ? base * ldf(p, v) : baseU);
    const wv = wAt(outW, deg, !weighted, v);
    if (wv > 0) {
      if (change) err += Math.abs(xv - ldf(y, v) * wv);
      stf(yn, v, xv / wv);
    } else {
      if (change) err += Math.abs(xv - ldf(y, v));
      stf(yn, v, xv);
      next += xv;
    }
  }
  stf(stats, 0, err);
  stf(stats, 1, next);
  return err;
}

/**
 * Sum of y over inAdj[a..b): four independent partial sums (the loads overlap instead of
 * waiting on one chain of additions), combined as (s0 + s1) + (s2 + s3), then the tail.
 */
// @ts-ignore: decorator
@inline function gather(inAdj: usize, y: usize, a: i32, b: i32): f64 {
  let s0 = 0.0;
  let s1 = 0.0;
  let s2 = 0.0;
  let s3 = 0.0;
  let q = a;
  for (; q + 4 <= b; q += 4) {
    const e = inAdj + (<usize>q << 2);
    s0 += load<f64>(y + (<usize>load<u32>(e) << 3));
    s1 += load<f64>(y + (<usize>load<u32>(e, 4) << 3));
    s2 += load<f64>(y + (<usize>load<u32>(e, 8) << 3));
    s3 += load<f64>(y + (<usize>load<u32>(e, 12) << 3));
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; q < b; q++) s += ldf(y, <i32>ldu(inAdj, q));
  return s;
}


/**
 * A node order for PageRank's gathers: by out-degree (out-edge count), highest first, ties in
 * index order (counting sort on the degree capped at 4095: the few nodes above it keep index
 * order). Every gather reads y of a source, so this puts the most-read entries together at the
 * front of y, where they share cache lines and stay cached. perm[u] = new index of u; bucket:
 * u32[4096] scratch.
 */
export function pagerankOrder(n: i32, outOff: usize, perm: usize, bucket: usize): void {
  memory.fill(bucket, 0, 4096 << 2);
  for (let u = 0; u < n; u++) {
    const d = min<u32>(ldu(outOff, u + 1) - ldu(outOff, u), 4095);
    const bp = bucket + (<usize>(4095 - d) << 2);
    store<u32>(bp, load<u32>(bp) + 1);
  }
  let acc: u32 = 0;
  for (let key = 0; key < 4096; key++) {
    const c = ldu(bucket, key);
    stu(bucket, key, acc);
    acc += c;
  }
  for (let u = 0; u < n; u++) {
    const d = min<u32>(ldu(outOff, u + 1) - ldu(outOff, u), 4095);
    const bp = bucket + (<usize>(4095 - d) << 2);
    const r = load<u32>(bp);
    store<u32>(bp, r + 1);
    stu(perm, u, r);
  }
}

/**
 * The in-edge CSR renumbered by perm: row perm[v] is old row v with its sources mapped through
 * perm, entries in their old order, into rOff (u32[n + 1]) / rAdj (u32[m]) / rW (f64[m], when
 * inW). Old rows are read in order and written to their new places.
 */
export function pagerankRelabel(n: i32, inOff: usize, inAdj: usize, inW: usize, perm: usize, rOff: usize, rAdj: usize, rW: usize): void {
  stu(rOff, 0, 0);
  for (let v = 0; v < n; v++) stu(rOff, <i32>ldu(perm, v) + 1, ldu(inOff, v + 1) - ldu(inOff, v));
  let acc: u32 = 0;
  for (let r = 1; r <= n; r++) {
    acc += ldu(rOff, r);
    stu(rOff, r, acc);
  }
  let a = <i32>ldu(inOff, 0);
  for (let v = 0; v < n; v++) {
    const b = <i32>ldu(inOff, v + 1);
    const d = <i32>ldu(rOff, <i32>ldu(perm, v));
    for (let e = a; e < b; e++) stu(rAdj, d + (e - a), ldu(perm, <i32>ldu(inAdj, e)));
    if (inW) memory.copy(rW + (<usize>d << 3), inW + (<usize>a << 3), <usize>(b - a) << 3);
    a = b;
  }
}

/** dst[perm[i]] = src[i] for i < n (f64): a per-node array into the new order. */
export function permuteF64(n: i32, perm: usize, src: usize, dst: usize): void {
  for (let i = 0; i < n; i++) stf(dst, <i32>ldu(perm, i), ldf(src, i));
}


/**
 * W(u) for every node, at position perm[u] (perm == 0: at u): out-edge counts into deg (u32[n])
 * when w == 0, else out-weight sums into outW (f64[n]).
 */
export function pagerankOutWeights(n: i32, outOff: usize, w: usize, perm: usize, outW: usize, deg: usize): void {
  let a = <i32>ldu(outOff, 0);
  for (let u = 0; u < n; u++) {
    const b = <i32>ldu(outOff, u + 1);
    const r = perm ? <i32>ldu(perm, u) : u;
    if (w) {
      let s = 0.0;
      for (let p = a; p < b; p++) s += ldf(w, p);
      stf(outW, r, s);
    } else {
      stu(deg, r, <u32>(b - a));
    }
    a = b;
  }
}
