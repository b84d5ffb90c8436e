// Allocation exports shared by every family. TypeScript owns these blocks: it allocates input
// columns and scratch space with `alloc`, and frees them with `free` (or drops the whole
// instance). The TLSF allocator of asc's runtime manages the heap; kernels never allocate
// managed (garbage-collected) objects.

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Bytes of linear memory in use by the module (its current size). */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}

/** heap.realloc that also accepts a null block (then it allocates). */
// @ts-ignore: decorator
@inline
export function regrow(ptr: usize, size: usize): usize {
  return ptr ? heap.realloc(ptr, size) : heap.alloc(size);
}
