import { open, type FileHandle } from 'node:fs/promises';
import { Field, RecordBatch, RecordBatchReader, Schema, type Table, type Vector } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { ColumnBuilder, convertVector, tableOf, type ColumnType } from './columns.js';
import { checkColumns, ioError, type ReadContext } from './context.js';

/**
 * Arrow IPC, file or stream format (told apart by the magic bytes), through apache-arrow's
 * RecordBatchReader on a file handle: the file format is read by seeking to each batch
 * the footer lists, the stream format message by message, so neither is loaded whole.
 * Batches keep their types (`types` converts the columns it names) and are split into
 * views of at most `batchRows` rows; empty batches are dropped.
 */
export async function* readArrow(ctx: ReadContext): AsyncGenerator<Table> {
  const { path, options, stats } = ctx;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw ioError(path, e);
  }
  // apache-arrow needs only stat/read/close and an fd; counting reads here gives progress.
  const counted = {
    fd: handle.fd,
    stat: () => handle.stat(),
    read: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
      const r = await handle.read(buffer, offset, length, position);
      stats.bytesRead = Math.min(stats.totalBytes, stats.bytesRead + r.bytesRead);
      return r;
    },
    close: () => handle.close(),
  };
  let reader: RecordBatchReader | null = null;
  try {
    try {
      reader = await RecordBatchReader.from(counted as unknown as FileHandle);
      await reader.open();
    } catch (e) {
      throw ioError(path, e, 'not a readable Arrow IPC file: ');
    }
    const present = reader.schema.fields.map((f) => f.name);
    checkColumns(ctx, present);
    const names = options.columns ?? present;
    const builders = new Map<string, ColumnBuilder>();
    let schema: Schema | null = null;
    for await (const batch of reader as AsyncIterable<RecordBatch>) {
      const n = batch.numRows;
      for (let from = 0; from < n; from += options.batchRows) {
        const part = n > options.batchRows ? batch.slice(from, Math.min(n, from + options.batchRows)) : batch;
        const columns = names.map((name) => {
          const vector = part.getChild(name) as Vector;
          const type = options.types[name];
          return type === undefined ? vector.data[0] : convertVector(name, vector, type, builderFor(builders, name, type, part.numRows));
        });
        schema ??= new Schema(names.map((name, j) => new Field(name, columns[j].type, true)));
        yield tableOf(schema, columns, part.numRows);
      }
    }
  } catch (e) {
    throw e instanceof WeirError ? e : ioError(path, e, 'cannot read Arrow IPC: ');
  } finally {
    // Either may already be closed (the reader closes the handle at the end of the file).
    await Promise.allSettled([reader?.cancel(), handle.close()]);
  }
}

function builderFor(builders: Map<string, ColumnBuilder>, name: string, type: ColumnType, rows: number): ColumnBuilder {
  let b = builders.get(name);
  if (b === undefined) {
    b = new ColumnBuilder(name, type, rows);
    builders.set(name, b);
  }
  return b;
}
