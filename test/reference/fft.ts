// Plain-TS oracles for the Fourier kernels: the O(n^2) DFT straight from the ONNX definition,
// y[k] = sum_n x[n] e^{-2 pi i k n / N}, inverse x[n] = 1/N sum_k y[k] e^{+2 pi i k n / N}.

/** Direct DFT of complex (re, im) of length N; `inverse` flips the sign and scales by 1/N. */
export function directDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      // k*j mod n keeps the angle small, so the oracle itself stays accurate for large n.
      const a = (sign * 2 * Math.PI * ((k * j) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      sr += re[j]! * c - im[j]! * s;
      si += re[j]! * s + im[j]! * c;
    }
    outRe[k] = inverse ? sr / n : sr;
    outIm[k] = inverse ? si / n : si;
  }
  return [outRe, outIm];
}

export interface DftRefOptions {
  axis: number; // normalised, in [0, rank-2]
  onesided: boolean;
  inverse: boolean;
  dftLength?: number;
}

/** ONNX DFT (opset 20) on a row-major tensor [..., 1|2]; returns [dims, data]. */
export function dftRef(data: ArrayLike<number>, dims: number[], o: DftRefOptions): [number[], Float64Array] {
  const r = dims.length;
  const inC = dims[r - 1]!;
  const nAxis = dims[o.axis]!;
  const outer = dims.slice(0, o.axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(o.axis + 1, r - 1).reduce((a, b) => a * b, 1);
  const irfft = o.inverse && o.onesided;
  const n = o.dftLength ?? (irfft ? 2 * (nAxis - 1) : nAxis);
  const outLen = irfft ? n : o.onesided ? Math.floor(n / 2) + 1 : n;
  const outC = irfft ? 1 : 2;
  const outDims = [...dims];
  outDims[o.axis] = outLen;
  outDims[r - 1] = outC;
  const out = new Float64Array(outDims.reduce((a, b) => a * b, 1));
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number, c: number) => data[((a * nAxis + j) * inner + i) * inC + c]!;
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      if (irfft) {
        const half = Math.floor(n / 2);
        const bins = Math.min(nAxis, half + 1);
        for (let k = 0; k < n; k++) {
          const kk = k <= half ? k : n - k;
          if (kk >= bins) continue;
          re[k] = at(kk, 0);
          const v = inC === 2 ? at(kk, 1) : 0;
          im[k] = k > half ? -v : v;
        }
      } else {
        for (let j = 0; j < Math.min(n, nAxis); j++) {
          re[j] = at(j, 0);
          im[j] = inC === 2 ? at(j, 1) : 0;
        }
      }
      const [yr, yi] = directDft(re, im, o.inverse);
      for (let k = 0; k < outLen; k++) {
        const base = ((a * outLen + k) * inner + i) * outC;
        out[base] = yr[k]!;
        if (outC === 2) out[base + 1] = yi[k]!;
      }
    }
  }
  return [outDims, out];
}

/** ONNX STFT of a real or complex signal [batch, length, 1|2]: [batch, frames, bins, 2]. */
export function stftRef(
  data: ArrayLike<number>, dims: [number, number, number], step: number, frameLength: number,
  window: ArrayLike<number> | undefined, onesided: boolean,
): [number[], Float64Array] {
  const [batch, length, inC] = dims;
  const frames = Math.floor((length - frameLength) / step) + 1;
  const bins = onesided ? Math.floor(frameLength / 2) + 1 : frameLength;
  const out = new Float64Array(batch * frames * bins * 2);
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < frames; f++) {
      const re = new Float64Array(frameLength);
      const im = new Float64Array(frameLength);
      for (let j = 0; j < frameLength; j++) {
        const w = window ? window[j]! : 1;
        const s = (b * length + f * step + j) * inC;
        re[j] = data[s]! * w;
        im[j] = inC === 2 ? data[s + 1]! * w : 0;
      }
      const [yr, yi] = directDft(re, im);
      for (let k = 0; k < bins; k++) {
        const o = ((b * frames + f) * bins + k) * 2;
        out[o] = yr[k]!;
        out[o + 1] = yi[k]!;
      }
    }
  }
  return [[batch, frames, bins, 2], out];
}
