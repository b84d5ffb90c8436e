import type { Table } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import { WeirError } from '../runtime/errors.js';
import { BAD, ColumnBuilder, cellFromValue, describe, schemaOf, tableOf, type ColumnType } from './columns.js';
import { checkColumns, ioError, type ReadContext } from './context.js';

/**
 * Parquet through hyparquet, one row group (scan range) at a time: each requested column of
 * the range is decoded, converted to Arrow and cut into batches of at most `batchRows`
 * rows, and the next range is read only when those batches have been consumed. Memory is
 * one row group of the requested columns.
 *
 * Column types follow the Parquet schema (see {@link parquetColumnType}); `types` overrides.
 * Only top-level primitive columns are readable; a nested column is an `E_COLUMN` error.
 */
export async function* readParquet(ctx: ReadContext): AsyncGenerator<Table> {
  const { path, options, stats } = ctx;
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    const raw = await asyncBufferFromFile(path);
    file = {
      byteLength: raw.byteLength,
      slice: async (start: number, end?: number) => {
        const bytes = await raw.slice(start, end);
        stats.bytesRead = Math.min(stats.totalBytes, stats.bytesRead + bytes.byteLength);
        return bytes;
      },
    };
    // Fetch the footer exactly (length first) rather than the default 512 kB tail, so bytesRead
    // counts what the read needs and the first batch does not wait for a large prefetch.
    metadata = await parquetMetadataAsync(file, { initialFetchSize: 8 });
  } catch (e) {
    throw ioError(path, e, 'not a readable Parquet file: ');
  }
  const top = parquetSchema(metadata).children;
  const present = top.map((c) => c.element.name);
  checkColumns(ctx, present);
  const names = options.columns ?? present;
  const builders = names.map((name) => {
    const node = top.find((c) => c.element.name === name)!;
    if (node.children.length > 0) {
      throw new WeirError('E_COLUMN', `${path}: column '${name}' is nested (a group); only flat columns can be read`);
    }
    return new ColumnBuilder(name, options.types[name] ?? parquetColumnType(node.element), options.batchRows);
  });
  const schema = schemaOf(builders);
  try {
    const scan = await parquetScan({ file, metadata, columns: [...names] });
    for (const range of scan.ranges) {
      const data = await Promise.all(names.map((column) => scan.readColumn({ column, ...range })));
      const n = range.rowEnd - range.rowStart;
      for (let from = 0; from < n; from += options.batchRows) {
        const to = Math.min(n, from + options.batchRows);
        const columns = builders.map((b, j) => {
          const values = data[j];
          for (let i = from; i < to; i++) {
            const cell = cellFromValue(values[i], b.type);
            if (cell === BAD) {
              throw new WeirError(
                'E_COLUMN',
                `${path}: column '${b.name}' cannot be read as ${b.type}: value ${describe(values[i])} in row ${range.rowStart + i + 1}`,
              );
            }
            b.append(cell);
          }
          return b.finish();
        });
        yield tableOf(schema, columns, to - from);
      }
    }
  } catch (e) {
    throw e instanceof WeirError ? e : ioError(path, e, 'cannot read Parquet: ');
  }
}

/**
 * The column type a Parquet column reads as: BOOLEAN -> `bool`; INT32 (plain, INT_8/16/32,
 * UINT_8/16) -> `int32`; DATE and TIMESTAMP -> `timestamp` (epoch ms); other numbers
 * (INT64, FLOAT, DOUBLE, DECIMAL, UINT_32/64) -> `float64`, exact to 2^53; UTF8/STRING/ENUM
 * strings -> `dictionary`; anything else (JSON, binary, UUID…) -> `utf8` text.
 */
export function parquetColumnType(el: SchemaElement): ColumnType {
  const logical = el.logical_type?.type;
  const converted = el.converted_type;
  if (el.type === 'BOOLEAN') return 'bool';
  if (logical === 'DATE' || logical === 'TIMESTAMP' || converted === 'DATE') return 'timestamp';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'timestamp';
  if (logical === 'STRING' || logical === 'ENUM' || converted === 'UTF8' || converted === 'ENUM') return 'dictionary';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'float64';
  if (el.type === 'INT32') {
    const small = converted === undefined || converted === 'INT_8' || converted === 'INT_16' || converted === 'INT_32';
    return small || converted === 'UINT_8' || converted === 'UINT_16' ? 'int32' : 'float64';
  }
  if (el.type === 'INT64' || el.type === 'FLOAT' || el.type === 'DOUBLE' || el.type === 'INT96') {
    return el.type === 'INT96' ? 'timestamp' : 'float64';
  }
  return 'utf8';
}
