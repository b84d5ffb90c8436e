import { createReadStream } from 'node:fs';
import type { Table } from 'apache-arrow';
import { parse, type CsvError } from 'csv-parse';
import { WeirError } from '../runtime/errors.js';
import { BAD, ColumnBuilder, cellFromText, inferFromText, schemaOf, tableOf, type Cell, type ColumnType } from './columns.js';
import { checkColumns, ioError, type ReadContext } from './context.js';

interface Skip {
  /** Records (header included) csv-parse had emitted before the skipped one. */
  records: number;
  lines: number;
  message: string;
}

/**
 * CSV with a header row, parsed by csv-parse as the bytes arrive.
 *
 * Line numbers: csv-parse can report them per record, but that triples parse time, so
 * they are counted here instead: each record takes one line plus the line breaks inside
 * its quoted fields, and a record csv-parse skips as malformed resets the count to the
 * line where csv-parse detected the problem. A malformed quote can make csv-parse read
 * the following lines as part of one bad record; they are lost with it.
 */
export async function* readCsv(ctx: ReadContext): AsyncGenerator<Table> {
  const { path, options, stats } = ctx;
  const skips: Skip[] = [];
  const input = createReadStream(path);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      const e = err as (CsvError & { records?: number; lines?: number }) | undefined;
      skips.push({
        records: e?.records ?? Number.MAX_SAFE_INTEGER,
        lines: e?.lines ?? 0,
        message: `malformed CSV record: ${e?.message.replace(/ at line \d+/, '') ?? 'unknown error'}`,
      });
      return undefined;
    },
  });
  input.on('data', (chunk) => {
    stats.bytesRead += chunk.length;
  });
  input.on('error', (e) => parser.destroy(ioError(path, e)));
  input.pipe(parser);

  let header: string[] | null = null;
  let emitted = 0; // records received from csv-parse, header included
  let lineEnd = 0; // last line consumed so far
  let skipAt = 0;

  const flushSkips = (upTo: number): void => {
    while (skipAt < skips.length && skips[skipAt].records <= upTo) {
      const s = skips[skipAt++];
      // csv-parse may report one malformed record twice (a bad closing quote, then the
      // unclosed quote it leads to): with no record between them they are one bad row.
      let last = s;
      while (skipAt < skips.length && skips[skipAt].records === s.records) last = skips[skipAt++];
      lineEnd = Math.max(lineEnd, last.lines);
      ctx.badRow(s.lines, last === s ? s.message : `${s.message} (through line ${last.lines})`);
    }
    if (skipAt === skips.length && skipAt > 0) {
      skips.length = 0;
      skipAt = 0;
    }
  };

  // Set once the types are known (after the first batch of records, or at once when all
  // selected columns have a type in `options.types`).
  let builders: ColumnBuilder[] | null = null;
  let sourceIndex: number[] = [];
  let schema: ReturnType<typeof schemaOf> | null = null;
  let pending: { record: string[]; line: number }[] = [];
  let rows = 0;
  const cells: Cell[] = [];

  const setup = (): void => {
    const names = options.columns ?? header!;
    sourceIndex = names.map((n) => header!.indexOf(n));
    builders = names.map((name, j) => {
      const type: ColumnType =
        options.types[name] ?? inferFromText(pending.map((p) => (p.record.length === header!.length ? p.record[sourceIndex[j]] : '')));
      return new ColumnBuilder(name, type, options.batchRows);
    });
    schema = schemaOf(builders);
  };

  const addRecord = (record: string[], line: number): void => {
    const bs = builders!;
    for (let j = 0; j < bs.length; j++) {
      const s = record[sourceIndex[j]];
      const cell = s === '' ? null : cellFromText(s, bs[j].type);
      if (cell === BAD) {
        ctx.badRow(line, `column '${bs[j].name}': cannot read ${JSON.stringify(s)} as ${bs[j].type}`);
        return;
      }
      cells[j] = cell;
    }
    for (let j = 0; j < bs.length; j++) bs[j].append(cells[j]);
    rows++;
  };

  // Before inference, columns with a type from `options.types` are checked as records
  // arrive, so bad rows are reported in file order.
  const typedFieldsFit = (record: string[], line: number): boolean => {
    for (const name of options.columns ?? header!) {
      const type = options.types[name];
      if (type === undefined) continue;
      const s = record[header!.indexOf(name)];
      if (s !== '' && cellFromText(s, type) === BAD) {
        ctx.badRow(line, `column '${name}': cannot read ${JSON.stringify(s)} as ${type}`);
        return false;
      }
    }
    return true;
  };

  const finishBatch = (): Table => {
    const table = tableOf(schema!, builders!.map((b) => b.finish()), rows);
    rows = 0;
    return table;
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      flushSkips(emitted);
      emitted++;
      const start = lineEnd + 1;
      lineEnd = start + newlinesIn(record);
      if (header === null) {
        header = record;
        const dup = header.find((c, i) => header!.indexOf(c) !== i);
        if (dup !== undefined) throw new WeirError('E_IO', `${path}:1: the header names column '${dup}' twice`);
        checkColumns(ctx, header);
        const names = options.columns ?? header;
        if (names.every((n) => options.types[n] !== undefined)) setup();
        continue;
      }
      if (record.length !== header.length) {
        // A blank line is not a record, except in a one-column file where it is a null.
        if (record.length === 1 && record[0] === '') continue;
        ctx.badRow(start, `expected ${header.length} fields, got ${record.length}`);
        continue;
      }
      if (builders === null) {
        if (!typedFieldsFit(record, start)) continue;
        pending.push({ record, line: start });
        if (pending.length < options.batchRows) continue;
        setup();
        for (const p of pending) addRecord(p.record, p.line);
        pending = [];
      } else {
        addRecord(record, start);
      }
      if (rows >= options.batchRows) yield finishBatch();
    }
    flushSkips(Number.MAX_SAFE_INTEGER);
    if (header === null) return; // an empty file: no header, no rows
    if (builders === null) {
      setup();
      for (const p of pending) addRecord(p.record, p.line);
      pending = [];
    }
    if (rows > 0) yield finishBatch();
  } catch (e) {
    throw e instanceof WeirError ? e : ioError(path, e, 'cannot read CSV: ');
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function newlinesIn(record: string[]): number {
  let n = 0;
  for (let i = 0; i < record.length; i++) {
    const f = record[i];
    let k = f.indexOf('\n');
    while (k !== -1) {
      n++;
      k = f.indexOf('\n', k + 1);
    }
  }
  return n;
}
