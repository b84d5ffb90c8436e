// Hashes of dictionary strings (their UTF-8 bytes), so distinct counts depend on string content,
// not on the order in which strings were first seen.
import { hashBytes64 } from "../common/hash";

/** Writes the 64-bit hash of `len` UTF-8 bytes at `ptr` to `out`. */
export function hashBytes64Parts(ptr: usize, len: i32, out: usize): void {
  store<u64>(out, hashBytes64(ptr, len, 0x77656972));
}
