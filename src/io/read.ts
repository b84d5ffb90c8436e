import { stat } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { COLUMN_TYPES, type ColumnType } from './columns.js';
import { ioError, type BadRow, type ReadContext, type ReadStats, type ResolvedReadOptions, BAD_ROW_SAMPLES } from './context.js';
import { formatOf, type Format } from './formats.js';
import { readArrow } from './read-arrow.js';
import { readCsv } from './read-csv.js';
import { readNdjson } from './read-ndjson.js';
import { readParquet } from './read-parquet.js';

export interface ReadOptions {
  /** Overrides the format the extension implies. */
  format?: Format;
  /** Most rows per batch (default 65536). Arrow and Parquet batches are split to at most this, not merged. */
  batchRows?: number;
  /** Read only these columns, in this order. A missing one is an `E_COLUMN` error. */
  columns?: readonly string[];
  /**
   * Column types instead of inference (CSV/NDJSON) or conversions (Arrow/Parquet), by column
   * name; see {@link ColumnType}. A column named here must exist.
   */
  types?: Readonly<Record<string, ColumnType>>;
  /** Called for every row skipped as unparseable (CSV/NDJSON). */
  onBadRow?: (row: BadRow) => void;
  /** Fail with `E_IO` at the first unparseable row instead of skipping it. */
  strict?: boolean;
  /** Called after each batch with the live stats. */
  onProgress?: (stats: Readonly<ReadStats>) => void;
}

/**
 * A file read as a sequence of Arrow Tables, one RecordBatch each. Iterate it with
 * `for await`; each iteration reads the file again from the start and resets `stats`.
 */
export class BatchReader implements AsyncIterable<Table> {
  readonly path: string;
  readonly format: Format;
  readonly stats: ReadStats = freshStats();
  private readonly options: ResolvedReadOptions;
  private readonly onProgress: ((stats: Readonly<ReadStats>) => void) | undefined;

  constructor(path: string, format: Format, options: ResolvedReadOptions, onProgress?: (s: Readonly<ReadStats>) => void) {
    this.path = path;
    this.format = format;
    this.options = options;
    this.onProgress = onProgress;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Table> {
    Object.assign(this.stats, freshStats());
    this.stats.totalBytes = await fileSize(this.path);
    const ctx: ReadContext = {
      path: this.path,
      options: this.options,
      stats: this.stats,
      badRow: (line, message) => {
        if (this.options.strict) throw new WeirError('E_IO', `${this.path}:${line}: ${message} (strict mode)`);
        this.stats.badRows++;
        if (this.stats.badRowSamples.length < BAD_ROW_SAMPLES) this.stats.badRowSamples.push({ line, message });
        this.options.onBadRow?.({ line, message });
      },
    };
    const batches =
      this.format === 'csv'
        ? readCsv(ctx)
        : this.format === 'ndjson'
          ? readNdjson(ctx)
          : this.format === 'parquet'
            ? readParquet(ctx)
            : readArrow(ctx);
    for await (const table of batches) {
      this.stats.rows += table.numRows;
      this.stats.batches++;
      this.onProgress?.(this.stats);
      yield table;
    }
  }
}

/**
 * Reads a CSV, NDJSON, Arrow IPC (file or stream) or Parquet file as a stream of Arrow
 * Tables of at most `batchRows` rows, each holding a single RecordBatch. The file is never
 * read whole: CSV and NDJSON are parsed as bytes arrive, Arrow IPC is read message by
 * message, Parquet row group by row group. Memory is about one batch (plus, for Parquet,
 * one row group of the requested columns).
 *
 * CSV needs a header row. CSV and NDJSON column types are inferred from the first batch
 * (numbers -> Float64, true/false -> Bool, anything else -> Dictionary<Utf8>; see
 * {@link ColumnType}) and then fixed: a later value that does not fit its column, or a CSV
 * record with the wrong number of fields, or an NDJSON line that is not a JSON object,
 * is a bad row: skipped, counted in `stats.badRows`, its line kept in
 * `stats.badRowSamples` (first {@link BAD_ROW_SAMPLES}) and passed to `onBadRow`; with
 * `strict` it is an `E_IO` error naming the file and line. An empty CSV field is null (CSV
 * cannot tell an empty string from a missing value). An empty file gives no batches.
 *
 * Arrow columns keep their types; Parquet columns map to Float64 (DOUBLE, FLOAT, INT64,
 * DECIMAL), Int32 (INT32), Bool, Dictionary<Utf8> (strings) or epoch-ms Float64
 * (TIMESTAMP, DATE).
 *
 * Argument errors (unknown extension or format, bad `batchRows` or `types`) throw at once;
 * file errors surface on the first `next()`: `E_IO` naming the path for a missing or
 * unreadable file, `E_COLUMN` naming a requested column that is absent and listing those
 * present.
 *
 * @example
 * const reader = readBatches('events.csv', { columns: ['ts', 'user'], types: { ts: 'timestamp' } });
 * for await (const table of reader) op.push(table);
 * console.log(reader.stats.rows, reader.stats.badRows);
 */
export function readBatches(path: string, options: ReadOptions = {}): BatchReader {
  if (typeof path !== 'string' || path === '') throw new WeirError('E_ARG', 'path: expected a file path');
  const format = formatOf(path, options.format);
  const batchRows = options.batchRows ?? 65536;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new WeirError('E_ARG', `batchRows: expected a positive integer, got ${String(batchRows)}`);
  }
  const columns = options.columns;
  if (columns !== undefined) {
    if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
      throw new WeirError('E_ARG', 'columns: expected an array of column names');
    }
    const dup = columns.find((c, i) => columns.indexOf(c) !== i);
    if (dup !== undefined) throw new WeirError('E_ARG', `columns: '${dup}' is listed twice`);
  }
  // No prototype: a column named `constructor` must not find Object.prototype's.
  const types: Record<string, ColumnType> = Object.assign(Object.create(null), options.types);
  for (const [name, type] of Object.entries(types)) {
    if (!COLUMN_TYPES.includes(type)) {
      throw new WeirError('E_ARG', `types.${name}: expected one of ${COLUMN_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    }
  }
  return new BatchReader(
    path,
    format,
    { batchRows, columns, types, strict: options.strict === true, onBadRow: options.onBadRow },
    options.onProgress,
  );
}

function freshStats(): ReadStats {
  return { rows: 0, batches: 0, badRows: 0, badRowSamples: [], bytesRead: 0, totalBytes: 0 };
}

async function fileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw ioError(path, e);
  }
  if (info.isDirectory()) throw new WeirError('E_IO', `${path}: is a directory, not a file`);
  return info.size;
}

