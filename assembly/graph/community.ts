// Community detection on the undirected simple view: asynchronous label propagation
// (Raghavan et al. 2007, as NetworkX asyn_lpa_communities) and Louvain (Blondel et al. 2008)
// with a resolution parameter, plus Newman's modularity.
//
// Louvain level graphs are symmetric weighted CSRs whose row c may hold a self entry (c, c)
// carrying the weight inside c counted in both directions, so the degree k(c) is the row sum and
// 2m = sum of k stays the same at every level.

import { ldu, stu, ldi, sti, ldf, stf, wt } from "./mem";
import { nextBelow, seedRng, shuffleU32 } from "./rng";

/**
 * Label propagation. labels (u32[n]) starts as 0..n-1 and ends as the labels found. Each round
 * visits the nodes in a fresh seeded shuffle; a node takes the most frequent label among its
 * neighbours unless its own label is already one of the most frequent, ties broken by a seeded
 * draw among them (in order of first appearance in its row). Stops after a round without change
 * or maxRounds. scratch: order u32[n], freq f64[n] (zeroed), seen u32[n], best u32[n].
 * Returns the rounds run.
 */
export function labelPropagation(n: i32, off: usize, adj: usize, seed: u32, maxRounds: i32, labels: usize, order: usize, freq: usize, seen: usize, best: usize): i32 {
  seedRng(seed);
  for (let i = 0; i < n; i++) {
    stu(labels, i, <u32>i);
    stu(order, i, <u32>i);
  }
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    shuffleU32(order, n);
    let changed = false;
    for (let t = 0; t < n; t++) {
      const u = <i32>ldu(order, t);
      const a = <i32>ldu(off, u);
      const b = <i32>ldu(off, u + 1);
      if (a == b) continue;
      let ns = 0;
      for (let p = a; p < b; p++) {
        const l = <i32>ldu(labels, <i32>ldu(adj, p));
        const f = ldf(freq, l);
        if (f == 0) stu(seen, ns++, <u32>l);
        stf(freq, l, f + 1);
      }
      let top = 0.0;
      for (let s = 0; s < ns; s++) top = max(top, ldf(freq, <i32>ldu(seen, s)));
      let nb = 0;
      let keep = false;
      const own = ldu(labels, u);
      for (let s = 0; s < ns; s++) {
        const l = ldu(seen, s);
        if (ldf(freq, <i32>l) == top) {
          stu(best, nb++, l);
          if (l == own) keep = true;
        }
      }
      for (let s = 0; s < ns; s++) stf(freq, <i32>ldu(seen, s), 0);
      if (!keep) {
        stu(labels, u, ldu(best, <i32>nextBelow(<u32>nb)));
        changed = true;
      }
    }
    if (!changed) break;
  }
  return rounds;
}

// Louvain works on the simple view, so every weight is a whole number: an entry of a level graph
// counts the simple edges it stands for. Level weights are u32 (w == 0: every entry weighs 1) and
// the per-community sums are integers, exact in any order; gains are computed in f64 from them.

/** Row sums (degree counting entry weights, self entries included) into k (u32[n]); returns their total. */
export function louvainDegrees(n: i32, off: usize, w: usize, k: usize): f64 {
  let total = 0.0;
  let a = <i32>ldu(off, 0);
  for (let u = 0; u < n; u++) {
    const b = <i32>ldu(off, u + 1);
    let s: u32 = 0;
    if (w) {
      for (let p = a; p < b; p++) s += ldu(w, p);
    } else {
      s = <u32>(b - a);
    }
    stu(k, u, s);
    total += <f64>s;
    a = b;
  }
  return total;
}

/** Receives the software-prefetch loads of louvainMove so they are not optimised away. */
export let prefetchSink: u32 = 0;

/**
 * Louvain's local moving phase on one level graph: each visited node moves to the neighbouring
 * community with the largest gain k_i,C - gamma * tot(C) * k_i / 2m, staying put unless another
 * community is strictly better. With fast == 0 it sweeps over all nodes (index order, or a seeded
 * shuffle per sweep when shuffle != 0) until a sweep moves nothing; with fast != 0 it uses the
 * fast local move of Traag, Waltman & van Eck (2019), as graphology does: a queue that starts
 * with every node (in index order or one seeded shuffle) and, after a move, takes back the
 * mover's neighbours outside its new community — same result quality, far fewer evaluations.
 * w: u32 entry weights or 0 (all 1). comm (u32[n]) ends as each node's community; scratch:
 * tot u32[n], nw u32[n] (zeroed, left zeroed), seen u32[n + 1], order u32[n], queued u8[n].
 * Stops after maxSweeps * n evaluations at most. Returns the number of moves made (0: the level
 * changed nothing).
 */
export function louvainMove(n: i32, off: usize, adj: usize, w: usize, k: usize, m2: f64, gamma: f64, shuffle: i32, seed: u32, fast: i32, maxSweeps: i32, comm: usize, tot: usize, nw: usize, seen: usize, order: usize, queued: usize): i32 {
  seedRng(seed);
  for (let i = 0; i < n; i++) {
    stu(comm, i, <u32>i);
    stu(order, i, <u32>i);
  }
  memory.copy(tot, k, <usize>n << 2);
  let moves = 0;
  if (fast) {
    if (shuffle) shuffleU32(order, n);
    memory.fill(queued, 1, <usize>n);
    let head = 0;
    let count = n;
    let budget = <i64>maxSweeps * <i64>n;
    let touch: u32 = 0;
    while (count > 0 && budget-- > 0) {
      const i = <i32>ldu(order, head);
      head = head + 1 == n ? 0 : head + 1;
      count--;
      // touch the next queued node's row now, so its cache misses overlap this evaluation (a
      // software prefetch: the loaded value only goes to prefetchSink)
      touch ^= ldu(adj, <i32>ldu(off, <i32>ldu(order, head)));
      store<u8>(queued + <usize>i, 0);
      const c = w ? moveNode(i, off, adj, w, true, k, m2, gamma, comm, tot, nw, seen) : moveNode(i, off, adj, 0, false, k, m2, gamma, comm, tot, nw, seen);
      if (c < 0) continue;
      moves++;
      const b = <i32>ldu(off, i + 1);
      // branch-free queueing of neighbours outside c that are not queued yet: j is written at the
      // tail every time (that slot is free: i is out of the queue, so it holds at most n - 1)
      let tail = head + count;
      if (tail >= n) tail -= n;
      for (let p = <i32>ldu(off, i); p < b; p++) {
        const j = <i32>ldu(adj, p);
        const qp = queued + <usize>j;
        // (j == i is in c already)
        const add = <i32>(load<u8>(qp) == 0) & <i32>(<i32>ldu(comm, j) != c);
        stu(order, tail, <u32>j);
        store<u8>(qp, load<u8>(qp) | <u8>add);
        tail += add;
        tail = select<i32>(0, tail, tail == n);
        count += add;
      }
    }
    prefetchSink = touch;
    return moves;
  }
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (shuffle) shuffleU32(order, n);
    let moved = 0;
    for (let t = 0; t < n; t++) {
      const i = <i32>ldu(order, t);
      const c = w ? moveNode(i, off, adj, w, true, k, m2, gamma, comm, tot, nw, seen) : moveNode(i, off, adj, 0, false, k, m2, gamma, comm, tot, nw, seen);
      if (c >= 0) moved++;
    }
    moves += moved;
    if (moved == 0) break;
  }
  return moves;
}

/**
 * Evaluates node i; moves it and returns its new community, or -1 when it stays. Weights to
 * neighbouring communities add up in nw, their first appearances listed in seen after ci (the
 * order ties go by). Degrees k and community totals tot are u32: whole numbers, exact in f64.
 */
// @ts-ignore: decorator
@inline function moveNode(i: i32, off: usize, adj: usize, w: usize, weighted: bool, k: usize, m2: f64, gamma: f64, comm: usize, tot: usize, nw: usize, seen: usize): i32 {
  const ci = ldu(comm, i);
  const kiu = ldu(k, i);
  const ki = <f64>kiu;
  const a = <i32>ldu(off, i);
  const b = <i32>ldu(off, i + 1);
  // branch-free accumulation: nw[ci] starts at 1, so only other communities can be new (f == 0);
  // seen[ns] is written every time and kept only for a first appearance; a self entry adds 0
  const cip = nw + (<usize>ci << 2);
  store<u32>(cip, 1);
  stu(seen, 0, ci);
  let ns = 1;
  for (let p = a; p < b; p++) {
    const j = <i32>ldu(adj, p);
    const c = ldu(comm, j);
    const x: u32 = select<u32>(0, weighted ? ldu(w, p) : 1, j == i);
    const cp = nw + (<usize>c << 2);
    const f = load<u32>(cp);
    stu(seen, ns, c);
    ns += <i32>(f == 0);
    store<u32>(cp, f + x);
  }
  const own = load<u32>(cip) - 1;
  store<u32>(cip, 0);
  const tciu = ldu(tot, <i32>ci) - kiu;
  stu(tot, <i32>ci, tciu);
  const tci = <f64><i32>tciu;
  const scale = gamma * ki / m2;
  let bestC = ci;
  // a candidate must beat the best gain by a relative 1e-12; sums and totals are below 2^31
  // (entry counts), so they convert to f64 as i32
  let bestGain = <f64><i32>own - tci * scale;
  let bar = bestGain + 1e-12 * (Math.abs(bestGain) + ki);
  for (let s = 1; s < ns; s++) {
    const c = <i32>ldu(seen, s);
    const cp = nw + (<usize>c << 2);
    const gain = <f64>load<i32>(cp) - <f64>load<i32>(tot + (<usize>c << 2)) * scale;
    store<u32>(cp, 0);
    if (gain > bar) {
      bestGain = gain;
      bestC = <u32>c;
      bar = bestGain + 1e-12 * (Math.abs(bestGain) + ki);
    }
  }
  stu(tot, <i32>bestC, ldu(tot, <i32>bestC) + kiu);
  if (bestC == ci) return -1;
  stu(comm, i, bestC);
  return <i32>bestC;
}

/**
 * Renumbers community ids to 0..C-1 in order of first appearance over nodes; remap is i32[n]
 * scratch. Returns C.
 */
export function renumber(n: i32, comm: usize, remap: usize): i32 {
  memory.fill(remap, 0xff, <usize>n << 2);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const old = <i32>ldu(comm, i);
    let r = ldi(remap, old);
    if (r < 0) {
      r = c++;
      sti(remap, old, r);
    }
    stu(comm, i, <u32>r);
  }
  return c;
}

/** assign[i] = comm[assign[i]] for the len original nodes. */
export function compose(len: i32, assign: usize, comm: usize): void {
  for (let i = 0; i < len; i++) stu(assign, i, ldu(comm, <i32>ldu(assign, i)));
}

/**
 * Builds the level graph of C communities: row c holds, for every community d adjacent to a
 * member of c, the summed weight of those entries (d == c: the self entry), in order of first
 * appearance over c's members in index order. w: u32 weights or 0 (all 1). memOff (u32[C + 1])
 * and members (u32[n]) are scratch for grouping nodes by community; nw u32[C] (zeroed, left
 * zeroed) and seen u32[C + 1] accumulate a row. Returns the entry count written to nOff/nAdj/nW
 * (nW: u32); with nAdj == 0 it only counts (so the caller can allocate the level graph exactly).
 */
export function louvainAggregate(n: i32, off: usize, adj: usize, w: usize, comm: usize, c: i32, memOff: usize, members: usize, nw: usize, seen: usize, nOff: usize, nAdj: usize, nW: usize): i32 {
  memory.fill(memOff, 0, <usize>(c + 1) << 2);
  for (let i = 0; i < n; i++) {
    const ci = <i32>ldu(comm, i) + 1;
    stu(memOff, ci, ldu(memOff, ci) + 1);
  }
  for (let d = 0; d < c; d++) stu(memOff, d + 1, ldu(memOff, d + 1) + ldu(memOff, d));
  // members grouped by community, using nOff as the cursor
  for (let d = 0; d < c; d++) stu(nOff, d, ldu(memOff, d));
  for (let i = 0; i < n; i++) {
    const ci = <i32>ldu(comm, i);
    const q = <i32>ldu(nOff, ci);
    stu(nOff, ci, <u32>(q + 1));
    stu(members, q, <u32>i);
  }
  return w ? aggregateRows(c, off, adj, w, true, comm, memOff, members, nw, seen, nOff, nAdj, nW) : aggregateRows(c, off, adj, 0, false, comm, memOff, members, nw, seen, nOff, nAdj, nW);
}

// @ts-ignore: decorator
@inline function aggregateRows(c: i32, off: usize, adj: usize, w: usize, weighted: bool, comm: usize, memOff: usize, members: usize, nw: usize, seen: usize, nOff: usize, nAdj: usize, nW: usize): i32 {
  let q = 0;
  for (let d = 0; d < c; d++) {
    stu(nOff, d, <u32>q);
    // branch-free: seen[ns] is written every time and kept only for a first appearance
    let ns = 0;
    const me = <i32>ldu(memOff, d + 1);
    for (let mi = <i32>ldu(memOff, d); mi < me; mi++) {
      const i = <i32>ldu(members, mi);
      const b = <i32>ldu(off, i + 1);
      for (let p = <i32>ldu(off, i); p < b; p++) {
        const e = ldu(comm, <i32>ldu(adj, p));
        const x: u32 = weighted ? ldu(w, p) : 1;
        const ep = nw + (<usize>e << 2);
        const f = load<u32>(ep);
        stu(seen, ns, e);
        ns += <i32>(f == 0);
        store<u32>(ep, f + x);
      }
    }
    if (nAdj) {
      for (let s = 0; s < ns; s++) {
        const e = ldu(seen, s);
        const ep = nw + (<usize>e << 2);
        stu(nAdj, q + s, e);
        stu(nW, q + s, load<u32>(ep));
        store<u32>(ep, 0);
      }
    } else {
      for (let s = 0; s < ns; s++) store<u32>(nw + (<usize>ldu(seen, s) << 2), 0);
    }
    q += ns;
  }
  stu(nOff, c, <u32>q);
  return q;
}

/**
 * Newman's modularity with resolution gamma of a level graph's nodes as communities: each row's
 * self entry is the weight inside that community counted both ways, its row sum the community's
 * degree, so Q = sum over rows of self/2m - gamma (k/2m)^2 — the modularity of the partition the
 * level stands for on the original graph. w: u32 weights or 0.
 */
export function louvainQuality(n: i32, off: usize, adj: usize, w: usize, gamma: f64): f64 {
  let m2: u64 = 0;
  for (let p = 0, e = <i32>ldu(off, n); p < e; p++) m2 += w ? <u64>ldu(w, p) : 1;
  if (m2 == 0) return 0;
  let q = 0.0;
  for (let c = 0; c < n; c++) {
    let inner: u64 = 0;
    let tot: u64 = 0;
    const b = <i32>ldu(off, c + 1);
    for (let p = <i32>ldu(off, c); p < b; p++) {
      const x: u64 = w ? <u64>ldu(w, p) : 1;
      tot += x;
      if (ldu(adj, p) == <u32>c) inner += x;
    }
    const t = <f64>tot / <f64>m2;
    q += <f64>inner / <f64>m2 - gamma * t * t;
  }
  return q;
}

/**
 * Newman's modularity with resolution gamma of the partition labels (u32[n], ids < n) on a
 * symmetric CSR: sum over communities of in(c)/2m - gamma (tot(c)/2m)^2. scratch: f64[2n] zeroed.
 */
export function modularity(n: i32, off: usize, adj: usize, w: usize, labels: usize, gamma: f64, scratch: usize): f64 {
  const inner = scratch;
  const tot = scratch + (<usize>n << 3);
  let m2 = 0.0;
  for (let u = 0; u < n; u++) {
    const cu = <i32>ldu(labels, u);
    const b = <i32>ldu(off, u + 1);
    for (let p = <i32>ldu(off, u); p < b; p++) {
      const x = wt(w, p);
      m2 += x;
      stf(tot, cu, ldf(tot, cu) + x);
      if (<i32>ldu(labels, <i32>ldu(adj, p)) == cu) stf(inner, cu, ldf(inner, cu) + x);
    }
  }
  if (m2 == 0) return 0;
  let q = 0.0;
  for (let c = 0; c < n; c++) {
    const t = ldf(tot, c) / m2;
    q += ldf(inner, c) / m2 - gamma * t * t;
  }
  return q;
}
