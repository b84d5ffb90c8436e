import type { Table } from 'apache-arrow';
import { stringify } from 'csv-stringify/sync';
import type { FileSink } from './sink.js';
import { cellGetter } from './values.js';
import type { Encoder } from './write.js';

/** Rows stringified per call, so a batch becomes a few medium strings rather than one huge one. */
const ROWS_PER_CHUNK = 8192;

const CAST = {
  boolean: (v: boolean) => (v ? 'true' : 'false'),
  bigint: (v: bigint) => v.toString(),
  date: (v: Date) => String(v.getTime()),
  object: (v: Record<string, unknown>) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)),
};

/**
 * CSV through csv-stringify: header once (from the first table, even an empty one), then
 * each table's rows, quoted per RFC 4180 where a field holds a comma, quote or line break.
 */
export function csvEncoder(sink: FileSink): Encoder {
  let headerDone = false;
  return {
    async write(table: Table) {
      if (!headerDone) {
        await sink.write(stringify([table.schema.fields.map((f) => f.name)], { cast: CAST }));
        headerDone = true;
      }
      const getters = table.schema.fields.map((_f, j) => cellGetter(table.getChildAt(j)!));
      for (let from = 0; from < table.numRows; from += ROWS_PER_CHUNK) {
        const to = Math.min(table.numRows, from + ROWS_PER_CHUNK);
        const rows: unknown[][] = [];
        for (let i = from; i < to; i++) {
          const row = new Array<unknown>(getters.length);
          for (let j = 0; j < getters.length; j++) row[j] = getters[j](i);
          rows.push(row);
        }
        await sink.write(stringify(rows, { cast: CAST }));
      }
    },
    async finish() {},
  };
}
