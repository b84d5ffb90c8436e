// Plain-TS oracles for the table kernels: scikit-learn's StandardScaler, MinMaxScaler,
// SimpleImputer, OrdinalEncoder, OneHotEncoder and FeatureHasher written out row by row over
// JS values, plus MurmurHash3_x86_32 straight from Austin Appleby's reference.

/** MurmurHash3_x86_32 of `bytes`, as an unsigned 32-bit number. */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  switch (bytes.length & 3) {
    case 3: k ^= bytes[tail + 2]! << 16; // falls through
    case 2: k ^= bytes[tail + 1]! << 8; // falls through
    case 1:
      k ^= bytes[tail]!;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FeatureHasher's (index, sign) of one "<column>=<value>" feature. */
export function hashFeature(column: string, value: string, features: number, seed = 0, alternate = true): [number, number] {
  const h = murmur3(new TextEncoder().encode(`${column}=${value}`), seed) | 0;
  const index = h === -2147483648 ? (2147483647 - (features - 1)) % features : Math.abs(h) % features;
  return [index, alternate && h < 0 ? -1 : 1];
}

type Value = number | bigint | string | null | undefined;
type Impute = 'mean' | 'median' | 'mostFrequent' | { constant: number };

export interface RefSpec {
  standardize?: string[];
  minmax?: string[];
  passthrough?: string[];
  bucketize?: Record<string, number[]>;
  ordinal?: string[];
  oneHot?: string[];
  hash?: { columns: string[]; features: number; seed?: number; alternateSign?: boolean };
  impute?: Record<string, Impute>;
}

const missing = (v: Value) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function imputeValue(values: number[], strategy: Impute): number {
  if (typeof strategy === 'object') return strategy.constant;
  const sorted = [...values].sort((a, b) => a - b);
  if (strategy === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  if (strategy === 'median') {
    const n = sorted.length;
    return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  }
  let best = sorted[0]!;
  let bestRun = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) { bestRun = j - i; best = sorted[i]!; }
    i = j;
  }
  return best;
}

function codePointOrder(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Fits on `train` and transforms `test` (columns as arrays of JS values), row by row, in f64;
 * returns the names and rows of the feature matrix.
 */
export function tableRef(train: Record<string, Value[]>, test: Record<string, Value[]>, spec: RefSpec): { names: string[]; rows: number[][] } {
  const n = Object.values(test)[0]?.length ?? 0;
  const cols: { names: string[]; f: (i: number) => number[] }[] = [];
  const num = (c: string, vals: Value[]) => vals.map((v) => (missing(v) ? NaN : Number(v)));
  const prepared = (c: string): { train: number[]; fill: number | null } => {
    const raw = num(c, train[c]!);
    const strategy = spec.impute?.[c];
    if (strategy === undefined) return { train: raw.filter((v) => !Number.isNaN(v)), fill: null };
    const fill = imputeValue(raw.filter((v) => !Number.isNaN(v)), strategy);
    return { train: raw.map((v) => (Number.isNaN(v) ? fill : v)), fill };
  };
  const testValue = (c: string, i: number, fill: number | null) => {
    const v = test[c]![i];
    return missing(v) ? (fill ?? NaN) : Number(v);
  };
  for (const c of spec.standardize ?? []) {
    const { train: t, fill } = prepared(c);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const std = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / t.length);
    cols.push({ names: [c], f: (i) => [(testValue(c, i, fill) - mean) / (std > 0 ? std : 1)] });
  }
  for (const c of spec.minmax ?? []) {
    const { train: t, fill } = prepared(c);
    const lo = Math.min(...t);
    const hi = Math.max(...t);
    cols.push({ names: [c], f: (i) => [(testValue(c, i, fill) - lo) / (hi > lo ? hi - lo : 1)] });
  }
  for (const c of spec.passthrough ?? []) {
    const { fill } = prepared(c);
    cols.push({ names: [c], f: (i) => [testValue(c, i, fill)] });
  }
  for (const [c, b] of Object.entries(spec.bucketize ?? {})) {
    const { fill } = prepared(c);
    cols.push({ names: [c], f: (i) => { const v = testValue(c, i, fill); return [Number.isNaN(v) ? NaN : b.filter((x) => x <= v).length]; } });
  }
  const categories = (c: string) => [...new Set(train[c]!.filter((v) => !missing(v)) as string[])].sort(codePointOrder);
  for (const c of spec.ordinal ?? []) {
    const cats = categories(c);
    cols.push({ names: [c], f: (i) => { const v = test[c]![i]; const j = missing(v) ? -1 : cats.indexOf(v as string); return [j < 0 ? NaN : j]; } });
  }
  for (const c of spec.oneHot ?? []) {
    const cats = categories(c);
    cols.push({ names: cats.map((x) => `${c}=${x}`), f: (i) => cats.map((x) => (test[c]![i] === x ? 1 : 0)) });
  }
  if (spec.hash) {
    const { columns, features, seed = 0, alternateSign = true } = spec.hash;
    cols.push({
      names: Array.from({ length: features }, (_, j) => `hash_${j}`),
      f: (i) => {
        const row = new Array<number>(features).fill(0);
        for (const c of columns) {
          const v = test[c]![i];
          if (missing(v)) continue;
          const [idx, sign] = hashFeature(c, String(v), features, seed, alternateSign);
          row[idx] += sign;
        }
        return row;
      },
    });
  }
  return { names: cols.flatMap((c) => c.names), rows: Array.from({ length: n }, (_, i) => cols.flatMap((c) => c.f(i))) };
}
