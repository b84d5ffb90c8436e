/**
 * Tabular features: an Arrow table in, a row-major Float32 matrix out, following
 * scikit-learn's definitions so a model trained there sees the features it expects.
 *
 * - standardize: (x - mean) / std, population std (StandardScaler); a constant column keeps scale 1.
 * - minmax: (x - min) / (max - min) (MinMaxScaler, range [0, 1]); a constant column keeps scale 1.
 * - passthrough: x as float32.
 * - bucketize: the number of boundaries <= x (numpy.digitize, TF Bucketize), as a float.
 * - ordinal / oneHot: categories of a dictionary column, sorted by code point (OrdinalEncoder /
 *   OneHotEncoder with categories='auto'); a null is NaN / an all-zero row.
 * - hash: FeatureHasher(input_type='dict', alternate_sign=True): "<column>=<value>" hashed with
 *   MurmurHash3_x86_32 (seed 0 unless given) into `features` shared columns; nulls add nothing.
 * - impute: SimpleImputer before scaling ('mean', 'median', 'mostFrequent' or a constant);
 *   without it a null or NaN stays NaN in the output (numeric) columns.
 *
 * `fitTable` learns every statistic in one pass over the table's record batches and returns a
 * plain, JSON-serialisable {@link TableStats}; `transformTable` applies it. Both stream the table
 * through wasm memory 32768 rows at a time (column buffers are copied in once, the matrix out
 * once); the result does not depend on the chunking. Complexity O(rows * columns).
 */
import { DataType, Type, type Data, type Table } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import type { Kernel } from '../runtime/kernel.js';
import { getPrepKernel, type PrepExports } from './kernel.js';
import type { Tensor } from './tensor.js';

export type ImputeStrategy = 'mean' | 'median' | 'mostFrequent' | { constant: number };

/** What to compute from which columns. Output columns follow the order of the keys below. */
export interface TableSpec {
  standardize?: readonly string[];
  minmax?: readonly string[];
  passthrough?: readonly string[];
  /** Column -> strictly ascending boundaries. */
  bucketize?: Readonly<Record<string, readonly number[]>>;
  /** Dictionary-encoded string columns. */
  ordinal?: readonly string[];
  /** Dictionary-encoded string columns. */
  oneHot?: readonly string[];
  /** Dictionary-encoded or Utf8 string columns hashed into `features` shared columns. */
  hash?: { columns: readonly string[]; features: number; seed?: number; alternateSign?: boolean };
  /** Numeric column -> how to fill its nulls and NaNs before it is scaled or bucketized. */
  impute?: Readonly<Record<string, ImputeStrategy>>;
  /** A category not seen by fit: 'error' (default) or 'ignore' (all-zero one-hot, NaN ordinal). */
  unknown?: 'error' | 'ignore';
}

/** One fitted step; `fill` is the raw value imputed for nulls and NaNs (null: leave them NaN). */
export type FittedStep =
  | { op: 'standardize'; column: string; mean: number; std: number; fill: number | null }
  | { op: 'minmax'; column: string; min: number; max: number; fill: number | null }
  | { op: 'passthrough'; column: string; fill: number | null }
  | { op: 'bucketize'; column: string; boundaries: number[]; fill: number | null }
  | { op: 'ordinal'; column: string; categories: string[] }
  | { op: 'oneHot'; column: string; categories: string[] }
  | { op: 'hash'; columns: string[]; features: number; seed: number; alternateSign: boolean };

/** Everything `transformTable` needs: plain data, safe to JSON.stringify and parse back. */
export interface TableStats {
  kind: 'weir.prep.table';
  version: 1;
  /** Rows the statistics were fitted on. */
  rows: number;
  unknown: 'error' | 'ignore';
  steps: FittedStep[];
  /** Output column names, in matrix order. */
  names: string[];
}

/** The feature matrix: a float32 [rows, names.length] tensor plus its column names. */
export interface FeatureMatrix extends Tensor<'float32'> {
  names: string[];
}

// Source element type codes shared with assembly/prep/table.ts.
const T = { f64: 0, f32: 1, i32: 2, i16: 3, i8: 4, u32: 5, u16: 6, u8: 7, i64: 8 } as const;

const OP = { affine: 0, bucket: 1, oneHot: 2, ordinal: 3, hashCodes: 4, hashUtf8: 5 } as const;

const ROWS_PER_CALL = 32768;

// ---------------------------------------------------------------------------------------------
// Column access

function column(table: Table, name: string, what: string): Data[] {
  const v = table.getChild(name);
  if (!v) throw new WeirError('E_COLUMN', `${what}: no column '${name}' (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
  return v.data as Data[];
}

function numericType(d: Data, name: string, what: string): number {
  const t = d.type as DataType;
  if (DataType.isFloat(t)) {
    if (t.precision === 2) return T.f64;
    if (t.precision === 1) return T.f32;
  } else if (DataType.isInt(t)) {
    const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
    if (bitWidth === 64 && isSigned) return T.i64;
    const code = { 8: isSigned ? T.i8 : T.u8, 16: isSigned ? T.i16 : T.u16, 32: isSigned ? T.i32 : T.u32 }[bitWidth as 8 | 16 | 32];
    if (code !== undefined) return code;
  }
  throw new WeirError('E_COLUMN', `${what}: column '${name}' must be float32/float64 or an integer type (not uint64), got ${String(t)}`);
}

function dictionaryOf(d: Data, name: string, what: string): { codeType: number; entries: Data[] } {
  const t = d.type as DataType;
  if (!DataType.isDictionary(t)) throw new WeirError('E_COLUMN', `${what}: column '${name}' must be dictionary-encoded strings, got ${String(t)}`);
  const valueType = (t as unknown as { dictionary: DataType }).dictionary;
  if (valueType.typeId !== Type.Utf8) throw new WeirError('E_COLUMN', `${what}: column '${name}' must have a Utf8 dictionary, got ${String(valueType)}`);
  const idx = (t as unknown as { indices: { bitWidth: number; isSigned: boolean } }).indices;
  const codeType = { 8: idx.isSigned ? T.i8 : T.u8, 16: idx.isSigned ? T.i16 : T.u16, 32: idx.isSigned ? T.i32 : T.u32 }[idx.bitWidth as 8 | 16 | 32];
  if (codeType === undefined) throw new WeirError('E_COLUMN', `${what}: column '${name}' has 64-bit dictionary indices, which are not supported`);
  return { codeType, entries: (d.dictionary!.data as Data[]) };
}

function dictionaryStrings(entries: Data[]): (string | null)[] {
  const out: (string | null)[] = [];
  for (const e of entries) for (let i = 0; i < e.length; i++) out.push(e.type.typeId === Type.Utf8 ? (getUtf8(e, i)) : null);
  return out;
}

const decoder = new TextDecoder();
function getUtf8(d: Data, i: number): string | null {
  if (d.nullCount > 0 && d.nullBitmap && !((d.nullBitmap[(d.offset + i) >> 3]! >> ((d.offset + i) & 7)) & 1)) return null;
  const offsets = d.valueOffsets as Int32Array;
  return decoder.decode((d.values as Uint8Array).subarray(offsets[i]!, offsets[i + 1]!));
}

/** Python/numpy order of str: by code point (JS `<` compares UTF-16 units, which differs for astral characters). */
function byCodePoint(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

/** Copies rows [start, start+len) of a column chunk's values and validity into wasm memory. */
function putColumn(k: Kernel<PrepExports>, alloc: (n: number) => number, d: Data, start: number, len: number): { src: number; validity: number; bitOffset: number } {
  const values = d.values as ArrayBufferView & { subarray(a: number, b: number): ArrayBufferView };
  const src = alloc(Math.max(8, len * (values as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT));
  k.write(src, values.subarray(start, start + len));
  let validity = 0;
  let bitOffset = 0;
  if (d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0) {
    const first = d.offset + start;
    const from = first >> 3;
    const to = (first + len + 7) >> 3;
    validity = alloc(to - from);
    k.write(validity, d.nullBitmap.subarray(from, to));
    bitOffset = first & 7;
  }
  return { src, validity, bitOffset };
}

/** For each record batch: its row range. */
function* chunks(table: Table): Generator<{ batch: number; start: number; len: number; global: number }> {
  let global = 0;
  for (let b = 0; b < table.batches.length; b++) {
    const n = table.batches[b]!.numRows;
    for (let s = 0; s < n; s += ROWS_PER_CALL) {
      const len = Math.min(ROWS_PER_CALL, n - s);
      yield { batch: b, start: s, len, global: global + s };
    }
    global += n;
  }
}

// ---------------------------------------------------------------------------------------------
// Spec validation

interface Step {
  op: FittedStep['op'];
  column?: string;
}

function checkSpec(spec: TableSpec, table: Table): Step[] {
  const what = 'prep/fitTable';
  if (typeof spec !== 'object' || spec === null) throw new WeirError('E_ARG', `${what}: spec must be an object`);
  const known = ['standardize', 'minmax', 'passthrough', 'bucketize', 'ordinal', 'oneHot', 'hash', 'impute', 'unknown'];
  for (const key of Object.keys(spec)) if (!known.includes(key)) throw new WeirError('E_ARG', `${what}: unknown spec key '${key}' (known: ${known.join(', ')})`);
  const steps: Step[] = [];
  const names = (v: unknown, key: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new WeirError('E_ARG', `${what}: ${key} must be an array of column names`);
    return v;
  };
  for (const op of ['standardize', 'minmax', 'passthrough'] as const) for (const c of names(spec[op], op)) steps.push({ op, column: c });
  if (spec.bucketize !== undefined) {
    if (typeof spec.bucketize !== 'object' || spec.bucketize === null) throw new WeirError('E_ARG', `${what}: bucketize must map columns to boundaries`);
    for (const [c, b] of Object.entries(spec.bucketize)) {
      if (!Array.isArray(b) || b.length === 0 || !b.every((x, i) => typeof x === 'number' && Number.isFinite(x) && (i === 0 || x > b[i - 1]!))) {
        throw new WeirError('E_ARG', `${what}: bucketize boundaries of '${c}' must be finite and strictly ascending, got ${JSON.stringify(b)}`);
      }
      steps.push({ op: 'bucketize', column: c });
    }
  }
  for (const op of ['ordinal', 'oneHot'] as const) for (const c of names(spec[op], op)) steps.push({ op, column: c });
  if (spec.hash !== undefined) {
    const h = spec.hash;
    if (typeof h !== 'object' || h === null) throw new WeirError('E_ARG', `${what}: hash must be { columns, features }`);
    names(h.columns, 'hash.columns');
    if (!Number.isInteger(h.features) || h.features < 1 || h.features > 1 << 24) throw new WeirError('E_ARG', `${what}: hash.features must be an integer in [1, 2^24], got ${String(h.features)}`);
    if (h.seed !== undefined && !(Number.isInteger(h.seed) && h.seed >= 0 && h.seed <= 0xffffffff)) throw new WeirError('E_ARG', `${what}: hash.seed must be a uint32, got ${String(h.seed)}`);
    steps.push({ op: 'hash' });
  }
  if (spec.unknown !== undefined && spec.unknown !== 'error' && spec.unknown !== 'ignore') throw new WeirError('E_ARG', `${what}: unknown must be 'error' or 'ignore'`);
  const numeric = new Set(steps.filter((s) => ['standardize', 'minmax', 'passthrough', 'bucketize'].includes(s.op)).map((s) => s.column!));
  for (const [c, strategy] of Object.entries(spec.impute ?? {})) {
    if (!numeric.has(c)) throw new WeirError('E_ARG', `${what}: impute '${c}': only numeric columns that are standardized, min-maxed, passed through or bucketized can be imputed`);
    const ok = strategy === 'mean' || strategy === 'median' || strategy === 'mostFrequent' ||
      (typeof strategy === 'object' && strategy !== null && typeof strategy.constant === 'number' && Number.isFinite(strategy.constant));
    if (!ok) throw new WeirError('E_ARG', `${what}: impute '${c}' must be 'mean', 'median', 'mostFrequent' or { constant: number }, got ${JSON.stringify(strategy)}`);
  }
  if (steps.length === 0) throw new WeirError('E_ARG', `${what}: the spec selects no columns`);
  // Type checks up front, so a bad column fails before any work.
  for (const s of steps) {
    if (s.op === 'hash') {
      for (const c of spec.hash!.columns) for (const d of column(table, c, what)) stringKind(d, c, what);
    } else if (s.op === 'ordinal' || s.op === 'oneHot') {
      for (const d of column(table, s.column!, what)) dictionaryOf(d, s.column!, what);
    } else {
      for (const d of column(table, s.column!, what)) numericType(d, s.column!, what);
    }
  }
  return steps;
}

function stringKind(d: Data, name: string, what: string): 'dictionary' | 'utf8' {
  if (DataType.isDictionary(d.type)) {
    dictionaryOf(d, name, what);
    return 'dictionary';
  }
  if (d.type.typeId === Type.Utf8) return 'utf8';
  throw new WeirError('E_COLUMN', `${what}: column '${name}' must be Utf8 or dictionary-encoded strings to be hashed, got ${String(d.type)}`);
}

// ---------------------------------------------------------------------------------------------
// Fit

interface Moments { count: number; mean: number; m2: number; min: number; max: number }

function merge(a: Moments, b: Moments): Moments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const n = a.count + b.count;
  const d = b.mean - a.mean;
  return { count: n, mean: a.mean + (d * b.count) / n, m2: a.m2 + b.m2 + (d * d * a.count * b.count) / n, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/**
 * Learns the statistics `spec` needs from `table` (one pass per column over its record batches).
 *
 * @example
 * const stats = await fitTable(train, { standardize: ['age', 'income'], oneHot: ['country'], hash: { columns: ['url'], features: 64 } });
 * localStorage.setItem('features', JSON.stringify(stats));
 */
export async function fitTable(table: Table, spec: TableSpec): Promise<TableStats> {
  checkTable(table, 'prep/fitTable');
  const steps = checkSpec(spec, table);
  const k = await getPrepKernel();
  const fitted: FittedStep[] = [];
  for (const s of steps) {
    if (s.op === 'hash') {
      const h = spec.hash!;
      fitted.push({ op: 'hash', columns: [...h.columns], features: h.features, seed: h.seed ?? 0, alternateSign: h.alternateSign ?? true });
      continue;
    }
    const c = s.column!;
    if (s.op === 'ordinal' || s.op === 'oneHot') {
      fitted.push({ op: s.op, column: c, categories: fitCategories(k, table, c) });
      continue;
    }
    const strategy = spec.impute?.[c];
    let m = numericMoments(k, table, c);
    const missing = table.numRows - m.count;
    let fill: number | null = null;
    if (strategy !== undefined) {
      fill = typeof strategy === 'object' ? strategy.constant : strategy === 'mean' ? m.mean : sortedStat(k, table, c, strategy);
      if (!Number.isFinite(fill)) throw new WeirError('E_ARG', `prep/fitTable: column '${c}' has no valid values to impute from`);
      // The scaler sees the imputed column, as in a scikit-learn Pipeline(imputer, scaler).
      if (missing > 0) m = merge(m, { count: missing, mean: fill, m2: 0, min: fill, max: fill });
    }
    if (s.op === 'standardize') fitted.push({ op: 'standardize', column: c, mean: m.count ? m.mean : 0, std: m.count ? Math.sqrt(m.m2 / m.count) : 1, fill });
    else if (s.op === 'minmax') fitted.push({ op: 'minmax', column: c, min: m.count ? m.min : 0, max: m.count ? m.max : 1, fill });
    else if (s.op === 'passthrough') fitted.push({ op: 'passthrough', column: c, fill });
    else fitted.push({ op: 'bucketize', column: c, boundaries: [...spec.bucketize![c]!], fill });
  }
  return { kind: 'weir.prep.table', version: 1, rows: table.numRows, unknown: spec.unknown ?? 'error', steps: fitted, names: namesOf(fitted) };
}

function numericMoments(k: Kernel<PrepExports>, table: Table, c: string): Moments {
  const data = column(table, c, 'prep/fitTable');
  let m: Moments = { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
  for (const { batch, start, len } of chunks(table)) {
    const d = data[batch]!;
    const type = numericType(d, c, 'prep/fitTable');
    const part = k.scoped((alloc) => {
      const { src, validity, bitOffset } = putColumn(k, alloc, d, start, len);
      const out = alloc(40);
      k.exports.column_stats(src, type, validity, bitOffset, len, out);
      const [count, mean, m2, min, max] = k.view(Float64Array, out, 5);
      return { count: count!, mean: mean!, m2: m2!, min: min!, max: max! };
    });
    m = merge(m, part);
  }
  return m;
}

/** Median or most frequent valid value of a numeric column (sorted in wasm). */
function sortedStat(k: Kernel<PrepExports>, table: Table, c: string, strategy: 'median' | 'mostFrequent'): number {
  const data = column(table, c, 'prep/fitTable');
  return k.scoped((alloc) => {
    const all = alloc(Math.max(8, table.numRows * 8));
    let n = 0;
    for (const { batch, start, len } of chunks(table)) {
      const d = data[batch]!;
      const type = numericType(d, c, 'prep/fitTable');
      n += k.scoped((inner) => {
        const { src, validity, bitOffset } = putColumn(k, inner, d, start, len);
        return k.exports.column_valid_f64(src, type, validity, bitOffset, len, all + n * 8);
      });
    }
    if (n === 0) return NaN;
    k.exports.sort_f64(all, n);
    if (strategy === 'mostFrequent') return k.exports.mode_sorted_f64(all, n);
    const v = k.view(Float64Array, all, n);
    return n % 2 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
  });
}

function fitCategories(k: Kernel<PrepExports>, table: Table, c: string): string[] {
  const data = column(table, c, 'prep/fitTable');
  const seen = new Set<string>();
  for (let b = 0; b < data.length; b++) {
    const d = data[b]!;
    const { codeType, entries } = dictionaryOf(d, c, 'prep/fitTable');
    const strings = dictionaryStrings(entries);
    const counts = new Int32Array(strings.length);
    for (let s = 0; s < d.length; s += ROWS_PER_CALL) {
      const len = Math.min(ROWS_PER_CALL, d.length - s);
      const bad = k.scoped((alloc) => {
        const { src, validity, bitOffset } = putColumn(k, alloc, d, s, len);
        const cnt = alloc(Math.max(4, strings.length * 4));
        k.view(Int32Array, cnt, strings.length).set(counts);
        const status = k.exports.code_counts(src, codeType, validity, bitOffset, len, strings.length, cnt);
        counts.set(k.view(Int32Array, cnt, strings.length));
        return status;
      });
      if (bad) throw new WeirError('E_COLUMN', `prep/fitTable: column '${c}' has dictionary codes outside its dictionary of ${strings.length}`);
    }
    strings.forEach((str, i) => { if (str !== null && counts[i]! > 0) seen.add(str); });
  }
  return [...seen].sort(byCodePoint);
}

function namesOf(steps: FittedStep[]): string[] {
  const names: string[] = [];
  for (const s of steps) {
    if (s.op === 'oneHot') for (const cat of s.categories) names.push(`${s.column}=${cat}`);
    else if (s.op === 'hash') for (let i = 0; i < s.features; i++) names.push(`hash_${i}`);
    else names.push(s.column);
  }
  return names;
}

function widthOf(s: FittedStep): number {
  return s.op === 'oneHot' ? s.categories.length : s.op === 'hash' ? s.features : 1;
}

// ---------------------------------------------------------------------------------------------
// Transform

function checkTable(table: unknown, what: string): asserts table is Table {
  const t = table as Table;
  if (typeof t !== 'object' || t === null || typeof t.getChild !== 'function' || !Array.isArray(t.batches)) {
    throw new WeirError('E_ARG', `${what}: expected an apache-arrow Table`);
  }
}

function checkStats(stats: unknown): asserts stats is TableStats {
  const s = stats as TableStats;
  if (typeof s !== 'object' || s === null || s.kind !== 'weir.prep.table') throw new WeirError('E_ARG', 'prep/transformTable: stats must come from fitTable (kind weir.prep.table)');
  if (s.version !== 1) throw new WeirError('E_ARG', `prep/transformTable: stats version ${String(s.version)} is not supported (expected 1)`);
  if (!Array.isArray(s.steps) || !Array.isArray(s.names)) throw new WeirError('E_ARG', 'prep/transformTable: stats are malformed (steps, names)');
  const width = s.steps.reduce((a, st) => a + widthOf(st), 0);
  if (width !== s.names.length) throw new WeirError('E_ARG', `prep/transformTable: stats are malformed: steps make ${width} columns, names list ${s.names.length}`);
}

function bucketOf(boundaries: number[], v: number): number {
  let n = 0;
  while (n < boundaries.length && boundaries[n]! <= v) n++;
  return n;
}

/** The affine (shift, scale, fill) of a numeric step, as the kernel applies it. */
function affine(s: Extract<FittedStep, { fill: number | null }>): [number, number, number] {
  const raw = s.fill === null ? NaN : s.fill;
  if (s.op === 'standardize') {
    const scale = s.std > 0 ? 1 / s.std : 1;
    return [s.mean, scale, (raw - s.mean) * scale];
  }
  if (s.op === 'minmax') {
    const scale = s.max > s.min ? 1 / (s.max - s.min) : 1;
    return [s.min, scale, (raw - s.min) * scale];
  }
  return [0, 1, raw];
}

const encoder = new TextEncoder();

/**
 * Applies fitted statistics: one float32 row per table row, columns as `stats.names`. The
 * result is a new array (a copy out of wasm memory), ready to feed a model — or, with `into`, the
 * given array (rows x width values), which a service transforming batch after batch can reuse
 * (a fresh array costs a page fault per 4 KiB on first write, often more than the transform).
 *
 * @example
 * const x = await transformTable(batch, stats); // x.dims = [batch.numRows, stats.names.length]
 * const { score } = await model.run({ features: x });
 */
export async function transformTable(table: Table, stats: TableStats, opts: { into?: Float32Array } = {}): Promise<FeatureMatrix> {
  checkTable(table, 'prep/transformTable');
  checkStats(stats);
  const what = 'prep/transformTable';
  const width = stats.names.length;
  const into = opts.into;
  if (into !== undefined && (!(into instanceof Float32Array) || into.length !== table.numRows * width)) {
    throw new WeirError('E_LENGTH', `${what}: into must be a Float32Array of ${table.numRows} x ${width} = ${table.numRows * width} values, got ${into instanceof Float32Array ? into.length : typeof into}`);
  }
  // Validate every column up front, and look each up once.
  const data = new Map<string, Data[]>();
  const chunksOf = (c: string) => {
    let d = data.get(c);
    if (!d) data.set(c, (d = column(table, c, what)));
    return d;
  };
  for (const s of stats.steps) {
    if (s.op === 'hash') for (const c of s.columns) for (const d of chunksOf(c)) stringKind(d, c, what);
    else if (s.op === 'oneHot' || s.op === 'ordinal') for (const d of chunksOf(s.column)) dictionaryOf(d, s.column, what);
    else for (const d of chunksOf(s.column)) numericType(d, s.column, what);
  }
  const rows = table.numRows;
  const out = into ?? new Float32Array(rows * width);
  if (rows === 0 || width === 0) return { dtype: 'float32', dims: [rows, width], data: out, names: [...stats.names] };
  const k = await getPrepKernel();
  const opBytes = k.exports.table_op_bytes();
  // Per batch: lookup tables from dictionary entries to categories / hashed features.
  const luts = new Map<string, { index: Int32Array; sign?: Float32Array }>();
  const lutFor = (s: FittedStep, c: string, b: number, d: Data) => {
    const key = `${s.op}\u0000${c}\u0000${b}`;
    let lut = luts.get(key);
    if (!lut) {
      const { entries } = dictionaryOf(d, c, what);
      if (s.op === 'hash') lut = hashLut(k, entries, c, s.features, s.seed, s.alternateSign);
      else {
        const pos = new Map((s as { categories: string[] }).categories.map((cat, i) => [cat, i]));
        lut = { index: Int32Array.from(dictionaryStrings(entries), (str) => (str === null ? -1 : pos.get(str) ?? -1)) };
      }
      luts.set(key, lut);
    }
    return lut;
  };
  for (const { batch, start, len, global } of chunks(table)) {
    k.scoped((alloc) => {
      const ops: { buf: ArrayBuffer; step: FittedStep; column: string; d: Data }[] = [];
      let col = 0;
      for (const s of stats.steps) {
        const cols = s.op === 'hash' ? s.columns : [s.column];
        for (const c of cols) {
          const d = chunksOf(c)[batch]!;
          const buf = new ArrayBuffer(opBytes);
          const i32 = new Int32Array(buf);
          const f64 = new Float64Array(buf);
          i32[5] = col;
          if (s.op === 'standardize' || s.op === 'minmax' || s.op === 'passthrough' || s.op === 'bucketize') {
            const { src, validity, bitOffset } = putColumn(k, alloc, d, start, len);
            i32[1] = numericType(d, c, what);
            i32[2] = src; i32[3] = validity; i32[4] = bitOffset;
            if (s.op === 'bucketize') {
              i32[0] = OP.bucket;
              const bounds = Float64Array.from(s.boundaries);
              i32[6] = alloc(bounds.byteLength);
              k.write(i32[6]!, bounds);
              i32[7] = bounds.length;
              f64[10] = s.fill === null ? NaN : bucketOf(s.boundaries, s.fill);
            } else {
              i32[0] = OP.affine;
              const [shift, scale, fill] = affine(s);
              f64[8] = scale; f64[9] = shift; f64[10] = fill;
            }
          } else if (s.op === 'hash' && stringKind(d, c, what) === 'utf8') {
            i32[0] = OP.hashUtf8;
            const offsets = (d.valueOffsets as Int32Array).subarray(start, start + len + 1);
            const bytes = (d.values as Uint8Array).subarray(offsets[0]!, offsets[len]!);
            const prefix = encoder.encode(`${c}=`);
            i32[6] = alloc(offsets.byteLength); k.write(i32[6]!, offsets);
            i32[8] = alloc(Math.max(8, bytes.byteLength)); k.write(i32[8]!, bytes);
            i32[9] = alloc(prefix.length + bytes.byteLength + 8); k.write(i32[9]!, prefix);
            i32[10] = prefix.length;
            new Uint32Array(buf)[11] = s.seed;
            i32[12] = s.features;
            i32[13] = s.alternateSign ? 1 : 0;
            const v = putValidity(k, alloc, d, start, len);
            i32[3] = v.validity; i32[4] = v.bitOffset;
          } else {
            const { codeType } = dictionaryOf(d, c, what);
            const lut = lutFor(s, c, batch, d);
            const { src, validity, bitOffset } = putColumn(k, alloc, d, start, len);
            i32[0] = s.op === 'hash' ? OP.hashCodes : s.op === 'oneHot' ? OP.oneHot : OP.ordinal;
            i32[1] = codeType; i32[2] = src; i32[3] = validity; i32[4] = bitOffset;
            i32[6] = alloc(Math.max(4, lut.index.byteLength)); k.write(i32[6]!, lut.index);
            i32[7] = lut.index.length;
            if (lut.sign) { i32[8] = alloc(Math.max(4, lut.sign.byteLength)); k.write(i32[8]!, lut.sign); }
            i32[13] = stats.unknown === 'ignore' ? 2 : 0;
          }
          ops.push({ buf, step: s, column: c, d });
        }
        col += widthOf(s);
      }
      const opsPtr = alloc(ops.length * opBytes);
      ops.forEach((o, i) => k.write(opsPtr + i * opBytes, new Uint8Array(o.buf)));
      const dst = alloc(len * width * 4);
      const status = k.exports.table_transform(opsPtr, ops.length, len, dst, width);
      if (status !== 0) {
        const res = k.view(Int32Array, opsPtr, (ops.length * opBytes) / 4);
        const i = ops.findIndex((_, j) => res[(j * opBytes) / 4 + 14]! >= 0);
        const o = ops[i]!;
        const row = res[(i * opBytes) / 4 + 14]!;
        const code = Number((o.d.values as Int32Array)[start + row]);
        const value = dictionaryStrings(dictionaryOf(o.d, o.column, what).entries)[code];
        throw new WeirError('E_ARG', `${what}: column '${o.column}' row ${global + row} has category ${JSON.stringify(value)}, unknown to the fitted stats (pass unknown: 'ignore' to fitTable to encode it as missing)`);
      }
      out.set(k.view(Float32Array, dst, len * width), global * width);
    });
  }
  return { dtype: 'float32', dims: [rows, width], data: out, names: [...stats.names] };
}

function putValidity(k: Kernel<PrepExports>, alloc: (n: number) => number, d: Data, start: number, len: number): { validity: number; bitOffset: number } {
  if (!(d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0)) return { validity: 0, bitOffset: 0 };
  const first = d.offset + start;
  const from = first >> 3;
  const validity = alloc(((first + len + 7) >> 3) - from);
  k.write(validity, d.nullBitmap.subarray(from, (first + len + 7) >> 3));
  return { validity, bitOffset: first & 7 };
}

/** Hashed feature index and sign of every dictionary entry (hashed once, in wasm). */
function hashLut(k: Kernel<PrepExports>, entries: Data[], c: string, features: number, seed: number, alternate: boolean): { index: Int32Array; sign: Float32Array } {
  const total = entries.reduce((a, e) => a + e.length, 0);
  const index = new Int32Array(total);
  const sign = new Float32Array(total);
  const prefix = encoder.encode(`${c}=`);
  let at = 0;
  for (const e of entries) {
    if (e.length === 0) continue;
    const offsets = e.valueOffsets as Int32Array;
    const bytes = (e.values as Uint8Array).subarray(offsets[0]!, offsets[e.length]!);
    k.scoped((alloc) => {
      const o = alloc(offsets.byteLength); k.write(o, offsets.subarray(0, e.length + 1));
      const b = alloc(Math.max(8, bytes.byteLength)); k.write(b, bytes);
      const scratch = alloc(prefix.length + bytes.byteLength + 8); k.write(scratch, prefix);
      const idx = alloc(e.length * 4);
      const sg = alloc(e.length * 4);
      k.exports.hash_strings(o, b, e.length, scratch, prefix.length, seed, features, alternate ? 1 : 0, idx, sg);
      index.set(k.view(Int32Array, idx, e.length), at);
      sign.set(k.view(Float32Array, sg, e.length), at);
    });
    at += e.length;
  }
  return { index, sign };
}
