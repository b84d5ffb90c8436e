/**
 * weir/io: the file layer every command shares. Read CSV, NDJSON, Arrow IPC and Parquet as
 * a stream of Arrow tables; write tables back to any of them.
 *
 * @example
 * import { readBatches, openWriter } from 'weir/io';
 * const out = await openWriter('clean.parquet');
 * for await (const table of readBatches('events.csv')) await out.write(table);
 * await out.close();
 */
export { readBatches, BatchReader, type ReadOptions } from './read.js';
export { BAD_ROW_SAMPLES, type BadRow, type ReadStats } from './context.js';
export { openWriter, type TableWriter, type WriteOptions } from './write.js';
export { formatOf, FORMATS, type Format } from './formats.js';
export { COLUMN_TYPES, type ColumnType } from './columns.js';
