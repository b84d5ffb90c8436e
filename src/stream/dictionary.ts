import type { Kernel } from '../runtime/kernel.js';
import type { StreamExports } from './kernel.js';

const encoder = new TextEncoder();

/**
 * Operator-wide string dictionary: each distinct string gets a dense id (in first-seen order,
 * so the same input always gives the same ids) and a 64-bit hash of its UTF-8 bytes kept in wasm
 * memory, so distinct counts depend on string content, not on ids.
 */
export class StringDictionary {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Pointer of the u64 hash table in wasm memory (id -> hash); moves when it grows. */
  hashesPtr = 0;
  private capacity = 0;
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(private readonly kernel: Kernel<StreamExports>) {}

  get size(): number {
    return this.strings.length;
  }

  /** The id of `s`, adding it if new. O(1) expected, plus O(|s|) to hash a new string. */
  id(s: string): number {
    const found = this.ids.get(s);
    if (found !== undefined) return found;
    const id = this.strings.length;
    this.ensure(id + 1);
    this.strings.push(s);
    this.ids.set(s, id);
    this.hash(s, id);
    return id;
  }

  /** A point to roll back to if the batch that adds strings is rejected. */
  mark(): number {
    return this.strings.length;
  }

  /** Forgets strings added since `mark` (their hash slots are simply overwritten later). */
  rollback(mark: number): void {
    while (this.strings.length > mark) this.ids.delete(this.strings.pop() as string);
  }

  /** Ids for the entries of an Arrow dictionary (or any string list): a remap table. */
  remap(values: ArrayLike<string | null>): Int32Array {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = v === null || v === undefined ? -1 : this.id(v);
    }
    return out;
  }

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(1024, this.capacity * 2, n);
    const ptr = this.kernel.alloc(cap * 8);
    if (this.hashesPtr) {
      this.kernel.write(ptr, this.kernel.view(Uint8Array, this.hashesPtr, this.capacity * 8));
      this.kernel.free(this.hashesPtr);
    }
    this.hashesPtr = ptr;
    this.capacity = cap;
  }

  private hash(s: string, id: number): void {
    const bytes = encoder.encode(s);
    if (bytes.length > this.scratchBytes) {
      if (this.scratchPtr) this.kernel.free(this.scratchPtr);
      this.scratchBytes = Math.max(256, bytes.length * 2);
      this.scratchPtr = this.kernel.alloc(this.scratchBytes);
    }
    this.kernel.write(this.scratchPtr, bytes);
    this.kernel.exports.hashBytes64Parts(this.scratchPtr, bytes.length, this.hashesPtr + id * 8);
  }

  /** What a snapshot must keep to rebuild the dictionary (the hashes stay in wasm memory). */
  toJSON(): { strings: string[]; hashesPtr: number; capacity: number; scratchPtr: number; scratchBytes: number } {
    return { strings: this.strings, hashesPtr: this.hashesPtr, capacity: this.capacity, scratchPtr: this.scratchPtr, scratchBytes: this.scratchBytes };
  }

  restore(saved: ReturnType<StringDictionary['toJSON']>): void {
    this.strings.length = 0;
    this.ids.clear();
    saved.strings.forEach((s, i) => { this.strings.push(s); this.ids.set(s, i); });
    this.hashesPtr = saved.hashesPtr;
    this.capacity = saved.capacity;
    this.scratchPtr = saved.scratchPtr;
    this.scratchBytes = saved.scratchBytes;
  }
}
