/**
 * An ONNX model over onnxruntime-web's wasm backend (plain Node, browser workers, arm64).
 *
 * Feeds are weir prep tensors `{ data, dims, dtype }`: each becomes an `ort.Tensor` over the same
 * typed array (no copy on weir's side; onnxruntime copies it into its own heap to run), and
 * outputs come back as tensors over the arrays onnxruntime returns (again no copy). Every feed is
 * checked against the model's declared inputs — names, dtypes, ranks and fixed dimensions —
 * before anything runs, and a mismatch is a WeirError naming the input with the expected and the
 * given shape. Runs on one model are queued: onnxruntime-web refuses concurrent runs of a
 * session in proxy and WebGPU modes, and the wasm backend runs one at a time anyway.
 */
import * as ort from 'onnxruntime-web';
import { WeirError } from '../runtime/errors.js';
import { checkTensor, elementCount, type Tensor, type TensorDtype } from '../prep/tensor.js';

/** Bytes of an .onnx file, a file path (Node), or an http(s)/file URL. */
export type ModelSource = Uint8Array | ArrayBuffer | string | URL;

/** A declared model input or output. `null` marks a dynamic dimension (named ones keep their name). */
export interface ValueInfo {
  name: string;
  /** The ONNX element type, as onnxruntime-web names it ('float32', 'int64', …). */
  dtype: string;
  /** Declared dimensions: a size, a symbolic name, or null when unnamed and dynamic. */
  dims: (number | string | null)[];
}

export interface ModelOptions {
  /** onnxruntime graph optimisation level; default 'all'. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
}

export interface BatchOptions {
  /** Rows per run; default: the model's fixed first dimension if it has one, else 1024. */
  batchSize?: number;
  /** Which input the rows feed; default: the model's only input. */
  input?: string;
  /** Feeds that stay the same for every batch (other inputs of the model). */
  constants?: Record<string, Tensor>;
}

/**
 * A loaded model. Create with {@link Model.load}; release with {@link Model.dispose}.
 *
 * @example
 * const model = await Model.load(bytes);
 * const { probability } = await model.run({ features: tensor('float32', [n, 20], matrix) });
 * await model.dispose();
 */
export class Model {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  private session: ort.InferenceSession | null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(session: ort.InferenceSession) {
    this.session = session;
    this.inputs = Object.freeze(session.inputMetadata.map(valueInfo));
    this.outputs = Object.freeze(session.outputMetadata.map(valueInfo));
  }

  /**
   * Loads a model from bytes, a file path (Node) or a URL. A file that cannot be read is E_IO;
   * bytes onnxruntime cannot parse or run (a corrupt or unsupported model) are E_MODEL.
   */
  static async load(source: ModelSource, opts: ModelOptions = {}): Promise<Model> {
    const bytes = await readSource(source);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
      });
    } catch (cause) {
      throw new WeirError('E_MODEL', `infer/model: onnxruntime cannot load the model (${bytes.byteLength} bytes): ${message(cause)}`, { cause });
    }
    return new Model(session);
  }

  /**
   * Runs the model once. `feeds` maps every model input to a tensor; a model with one input also
   * takes the tensor itself. Returns every output by name, as tensors over onnxruntime's arrays.
   */
  async run(feeds: Record<string, Tensor> | Tensor): Promise<Record<string, Tensor>> {
    const session = this.live();
    const named = this.nameFeeds(feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const info of this.inputs) {
      const t = named[info.name]!;
      ortFeeds[info.name] = new ort.Tensor(t.dtype, t.data as never, t.dims);
    }
    return this.enqueue(async () => {
      let out: ort.InferenceSession.ReturnType;
      try {
        out = await session.run(ortFeeds);
      } catch (cause) {
        throw new WeirError('E_MODEL', `infer/model: run failed: ${message(cause)}`, { cause });
      }
      const result: Record<string, Tensor> = {};
      for (const [name, v] of Object.entries(out)) {
        const t = v as ort.Tensor;
        result[name] = { dtype: t.type as TensorDtype, dims: [...t.dims], data: t.data as never };
      }
      return result;
    });
  }

  /**
   * Runs the rows of `rows` ([N, ...]) in batches and concatenates each output along its first
   * dimension. Batches are views of `rows` (no copy); outputs are copied once into the result.
   *
   * @example
   * const { scores } = await model.runBatch(features, { batchSize: 256 });
   */
  async runBatch(rows: Tensor, opts: BatchOptions = {}): Promise<Record<string, Tensor>> {
    this.live();
    checkTensor(rows, 'infer/model: rows');
    if (rows.dims.length < 1) throw new WeirError('E_SHAPE', 'infer/model: rows must have a first (batch) dimension');
    const constants = opts.constants ?? {};
    const inputName = opts.input ?? this.inputs.filter((i) => !(i.name in constants)).map((i) => i.name)[0];
    const info = this.inputs.find((i) => i.name === inputName);
    if (!info) throw new WeirError('E_MODEL', `infer/model: no input ${JSON.stringify(inputName)}; the model has ${this.inputs.map((i) => i.name).join(', ')}`);
    const first = info.dims[0];
    const fixed = typeof first === 'number' ? first : undefined;
    const batchSize = opts.batchSize ?? fixed ?? 1024;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new WeirError('E_ARG', `infer/model: batchSize must be a positive integer, got ${String(batchSize)}`);
    const n = rows.dims[0]!;
    if (fixed !== undefined && (batchSize !== fixed || n % fixed !== 0)) {
      throw new WeirError('E_SHAPE', `infer/model: input '${info.name}' has a fixed batch of ${fixed}; ${n} rows in batches of ${batchSize} do not fit it`);
    }
    const rowSize = elementCount(rows.dims.slice(1));
    const parts: Record<string, Tensor>[] = [];
    // Zero rows still run once, so the outputs have their (empty) shapes.
    for (let start = 0; start < Math.max(n, 1); start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const data = (rows.data as Float32Array).subarray(start * rowSize, (start + count) * rowSize);
      parts.push(await this.run({ ...constants, [info.name]: { dtype: rows.dtype, dims: [count, ...rows.dims.slice(1)], data: data as never } }));
    }
    return concatRows(parts, this.outputs.map((o) => o.name));
  }

  /** Releases the onnxruntime session. Later runs are E_STATE; a second dispose does nothing. */
  async dispose(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    await this.queue.catch(() => undefined);
    await session.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private live(): ort.InferenceSession {
    if (!this.session) throw new WeirError('E_STATE', 'infer/model: this Model was disposed');
    return this.session;
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Checks feeds against the declared inputs; returns them by name. */
  private nameFeeds(feeds: Record<string, Tensor> | Tensor): Record<string, Tensor> {
    if (typeof feeds !== 'object' || feeds === null) throw new WeirError('E_ARG', 'infer/model: feeds must be a tensor or an object of tensors');
    let named: Record<string, Tensor>;
    if (isTensor(feeds)) {
      if (this.inputs.length !== 1) {
        throw new WeirError('E_MODEL', `infer/model: the model has ${this.inputs.length} inputs (${this.inputs.map((i) => i.name).join(', ')}); pass feeds by name`);
      }
      named = { [this.inputs[0]!.name]: feeds };
    } else {
      named = feeds;
    }
    const names = this.inputs.map((i) => i.name);
    for (const given of Object.keys(named)) {
      if (!names.includes(given)) throw new WeirError('E_MODEL', `infer/model: the model has no input '${given}'; its inputs are ${names.join(', ')}`);
    }
    for (const info of this.inputs) {
      const t = named[info.name];
      if (t === undefined) throw new WeirError('E_MODEL', `infer/model: input '${info.name}' is missing; given ${Object.keys(named).join(', ') || 'nothing'}`);
      checkTensor(t, `infer/model: input '${info.name}'`);
      if (t.dtype !== info.dtype) throw new WeirError('E_SHAPE', `infer/model: input '${info.name}' expects ${info.dtype}, got ${t.dtype}`);
      const rankOk = t.dims.length === info.dims.length;
      const dimsOk = rankOk && info.dims.every((d, i) => typeof d !== 'number' || d === t.dims[i]);
      if (!dimsOk) {
        throw new WeirError('E_SHAPE', `infer/model: input '${info.name}' expects shape [${info.dims.map(showDim).join(', ')}], got [${t.dims.join(', ')}]`);
      }
    }
    return named;
  }
}

function isTensor(v: object): v is Tensor {
  return 'data' in v && 'dims' in v && 'dtype' in v && ArrayBuffer.isView((v as Tensor).data);
}

function showDim(d: number | string | null): string {
  return d === null ? '?' : String(d);
}

function valueInfo(m: ort.InferenceSession.ValueMetadata): ValueInfo {
  if (!m.isTensor) return { name: m.name, dtype: 'non-tensor', dims: [] };
  // Unnamed dynamic dimensions come back as -1 read as an unsigned 32-bit number.
  const dims = m.shape.map((d) => (typeof d === 'number' ? (d < 0 || d >= 2 ** 31 ? null : d) : d));
  return { name: m.name, dtype: m.type, dims };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readSource(source: ModelSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  let url: URL | null = null;
  if (source instanceof URL) url = source;
  else if (typeof source === 'string') {
    if (/^(https?|file|blob|data):/i.test(source)) url = new URL(source);
  } else {
    throw new WeirError('E_ARG', `infer/model: a model source is bytes, a path or a URL, got ${typeof source}`);
  }
  if (url === null || url.protocol === 'file:') {
    const path = url ?? (source as string);
    // Built at run time so that browser bundlers do not try to resolve a Node built-in.
    const fsName = 'node:fs/promises';
    try {
      const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs/promises');
      return new Uint8Array(await fs.readFile(path));
    } catch (cause) {
      throw new WeirError('E_IO', `infer/model: cannot read the model at ${String(path)}: ${message(cause)}`, { cause });
    }
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new WeirError('E_IO', `infer/model: cannot fetch ${url.href}: ${message(cause)}`, { cause });
  }
  if (!response.ok) throw new WeirError('E_IO', `infer/model: fetching ${url.href} gave HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Concatenates batch outputs along the first dimension (one copy into the result). */
function concatRows(parts: Record<string, Tensor>[], names: string[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  if (parts.length === 1) return parts[0]!;
  for (const name of names) {
    const ts = parts.map((p) => p[name]!);
    const first = ts[0]!;
    const rows = ts.reduce((a, t) => a + (t.dims[0] ?? 0), 0);
    const total = ts.reduce((a, t) => a + t.data.length, 0);
    const ctor = (first.data as unknown as { constructor: new (n: number) => Tensor['data'] }).constructor;
    const data = new ctor(total);
    let o = 0;
    for (const t of ts) {
      (data as Float32Array).set(t.data as Float32Array, o);
      o += t.data.length;
    }
    out[name] = { dtype: first.dtype, dims: [rows, ...first.dims.slice(1)], data: data as never };
  }
  return out;
}
