import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Table } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { BAD, ColumnBuilder, cellFromValue, describe, inferFromValues, schemaOf, tableOf, type Cell } from './columns.js';
import { checkColumns, ioError, type ReadContext } from './context.js';

type Row = Record<string, unknown>;

/** The row's own value for `name`: a column named `constructor` must not find Object.prototype's. */
const field = (row: Row, name: string): unknown => (Object.prototype.hasOwnProperty.call(row, name) ? row[name] : undefined);

/**
 * Newline-delimited JSON: one object per line, read line by line as bytes arrive. Blank
 * lines are skipped. The columns are those given in `columns`, or else the keys of the
 * first batch's objects in order of first appearance; keys first seen later are ignored
 * and a missing key is null. A line that is not a JSON object, or holds a value its
 * column's type cannot take, is a bad row.
 */
export async function* readNdjson(ctx: ReadContext): AsyncGenerator<Table> {
  const { path, options, stats } = ctx;
  const input = createReadStream(path);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;

  let builders: ColumnBuilder[] | null = null;
  let schema: ReturnType<typeof schemaOf> | null = null;
  let pending: { row: Row; line: number }[] = [];
  let rows = 0;
  const cells: Cell[] = [];

  const setup = (): void => {
    const seen = new Set<string>();
    for (const p of pending) for (const k of Object.keys(p.row)) seen.add(k);
    const present = [...seen];
    checkColumns(ctx, present);
    builders = (options.columns ?? present).map(
      (name) => new ColumnBuilder(name, options.types[name] ?? inferFromValues(pending.map((p) => field(p.row, name))), options.batchRows),
    );
    schema = schemaOf(builders);
  };

  // Before inference, columns with a type from `options.types` are checked as lines
  // arrive, so bad rows are reported in file order.
  const typedFieldsFit = (row: Row, at: number): boolean => {
    for (const [name, type] of Object.entries(options.types)) {
      const v = field(row, name);
      if (cellFromValue(v, type) === BAD) {
        ctx.badRow(at, `column '${name}': cannot read ${describe(v)} as ${type}`);
        return false;
      }
    }
    return true;
  };

  const addRow = (row: Row, at: number): void => {
    const bs = builders!;
    for (let j = 0; j < bs.length; j++) {
      const v = field(row, bs[j].name);
      const cell = cellFromValue(v, bs[j].type);
      if (cell === BAD) {
        ctx.badRow(at, `column '${bs[j].name}': cannot read ${describe(v)} as ${bs[j].type}`);
        return;
      }
      cells[j] = cell;
    }
    for (let j = 0; j < bs.length; j++) bs[j].append(cells[j]);
    rows++;
  };

  const parseLine = (text: string, at: number): Row | null => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      ctx.badRow(at, `not valid JSON: ${(e as Error).message}`);
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.badRow(at, `expected a JSON object, got ${describe(value)}`);
      return null;
    }
    return value as Row;
  };

  // Returns true when a batch is full.
  const take = (text: string): boolean => {
    line++;
    if (text.trim() === '') return false;
    const row = parseLine(text, line);
    if (row === null) return false;
    if (builders === null) {
      if (!typedFieldsFit(row, line)) return false;
      pending.push({ row, line });
      if (pending.length < options.batchRows) return false;
      setup();
      for (const p of pending) addRow(p.row, p.line);
      pending = [];
    } else {
      addRow(row, line);
    }
    return rows >= options.batchRows;
  };

  const finishBatch = (): Table => {
    const table = tableOf(schema!, builders!.map((b) => b.finish()), rows);
    rows = 0;
    return table;
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      stats.bytesRead += chunk.length;
      const text = carry + decoder.write(chunk);
      let from = 0;
      let nl = text.indexOf('\n');
      while (nl !== -1) {
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (take(text.slice(from, end))) yield finishBatch();
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      carry = text.slice(from);
    }
    const last = carry + decoder.end();
    if (last.length > 0 && take(last.endsWith('\r') ? last.slice(0, -1) : last)) yield finishBatch();
    if (builders === null) {
      // Without a header, an empty file has no columns to check `columns` against.
      if (pending.length === 0) return;
      setup();
      for (const p of pending) addRow(p.row, p.line);
      pending = [];
    }
    if (rows > 0) yield finishBatch();
  } catch (e) {
    throw e instanceof WeirError ? e : ioError(path, e, 'cannot read NDJSON: ');
  } finally {
    input.destroy();
  }
}
