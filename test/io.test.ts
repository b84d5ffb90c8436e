import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Bool, Float64, Int32, Table, Utf8, tableFromIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { readBatches, openWriter, formatOf, type Format, type ColumnType } from '../dist/io/index.js';
import { weirError as errorOf } from './helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmp = (ext: string) => join(dir, `f${fileNo++}.${ext}`);

/** Every row of every batch, column by column, as plain values. */
async function readAll(path: string, opts: Parameters<typeof readBatches>[1] = {}) {
  const reader = readBatches(path, opts);
  const columns: Record<string, unknown[]> = Object.create(null);
  const batchSizes: number[] = [];
  let types: Record<string, string> = {};
  for await (const t of reader) {
    expect(t.batches.length).toBe(1);
    batchSizes.push(t.numRows);
    types = Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
    for (const f of t.schema.fields) {
      const v = t.getChild(f.name)!;
      (columns[f.name] ??= []).push(...Array.from({ length: v.length }, (_, i) => v.get(i)));
    }
  }
  return { columns, batchSizes, types, stats: reader.stats };
}

async function writeAll(path: string, tables: Table[], opts: Parameters<typeof openWriter>[1] = {}) {
  const w = await openWriter(path, opts);
  for (const t of tables) await w.write(t);
  await w.close();
  return w;
}


const drain = async (path: string, opts: Parameters<typeof readBatches>[1] = {}) => {
  for await (const _ of readBatches(path, opts)) void _;
};

// ---------------------------------------------------------------------------------------------

describe('io: formats', () => {
  it('takes the format from the extension, case-insensitively', () => {
    expect(formatOf('a/b.CSV')).toBe('csv');
    expect(formatOf('x.jsonl')).toBe('ndjson');
    expect(formatOf('x.ndjson')).toBe('ndjson');
    expect(formatOf('x.feather')).toBe('arrow');
    expect(formatOf('x.arrows')).toBe('arrows');
    expect(formatOf('x.parquet')).toBe('parquet');
    expect(formatOf('x.bin', 'csv')).toBe('csv');
  });

  it('rejects an unknown extension with E_IO naming the path, and an unknown format with E_ARG', async () => {
    const e = await errorOf(() => readBatches('data/events.xlsx'));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain('data/events.xlsx');
    expect(e.message).toContain('.xlsx');
    expect((await errorOf(() => formatOf('dir.v2/noext'))).code).toBe('E_IO');
    expect((await errorOf(() => readBatches('a.csv', { format: 'xml' as Format }))).code).toBe('E_ARG');
    expect((await errorOf(openWriter(join(dir, 'out.txt')))).code).toBe('E_IO');
  });
});

// ---------------------------------------------------------------------------------------------

const FORMATS: Format[] = ['csv', 'ndjson', 'arrow', 'arrows', 'parquet'];
const EXT: Record<Format, string> = { csv: 'csv', ndjson: 'ndjson', arrow: 'arrow', arrows: 'arrows', parquet: 'parquet' };

interface Rows {
  ts: number[];
  x: (number | null)[];
  n: (number | null)[];
  s: (string | null)[];
  b: (boolean | null)[];
}

/** Random columns: epoch-ms integers, doubles with nulls, int32, strings (any text) and booleans. */
function rowsArb(format: Format) {
  const finiteOnly = format === 'ndjson'; // JSON has no NaN or infinities
  const double = fc
    .double({ noNaN: finiteOnly, noDefaultInfinity: finiteOnly })
    .map((v) => (Object.is(v, -0) ? 0 : v));
  // CSV cannot tell an empty string from a missing value; weir reads both as null.
  const text = fc.string({ minLength: format === 'csv' ? 1 : 0, maxLength: 12, unit: 'grapheme' });
  return fc.integer({ min: 0, max: 40 }).chain((n) =>
    fc.record({
      ts: fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: n, maxLength: n }),
      x: fc.array(fc.option(double, { nil: null }), { minLength: n, maxLength: n }),
      n: fc.array(fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }), { minLength: n, maxLength: n }),
      s: fc.array(fc.option(text, { nil: null }), { minLength: n, maxLength: n }),
      b: fc.array(fc.option(fc.boolean(), { nil: null }), { minLength: n, maxLength: n }),
    }),
  );
}

const READ_TYPES: Record<string, ColumnType> = { ts: 'timestamp', x: 'float64', n: 'int32', s: 'dictionary', b: 'bool' };

function tableOfRows(r: Rows, from = 0, to = r.ts.length): Table {
  const cut = <T>(a: T[]) => a.slice(from, to);
  return new Table({
    ts: vectorFromArray(cut(r.ts), new Float64()),
    x: vectorFromArray(cut(r.x), new Float64()),
    n: vectorFromArray(cut(r.n), new Int32()),
    s: vectorFromArray(cut(r.s), new Utf8()),
    b: vectorFromArray(cut(r.b), new Bool()),
  } as Record<string, Vector>);
}

describe('io: every format round-trips', () => {
  for (const format of FORMATS) {
    it(`${format}: written in pieces and read in batches, gives back the same columns and values`, async () => {
      await fc.assert(
        fc.asyncProperty(rowsArb(format), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 }), async (rows, pieces, batchRows) => {
          const path = tmp(EXT[format]);
          const n = rows.ts.length;
          const cuts = Array.from({ length: pieces + 1 }, (_, i) => Math.round((i * n) / pieces));
          const tables = cuts.slice(1).map((to, i) => tableOfRows(rows, cuts[i], to));
          await writeAll(path, tables, { rowGroupRows: 7 });
          const got = await readAll(path, { batchRows, types: READ_TYPES });
          if (n === 0) {
            expect(got.batchSizes).toEqual([]); // readers give no empty batches
            return;
          }
          expect(Object.keys(got.columns)).toEqual(['ts', 'x', 'n', 's', 'b']);
          expect(got.batchSizes.every((k) => k <= batchRows)).toBe(true);
          expect(got.columns).toEqual(rows);
        }),
        { numRuns: 15 },
      );
    });
  }

  it('one batch or many gives the same rows, for every format', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb('csv'), fc.integer({ min: 1, max: 9 }), async (rows, batchRows) => {
        for (const format of FORMATS) {
          const path = tmp(EXT[format]);
          await writeAll(path, [tableOfRows(rows)]);
          const one = await readAll(path, { types: READ_TYPES });
          const many = await readAll(path, { types: READ_TYPES, batchRows });
          expect(many.columns).toEqual(one.columns);
          expect(many.batchSizes.reduce((a, b) => a + b, 0)).toBe(rows.ts.length);
          if (rows.ts.length > 0) expect(many.batchSizes.length).toBe(Math.ceil(rows.ts.length / batchRows));
        }
      }),
      { numRuns: 8 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('io: CSV reading', () => {
  it('infers Float64 for numbers, Bool for true/false, Dictionary<Utf8> for the rest, null for empty fields', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'ts,user,price,ok\n1700000000000,alice,1.5,true\n1700000001000,"b,ob",,FALSE\n1700000002000,alice,2e3,\n');
    const { columns, types } = await readAll(path);
    expect(types).toEqual({ ts: 'Float64', user: 'Dictionary<Int32, Utf8>', price: 'Float64', ok: 'Bool' });
    expect(columns).toEqual({
      ts: [1700000000000, 1700000001000, 1700000002000],
      user: ['alice', 'b,ob', 'alice'],
      price: [1.5, null, 2000],
      ok: [true, false, null],
    });
  });

  it('reads ISO 8601 times as epoch ms when asked, and keeps number-like ids as text when asked', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'ts,zip\n2024-01-02T03:04:05.678Z,00501\n1700000000000,02134\n');
    const { columns, types } = await readAll(path, { types: { ts: 'timestamp', zip: 'utf8' } });
    expect(types).toEqual({ ts: 'Float64', zip: 'Utf8' });
    expect(columns).toEqual({ ts: [Date.parse('2024-01-02T03:04:05.678Z'), 1700000000000], zip: ['00501', '02134'] });
  });

  it('reads only the requested columns, in the requested order', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'a,b,c\n1,x,3\n4,y,6\n');
    const { columns } = await readAll(path, { columns: ['c', 'a'] });
    expect(Object.keys(columns)).toEqual(['c', 'a']);
    expect(columns).toEqual({ c: [3, 6], a: [1, 4] });
  });

  it('counts bad rows with their line numbers, keeps the good ones, and fails on them with strict', async () => {
    const path = tmp('csv');
    const lines = [
      'ts,key,v', //              1
      '1,a,10', //                2
      '2,b,20', //                3
      '', //                      4  blank: not a row, not bad
      '3,"multi', //              5  a quoted field over two lines
      'line",30', //              6
      '4,c', //                   7  bad: two fields
      'oops,d,40', //             8  bad: ts is not a number (Float64 from the first batch)
      '5,e,50,extra', //          9  bad: four fields
      '6,f,60', //                10
    ];
    writeFileSync(path, lines.join('\n') + '\n');
    const seen: { line: number; message: string }[] = [];
    const got = await readAll(path, { batchRows: 2, onBadRow: (r) => seen.push(r) });
    expect(got.columns.ts).toEqual([1, 2, 3, 6]);
    expect(got.columns.key).toEqual(['a', 'b', 'multi\nline', 'f']);
    expect(got.stats.badRows).toBe(3);
    expect(got.stats.badRowSamples.map((r) => r.line)).toEqual([7, 8, 9]);
    expect(seen).toEqual(got.stats.badRowSamples);
    expect(seen[0].message).toMatch(/expected 3 fields, got 2/);
    expect(seen[1].message).toMatch(/column 'ts'.*"oops".*float64/);

    const e = await errorOf(drain(path, { batchRows: 2, strict: true }));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain(`${path}:7`);
  });

  it('reports a malformed quote as a bad row at its line', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'a,b\n1,x\n2,"y"z\n');
    const got = await readAll(path);
    expect(got.columns.a).toEqual([1]);
    expect(got.stats.badRows).toBe(1);
    expect(got.stats.badRowSamples[0].line).toBe(3);
    expect(got.stats.badRowSamples[0].message).toMatch(/malformed CSV/);
  });

  it('checks typed columns of the first batch as rows arrive, so strict fails at the first bad line', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'ts,k\n1,a\nnever,b\n3\n');
    const e = await errorOf(drain(path, { types: { ts: 'timestamp' }, strict: true }));
    expect(e.message).toContain(`${path}:3`);
  });

  it('gives no batches for an empty file or a header alone', async () => {
    const empty = tmp('csv');
    writeFileSync(empty, '');
    expect((await readAll(empty)).batchSizes).toEqual([]);
    const header = tmp('csv');
    writeFileSync(header, 'a,b\n');
    expect((await readAll(header)).batchSizes).toEqual([]);
  });

  it('rejects a header that names a column twice', async () => {
    const path = tmp('csv');
    writeFileSync(path, 'a,a\n1,2\n');
    expect((await errorOf(drain(path))).message).toMatch(/'a' twice/);
  });
});

describe('io: NDJSON reading', () => {
  it('takes a missing key as null, even one named like an Object.prototype member', async () => {
    const path = tmp('ndjson');
    writeFileSync(path, '{"constructor":"a","toString":1}\n{"x":2}\n');
    const got = await readAll(path);
    expect(got.columns).toEqual({ constructor: ['a', null], toString: [1, null], x: [null, 2] });
  });

  it('reads one object per line, skips blank lines, counts bad lines with their numbers', async () => {
    const path = tmp('ndjson');
    writeFileSync(
      path,
      ['{"t":1,"k":"a","v":1.5,"f":true}', '', '{"t":2,"k":"b","f":false}', '[1,2]', '{"t":3,', '{"t":"x","k":"c","v":1}', '{"t":4,"k":"d","v":2}\r'].join(
        '\n',
      ),
    );
    const got = await readAll(path, { batchRows: 2 });
    expect(got.types).toEqual({ t: 'Float64', k: 'Dictionary<Int32, Utf8>', v: 'Float64', f: 'Bool' });
    expect(got.columns).toEqual({ t: [1, 2, 4], k: ['a', 'b', 'd'], v: [1.5, null, 2], f: [true, false, null] });
    expect(got.stats.badRowSamples.map((r) => r.line)).toEqual([4, 5, 6]);
    expect(got.stats.badRowSamples[0].message).toMatch(/expected a JSON object/);
    expect(got.stats.badRowSamples[1].message).toMatch(/not valid JSON/);
    expect(got.stats.badRowSamples[2].message).toMatch(/column 't'/);
    const e = await errorOf(drain(path, { strict: true }));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain(`${path}:4`);
  });
});

// ---------------------------------------------------------------------------------------------

describe('io: missing files and columns', () => {
  for (const format of FORMATS) {
    it(`${format}: a missing file is E_IO naming the path; a missing column is E_COLUMN listing those present`, async () => {
      const missing = join(dir, `nope-${format}.${EXT[format]}`);
      const e = await errorOf(drain(missing));
      expect(e.code).toBe('E_IO');
      expect(e.message).toContain(missing);
      expect(e.message).toMatch(/no such file/);

      const path = tmp(EXT[format]);
      await writeAll(path, [tableOfRows({ ts: [1, 2], x: [1, null], n: [1, 2], s: ['a', 'b'], b: [true, null] })]);
      const c = await errorOf(drain(path, { columns: ['ts', 'price'] }));
      expect(c.code).toBe('E_COLUMN');
      expect(c.message).toContain("'price'");
      expect(c.message).toContain("'ts', 'x', 'n', 's', 'b'");
      expect((await errorOf(drain(path, { types: { prise: 'float64' } }))).code).toBe('E_COLUMN');
    });
  }

  it('a directory, or a file that is not Arrow or Parquet, is E_IO naming the path', async () => {
    const sub = join(dir, 'sub.csv');
    mkdirSync(sub);
    expect((await errorOf(drain(sub))).code).toBe('E_IO');
    for (const ext of ['arrow', 'parquet']) {
      const path = tmp(ext);
      writeFileSync(path, 'this is not a binary table file at all, just text that goes on for a while');
      const e = await errorOf(drain(path));
      expect(e.code).toBe('E_IO');
      expect(e.message).toContain(path);
    }
  });

  it('rejects bad options before reading', async () => {
    expect((await errorOf(() => readBatches('a.csv', { batchRows: 0 }))).code).toBe('E_ARG');
    expect((await errorOf(() => readBatches('a.csv', { types: { a: 'int64' as ColumnType } }))).code).toBe('E_ARG');
    expect((await errorOf(() => readBatches('a.csv', { columns: ['a', 'a'] }))).code).toBe('E_ARG');
  });
});

// ---------------------------------------------------------------------------------------------

describe('io: streaming and progress', () => {
  const big = (rows: number) => {
    let s = 'ts,key,value\n';
    for (let i = 0; i < rows; i++) s += `${1700000000000 + i * 1000},k${i % 97},${(i % 13) * 0.5}\n`;
    return s;
  };

  it('CSV: the first batch arrives after reading a small part of a large file', async () => {
    const path = tmp('csv');
    writeFileSync(path, big(100_000)); // ~3 MB
    let firstAt = -1;
    let batches = 0;
    const progress: number[] = [];
    for await (const t of readBatches(path, { batchRows: 500, onProgress: (s) => progress.push(s.bytesRead) })) {
      if (batches++ === 0) firstAt = progress[0];
      void t;
    }
    expect(firstAt).toBeGreaterThan(0);
    expect(firstAt).toBeLessThan(readFileSync(path).length / 4);
    expect(batches).toBe(200);
    expect(progress.at(-1)).toBe(readFileSync(path).length);
    expect(progress.every((b, i) => i === 0 || b >= progress[i - 1])).toBe(true);
  });

  for (const format of ['arrow', 'arrows', 'parquet'] as const) {
    it(`${format}: batches are read one at a time, not the whole file`, async () => {
      const csv = tmp('csv');
      writeFileSync(csv, big(40_000));
      const path = tmp(format);
      const w = await openWriter(path, { rowGroupRows: 4000 });
      for await (const t of readBatches(csv, { batchRows: 4000 })) await w.write(t);
      await w.close();
      const reader = readBatches(path);
      let first = -1;
      let rows = 0;
      for await (const t of reader) {
        if (first < 0) first = reader.stats.bytesRead;
        rows += t.numRows;
      }
      expect(rows).toBe(40_000);
      expect(first).toBeLessThan(reader.stats.totalBytes / 2);
      expect(reader.stats.bytesRead).toBeGreaterThan(reader.stats.totalBytes / 2);
    });
  }

  it('stops cleanly when the consumer breaks early, and can be iterated again', async () => {
    const path = tmp('csv');
    writeFileSync(path, big(5000));
    const reader = readBatches(path, { batchRows: 100 });
    for await (const _ of reader) break;
    let rows = 0;
    for await (const t of reader) rows += t.numRows;
    expect(rows).toBe(5000);
    expect(reader.stats.rows).toBe(5000);
  });
});

// ---------------------------------------------------------------------------------------------

describe('io: writers', () => {
  it('CSV: header once, epoch ms as plain integers, RFC 4180 quoting, nulls empty', async () => {
    const path = tmp('csv');
    const t = (ts: number[], s: (string | null)[]) =>
      new Table({ ts: vectorFromArray(ts, new Float64()), s: vectorFromArray(s, new Utf8()) } as Record<string, Vector>);
    await writeAll(path, [t([1700000000000, 253402300799999], ['plain', 'a,b']), t([0.1, 1e21], ['say "hi"', null]), t([], [])]);
    expect(readFileSync(path, 'utf8')).toBe(
      'ts,s\n1700000000000,plain\n253402300799999,"a,b"\n0.1,"say ""hi"""\n1e+21,\n',
    );
  });

  it('NDJSON: one object per line in column order', async () => {
    const path = tmp('ndjson');
    await writeAll(path, [tableOfRows({ ts: [1700000000000], x: [null], n: [-3], s: ['q"'], b: [false] })]);
    expect(readFileSync(path, 'utf8')).toBe('{"ts":1700000000000,"x":null,"n":-3,"s":"q\\"","b":false}\n');
  });

  it('Arrow: .arrow is the IPC file format, .arrows the stream format, both readable by apache-arrow', async () => {
    const rows = { ts: [1, 2, 3], x: [0.5, null, 2], n: [1, 2, 3], s: ['a', 'b', 'a'], b: [true, false, null] };
    for (const ext of ['arrow', 'arrows']) {
      const path = tmp(ext);
      // dictionaries differ per batch, which the file format cannot replace: it must still work
      const csv = tmp('csv');
      writeFileSync(csv, 'k\nx\ny\nz\nx\n');
      await writeAll(path, [...(await collect(csv, 2))]);
      const bytes = readFileSync(path);
      expect(bytes.subarray(0, 6).toString('latin1') === 'ARROW1').toBe(ext === 'arrow');
      expect(tableFromIPC(bytes).getChild('k')!.toArray()).toEqual(['x', 'y', 'z', 'x']);
      const p2 = tmp(ext);
      await writeAll(p2, [tableOfRows(rows)]);
      expect(tableFromIPC(readFileSync(p2)).getChild('s')!.toArray()).toEqual(['a', 'b', 'a']);
    }
  });

  it('Parquet: rowGroupRows sets the row groups, and the file streams them', async () => {
    const path = tmp('parquet');
    const rows = { ts: [...Array(25).keys()], x: Array(25).fill(1.5), n: Array(25).fill(7), s: Array(25).fill('s'), b: Array(25).fill(true) };
    await writeAll(path, [tableOfRows(rows, 0, 10), tableOfRows(rows, 10, 25)], { rowGroupRows: 10 });
    const { parquetMetadataAsync, asyncBufferFromFile } = await import('hyparquet');
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([10, 15]);
    expect(meta.created_by).toBe('weir');
  });

  it('rejects a table with other columns, a write after close, and an unwritable path', async () => {
    const path = tmp('csv');
    const w = await openWriter(path);
    await w.write(new Table({ a: vectorFromArray([1], new Float64()) } as Record<string, Vector>));
    const e = await errorOf(w.write(new Table({ b: vectorFromArray([1], new Float64()) } as Record<string, Vector>)));
    expect(e.code).toBe('E_COLUMN');
    await w.close();
    await w.close();
    expect((await errorOf(w.write(new Table({ a: vectorFromArray([1], new Float64()) } as Record<string, Vector>)))).code).toBe('E_STATE');
    const bad = await errorOf(openWriter(join(dir, 'no', 'such', 'dir', 'x.csv')));
    expect(bad.code).toBe('E_IO');
    expect(bad.message).toContain(join(dir, 'no', 'such', 'dir', 'x.csv'));
  });

  it('abort() deletes the partial file', async () => {
    const path = tmp('parquet');
    const w = await openWriter(path);
    await w.write(tableOfRows({ ts: [1], x: [1], n: [1], s: ['a'], b: [true] }));
    await w.abort();
    expect(existsSync(path)).toBe(false);
  });

  it('a writer closed without any table still leaves a readable file', async () => {
    for (const format of FORMATS) {
      const path = tmp(EXT[format]);
      await (await openWriter(path)).close();
      expect((await readAll(path)).batchSizes).toEqual([]);
    }
  });
});

async function collect(path: string, batchRows: number): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of readBatches(path, { batchRows })) out.push(t);
  return out;
}
