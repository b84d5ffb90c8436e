import { Bool, Int64, Table, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import type { Kernel } from '../runtime/kernel.js';
import type { StreamExports } from './kernel.js';
import type { AggDef } from './aggregates.js';

/** How keys come back: the caller's kind of key. */
export type KeyKind = 'float64' | 'int32' | 'bigint' | 'string';

export type Keys = Array<number | bigint | string> | Float64Array | Int32Array;

/** Rows of fired windows decoded from wasm memory into plain columns (copies). */
export interface WindowRows {
  length: number;
  start: Float64Array;
  end: Float64Array;
  /** Typed for numeric keys (no boxing on the hot output path), an array for strings and BigInts. */
  keys: Keys;
  /** One column per aggregate: numbers, or JSON strings for top-k. */
  values: Array<Float64Array | string[]>;
  revision: Int32Array;
  retract: Uint8Array;
}

/**
 * Copies the kernel's output rows out of wasm memory. The kernel stores them column by column
 * (see assembly/stream/output.ts), so each numeric column is one contiguous copy; all of them go
 * into a single ArrayBuffer, one allocation per call however many aggregates there are.
 */
export function readRows(kernel: Kernel<StreamExports>, state: number, aggs: readonly AggDef[], keyKind: KeyKind, strings: readonly string[], itemStrings: readonly boolean[]): WindowRows {
  const x = kernel.exports;
  const n = x.outRows(state);
  const colBytes = x.outColumnBytes(state);
  const base = x.outPtr(state);
  const memory = kernel.memory.buffer;
  const at = (w: number) => base + w * colBytes;
  // Columns that stay numbers: start, end, float keys, and every non-top-k aggregate word.
  const numeric = 2 + (keyKind === 'float64' ? 1 : 0) + aggs.filter((a) => a.op !== 'topk').length;
  const copied = new Float64Array(n * numeric);
  let slot = 0;
  const col = (w: number) => {
    const dst = copied.subarray(slot * n, slot * n + n);
    slot++;
    dst.set(new Float64Array(memory, at(w), n));
    return dst;
  };
  const start = col(0);
  const end = col(1);
  let keys: Keys;
  if (keyKind === 'float64') keys = col(2);
  else if (keyKind === 'int32') keys = new Int32Array(memory, at(2), n).slice();
  else if (keyKind === 'bigint') keys = Array.from(new BigInt64Array(memory, at(2), n));
  else keys = Array.from(new Int32Array(memory, at(2), n), (id) => strings[id]);
  const revision = new Int32Array(memory, at(3), n).slice();
  // Flags are one byte per row; bit 0 is "retract".
  const retract = new Uint8Array(memory, at(3) + colBytes / 2, n).slice();
  const values: Array<Float64Array | string[]> = [];
  let w = 4;
  for (const [j, a] of aggs.entries()) {
    if (a.op !== 'topk') {
      values.push(col(w));
      w += 1;
      continue;
    }
    const k = a.param;
    const items = Array.from({ length: k }, (_, slot) => new BigInt64Array(memory, at(w + slot), n));
    const counts = Array.from({ length: k }, (_, slot) => new Float64Array(memory, at(w + k + slot), n));
    const out = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      const list: Array<{ item: number | string; count: number }> = [];
      for (let slot = 0; slot < k; slot++) {
        const count = counts[slot][r];
        if (count <= 0) break;
        const raw = Number(items[slot][r]);
        list.push({ item: itemStrings[j] ? strings[raw] : raw, count });
      }
      out[r] = JSON.stringify(list);
    }
    values.push(out);
    w += 2 * k;
  }
  return { length: n, start, end, keys, values, revision, retract };
}

export function rowWords(aggs: readonly AggDef[]): number {
  return 4 + aggs.reduce((s, a) => s + (a.op === 'topk' ? 2 * a.param : 1), 0);
}

/** Concatenates row sets (copies). */
export function concatRows(parts: readonly WindowRows[], aggs: readonly AggDef[]): WindowRows {
  if (parts.length === 1) return parts[0];
  if (parts.length === 0) return emptyRows(aggs);
  const cat = <T extends Float64Array | Int32Array | Uint8Array>(get: (p: WindowRows) => T, make: (n: number) => T): T => {
    const out = make(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(get(p) as never, o); o += p.length; }
    return out;
  };
  return {
    length: parts.reduce((s, p) => s + p.length, 0),
    start: cat((p) => p.start, (n) => new Float64Array(n)),
    end: cat((p) => p.end, (n) => new Float64Array(n)),
    keys: catKeys(parts.map((p) => p.keys)),
    values: aggs.map((_, j) => {
      const first = parts[0].values[j];
      return first instanceof Float64Array
        ? cat((p) => p.values[j] as Float64Array, (n) => new Float64Array(n))
        : parts.flatMap((p) => p.values[j] as string[]);
    }),
    revision: cat((p) => p.revision, (n) => new Int32Array(n)),
    retract: cat((p) => p.retract, (n) => new Uint8Array(n)),
  };
}

function catKeys(parts: Keys[]): Keys {
  const first = parts[0];
  if (Array.isArray(first)) return (parts as Array<Array<number | bigint | string>>).flat();
  const out = first instanceof Int32Array ? new Int32Array(parts.reduce((s, p) => s + p.length, 0)) : new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, o);
    o += p.length;
  }
  return out;
}

/** Row indices ordered by window_end, then key (numbers numerically, strings by code unit). */
export function finalOrder(rows: WindowRows, order: number[]): number[] {
  return order.sort((a, b) => rows.end[a] - rows.end[b] || compareKeys(rows.keys[a], rows.keys[b]));
}

export function compareKeys(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the Arrow table of the rows at `order` (all rows when omitted). */
export function toTable(rows: WindowRows, aggs: readonly AggDef[], keyKind: KeyKind, order?: readonly number[]): Table {
  const idx = order ?? null;
  const n = idx ? idx.length : rows.length;
  const pick = <T extends Float64Array | Int32Array>(src: T, make: (n: number) => T): T => {
    if (!idx) return src;
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = src[idx[i]];
    return out;
  };
  const pickArr = <T,>(src: T[]): T[] => (idx ? idx.map((i) => src[i]) : src);
  const keys = rows.keys;
  const cols: Record<string, Vector> = {
    window_start: makeVector(pick(rows.start, (k) => new Float64Array(k))),
    window_end: makeVector(pick(rows.end, (k) => new Float64Array(k))),
    key: keyVector(
      keys instanceof Float64Array ? pick(keys, (k) => new Float64Array(k)) : keys instanceof Int32Array ? pick(keys, (k) => new Int32Array(k)) : pickArr(keys),
      keyKind,
    ),
  };
  aggs.forEach((a, j) => {
    const v = rows.values[j];
    cols[a.name] = v instanceof Float64Array ? makeVector(pick(v, (k) => new Float64Array(k))) : vectorFromArray(pickArr(v), new Utf8());
  });
  cols.revision = makeVector(pick(rows.revision, (k) => new Int32Array(k)));
  cols.retract = boolVector(rows.retract, idx);
  return new Table(cols);
}

/** A Bool vector packed straight from 0/1 bytes (no boxed booleans). */
function boolVector(bytes: Uint8Array, idx: readonly number[] | null): Vector {
  const n = idx ? idx.length : bytes.length;
  const bits = new Uint8Array(((n + 63) & ~63) >> 3);
  // Retractions are rare: most row sets have none, and their bitmap stays all zeros.
  if (bytes.indexOf(1) >= 0) for (let i = 0; i < n; i++) if (bytes[idx ? idx[i] : i]) bits[i >> 3] |= 1 << (i & 7);
  return makeVector(makeData({ type: new Bool(), length: n, data: bits }));
}

export function keyVector(keys: Keys, kind: KeyKind): Vector {
  if (kind === 'string') return vectorFromArray(keys as string[], new Utf8());
  if (kind === 'bigint') return vectorFromArray(keys as bigint[], new Int64());
  if (kind === 'int32') return makeVector(keys instanceof Int32Array ? keys : Int32Array.from(keys as number[]));
  return makeVector(keys instanceof Float64Array ? keys : Float64Array.from(keys as number[]));
}

/** An empty result table with the operator's schema. */
export function emptyRows(aggs: readonly AggDef[]): WindowRows {
  return { length: 0, start: new Float64Array(0), end: new Float64Array(0), keys: [], values: aggs.map((a) => (a.op === 'topk' ? [] : new Float64Array(0))), revision: new Int32Array(0), retract: new Uint8Array(0) };
}

