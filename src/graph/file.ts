/**
 * Graphs from edge-list files: CSV, NDJSON, Arrow IPC or Parquet with a header, read in batches
 * with weir/io (Node only; the io module is imported on first use, so bundles of weir/graph for a
 * browser worker do not pull in node:fs unless they call this).
 */
import type { Vector } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { Graph, type GraphOptions } from './graph.js';

export interface EdgeFileOptions extends Omit<GraphOptions, 'src' | 'dst' | 'weight' | 'nodes'> {
  /** Column of source ids. */
  src: string;
  /** Column of target ids. */
  dst: string;
  /** Column of edge weights (optional). */
  weight?: string;
  /** Input format when the extension does not say (csv, ndjson, arrow, arrows, parquet). */
  format?: 'csv' | 'ndjson' | 'arrow' | 'arrows' | 'parquet';
  /** Called after each batch with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Reads the edge columns of a file (one Arrow vector per column, chunked as read; no copy).
 * A file without a named column is an E_COLUMN error naming it.
 */
export async function readEdgeColumns(path: string, options: EdgeFileOptions): Promise<{ src: Vector; dst: Vector; weight?: Vector; rows: number }> {
  for (const key of ['src', 'dst'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '') throw new WeirError('E_ARG', `weir/graph: ${key} must name a column of ${path}`);
  }
  if (options.weight !== undefined && (typeof options.weight !== 'string' || options.weight === '')) {
    throw new WeirError('E_ARG', `weir/graph: weight must name a column of ${path}`);
  }
  // The specifier is built at run time so browser bundlers of weir/graph do not pull in weir/io
  // (node:fs, csv-parse): reading files is Node-only.
  const ioModule = '../io/index.js';
  const io = (await import(/* @vite-ignore */ /* webpackIgnore: true */ ioModule)) as typeof import('../io/index.js');
  const columns = [...new Set([options.src, options.dst, ...(options.weight ? [options.weight] : [])])];
  const reader = io.readBatches(path, { columns, format: options.format, strict: true });
  const parts: Record<string, Vector[]> = Object.fromEntries(columns.map((c) => [c, []]));
  for await (const table of reader) {
    for (const c of columns) parts[c].push(table.getChild(c)!);
    options.onProgress?.(reader.stats.bytesRead, reader.stats.totalBytes);
  }
  const join = (c: string): Vector => {
    const vs = parts[c];
    if (vs.length === 0) throw new WeirError('E_IO', `weir/graph: ${path} has no rows`);
    return vs.length === 1 ? vs[0] : vs[0].concat(...vs.slice(1));
  };
  if (parts[options.src].length === 0) {
    const { vectorFromArray } = await import('apache-arrow');
    const empty = vectorFromArray([] as number[]) as unknown as Vector;
    return { src: empty, dst: empty, weight: options.weight ? empty : undefined, rows: 0 };
  }
  return { src: join(options.src), dst: join(options.dst), weight: options.weight ? join(options.weight) : undefined, rows: reader.stats.rows };
}

/**
 * Builds a graph from an edge-list file.
 *
 * @example
 * const g = await graphFromFile('follows.parquet', { src: 'follower', dst: 'followee', directed: true });
 */
export async function graphFromFile(path: string, options: EdgeFileOptions): Promise<Graph> {
  const { src, dst, weight } = await readEdgeColumns(path, options);
  const { src: _s, dst: _d, weight: _w, format: _f, onProgress: _p, ...graphOptions } = options;
  return Graph.fromEdges({ ...graphOptions, src, dst, weight });
}
