// ONNX LayerNormalization (opset 17) and MeanVarianceNormalization (opset 13) over f32 tensors.
// Statistics accumulate in f64 (two passes: mean, then mean squared deviation), results are f32.

/**
 * LayerNormalization over `groups` contiguous groups of `n` elements (the axes from `axis` on):
 * y = (x - mean) / sqrt(var + epsilon) * scale + bias, var the population variance. `bias` may be
 * 0 (none); `meanOut` / `invStdOut` (f32 per group) may be 0.
 */
export function layer_norm_f32(
  src: usize, dst: usize, groups: i32, n: i32, scale: usize, bias: usize, epsilon: f64, meanOut: usize, invStdOut: usize,
): void {
  for (let g = 0; g < groups; g++) {
    const x = src + ((<usize>g * <usize>n) << 2);
    const y = dst + ((<usize>g * <usize>n) << 2);
    let sum: f64 = 0;
    for (let i = 0; i < n; i++) sum += <f64>load<f32>(x + (<usize>i << 2));
    const mean = sum / <f64>n;
    let sq: f64 = 0;
    for (let i = 0; i < n; i++) {
      const d = <f64>load<f32>(x + (<usize>i << 2)) - mean;
      sq += d * d;
    }
    const inv = 1 / Math.sqrt(sq / <f64>n + epsilon);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      let v = <f32>((<f64>load<f32>(x + o) - mean) * inv) * load<f32>(scale + o);
      if (bias != 0) v += load<f32>(bias + o);
      store<f32>(y + o, v);
    }
    if (meanOut != 0) store<f32>(meanOut + (<usize>g << 2), <f32>mean);
    if (invStdOut != 0) store<f32>(invStdOut + (<usize>g << 2), <f32>inv);
  }
}

const RUN_COORDS = memory.data(4 * 64);

/**
 * One sweep over a tensor described as runs of consecutive axes (sizes at `sizes`, i32 × nruns;
 * `keptStride` i32 × nruns: the stride of each run in the kept index, 0 for reduced runs). For each
 * element, op 0 adds x to acc[k], op 1 adds (x - mean[k])^2 to acc[k], op 2 writes
 * (x - mean[k]) * inv[k] to dst; k is the element's kept index. acc/mean/inv are f64 arrays.
 */
function sweep(src: usize, dst: usize, nruns: i32, sizes: usize, keptStride: usize, op: i32, acc: usize, mean: usize, inv: usize): void {
  const last = nruns - 1;
  const innerN = load<i32>(sizes + (<usize>last << 2));
  const innerStride = load<i32>(keptStride + (<usize>last << 2));
  let outer: i64 = 1;
  for (let r = 0; r < last; r++) {
    outer *= <i64>load<i32>(sizes + (<usize>r << 2));
    store<i32>(RUN_COORDS + (<usize>r << 2), 0);
  }
  let e: usize = 0;
  let kBase: i32 = 0;
  for (let o: i64 = 0; o < outer; o++) {
    for (let i = 0; i < innerN; i++) {
      const k = <usize>(kBase + i * innerStride) << 3;
      const at = (e + <usize>i) << 2;
      const x = <f64>load<f32>(src + at);
      if (op == 0) store<f64>(acc + k, load<f64>(acc + k) + x);
      else if (op == 1) {
        const d = x - load<f64>(mean + k);
        store<f64>(acc + k, load<f64>(acc + k) + d * d);
      } else store<f32>(dst + at, <f32>((x - load<f64>(mean + k)) * load<f64>(inv + k)));
    }
    e += <usize>innerN;
    for (let r = last - 1; r >= 0; r--) {
      const c = RUN_COORDS + (<usize>r << 2);
      const stride = load<i32>(keptStride + (<usize>r << 2));
      const v = load<i32>(c) + 1;
      if (v < load<i32>(sizes + (<usize>r << 2))) {
        store<i32>(c, v);
        kBase += stride;
        break;
      }
      kBase -= (v - 1) * stride;
      store<i32>(c, 0);
    }
  }
}

/**
 * MeanVarianceNormalization: y = (x - E[x]) / (sqrt(E[(x - E[x])^2]) + 1e-9) with the expectations
 * over the reduced runs, per kept index (kept = product of kept run sizes, count = product of
 * reduced run sizes). `scratch` holds 3 × kept f64.
 */
export function mvn_f32(src: usize, dst: usize, nruns: i32, sizes: usize, keptStride: usize, kept: i32, count: i32, scratch: usize): void {
  const acc = scratch;
  const mean = scratch + (<usize>kept << 3);
  const inv = scratch + (<usize>kept << 4);
  memory.fill(acc, 0, <usize>kept << 3);
  sweep(src, dst, nruns, sizes, keptStride, 0, acc, mean, inv);
  for (let k = 0; k < kept; k++) {
    store<f64>(mean + (<usize>k << 3), load<f64>(acc + (<usize>k << 3)) / <f64>count);
  }
  memory.fill(acc, 0, <usize>kept << 3);
  sweep(src, dst, nruns, sizes, keptStride, 1, acc, mean, inv);
  for (let k = 0; k < kept; k++) {
    const v = load<f64>(acc + (<usize>k << 3)) / <f64>count;
    store<f64>(inv + (<usize>k << 3), 1 / (Math.sqrt(v) + 1e-9));
  }
  sweep(src, dst, nruns, sizes, keptStride, 2, acc, mean, inv);
}
