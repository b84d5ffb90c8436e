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

/** Row sums (weighted degree, self entries included) into k (f64[n]); returns their total. */
export function louvainDegrees(n: i32, off: usize, w: usize, k: usize): f64 {
  let total = 0.0;
  for (let u = 0; u < n; u++) {
    let s = 0.0;
    const b = <i32>ldu(off, u + 1);
    for (let p = <i32>ldu(off, u); p < b; p++) s += wt(w, p);
    stf(k, u, s);
    total += s;
  }
  return total;
}

/**
 * Louvain's local moving phase on one level graph: each visited node moves to the neighbouring
 * community with the largest gain k_i,C - gamma * tot(C) * k_i / 2m, staying put unless another
 * community is strictly better. With fast == 0 it sweeps over all nodes (index order, or a seeded
 * shuffle per sweep when shuffle != 0) until a sweep moves nothing; with fast != 0 it uses the
 * fast local move of Traag, Waltman & van Eck (2019), as graphology does: a queue that starts
 * with every node (in index order or one seeded shuffle) and, after a move, takes back the
 * mover's neighbours outside its new community — same result quality, far fewer evaluations.
 * comm (u32[n]) ends as each node's community; scratch: tot f64[n], nw f64[n] (zeroed),
 * seen u32[n], order u32[n], queued u8[n]. Stops after maxSweeps * n evaluations at most.
 * Returns the number of moves made (0: the level changed nothing).
 */
export function louvainMove(n: i32, off: usize, adj: usize, w: usize, k: usize, m2: f64, gamma: f64, shuffle: i32, seed: u32, fast: i32, maxSweeps: i32, comm: usize, tot: usize, nw: usize, seen: usize, order: usize, queued: usize): i32 {
  seedRng(seed);
  for (let i = 0; i < n; i++) {
    stu(comm, i, <u32>i);
    stf(tot, i, ldf(k, i));
    stu(order, i, <u32>i);
  }
  let moves = 0;
  if (fast) {
    if (shuffle) shuffleU32(order, n);
    memory.fill(queued, 1, <usize>n);
    let head = 0;
    let count = n;
    let budget = <i64>maxSweeps * <i64>n;
    while (count > 0 && budget-- > 0) {
      const i = <i32>ldu(order, head);
      head = head + 1 == n ? 0 : head + 1;
      count--;
      store<u8>(queued + <usize>i, 0);
      const c = moveNode(i, off, adj, w, k, m2, gamma, comm, tot, nw, seen);
      if (c < 0) continue;
      moves++;
      const b = <i32>ldu(off, i + 1);
      for (let p = <i32>ldu(off, i); p < b; p++) {
        const j = <i32>ldu(adj, p);
        if (j == i || load<u8>(queued + <usize>j) || <i32>ldu(comm, j) == c) continue;
        store<u8>(queued + <usize>j, 1);
        let tail = head + count;
        if (tail >= n) tail -= n;
        stu(order, tail, <u32>j);
        count++;
      }
    }
    return moves;
  }
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (shuffle) shuffleU32(order, n);
    let moved = 0;
    for (let t = 0; t < n; t++) {
      if (moveNode(<i32>ldu(order, t), off, adj, w, k, m2, gamma, comm, tot, nw, seen) >= 0) moved++;
    }
    moves += moved;
    if (moved == 0) break;
  }
  return moves;
}

/** Evaluates node i; moves it and returns its new community, or -1 when it stays. */
// @ts-ignore: decorator
@inline function moveNode(i: i32, off: usize, adj: usize, w: usize, k: usize, m2: f64, gamma: f64, comm: usize, tot: usize, nw: usize, seen: usize): i32 {
  const ci = <i32>ldu(comm, i);
  const ki = ldf(k, i);
  const a = <i32>ldu(off, i);
  const b = <i32>ldu(off, i + 1);
  let ns = 0;
  stu(seen, ns++, <u32>ci);
  stf(nw, ci, 0);
  for (let p = a; p < b; p++) {
    const j = <i32>ldu(adj, p);
    if (j == i) continue;
    const c = <i32>ldu(comm, j);
    const f = ldf(nw, c);
    if (f == 0 && c != ci) stu(seen, ns++, <u32>c);
    stf(nw, c, f + wt(w, p));
  }
  stf(tot, ci, ldf(tot, ci) - ki);
  const scale = gamma * ki / m2;
  let bestC = ci;
  let bestGain = ldf(nw, ci) - ldf(tot, ci) * scale;
  for (let s = 1; s < ns; s++) {
    const c = <i32>ldu(seen, s);
    const gain = ldf(nw, c) - ldf(tot, c) * scale;
    if (gain > bestGain + 1e-12 * (Math.abs(bestGain) + ki)) {
      bestGain = gain;
      bestC = c;
    }
  }
  stf(tot, bestC, ldf(tot, bestC) + ki);
  for (let s = 0; s < ns; s++) stf(nw, <i32>ldu(seen, s), 0);
  if (bestC == ci) return -1;
  stu(comm, i, <u32>bestC);
  return bestC;
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
 * member of c, the summed weight of those entries (d == c: the self entry). memOff (u32[C + 1])
 * and members (u32[n]) are scratch for grouping nodes by community; nw f64[C] (zeroed) and seen
 * u32[C] accumulate a row. Returns the entry count written to nOff/nAdj/nW; with nAdj == 0 it
 * only counts (so the caller can allocate the level graph exactly).
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
  let q = 0;
  for (let d = 0; d < c; d++) {
    stu(nOff, d, <u32>q);
    let ns = 0;
    const me = <i32>ldu(memOff, d + 1);
    for (let mi = <i32>ldu(memOff, d); mi < me; mi++) {
      const i = <i32>ldu(members, mi);
      const b = <i32>ldu(off, i + 1);
      for (let p = <i32>ldu(off, i); p < b; p++) {
        const e = <i32>ldu(comm, <i32>ldu(adj, p));
        const f = ldf(nw, e);
        if (f == 0) stu(seen, ns++, <u32>e);
        stf(nw, e, f + wt(w, p));
      }
    }
    for (let s = 0; s < ns; s++) {
      const e = <i32>ldu(seen, s);
      if (nAdj) {
        stu(nAdj, q, <u32>e);
        stf(nW, q, ldf(nw, e));
      }
      stf(nw, e, 0);
      q++;
    }
  }
  stu(nOff, c, <u32>q);
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
