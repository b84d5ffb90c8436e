import { WeirError } from '../runtime/errors.js';

/**
 * The element types prep produces and infer feeds to onnxruntime-web, by their ONNX names.
 * `float16` holds IEEE 754 binary16 bit patterns in a `Uint16Array` (what onnxruntime-web takes
 * for float16 tensors); `int64` holds a `BigInt64Array`.
 */
export type TensorDtype = 'float32' | 'float16' | 'uint8' | 'int8' | 'int32' | 'int64' | 'float64';

/** The typed array that holds each dtype. */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  uint8: Uint8Array;
  int8: Int8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  float64: Float64Array;
}

export type TensorData = TensorDataMap[TensorDtype];

/**
 * A dense row-major tensor: `data` holds `product(dims)` elements of `dtype`. Plain data, so it
 * crosses `postMessage` and maps one-to-one onto `new ort.Tensor(dtype, data, dims)`.
 *
 * @example
 * const t: Tensor<'float32'> = { dtype: 'float32', dims: [1, 3, 224, 224], data: new Float32Array(150528) };
 */
export interface Tensor<D extends TensorDtype = TensorDtype> {
  data: TensorDataMap[D];
  dims: number[];
  dtype: D;
}

/** Every dtype name, in a fixed order (for validation and messages). */
export const TENSOR_DTYPES: readonly TensorDtype[] = Object.freeze([
  'float32', 'float16', 'uint8', 'int8', 'int32', 'int64', 'float64',
]);

const CTORS = {
  float32: Float32Array,
  float16: Uint16Array,
  uint8: Uint8Array,
  int8: Int8Array,
  int32: Int32Array,
  int64: BigInt64Array,
  float64: Float64Array,
} as const;

/** Bytes per element of `dtype`. */
export function dtypeBytes(dtype: TensorDtype): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/** The number of elements of a tensor with `dims` (1 for a scalar, `[]`). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Throws E_ARG unless `dtype` is one of {@link TENSOR_DTYPES}. */
export function checkDtype(dtype: unknown, what: string): asserts dtype is TensorDtype {
  if (typeof dtype !== 'string' || !(TENSOR_DTYPES as readonly string[]).includes(dtype)) {
    throw new WeirError('E_ARG', `${what}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${TENSOR_DTYPES.join(', ')}`);
  }
}

/** Throws E_SHAPE unless every entry of `dims` is a non-negative integer. */
export function checkDims(dims: unknown, what: string): asserts dims is number[] {
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new WeirError('E_SHAPE', `${what}: dims must be an array of non-negative integers, got ${JSON.stringify(dims)}`);
  }
}

/**
 * A tensor of `dtype` and `dims`. Without `data` it is zero-filled; with `data` the array is used
 * as it is (no copy) after checking its type and length.
 *
 * @example
 * tensor('float32', [2, 3], new Float32Array(6))
 */
export function tensor<D extends TensorDtype>(dtype: D, dims: readonly number[], data?: TensorDataMap[D]): Tensor<D> {
  checkDtype(dtype, 'prep/tensor');
  checkDims(dims, 'prep/tensor');
  const n = elementCount(dims);
  const ctor = CTORS[dtype];
  if (data === undefined) return { dtype, dims: [...dims], data: new ctor(n) as TensorDataMap[D] };
  if (!(data instanceof ctor)) {
    throw new WeirError('E_ARG', `prep/tensor: ${dtype} data must be a ${ctor.name}, got ${describe(data)}`);
  }
  if (data.length !== n) {
    throw new WeirError('E_LENGTH', `prep/tensor: dims [${dims.join(', ')}] need ${n} elements, data has ${data.length}`);
  }
  return { dtype, dims: [...dims], data };
}

/** Checks that `t` is a well-formed tensor (known dtype, matching array type and length). */
export function checkTensor(t: unknown, what: string): asserts t is Tensor {
  if (typeof t !== 'object' || t === null) throw new WeirError('E_ARG', `${what}: expected a tensor {data, dims, dtype}, got ${describe(t)}`);
  const { dtype, dims, data } = t as Tensor;
  checkDtype(dtype, what);
  checkDims(dims, what);
  const ctor = CTORS[dtype];
  if (!(data instanceof ctor)) throw new WeirError('E_ARG', `${what}: ${dtype} data must be a ${ctor.name}, got ${describe(data)}`);
  const n = elementCount(dims);
  if (data.length !== n) {
    throw new WeirError('E_LENGTH', `${what}: dims [${dims.join(', ')}] need ${n} elements, data has ${data.length}`);
  }
}

/** The typed-array constructor of `dtype`. */
export function dtypeArray<D extends TensorDtype>(dtype: D): (typeof CTORS)[D] {
  return CTORS[dtype];
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as { length: number }).length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  return typeof v;
}
