// Typed loads and stores over linear memory for the graph kernels. Indices are i32 (node and
// adjacency positions stay below 2^31 because the 4 GiB plan refuses anything larger).

// @ts-ignore: decorator
@inline export function ldu(ptr: usize, i: i32): u32 {
  return load<u32>(ptr + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline export function ldi(ptr: usize, i: i32): i32 {
  return load<i32>(ptr + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline export function stu(ptr: usize, i: i32, v: u32): void {
  store<u32>(ptr + (<usize>i << 2), v);
}
// @ts-ignore: decorator
@inline export function sti(ptr: usize, i: i32, v: i32): void {
  store<i32>(ptr + (<usize>i << 2), v);
}
// @ts-ignore: decorator
@inline export function ldf(ptr: usize, i: i32): f64 {
  return load<f64>(ptr + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline export function stf(ptr: usize, i: i32, v: f64): void {
  store<f64>(ptr + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline export function ldb(ptr: usize, i: i32): u8 {
  return load<u8>(ptr + <usize>i);
}
// @ts-ignore: decorator
@inline export function stb(ptr: usize, i: i32, v: u8): void {
  store<u8>(ptr + <usize>i, v);
}

/** Edge weight at position i, or 1 when the graph is unweighted (w == 0). */
// @ts-ignore: decorator
@inline export function wt(w: usize, i: i32): f64 {
  return w ? load<f64>(w + (<usize>i << 3)) : 1.0;
}
