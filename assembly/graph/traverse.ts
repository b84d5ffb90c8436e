// Breadth-first search and connected components over a CSR (off, adj).

import { ldu, stu, ldi, sti } from "./mem";

/**
 * Multi-source BFS. dist (i32[n]) and parent (i32[n]) are filled with -1 except for visited
 * nodes; sources (u32[ns]) get distance 0. Stops expanding at maxDepth (-1: no limit).
 * order (u32[n]) receives the visited nodes in visiting order; returns how many.
 */
export function bfs(n: i32, off: usize, adj: usize, sources: usize, ns: i32, maxDepth: i32, dist: usize, parent: usize, order: usize): i32 {
  memory.fill(dist, 0xff, <usize>n << 2);
  memory.fill(parent, 0xff, <usize>n << 2);
  let tail = 0;
  for (let i = 0; i < ns; i++) {
    const s = <i32>ldu(sources, i);
    if (ldi(dist, s) < 0) {
      sti(dist, s, 0);
      stu(order, tail++, <u32>s);
    }
  }
  let head = 0;
  while (head < tail) {
    const u = <i32>ldu(order, head++);
    const du = ldi(dist, u);
    if (maxDepth >= 0 && du >= maxDepth) continue;
    const end = <i32>ldu(off, u + 1);
    for (let p = <i32>ldu(off, u); p < end; p++) {
      const v = <i32>ldu(adj, p);
      if (ldi(dist, v) < 0) {
        sti(dist, v, du + 1);
        sti(parent, v, u);
        stu(order, tail++, <u32>v);
      }
    }
  }
  return tail;
}

// @ts-ignore: decorator
@inline function find(parent: usize, x: u32): u32 {
  // path halving
  while (true) {
    const p = ldu(parent, <i32>x);
    if (p == x) return x;
    const g = ldu(parent, <i32>p);
    stu(parent, <i32>x, g);
    x = g;
  }
}

/**
 * Labels each node with its component, numbered 0.. in order of each component's smallest node
 * index; sizes (i32[n]) receives component sizes. Union-find with path halving, union by index
 * (the larger root points to the smaller), over every entry of the CSR — direction ignored.
 * parent is u32[n] scratch. Returns the number of components.
 */
export function weakComponents(n: i32, off: usize, adj: usize, parent: usize, labels: usize, sizes: usize): i32 {
  for (let i = 0; i < n; i++) stu(parent, i, <u32>i);
  for (let u = 0; u < n; u++) {
    const end = <i32>ldu(off, u + 1);
    for (let p = <i32>ldu(off, u); p < end; p++) {
      let a = find(parent, <u32>u);
      let b = find(parent, ldu(adj, p));
      if (a == b) continue;
      if (a < b) stu(parent, <i32>b, a);
      else stu(parent, <i32>a, b);
    }
  }
  return labelRoots(n, parent, labels, sizes);
}

// Roots are always the smallest index of their set, so a root is met before its other members.
function labelRoots(n: i32, parent: usize, labels: usize, sizes: usize): i32 {
  let c = 0;
  for (let u = 0; u < n; u++) {
    const r = find(parent, <u32>u);
    let l: i32;
    if (r == <u32>u) {
      l = c++;
      sti(sizes, l, 0);
    } else {
      l = ldi(labels, <i32>r);
    }
    sti(labels, u, l);
    sti(sizes, l, ldi(sizes, l) + 1);
  }
  return c;
}

/**
 * Strongly connected components by iterative Tarjan over out-edges. scratch is u32[4n]:
 * index, low, the Tarjan stack and the call stack (node, next edge) share it. Labels are then
 * renumbered by each component's smallest node index. Returns the number of components.
 */
export function strongComponents(n: i32, off: usize, adj: usize, scratch: usize, labels: usize, sizes: usize): i32 {
  const index = scratch;
  const low = scratch + (<usize>n << 2);
  const stack = scratch + (<usize>n << 3);
  const call = scratch + (<usize>n * 12);
  // labels doubles as each frame's next-edge cursor until the components are final
  const callEdge = labels;
  memory.fill(index, 0xff, <usize>n << 2);
  let counter = 0;
  let sp = 0;
  let comps = 0;
  // once a node's component is known, low holds it, flagged by the high bit
  const DONE: u32 = 0x80000000;
  for (let root = 0; root < n; root++) {
    if (ldi(index, root) >= 0) continue;
    let csp = 0;
    stu(call, csp, <u32>root);
    stu(callEdge, csp, ldu(off, root));
    csp++;
    sti(index, root, counter);
    stu(low, root, <u32>counter);
    counter++;
    stu(stack, sp++, <u32>root);
    while (csp > 0) {
      const u = <i32>ldu(call, csp - 1);
      let p = <i32>ldu(callEdge, csp - 1);
      const end = <i32>ldu(off, u + 1);
      let descended = false;
      while (p < end) {
        const v = <i32>ldu(adj, p++);
        if (ldi(index, v) < 0) {
          stu(callEdge, csp - 1, <u32>p);
          sti(index, v, counter);
          stu(low, v, <u32>counter);
          counter++;
          stu(stack, sp++, <u32>v);
          stu(call, csp, <u32>v);
          stu(callEdge, csp, ldu(off, v));
          csp++;
          descended = true;
          break;
        }
        const lv = ldu(low, v);
        if (!(lv & DONE)) {
          // v is on the stack: use its index
          const iv = <u32>ldi(index, v);
          if (iv < ldu(low, u)) stu(low, u, iv);
        }
      }
      if (descended) continue;
      // u finished
      csp--;
      const lu = ldu(low, u);
      if (lu == <u32>ldi(index, u)) {
        let w: i32;
        do {
          w = <i32>ldu(stack, --sp);
          stu(low, w, DONE | <u32>comps);
        } while (w != u);
        comps++;
      } else {
        const parentNode = <i32>ldu(call, csp - 1);
        if (lu < ldu(low, parentNode)) stu(low, parentNode, lu);
      }
    }
  }
  // renumber by smallest member: walk nodes in order, first sight of a component gets next id
  const remap = index; // reuse: component -> new id
  memory.fill(remap, 0xff, <usize>n << 2);
  let c = 0;
  for (let u = 0; u < n; u++) {
    const old = <i32>(ldu(low, u) & ~DONE);
    let l = ldi(remap, old);
    if (l < 0) {
      l = c++;
      sti(remap, old, l);
      sti(sizes, l, 0);
    }
    sti(labels, u, l);
    sti(sizes, l, ldi(sizes, l) + 1);
  }
  return c;
}
