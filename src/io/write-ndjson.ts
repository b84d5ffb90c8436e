import type { Table } from 'apache-arrow';
import type { FileSink } from './sink.js';
import { cellGetter, jsonCell } from './values.js';
import type { Encoder } from './write.js';

const ROWS_PER_CHUNK = 8192;

/** NDJSON: one JSON object per row, keys in column order, `\n` after each. */
export function ndjsonEncoder(sink: FileSink): Encoder {
  return {
    async write(table: Table) {
      const names = table.schema.fields.map((f) => f.name);
      const getters = names.map((_n, j) => cellGetter(table.getChildAt(j)!));
      for (let from = 0; from < table.numRows; from += ROWS_PER_CHUNK) {
        const to = Math.min(table.numRows, from + ROWS_PER_CHUNK);
        let text = '';
        for (let i = from; i < to; i++) {
          const row: Record<string, unknown> = Object.create(null); // a column may be named __proto__
          for (let j = 0; j < names.length; j++) row[names[j]] = jsonCell(getters[j](i));
          text += JSON.stringify(row) + '\n';
        }
        await sink.write(text);
      }
    },
    async finish() {},
  };
}
