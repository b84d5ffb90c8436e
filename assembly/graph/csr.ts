// CSR construction by counting sort, O(V + E): no comparison sort anywhere. Edges are first
// scattered into rows keyed by target (stable: edge order within a row), then gathered into rows
// keyed by source while walking targets in ascending order, so every row comes out sorted by
// neighbour and duplicates sit next to each other in input order. The same gather builds the
// reverse CSR of a directed graph from its forward CSR.

import { ldu, stu, ldf, stf } from "./mem";

/** deg[idx[i]]++ for i < len (deg is u32[n], zeroed by the caller). */
export function csrCount(idx: usize, len: i32, deg: usize): void {
  for (let i = 0; i < len; i++) {
    const p = deg + (<usize>ldu(idx, i) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}

/** Undirected degrees: both endpoints, a self loop once. */
export function csrCountUndirected(src: usize, dst: usize, len: i32, deg: usize): void {
  for (let i = 0; i < len; i++) {
    const a = ldu(src, i);
    const b = ldu(dst, i);
    const pa = deg + (<usize>a << 2);
    store<u32>(pa, load<u32>(pa) + 1);
    if (a != b) {
      const pb = deg + (<usize>b << 2);
      store<u32>(pb, load<u32>(pb) + 1);
    }
  }
}

/** off[0] = 0, off[i + 1] = off[i] + deg[i]; returns the total (the caller checks it fits). */
export function csrOffsets(deg: usize, n: i32, off: usize): f64 {
  let acc: u64 = 0;
  stu(off, 0, 0);
  for (let i = 0; i < n; i++) {
    acc += <u64>ldu(deg, i);
    stu(off, i + 1, <u32>acc);
  }
  return <f64>acc;
}

/** Row r of (off) receives val[i] for each i with key[i] == r, in edge order; cur = copy of off. */
export function csrScatter(key: usize, val: usize, w: usize, len: i32, cur: usize, adj: usize, adjW: usize): void {
  for (let i = 0; i < len; i++) {
    const k = ldu(key, i);
    const cp = cur + (<usize>k << 2);
    const p = <i32>load<u32>(cp);
    store<u32>(cp, <u32>(p + 1));
    stu(adj, p, ldu(val, i));
    if (w) stf(adjW, p, ldf(w, i));
  }
}

/** Undirected: row b receives a and row a receives b (a self loop once). */
export function csrScatterUndirected(src: usize, dst: usize, w: usize, len: i32, cur: usize, adj: usize, adjW: usize): void {
  for (let i = 0; i < len; i++) {
    const a = ldu(src, i);
    const b = ldu(dst, i);
    const cb = cur + (<usize>b << 2);
    const pb = <i32>load<u32>(cb);
    store<u32>(cb, <u32>(pb + 1));
    stu(adj, pb, a);
    if (w) stf(adjW, pb, ldf(w, i));
    if (a != b) {
      const ca = cur + (<usize>a << 2);
      const pa = <i32>load<u32>(ca);
      store<u32>(ca, <u32>(pa + 1));
      stu(adj, pa, b);
      if (w) stf(adjW, pa, ldf(w, i));
    }
  }
}

/**
 * Transposes a CSR: for each row v in ascending order and each entry u of it, appends v to row u
 * of the output (cur = copy of the output offsets). Output rows are sorted by v and stable.
 */
export function csrTranspose(n: i32, off: usize, adj: usize, w: usize, cur: usize, outAdj: usize, outW: usize): void {
  for (let v = 0; v < n; v++) {
    const end = <i32>ldu(off, v + 1);
    for (let p = <i32>ldu(off, v); p < end; p++) {
      const u = ldu(adj, p);
      const cp = cur + (<usize>u << 2);
      const q = <i32>load<u32>(cp);
      store<u32>(cp, <u32>(q + 1));
      stu(outAdj, q, <u32>v);
      if (w) stf(outW, q, ldf(w, p));
    }
  }
}

/**
 * Compacts sorted rows in place: drops self loops when dropLoops, and merges runs of equal
 * neighbours when combine != 0 (1 sum, 2 min, 3 max, 4 first, 5 last; weights only matter when
 * w != 0). Rewrites off; returns the new entry count.
 */
export function csrCompact(n: i32, off: usize, adj: usize, w: usize, dropLoops: i32, combine: i32): f64 {
  let q = 0;
  let start = <i32>ldu(off, 0);
  for (let u = 0; u < n; u++) {
    const end = <i32>ldu(off, u + 1);
    const rowStart = q;
    for (let p = start; p < end; p++) {
      const v = ldu(adj, p);
      if (dropLoops && v == <u32>u) continue;
      if (combine && q > rowStart && ldu(adj, q - 1) == v) {
        if (w) {
          const a = ldf(w, q - 1);
          const b = ldf(w, p);
          let c = a;
          if (combine == 1) c = a + b;
          else if (combine == 2) c = min(a, b);
          else if (combine == 3) c = max(a, b);
          else if (combine == 5) c = b;
          stf(w, q - 1, c);
        }
        continue;
      }
      stu(adj, q, v);
      if (w) stf(w, q, ldf(w, p));
      q++;
    }
    start = end;
    stu(off, u + 1, <u32>q);
  }
  return <f64>q;
}

/**
 * The CSR's shape as 4 x (self-loop entries) + flags: bit 1 some row holds a self loop, bit 2 some
 * row repeats a neighbour (rows sorted).
 */
export function csrShape(n: i32, off: usize, adj: usize): f64 {
  let flags = 0;
  let loops = 0.0;
  for (let u = 0; u < n; u++) {
    const end = <i32>ldu(off, u + 1);
    let prev: i64 = -1;
    for (let p = <i32>ldu(off, u); p < end; p++) {
      const v = ldu(adj, p);
      if (v == <u32>u) {
        flags |= 1;
        loops += 1;
      }
      if (<i64>v == prev) flags |= 2;
      prev = <i64>v;
    }
  }
  return loops * 4 + <f64>flags;
}

/**
 * The undirected simple view of an undirected graph (sorted rows) in one pass: each row without
 * u itself and without repeats, rows written one after another into outOff (u32[n + 1]) and
 * outAdj, which needs room for the kept entries plus one (each neighbour is written before the
 * decision to keep it). Returns the entry count.
 */
export function csrSimpleUndirected(n: i32, off: usize, adj: usize, outOff: usize, outAdj: usize): i32 {
  let k = 0;
  let p = <i32>ldu(off, 0);
  for (let u = 0; u < n; u++) {
    stu(outOff, u, <u32>k);
    const pe = <i32>ldu(off, u + 1);
    let prev: u32 = <u32>u;
    for (; p < pe; p++) {
      const v = ldu(adj, p);
      stu(outAdj, k, v);
      k += <i32>(v != <u32>u) & <i32>(v != prev);
      prev = v;
    }
  }
  stu(outOff, n, <u32>k);
  return k;
}

/**
 * The undirected simple view: for each u, the sorted union of out-row u and (when inOff != 0)
 * in-row u, without u itself and without repeats. Pass 1 (outAdj == 0) writes row lengths into
 * deg; pass 2 writes rows at outOff.
 */
export function csrSimpleView(n: i32, off: usize, adj: usize, inOff: usize, inAdj: usize, deg: usize, outOff: usize, outAdj: usize): void {
  for (let u = 0; u < n; u++) {
    let p = <i32>ldu(off, u);
    const pe = <i32>ldu(off, u + 1);
    let q = inOff ? <i32>ldu(inOff, u) : 0;
    const qe = inOff ? <i32>ldu(inOff, u + 1) : 0;
    let k = outAdj ? <i32>ldu(outOff, u) : 0;
    let c = 0;
    let prev: i64 = -1;
    while (p < pe || q < qe) {
      let v: u32;
      if (q >= qe || (p < pe && ldu(adj, p) <= ldu(inAdj, q))) v = ldu(adj, p++);
      else v = ldu(inAdj, q++);
      if (v == <u32>u || <i64>v == prev) continue;
      prev = <i64>v;
      if (outAdj) stu(outAdj, k++, v);
      c++;
    }
    if (!outAdj) stu(deg, u, <u32>c);
  }
}

/**
 * Degree (or strength, when w != 0) of each row into out (f64[n]); a self loop counts twice when
 * loopsTwice (undirected degree, as NetworkX and igraph count it).
 */
export function csrDegrees(n: i32, off: usize, adj: usize, w: usize, loopsTwice: i32, out: usize): void {
  for (let u = 0; u < n; u++) {
    const a = <i32>ldu(off, u);
    const b = <i32>ldu(off, u + 1);
    let s = 0.0;
    for (let p = a; p < b; p++) {
      const x = w ? ldf(w, p) : 1.0;
      s += loopsTwice && ldu(adj, p) == <u32>u ? 2 * x : x;
    }
    stf(out, u, s);
  }
}
