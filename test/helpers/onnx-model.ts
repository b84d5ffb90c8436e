// Builds one-off ONNX models in tests (an encoded ModelProto) and runs them with onnxruntime-web,
// the oracle for prep kernels that match an ONNX operator.
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import type { Tensor } from '../../dist/prep/tensor.js';

const { onnx } = onnxProto;

// One thread: tests share two cores, and a worker pool per session only adds start-up time.
ort.env.wasm.numThreads = 1;

/** Element types by ONNX name (the ones prep uses plus a few that models need around them). */
export type OnnxDtype = Tensor['dtype'] | 'bool' | 'int16' | 'uint16' | 'uint32' | 'uint64' | 'string';

const DATA_TYPE: Record<OnnxDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int16: onnx.TensorProto.DataType.INT16,
  uint16: onnx.TensorProto.DataType.UINT16,
  int32: onnx.TensorProto.DataType.INT32,
  uint32: onnx.TensorProto.DataType.UINT32,
  int64: onnx.TensorProto.DataType.INT64,
  uint64: onnx.TensorProto.DataType.UINT64,
  bool: onnx.TensorProto.DataType.BOOL,
  string: onnx.TensorProto.DataType.STRING,
};

/**
 * An attribute value. Plain values are typed by what they hold: a string is STRING, an integer
 * number or bigint INT, another number FLOAT, an array of integers INTS, of numbers FLOATS, of
 * strings STRINGS. A float attribute whose value happens to be whole (extrapolation_value = 0)
 * needs the explicit form `{ type: 'float', value: 0 }`; likewise `{ type: 'floats', value: [1, 2] }`.
 */
export type AttributeValue =
  | number | bigint | string | number[] | string[]
  | { type: 'float'; value: number }
  | { type: 'int'; value: number | bigint }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: (number | bigint)[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; value: InitializerSpec };

export interface NodeSpec {
  opType: string;
  inputs: string[]; // '' for an omitted optional input
  outputs: string[];
  attributes?: Record<string, AttributeValue | undefined>;
  domain?: string;
  name?: string;
}

export interface ValueSpec {
  name: string;
  dtype: OnnxDtype;
  /** Fixed sizes, or a string / null / -1 for a dynamic dimension. */
  dims: (number | string | null)[];
}

export interface InitializerSpec {
  name?: string;
  dtype: OnnxDtype;
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint> | ArrayBufferView;
}

export interface ModelSpec {
  nodes: NodeSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers?: InitializerSpec[];
  /** Default-domain opset; 19 unless given. */
  opset?: number;
  /** Extra domains, e.g. `{ 'com.microsoft': 1 }`. */
  domains?: Record<string, number>;
}

/** Encodes a one-graph ONNX ModelProto. */
export function buildModel(spec: ModelSpec): Uint8Array {
  const opset = spec.opset ?? 19;
  const opsetImport = [{ domain: '', version: opset }];
  for (const [domain, version] of Object.entries(spec.domains ?? {})) opsetImport.push({ domain, version });
  for (const n of spec.nodes) {
    if (n.domain && !opsetImport.some((o) => o.domain === n.domain)) opsetImport.push({ domain: n.domain, version: 1 });
  }
  const model = onnx.ModelProto.create({
    // IR 9 carries opsets up to 20, IR 10 up to 22.
    irVersion: opset >= 21 ? 10 : 9,
    producerName: 'weir-tests',
    opsetImport,
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.opType}_${i}`,
        opType: n.opType,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([name, v]) => encodeAttribute(name, v as AttributeValue)),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map((t) => tensorProto(t)),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(v: ValueSpec) {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[v.dtype],
        shape: {
          dim: v.dims.map((d) => (typeof d === 'number' && d >= 0 ? { dimValue: d } : { dimParam: typeof d === 'string' ? d : '' })),
        },
      },
    },
  };
}

function tensorProto(t: InitializerSpec) {
  const base = { name: t.name ?? '', dataType: DATA_TYPE[t.dtype], dims: t.dims };
  if (t.dtype === 'string') throw new Error('onnx-model: string tensors are not supported');
  return { ...base, rawData: rawBytes(t) };
}

const ARRAYS: Record<Exclude<OnnxDtype, 'string'>, { new (n: number): ArrayBufferView & { [i: number]: number | bigint } }> = {
  float32: Float32Array, float16: Uint16Array, float64: Float64Array, uint8: Uint8Array, int8: Int8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array,
  uint64: BigUint64Array, bool: Uint8Array,
};

// raw_data is little-endian, which is what typed arrays hold on every platform weir runs on.
function rawBytes(t: InitializerSpec): Uint8Array {
  const ctor = ARRAYS[t.dtype as Exclude<OnnxDtype, 'string'>];
  let arr: ArrayBufferView;
  if (t.data instanceof ctor) arr = t.data as ArrayBufferView;
  else {
    const src = t.data as ArrayLike<number | bigint>;
    const out = new ctor(src.length);
    const big = t.dtype === 'int64' || t.dtype === 'uint64';
    for (let i = 0; i < src.length; i++) out[i] = big ? BigInt(src[i]!) : Number(src[i]!);
    arr = out;
  }
  return new Uint8Array(arr.buffer.slice(arr.byteOffset, arr.byteOffset + arr.byteLength));
}

function encodeAttribute(name: string, v: AttributeValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'bigint') return { name, type: T.INT, i: Number(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { name, type: T.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    const nums = v as number[];
    return nums.every(Number.isInteger) ? { name, type: T.INTS, ints: nums } : { name, type: T.FLOATS, floats: nums };
  }
  switch (v.type) {
    case 'float': return { name, type: T.FLOAT, f: v.value };
    case 'int': return { name, type: T.INT, i: Number(v.value) };
    case 'string': return { name, type: T.STRING, s: new TextEncoder().encode(v.value) };
    case 'floats': return { name, type: T.FLOATS, floats: v.value };
    case 'ints': return { name, type: T.INTS, ints: v.value.map(Number) };
    case 'strings': return { name, type: T.STRINGS, strings: v.value.map((s) => new TextEncoder().encode(s)) };
    case 'tensor': return { name, type: T.TENSOR, t: tensorProto(v.value) };
  }
}

/** A feed: a prep Tensor, or an onnxruntime-web tensor as it is. */
export type Feed = Tensor | ort.Tensor;

/** An open session over a built model; `release()` it when done. */
export interface ModelRunner {
  run(feeds: Record<string, Feed>): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

/** Opens an onnxruntime-web session over `bytes` (reuse it across runs: sessions are slow to create). */
export async function openModel(bytes: Uint8Array): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
  return {
    async run(feeds) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) {
        ortFeeds[name] = f instanceof ort.Tensor ? f : new ort.Tensor(f.dtype, f.data as never, f.dims);
      }
      const out = await session.run(ortFeeds);
      const result: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(out)) {
        result[name] = { dtype: t.type as Tensor['dtype'], dims: [...t.dims], data: t.data as never };
      }
      return result;
    },
    release: () => session.release(),
  };
}

/** Builds nothing, opens a session over `bytes`, runs `feeds` once and releases the session. */
export async function runModel(bytes: Uint8Array, feeds: Record<string, Feed>): Promise<Record<string, Tensor>> {
  const runner = await openModel(bytes);
  try {
    return await runner.run(feeds);
  } finally {
    await runner.release();
  }
}

/**
 * The image pipeline of weir/prep expressed as ONNX graph ops, for comparison with
 * `imageToTensor`: RGBA uint8 [1, h, w, 4] → Cast → Slice (drop alpha) → Transpose (NCHW) →
 * Resize (mode, antialias) to [oh, ow] → ÷255 → −mean → ÷std, output `y` [1, 3, oh, ow].
 */
export function imagePipelineModel(o: {
  h: number; w: number; oh: number; ow: number; mode: string; antialias: number; mean: ArrayLike<number>; std: ArrayLike<number>;
}): Uint8Array {
  return buildModel({
    opset: 19,
    nodes: [
      { opType: 'Cast', inputs: ['img'], outputs: ['f'], attributes: { to: 1 } },
      { opType: 'Slice', inputs: ['f', 'starts', 'ends', 'axes'], outputs: ['rgb'] },
      { opType: 'Transpose', inputs: ['rgb'], outputs: ['chw'], attributes: { perm: [0, 3, 1, 2] } },
      { opType: 'Resize', inputs: ['chw', '', '', 'sizes'], outputs: ['r'], attributes: { mode: o.mode, antialias: o.antialias, axes: [2, 3] } },
      { opType: 'Div', inputs: ['r', 'k255'], outputs: ['u'] },
      { opType: 'Sub', inputs: ['u', 'mean'], outputs: ['c'] },
      { opType: 'Div', inputs: ['c', 'std'], outputs: ['y'] },
    ],
    inputs: [{ name: 'img', dtype: 'uint8', dims: [1, o.h, o.w, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [1, 3, o.oh, o.ow] }],
    initializers: [
      { name: 'starts', dtype: 'int64', dims: [1], data: [0] },
      { name: 'ends', dtype: 'int64', dims: [1], data: [3] },
      { name: 'axes', dtype: 'int64', dims: [1], data: [3] },
      { name: 'sizes', dtype: 'int64', dims: [2], data: [o.oh, o.ow] },
      { name: 'k255', dtype: 'float32', dims: [], data: [255] },
      { name: 'mean', dtype: 'float32', dims: [1, 3, 1, 1], data: Array.from(o.mean) },
      { name: 'std', dtype: 'float32', dims: [1, 3, 1, 1], data: Array.from(o.std) },
    ],
  });
}
