import { RecordBatch, Table } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { formatOf, type Format } from './formats.js';
import { FileSink } from './sink.js';
import { arrowEncoder } from './write-arrow.js';
import { csvEncoder } from './write-csv.js';
import { ndjsonEncoder } from './write-ndjson.js';
import { parquetEncoder } from './write-parquet.js';

export interface WriteOptions {
  /** Overrides the format the extension implies (`arrow` = IPC file, `arrows` = IPC stream). */
  format?: Format;
  /** Parquet only: rows buffered per row group (default 65536). */
  rowGroupRows?: number;
}

/** Where an opened file's tables go; see {@link openWriter}. */
export interface TableWriter {
  readonly path: string;
  readonly format: Format;
  /** Rows written so far. */
  readonly rows: number;
  /** Appends the rows of `table`; its columns must have the names, in order, of the first table written. */
  write(table: Table | RecordBatch): Promise<void>;
  /** Finishes the file (footer, last row group) and closes it. A second call does nothing. */
  close(): Promise<void>;
  /** Closes without finishing and deletes the file, for a run that failed part-way. */
  abort(): Promise<void>;
}

/** What each format contributes: turn tables into bytes on a sink, then finish the file. */
export interface Encoder {
  write(table: Table): Promise<void>;
  finish(): Promise<void>;
}

/**
 * Opens `path` for writing Arrow tables as CSV, NDJSON, Arrow IPC (`.arrow` file format,
 * `.arrows` stream format) or Parquet, chosen by the extension or `format`. The file is
 * created (or truncated) now, so an unwritable path fails here with `E_IO`.
 *
 * The schema is set by the first table written; later tables must have the same column
 * names in the same order (`E_COLUMN` otherwise). What each format does with it:
 *
 * - CSV: RFC 4180 via csv-stringify, header once; numbers as JavaScript prints them (the
 *   shortest text that reads back to the same double, so epoch ms are plain integers),
 *   booleans `true`/`false`, nulls as empty fields, bigints in full.
 * - NDJSON: one object per row in column order; bigints beyond 2^53 as strings, NaN and
 *   infinities as null (JSON has no such numbers).
 * - Arrow IPC: batches as given. The file format cannot replace a dictionary between batches,
 *   so dictionary columns are written to `.arrow` as plain Utf8; `.arrows` keeps them.
 * - Parquet: hyparquet-writer's incremental ParquetWriter; rows are buffered until
 *   `rowGroupRows`, then written as one row group, so memory is one row group.
 *
 * Every format streams: memory does not grow with the number of rows written.
 *
 * @example
 * const out = await openWriter('windows.parquet');
 * for await (const t of readBatches('events.csv')) await out.write(op.push(t).windows);
 * await out.close();
 */
export async function openWriter(path: string, options: WriteOptions = {}): Promise<TableWriter> {
  if (typeof path !== 'string' || path === '') throw new WeirError('E_ARG', 'path: expected a file path');
  const format = formatOf(path, options.format);
  const rowGroupRows = options.rowGroupRows ?? 65536;
  if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new WeirError('E_ARG', `rowGroupRows: expected a positive integer, got ${String(rowGroupRows)}`);
  }
  const sink = await FileSink.open(path);
  const encoder =
    format === 'csv'
      ? csvEncoder(sink)
      : format === 'ndjson'
        ? ndjsonEncoder(sink)
        : format === 'parquet'
          ? parquetEncoder(sink, rowGroupRows)
          : arrowEncoder(sink, format);
  let names: string[] | null = null;
  let rows = 0;
  let state: 'open' | 'closed' = 'open';
  return {
    path,
    format,
    get rows() {
      return rows;
    },
    async write(input) {
      if (state !== 'open') throw new WeirError('E_STATE', `${path}: write after close`);
      const table = input instanceof RecordBatch ? new Table(input) : input;
      if (!(table instanceof Table)) throw new WeirError('E_ARG', 'write: expected an Arrow Table or RecordBatch');
      const got = table.schema.fields.map((f) => f.name);
      if (names === null) names = got;
      else if (got.length !== names.length || got.some((n, i) => n !== names![i])) {
        throw new WeirError('E_COLUMN', `${path}: expected columns ${names.join(', ')}, got ${got.join(', ')}`);
      }
      await encoder.write(table);
      rows += table.numRows;
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      await encoder.finish();
      await sink.close();
    },
    async abort() {
      state = 'closed';
      await sink.discard();
    },
  };
}
