// graph.wasm: CSR graphs and their algorithms. Numbers in, numbers out — pointers, lengths and
// scalars; src/graph/ validates every argument and owns every allocation.
export { alloc, free, memoryBytes } from "./common/alloc";
export * from "./graph/ids";
export * from "./graph/csr";
export * from "./graph/traverse";
export * from "./graph/pagerank";
export * from "./graph/cohesion";
export * from "./graph/community";
export * from "./graph/centrality";
export * from "./graph/neighbors";

/**
 * Grows linear memory by exactly `pages` 64 KiB pages; returns the previous size in pages, or -1.
 * src/graph/arena.ts places large graph arrays in memory grown this way, beyond the allocator's
 * heap, so a graph takes the bytes it planned (the allocator would double memory as it grows).
 */
export function growPages(pages: i32): i32 {
  return memory.grow(pages);
}
