import {
  Data,
  Field,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Type,
  Utf8,
  makeData,
  makeVector,
  util,
  vectorFromArray,
  type DataType,
  type Dictionary,
  type Table,
} from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { ColumnBuilder } from './columns.js';
import type { FileSink } from './sink.js';
import { cellGetter } from './values.js';
import type { Encoder } from './write.js';

/**
 * Arrow IPC through apache-arrow's RecordBatchFileWriter (`arrow`) or RecordBatchStreamWriter
 * (`arrows`); the bytes it produces go to the sink as each batch is written.
 *
 * The first table fixes the schema. Later batches are made to match it: a Dictionary<Utf8>
 * column is given the schema's dictionary type (its id) so the stream can carry a
 * replacement dictionary per batch; the file format allows no replacement, so there
 * dictionary columns are written as plain Utf8. Any other type change is `E_COLUMN`.
 */
export function arrowEncoder(sink: FileSink, format: 'arrow' | 'arrows'): Encoder {
  const writer = format === 'arrow' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  let failure: unknown = null;
  const pump = (async () => {
    for await (const chunk of writer as AsyncIterable<Uint8Array>) await sink.write(chunk);
  })();
  // Kept for the next write(), so a full disk stops the run instead of buffering everything.
  pump.catch((e: unknown) => {
    failure ??= e;
  });
  let schema: Schema | null = null;
  const builders = new Map<number, ColumnBuilder>();

  const conform = (batch: RecordBatch): RecordBatch => {
    const children = batch.schema.fields.map((f, j) => {
      const data = batch.getChildAt(j)!.data[0];
      const want = schema!.fields[j].type;
      return same(want, data.type) ? (data.type === want ? data : data.clone(want)) : convert(sink.path, f.name, j, data, want, builders);
    });
    const struct = makeData({ type: new Struct(schema!.fields), length: batch.numRows, nullCount: 0, children });
    return new RecordBatch(schema!, struct);
  };

  return {
    async write(table: Table) {
      if (failure !== null) throw failure;
      if (schema === null) {
        const fields = table.schema.fields.map(
          (f) => new Field(f.name, format === 'arrow' && isStringDictionary(f.type) ? new Utf8() : f.type, f.nullable),
        );
        schema = new Schema(fields, table.schema.metadata);
        if (table.batches.length === 0) writer.write(emptyBatch(schema));
      }
      for (const batch of table.batches) writer.write(conform(batch));
      // Let the pump hand the bytes to the sink before the next table is encoded.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async finish() {
      // A file with no table written still gets a (column-less) schema, so it can be read.
      if (schema === null) writer.write(emptyBatch(new Schema([])));
      writer.close();
      await pump;
    },
  };
}

function isStringDictionary(t: DataType): boolean {
  return t.typeId === Type.Dictionary && (t as Dictionary).dictionary.typeId === Type.Utf8;
}

/** Same type up to the identity of a dictionary (its id), which `clone` can re-label. */
function same(a: DataType, b: DataType): boolean {
  if (a === b) return true;
  if (isStringDictionary(a) && isStringDictionary(b)) return util.compareTypes((a as Dictionary).indices, (b as Dictionary).indices);
  return util.compareTypes(a, b);
}

/** Re-encodes a string column between Utf8 and Dictionary<Utf8> (a copy); any other change is an error. */
function convert(path: string, name: string, j: number, data: Data, want: DataType, builders: Map<number, ColumnBuilder>): Data {
  const values = makeVector(data);
  const isString = isStringDictionary(data.type) || data.type.typeId === Type.Utf8 || data.type.typeId === Type.LargeUtf8;
  if (isString && want.typeId === Type.Utf8) {
    const get = cellGetter(values);
    const strings: (string | null)[] = new Array(data.length);
    for (let i = 0; i < data.length; i++) strings[i] = get(i) as string | null;
    return vectorFromArray(strings, new Utf8()).data[0];
  }
  const wantIndices = isStringDictionary(want) ? (want as Dictionary).indices : null;
  if (isString && wantIndices !== null && wantIndices.bitWidth === 32 && wantIndices.isSigned) {
    let b = builders.get(j);
    if (b === undefined) builders.set(j, (b = new ColumnBuilder(name, 'dictionary', data.length)));
    for (let i = 0; i < data.length; i++) b.append(values.get(i) as string | null);
    return b.finish().clone(want);
  }
  throw new WeirError('E_COLUMN', `${path}: column '${name}' was written as ${String(want)} but this table has ${String(data.type)}`);
}

function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((f) => makeVector(vectorFromArray([], f.type)).data[0]);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}
