import { Type, type DataType, type Dictionary, type Table } from 'apache-arrow';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { WeirError } from '../runtime/errors.js';
import type { FileSink } from './sink.js';
import { cellGetter, jsonCell } from './values.js';
import type { Encoder } from './write.js';

type ParquetKind = 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP' | 'JSON';

/**
 * Parquet through hyparquet-writer's incremental ParquetWriter. Rows are buffered until
 * `rowGroupRows`, then encoded as one row group and flushed to the sink, so the file
 * streams; the footer (written by `finish`) holds only metadata. Every column is OPTIONAL.
 *
 * Arrow -> Parquet: Float64 -> DOUBLE, Float32/16 -> FLOAT, Int8-32 and Uint8/16 -> INT32,
 * Int64 and Uint32/64 -> INT64, Bool -> BOOLEAN, Utf8 and Dictionary<Utf8> -> STRING,
 * Timestamp and Date -> INT64 TIMESTAMP_MILLIS, anything else -> its JSON text as STRING.
 */
export function parquetEncoder(sink: FileSink, rowGroupRows: number): Encoder {
  const bytes = new SinkByteWriter(sink);
  let writer: ParquetWriter | null = null;
  let names: string[] = [];
  let kinds: ParquetKind[] = [];
  let buffered: unknown[][] = [];
  let bufferedRows = 0;

  const flushRows = async (): Promise<void> => {
    if (writer === null || bufferedRows === 0) return;
    const columnData = names.map((name, j) => ({ name, data: buffered[j] }));
    buffered = names.map(() => []);
    bufferedRows = 0;
    await writer.write({ columnData, rowGroupSize: Number.MAX_SAFE_INTEGER });
  };

  return {
    async write(table) {
      const fields = table.schema.fields;
      const theirKinds = fields.map((f) => kindOf(f.type));
      if (writer === null) {
        names = fields.map((f) => f.name);
        kinds = theirKinds;
        buffered = names.map(() => []);
        writer = new ParquetWriter({ writer: bytes, schema: schemaOf(names, kinds), createdBy: 'weir' });
      } else {
        const j = theirKinds.findIndex((k, i) => k !== kinds[i]);
        if (j !== -1) {
          throw new WeirError(
            'E_COLUMN',
            `${sink.path}: column '${names[j]}' was written as Parquet ${kinds[j]} but this table has ${String(fields[j].type)}`,
          );
        }
      }
      for (let j = 0; j < fields.length; j++) {
        const get = cellGetter(table.getChildAt(j)!);
        const out = buffered[j];
        const kind = kinds[j];
        for (let i = 0; i < table.numRows; i++) out.push(parquetValue(get(i), kind));
      }
      bufferedRows += table.numRows;
      if (bufferedRows >= rowGroupRows) await flushRows();
    },
    async finish() {
      writer ??= new ParquetWriter({ writer: bytes, schema: schemaOf([], []), createdBy: 'weir' });
      await flushRows();
      await writer.finish();
    },
  };
}

/** A ByteWriter that hands each finished row group (and the footer) to the sink and reuses its buffer. */
class SinkByteWriter extends ByteWriter {
  private readonly sink: FileSink;
  constructor(sink: FileSink) {
    super(1 << 20);
    this.sink = sink;
  }
  async flush(): Promise<void> {
    const chunk = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    await this.sink.write(chunk);
  }
  override async finish(): Promise<void> {
    await this.flush();
  }
}

function kindOf(type: DataType): ParquetKind {
  switch (type.typeId) {
    case Type.Float:
      return (type as { precision?: number }).precision === 2 ? 'DOUBLE' : 'FLOAT';
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      return bitWidth < 32 || (bitWidth === 32 && isSigned) ? 'INT32' : 'INT64';
    }
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'STRING';
    case Type.Dictionary:
      return kindOf((type as Dictionary).dictionary) === 'STRING' ? 'STRING' : 'JSON';
    case Type.Timestamp:
    case Type.Date:
      return 'TIMESTAMP';
    default:
      return 'JSON';
  }
}

function schemaOf(names: readonly string[], kinds: readonly ParquetKind[]): SchemaElement[] {
  const root: SchemaElement = { name: 'root', num_children: names.length };
  return [
    root,
    ...names.map((name, j): SchemaElement => {
      const el: SchemaElement = { name, repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY' };
      switch (kinds[j]) {
        case 'DOUBLE':
        case 'FLOAT':
        case 'INT32':
        case 'INT64':
        case 'BOOLEAN':
          return { ...el, type: kinds[j] as SchemaElement['type'] };
        case 'TIMESTAMP':
          return { ...el, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' };
        case 'STRING':
        case 'JSON':
          return { ...el, converted_type: 'UTF8' };
      }
    }),
  ];
}

function parquetValue(v: unknown, kind: ParquetKind): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'INT64':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'TIMESTAMP':
      return typeof v === 'bigint' ? v : BigInt(Math.round(v instanceof Date ? v.getTime() : (v as number)));
    case 'JSON':
      return JSON.stringify(jsonCell(v));
    default:
      return v;
  }
}
