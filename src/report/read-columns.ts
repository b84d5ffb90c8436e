/**
 * Reads a few id columns of a file whole (follow edges, account links): numbers as one typed
 * array per column, strings as one string array. Rows with a missing value are dropped and
 * counted; unparseable rows are counted by weir/io (or fail the read with --strict).
 */
import { Type, Vector, type Data } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { formatOf, readBatches } from '../io/index.js';
import type { InputSummary } from './types.js';

export type IdColumn = Float64Array | string[];

export interface ReadColumnsResult {
  /** One column per requested name, in order. */
  columns: IdColumn[];
  rows: number;
  summary: InputSummary;
}

/**
 * Reads `columns` (role -> column name) of `path`. Integer columns come back as Float64Array,
 * string columns as string[]; a column that mixes (strings in one batch, numbers in another)
 * comes back as strings. A row missing a value is dropped, unless the column's role is listed
 * in `optional`: there a missing value reads as NaN (numbers) or '' (strings).
 */
export async function readIdColumns(
  path: string,
  columns: Record<string, string>,
  options: { strict: boolean; optional?: readonly string[]; onProgress?: (bytesRead: number, totalBytes: number) => void },
): Promise<ReadColumnsResult> {
  const roles = Object.keys(columns);
  const names = roles.map((r) => columns[r]);
  const optional = roles.map((r) => options.optional?.includes(r) === true);
  const unique = [...new Set(names)];
  const reader = readBatches(path, { columns: unique, strict: options.strict });
  const numChunks: Float64Array[][] = roles.map(() => []);
  const strChunks: string[][][] = roles.map(() => []);
  const kinds: Array<'number' | 'string' | null> = roles.map(() => null);
  let dropped = 0;
  const droppedSamples: Array<{ where: string; message: string }> = [];
  let seen = 0;
  for await (const table of reader) {
    const data = names.map((name) => table.getChild(name)!.data[0]);
    const n = table.numRows;
    let keep: Uint8Array | null = null;
    if (data.some((d, j) => d.nullCount > 0 && !optional[j])) {
      keep = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const missing = data.findIndex((d, j) => !optional[j] && !d.getValid(i));
        if (missing < 0) keep[i] = 1;
        else {
          dropped++;
          if (droppedSamples.length < 5) droppedSamples.push({ where: `data row ${seen + i + 1}`, message: `no value in column '${names[missing]}'` });
        }
      }
    }
    seen += n;
    data.forEach((d, j) => {
      const col = asIds(d, keep, names[j], path);
      if (col instanceof Float64Array) {
        numChunks[j].push(col);
        if (kinds[j] === null) kinds[j] = 'number';
      } else {
        strChunks[j].push(col);
        kinds[j] = 'string';
      }
    });
    options.onProgress?.(reader.stats.bytesRead, reader.stats.totalBytes);
  }
  if (dropped > 0 && options.strict) throw new WeirError('E_IO', `${path}: ${droppedSamples[0].where}: ${droppedSamples[0].message} (strict mode)`);
  const out = roles.map((_, j): IdColumn => {
    if (kinds[j] === 'string') {
      // Numbers read before the first string batch become their decimal text.
      const parts = numChunks[j].length ? [...numChunks[j].map((c) => Array.from(c, String)), ...strChunks[j]] : strChunks[j];
      return parts.length === 1 ? parts[0] : parts.flat();
    }
    return concat(numChunks[j]);
  });
  const stats = reader.stats;
  return {
    columns: out,
    rows: out.length ? out[0].length : 0,
    summary: {
      path,
      format: formatOf(path),
      rows: stats.rows,
      badRows: stats.badRows + dropped,
      badRowSamples: [...stats.badRowSamples.map((s) => ({ where: `line ${s.line}`, message: s.message })), ...droppedSamples].slice(0, 5),
      columns,
    },
  };
}

/**
 * One batch of a column as numbers or strings, rows where `keep` is 0 left out; a missing value
 * (in an optional column) is NaN or ''.
 */
function asIds(d: Data, keep: Uint8Array | null, name: string, path: string): Float64Array | string[] {
  const n = d.length;
  const tid = d.type.typeId;
  const valid = (i: number) => d.nullCount === 0 || d.getValid(i);
  if (tid === Type.Int || tid === Type.Float) {
    const v = d.values as ArrayLike<number | bigint>;
    const out = new Float64Array(keep ? countOnes(keep) : n);
    for (let i = 0, o = 0; i < n; i++) if (!keep || keep[i]) out[o++] = valid(i) ? Number(v[i]) : NaN;
    return out;
  }
  if (tid === Type.Dictionary || tid === Type.Utf8 || tid === Type.LargeUtf8) {
    const v = new Vector([d]);
    const out: string[] = [];
    for (let i = 0; i < n; i++) if (!keep || keep[i]) out.push(valid(i) ? String(v.get(i)) : '');
    return out;
  }
  if (tid === Type.Null) return keep ? new Array<string>(countOnes(keep)).fill('') : new Array<string>(n).fill('');
  throw new WeirError('E_COLUMN', `${path}: column '${name}' is ${String(d.type)}; expected ids (integers or strings)`);
}

function countOnes(a: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) c += a[i];
  return c;
}

function concat(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
