import { WeirError } from '../runtime/errors.js';
import { MAX_WASM_BYTES, withScope, type Kernel } from '../runtime/kernel.js';
import type { GraphExports } from './kernel.js';

const PAGE = 65536;
const ALIGN = 16;

/** "1234567890 bytes (1.15 GiB)" */
export function formatBytes(bytes: number): string {
  return `${bytes} bytes (${(bytes / 2 ** 30).toFixed(2)} GiB)`;
}

/**
 * A graph's own allocator over its wasm instance: first-fit with coalescing, over memory grown
 * page by page with `growPages`. Unlike the module's general-purpose heap it never doubles memory
 * when it grows and has no 1 GiB block limit, so a graph occupies what its plan says, up to the
 * 4 GiB of wasm32 (or the caller's lower `memoryLimit`).
 *
 * The module's own heap is initialised first (one alloc/free), so it never claims this memory.
 */
export class Arena {
  private readonly freeList: { ptr: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private live = 0;
  /** Largest number of bytes live at once. */
  peak = 0;

  constructor(readonly kernel: Kernel<GraphExports>, readonly limit: number) {
    kernel.exports.free(kernel.exports.alloc(8));
  }

  /** Bytes of linear memory the instance has. */
  get memoryBytes(): number {
    return this.kernel.memory.buffer.byteLength;
  }

  /** Bytes of linear memory in use (allocated blocks plus the module's own heap). */
  get used(): number {
    return this.memoryBytes - this.freeBytes();
  }

  /** Bytes that could still be allocated without exceeding the limit. */
  get available(): number {
    let free = 0;
    for (const b of this.freeList) free += b.size;
    return free + Math.max(0, this.limit - this.memoryBytes);
  }

  /**
   * Throws E_MEMORY, naming `what` and the bytes it needs, unless `bytes` more fit — the up-front
   * refusal that runs before a step allocates anything.
   */
  ensure(bytes: number, what: string): void {
    if (bytes > this.available) {
      const total = this.used + bytes;
      throw new WeirError(
        'E_MEMORY',
        `weir/graph: ${what} needs ${formatBytes(total)} of wasm memory, over the limit of ${formatBytes(this.limit)}` +
          (this.limit >= MAX_WASM_BYTES ? ' (a wasm32 module can address at most 4 GiB)' : ''),
      );
    }
  }

  alloc(bytes: number, what = 'this step'): number {
    this.kernel.assertLive();
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let i = this.freeList.findIndex((b) => b.size >= size);
    if (i < 0) {
      this.grow(size, what);
      i = this.freeList.findIndex((b) => b.size >= size);
    }
    const block = this.freeList[i];
    const ptr = block.ptr;
    if (block.size === size) this.freeList.splice(i, 1);
    else {
      block.ptr += size;
      block.size -= size;
    }
    this.sizes.set(ptr, size);
    this.live += size;
    if (this.live > this.peak) this.peak = this.live;
    return ptr;
  }

  /** Allocates and zero-fills. */
  calloc(bytes: number, what?: string): number {
    const ptr = this.alloc(bytes, what);
    new Uint8Array(this.kernel.memory.buffer, ptr, bytes).fill(0);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined || this.kernel.isDisposed) return;
    this.sizes.delete(ptr);
    this.live -= size;
    const list = this.freeList;
    let i = 0;
    while (i < list.length && list[i].ptr < ptr) i++;
    list.splice(i, 0, { ptr, size });
    if (i + 1 < list.length && list[i].ptr + list[i].size === list[i + 1].ptr) {
      list[i].size += list[i + 1].size;
      list.splice(i + 1, 1);
    }
    if (i > 0 && list[i - 1].ptr + list[i - 1].size === list[i].ptr) {
      list[i - 1].size += list[i].size;
      list.splice(i, 1);
    }
  }

  /** Gives back the end of a block so that it keeps only its first `bytes`. */
  shrink(ptr: number, bytes: number): void {
    const size = this.sizes.get(ptr);
    const keep = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    if (size === undefined || keep >= size || this.kernel.isDisposed) return;
    this.sizes.set(ptr, keep);
    this.sizes.set(ptr + keep, size - keep);
    this.release(ptr + keep);
  }

  /** Runs `fn` with an allocator whose blocks are released when it returns or throws. */
  scoped<T>(fn: (alloc: (bytes: number) => number) => T): T {
    return withScope((bytes) => this.alloc(bytes), (ptr) => this.release(ptr), fn);
  }

  private freeBytes(): number {
    let free = 0;
    for (const b of this.freeList) free += b.size;
    return free;
  }

  private grow(size: number, what: string): void {
    const end = this.memoryBytes;
    const last = this.freeList[this.freeList.length - 1];
    const tailFree = last && last.ptr + last.size === end ? last.size : 0;
    const pages = Math.ceil((size - tailFree) / PAGE);
    if (end + pages * PAGE > this.limit) this.ensure(size, what);
    const before = this.kernel.exports.growPages(pages);
    if (before < 0) {
      throw new WeirError('E_MEMORY', `weir/graph: ${what} could not grow wasm memory to ${formatBytes(end + pages * PAGE)}`);
    }
    if (tailFree) last.size += pages * PAGE;
    else this.freeList.push({ ptr: end, size: pages * PAGE });
  }
}
