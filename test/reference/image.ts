// Plain-TS image preprocessing, step by step as weir/prep's imageToTensor documents it: crop ->
// ONNX Resize per channel plane (test/reference/resize.ts) -> letterbox pad or cover crop ->
// channel mix (order, gray = 0.299 R + 0.587 G + 0.114 B, alpha 255 when absent) -> (x·scale −
// mean)/std -> layout -> dtype (float16 by arithmetic, QuantizeLinear with round half to even).
import { referenceAreaResize, referenceResize, type RefResizeOptions } from './resize.js';

export interface RefImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
  format: 'rgba' | 'rgb' | 'gray' | 'bgra' | 'bgr';
  stride?: number;
}

export interface RefImageOptions {
  crop?: { x: number; y: number; width: number; height: number };
  resize?: RefResizeOptions & { width: number; height: number; fit?: string; align?: string; padValue?: number | number[] };
  channels?: 'rgb' | 'bgr' | 'rgba' | 'bgra' | 'gray';
  scale?: number;
  mean?: number | number[];
  std?: number | number[];
  layout?: 'nchw' | 'nhwc' | 'chw' | 'hwc';
  dtype?: 'float32' | 'float16' | 'uint8' | 'int8';
  quantize?: { scale: number; zeroPoint?: number };
}

const CH = { rgba: 4, bgra: 4, rgb: 3, bgr: 3, gray: 1 } as const;

/** IEEE binary16 of x by arithmetic (round to nearest, ties to even), as bits. */
export function referenceF16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  const roundEven = (v: number): number => {
    const f = Math.floor(v);
    const d = v - f;
    return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  };
  if (a < 2 ** -14) return sign | roundEven(a / 2 ** -24); // subnormal (may round up to the first normal)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  let m = roundEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) { m = 0; e++; }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

/** binary16 bits to a number. */
export function referenceF16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function referenceQuantize(y: number, scale: number, zeroPoint: number, signed: boolean): number {
  const v = y / scale;
  const f = Math.floor(v);
  const d = v - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  const q = Number.isNaN(v) ? zeroPoint : r + zeroPoint;
  return signed ? Math.min(127, Math.max(-128, q)) : Math.min(255, Math.max(0, q));
}

/** Returns the tensor values before the dtype step (float64) and after it, with the dims. */
export function referenceImageToTensor(img: RefImage, o: RefImageOptions): { dims: number[]; values: Float64Array; data: number[] } {
  const C = CH[img.format];
  const stride = img.stride ?? img.width * C;
  const crop = o.crop ?? { x: 0, y: 0, width: img.width, height: img.height };
  // Planes of the cropped source, lane k = source channel k.
  const planes: Float64Array[] = [];
  for (let k = 0; k < C; k++) {
    const p = new Float64Array(crop.width * crop.height);
    for (let y = 0; y < crop.height; y++) {
      for (let x = 0; x < crop.width; x++) p[y * crop.width + x] = img.data[(crop.y + y) * stride + (crop.x + x) * C + k]!;
    }
    planes.push(p);
  }
  let H = crop.height;
  let W = crop.width;
  let rh = H;
  let rw = W;
  let offY = 0;
  let offX = 0;
  let resized = planes;
  let pad: number[] | null = null;
  const outChannels = o.channels ?? 'rgb';
  const outC = outChannels === 'gray' ? 1 : outChannels.length;
  if (o.resize) {
    const { width, height, fit = 'stretch', align = 'center', padValue, ...attrs } = o.resize;
    H = height;
    W = width;
    const mode = attrs.mode ?? 'linear';
    const ro: RefResizeOptions = {
      ...attrs, mode,
      antialias: attrs.antialias ?? (mode === 'linear' || mode === 'cubic' ? 1 : 0),
      sizes: [height, width],
      keep_aspect_ratio_policy: fit === 'contain' ? 'not_larger' : fit === 'cover' ? 'not_smaller' : 'stretch',
    };
    resized = planes.map((p) => {
      const r = (mode as string) === 'area' ? referenceAreaResize(p, [crop.height, crop.width], ro) : referenceResize(p, [crop.height, crop.width], ro);
      [rh, rw] = r.dims as [number, number];
      return r.data;
    });
    if (fit === 'contain') {
      offY = align === 'center' ? Math.floor((H - rh) / 2) : 0;
      offX = align === 'center' ? Math.floor((W - rw) / 2) : 0;
      pad = typeof padValue === 'number' ? new Array<number>(outC).fill(padValue) : padValue ?? new Array<number>(outC).fill(0);
    } else if (fit === 'cover') {
      offY = align === 'center' ? -Math.floor((rh - H) / 2) : 0;
      offX = align === 'center' ? -Math.floor((rw - W) / 2) : 0;
    }
  }
  const lane = (name: 'R' | 'G' | 'B' | 'A'): number => {
    const order = { rgba: 'RGBA', bgra: 'BGRA', rgb: 'RGB', bgr: 'BGR', gray: '' }[img.format];
    return img.format === 'gray' ? (name === 'A' ? -1 : 0) : order.indexOf(name);
  };
  const channelValue = (name: string, px: (k: number) => number): number => {
    if (name === 'A') return lane('A') >= 0 ? px(lane('A')) : 255;
    if (name === 'Y') return img.format === 'gray' ? px(0) : 0.299 * px(lane('R')) + 0.587 * px(lane('G')) + 0.114 * px(lane('B'));
    return px(lane(name as 'R' | 'G' | 'B'));
  };
  const names = outChannels === 'gray' ? ['Y'] : outChannels.toUpperCase().split('');
  const scale = o.scale ?? 1 / 255;
  const mean = typeof o.mean === 'number' || o.mean === undefined ? new Array<number>(outC).fill(o.mean ?? 0) : o.mean;
  const std = typeof o.std === 'number' || o.std === undefined ? new Array<number>(outC).fill(o.std ?? 1) : o.std;
  const layout = o.layout ?? 'nchw';
  const planar = layout === 'nchw' || layout === 'chw';
  const values = new Float64Array(outC * H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sy = y - offY;
      const sx = x - offX;
      const inside = sy >= 0 && sy < rh && sx >= 0 && sx < rw;
      for (let c = 0; c < outC; c++) {
        const raw = inside ? channelValue(names[c]!, (k) => resized[k]![sy * rw + sx]!) : pad![c]!;
        const v = (raw * scale - mean[c]!) / std[c]!;
        values[planar ? (c * H + y) * W + x : (y * W + x) * outC + c] = v;
      }
    }
  }
  const dims = planar ? [outC, H, W] : [H, W, outC];
  const batched = layout === 'nchw' || layout === 'nhwc';
  const dtype = o.dtype ?? 'float32';
  const data = Array.from(values, (v) => {
    if (dtype === 'float32') return Math.fround(v);
    if (dtype === 'float16') return referenceF16(v);
    return referenceQuantize(v, o.quantize?.scale ?? 1, o.quantize?.zeroPoint ?? 0, dtype === 'int8');
  });
  return { dims: batched ? [1, ...dims] : dims, values, data };
}
