// Neighbourhood-based kernels: link prediction scores on the undirected simple view (sorted
// rows), seeded random walks, and GraphSAGE-style neighbour sampling.

import { ldu, ldi, sti, ldf, stf } from "./mem";
import { nextBelow, nextU32, seedRng, shuffleU32 } from "./rng";

/**
 * For each pair (us[i], vs[i]): common neighbours, Jaccard coefficient and Adamic–Adar index
 * (NetworkX common_neighbors / jaccard_coefficient / adamic_adar_index) into cn, jac, aa (f64).
 * Rows must be sorted and simple. O(deg u + deg v) per pair.
 */
export function linkScores(off: usize, adj: usize, us: usize, vs: usize, len: i32, cn: usize, jac: usize, aa: usize): void {
  for (let i = 0; i < len; i++) {
    const u = <i32>ldu(us, i);
    const v = <i32>ldu(vs, i);
    let p = <i32>ldu(off, u);
    const pe = <i32>ldu(off, u + 1);
    let q = <i32>ldu(off, v);
    const qe = <i32>ldu(off, v + 1);
    let common = 0;
    let adamic = 0.0;
    while (p < pe && q < qe) {
      const a = ldu(adj, p);
      const b = ldu(adj, q);
      if (a < b) p++;
      else if (b < a) q++;
      else {
        common++;
        const d = ldu(off, <i32>a + 1) - ldu(off, <i32>a);
        adamic += 1.0 / Math.log(<f64>d);
        p++;
        q++;
      }
    }
    const union = (pe - <i32>ldu(off, u)) + (qe - <i32>ldu(off, v)) - common;
    stf(cn, i, <f64>common);
    stf(jac, i, union > 0 ? <f64>common / <f64>union : 0);
    stf(aa, i, adamic);
  }
}

/** Seeds the PRNG that the sampling kernels below continue from. */
export function rngSeed(seed: u32): void {
  seedRng(seed);
}

/** A uniform f64 in [0, 1). */
// @ts-ignore: decorator
@inline function unit(): f64 {
  return <f64>nextU32() / 4294967296.0;
}

/**
 * Random walks (DeepWalk / node2vec with p = q = 1): from each of the ns starts, `length` nodes
 * (the start included), each step to an out-neighbour drawn uniformly among row entries (parallel
 * edges weigh by multiplicity) or, when w != 0, proportionally to edge weight. A walk that reaches
 * a node without out-edges stops; the rest of its row is -1. out: i32[ns * length].
 */
export function randomWalks(off: usize, adj: usize, w: usize, starts: usize, ns: i32, length: i32, out: usize): void {
  for (let s = 0; s < ns; s++) {
    let u = <i32>ldu(starts, s);
    const base = s * length;
    sti(out, base, u);
    let t = 1;
    for (; t < length; t++) {
      const a = <i32>ldu(off, u);
      const b = <i32>ldu(off, u + 1);
      if (a == b) break;
      let p: i32;
      if (w) {
        let total = 0.0;
        for (let q = a; q < b; q++) total += ldf(w, q);
        if (!(total > 0)) break;
        let r = unit() * total;
        p = b - 1;
        for (let q = a; q < b; q++) {
          r -= ldf(w, q);
          if (r < 0) { p = q; break; }
        }
      } else {
        p = a + <i32>nextBelow(<u32>(b - a));
      }
      u = <i32>ldu(adj, p);
      sti(out, base + t, u);
    }
    for (; t < length; t++) sti(out, base + t, -1);
  }
}

/**
 * One layer of neighbour sampling: for each node slot of prev (i32[len]; -1 = padding), `fanout`
 * neighbours from its row into out (i32[len * fanout]). With replace, draws uniformly with
 * replacement (GraphSAGE's fixed-size sampling); without, takes all neighbours when the row has
 * at most fanout (in row order, then -1 padding), else fanout distinct ones by Floyd's algorithm
 * (as PyG's NeighborLoader, replace=False). Slots of padding and nodes without neighbours get -1.
 */
export function sampleLayer(off: usize, adj: usize, prev: usize, len: i32, fanout: i32, replace: i32, out: usize): void {
  for (let i = 0; i < len; i++) {
    const u = ldi(prev, i);
    const base = i * fanout;
    if (u < 0) {
      for (let f = 0; f < fanout; f++) sti(out, base + f, -1);
      continue;
    }
    const a = <i32>ldu(off, u);
    const deg = <i32>ldu(off, u + 1) - a;
    if (deg == 0) {
      for (let f = 0; f < fanout; f++) sti(out, base + f, -1);
    } else if (replace) {
      for (let f = 0; f < fanout; f++) sti(out, base + f, <i32>ldu(adj, a + <i32>nextBelow(<u32>deg)));
    } else if (deg <= fanout) {
      for (let f = 0; f < fanout; f++) sti(out, base + f, f < deg ? <i32>ldu(adj, a + f) : -1);
    } else {
      // Floyd: positions chosen so far sit in out[base..base+c) as row offsets, mapped at the end
      let c = 0;
      for (let j = deg - fanout; j < deg; j++) {
        const t = <i32>nextBelow(<u32>(j + 1));
        let dup = false;
        for (let x = 0; x < c; x++) if (ldi(out, base + x) == t) { dup = true; break; }
        sti(out, base + c, dup ? j : t);
        c++;
      }
      for (let f = 0; f < fanout; f++) sti(out, base + f, <i32>ldu(adj, a + ldi(out, base + f)));
    }
  }
}

/** Fisher–Yates shuffle of n u32 at ptr with the PRNG as seeded by rngSeed. */
export function shuffleIndices(ptr: usize, n: i32): void {
  shuffleU32(ptr, n);
}
