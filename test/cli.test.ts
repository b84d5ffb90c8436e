import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatches } from '../dist/io/index.js';
import { createProgress, formatAmount, formatCount } from '../dist/cli/progress.js';
import { runWeir, type Run } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** Runs `node bin/weir.js …args` in the temp dir. */
const weir = (args: string[], env: Record<string, string> = {}): Promise<Run> => runWeir(dir, args, env);

const STACK = /\n\s+at /;

/** Fails with a readable message: an error run must name its cause in one line, without a stack. */
function expectCleanError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr.startsWith('weir: ')).toBe(true);
}

/** A deterministic pseudo-random sequence (LCG), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Event {
  ts: number;
  user: string;
  price: number;
}

/** Events in time order from 2023-11-14 22:13:20 UTC, gaps of 0-4 s, five users, prices in quarters. */
function events(n: number, seed: number): Event[] {
  const r = rng(seed);
  const out: Event[] = [];
  let ts = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    ts += Math.floor(r() * 4000);
    out.push({ ts, user: `u${Math.floor(r() * 5)}`, price: Math.floor(r() * 400) / 4 });
  }
  return out;
}

const toCsv = (evs: Event[]) => 'ts,user,price\n' + evs.map((e) => `${e.ts},${e.user},${e.price}`).join('\n') + '\n';

/** The expected tumbling count/sum, by a plain loop: one [start, start+size) bucket per key. */
function tumblingCountSum(evs: Event[], size: number) {
  const windows = new Map<string, { window_start: number; window_end: number; key: string; count: number; sum_price: number }>();
  for (const e of evs) {
    const start = Math.floor(e.ts / size) * size;
    const id = `${start}|${e.user}`;
    let w = windows.get(id);
    if (!w) windows.set(id, (w = { window_start: start, window_end: start + size, key: e.user, count: 0, sum_price: 0 }));
    w.count++;
    w.sum_price += e.price;
  }
  return [...windows.values()].sort((a, b) => a.window_end - b.window_end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Reads any weir-readable file back as plain row objects. */
async function rowsOf(path: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const t of readBatches(path)) {
    for (let i = 0; i < t.numRows; i++) {
      const row: Record<string, unknown> = {};
      for (const f of t.schema.fields) row[f.name] = t.getChild(f.name)!.get(i);
      rows.push(row);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

describe('cli: help and usage', () => {
  it('weir --help lists the commands and exits 0', async () => {
    const r = await weir(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: weir \[options\] \[command\]/);
    expect(r.stdout).toMatch(/\n\s+window \[options\] <file>\s+keyed event-time windows/);
  });

  it('weir --version prints the package version', async () => {
    const r = await weir(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('weir window --help shows usage, every option and examples', async () => {
    const r = await weir(['window', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: weir window \[options\] <file>/);
    for (const opt of ['--time', '--key', '--tumbling', '--sliding', '--session', '--out-of-orderness', '--lateness', '--agg', '--out', '--late-out', '--strict']) {
      expect(r.stdout).toContain(opt);
    }
    expect(r.stdout).toMatch(/Examples:\n\s+\$ weir window /);
  });

  it('no command, or an unknown one, exits 1 with a message', async () => {
    const none = await weir([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Usage: weir/);
    expectCleanError(await weir(['frobnicate']), /^weir: unknown command 'frobnicate'/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('cli: weir window', () => {
  const input = at('events.csv');
  const evs = events(3000, 42);
  writeFileSync(input, toCsv(evs));

  it('gives the tumbling count and sum a plain loop gives, ordered by window_end then key', async () => {
    const out = at('minutes.csv');
    const r = await weir(['window', input, '--time', 'ts', '--key', 'user', '--tumbling', '1m', '--agg', 'count', '--agg', 'sum:price', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const expected = tumblingCountSum(evs, 60_000);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('window_start,window_end,key,count,sum_price');
    expect(text).not.toMatch(/e\+/); // epoch ms as plain integers
    expect(await rowsOf(out)).toEqual(expected);
    expect(r.stderr).toMatch(
      new RegExp(`^weir window: 3,000 events, ${formatCount(expected.length)} windows, 0 late events in \\d+\\.\\d\\d s \\([\\d,]+ events/s\\)\\n$`, 'm'),
    );
  });

  it('gives the same windows with events shuffled within the out-of-orderness bound, read in small batches', async () => {
    const r = rng(7);
    const shuffled = evs.map((e) => ({ e, at: e.ts + r() * 4000 })).sort((a, b) => a.at - b.at).map((x) => x.e);
    const path = at('shuffled.csv');
    writeFileSync(path, toCsv(shuffled));
    const out = at('shuffled-out.csv');
    const run = await weir([
      'window', path, '--time', 'ts', '--key', 'user', '--tumbling', '60000', '--out-of-orderness', '5s',
      '--agg', 'count', '--agg', 'sum:price', '--out', out, '--batch-rows', '97',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(await rowsOf(out)).toEqual(tumblingCountSum(evs, 60_000));
  });

  it('reads and writes every format, with the same result', async () => {
    const reference = tumblingCountSum(evs, 300_000);
    const inputs: Record<string, string> = {};
    const { openWriter } = await import('../dist/io/index.js');
    for (const ext of ['ndjson', 'arrow', 'arrows', 'parquet']) {
      inputs[ext] = at(`events.${ext}`);
      const w = await openWriter(inputs[ext]);
      for await (const t of readBatches(input, { batchRows: 1000 })) await w.write(t);
      await w.close();
    }
    const pairs: [string, string][] = [['ndjson', 'parquet'], ['arrow', 'ndjson'], ['arrows', 'arrow'], ['parquet', 'arrows']];
    for (const [from, to] of pairs) {
      const out = at(`five.${from}.${to}`);
      const r = await weir(['window', inputs[from], '--time', 'ts', '--key', 'user', '--tumbling', '5m', '--agg', 'count', '--agg', 'sum:price', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(await rowsOf(out), `${from} -> ${to}`).toEqual(reference);
    }
  });

  it('names output columns by spec with ":" -> "_", in order, and drops revision/retract', async () => {
    const out = at('aggs.ndjson');
    const r = await weir([
      'window', input, '--time', 'ts', '--key', 'user', '--sliding', '10m/5m',
      '--agg', 'p99:price', '--agg', 'count', '--agg', 'distinct:price', '--agg', 'topk:3:price', '--agg', 'decayed:price:1h', '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual(['window_start', 'window_end', 'key', 'p99_price', 'count', 'distinct_price', 'topk_3_price', 'decayed_price_1h']);
    const rows = await rowsOf(out);
    // every event is in size/slide = 2 sliding windows
    expect(rows.reduce((s, w) => s + (w.count as number), 0)).toBe(2 * evs.length);
  });

  it('session windows cover every event once', async () => {
    const out = at('sessions.csv');
    const r = await weir(['window', input, '--time', 'ts', '--key', 'user', '--session', '20s', '--agg', 'count', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await rowsOf(out);
    expect(rows.reduce((s, w) => s + (w.count as number), 0)).toBe(evs.length);
    for (const w of rows) expect(w.window_end as number).toBeGreaterThan(w.window_start as number);
  });

  it('writes late events to --late-out and counts them', async () => {
    const late: Event[] = [...evs.slice(0, 200), { ts: evs[0].ts - 3_600_000, user: 'u9', price: 1 }, ...evs.slice(200, 300)];
    const path = at('late.csv');
    writeFileSync(path, toCsv(late));
    const out = at('late-windows.parquet');
    const lateOut = at('late-events.csv');
    const r = await weir(['window', path, '--time', 'ts', '--key', 'user', '--tumbling', '1m', '--agg', 'sum:price', '--out', out, '--late-out', lateOut]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/, 1 late events in /);
    const lateRows = await rowsOf(lateOut);
    expect(lateRows).toHaveLength(1);
    expect(lateRows[0]).toMatchObject({ ts: evs[0].ts - 3_600_000, user: 'u9' });
    const windows = await rowsOf(out);
    expect(windows.reduce((s, w) => s + (w.sum_price as number), 0)).toBe([...evs.slice(0, 300)].reduce((s, e) => s + e.price, 0));
  });

  it('reads ISO 8601 times', async () => {
    const path = at('iso.ndjson');
    writeFileSync(path, evs.slice(0, 500).map((e) => JSON.stringify({ ts: new Date(e.ts).toISOString(), user: e.user, price: e.price })).join('\n'));
    const out = at('iso.csv');
    const r = await weir(['window', path, '--time', 'ts', '--key', 'user', '--tumbling', '1m', '--agg', 'count', '--agg', 'sum:price', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(await rowsOf(out)).toEqual(tumblingCountSum(evs.slice(0, 500), 60_000));
  });

  it('skips bad rows with a warning naming their lines, or fails on them with --strict', async () => {
    const path = at('bad.csv');
    writeFileSync(path, 'ts,user,price\n1000,a,1\nnot-a-time,b,2\n2000,c\n3000,a,4\n');
    const out = at('bad-out.csv');
    const args = ['window', path, '--time', 'ts', '--key', 'user', '--tumbling', '1s', '--agg', 'count', '--out', out];
    const r = await weir(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`weir: warning: ${path}:3: column 'ts'`);
    expect(r.stderr).toContain(`weir: warning: ${path}:4: expected 3 fields, got 2`);
    expect(r.stderr).toMatch(/weir window: 2 events, 2 windows, 0 late events, 2 bad rows skipped in /);
    expectCleanError(await weir([...args, '--strict']), new RegExp(`^weir: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: column 'ts'`));
  });
});

// ---------------------------------------------------------------------------------------------

describe('cli: bad arguments exit 1 with a message and no stack trace', () => {
  const input = at('small.csv');
  writeFileSync(input, toCsv(events(50, 1)));
  const base = ['window', input, '--time', 'ts', '--key', 'user'];

  it('a missing required option', async () => {
    expectCleanError(await weir(['window', input, '--key', 'user', '--tumbling', '1m', '--out', at('x.csv')]), /^weir: required option '--time <column>' not specified/);
  });

  it('no window kind, or two', async () => {
    expectCleanError(await weir([...base, '--out', at('x.csv')]), /^weir: choose a window: --tumbling SIZE, --sliding SIZE\/SLIDE or --session GAP/);
    expectCleanError(await weir([...base, '--tumbling', '1m', '--session', '5m', '--out', at('x.csv')]), /^weir: choose one window kind, not --tumbling and --session/);
  });

  it('bad durations and bad sizes name the option', async () => {
    expectCleanError(await weir([...base, '--tumbling', '5w', '--out', at('x.csv')]), /^weir: --tumbling: expected a duration/);
    expectCleanError(await weir([...base, '--sliding', '10m', '--out', at('x.csv')]), /^weir: --sliding: expected SIZE\/SLIDE/);
    expectCleanError(await weir([...base, '--tumbling', '1m', '--lateness', '-5s', '--out', at('x.csv')]), /^weir: --lateness: /);
    expectCleanError(await weir([...base, '--tumbling', '1m', '--batch-rows', '0', '--out', at('x.csv')]), /^weir: --batch-rows: expected a positive integer/);
  });

  it('a bad aggregate spec', async () => {
    expectCleanError(await weir([...base, '--tumbling', '1m', '--agg', 'median:price', '--out', at('x.csv')]), /^weir: aggregates: unknown aggregate 'median'/);
  });

  it('a missing input file, leaving an existing output untouched', async () => {
    const out = at('keep.csv');
    writeFileSync(out, 'precious\n');
    const missing = at('missing.csv');
    expectCleanError(await weir(['window', missing, '--time', 'ts', '--key', 'user', '--tumbling', '1m', '--out', out]), new RegExp(`^weir: ${missing}: no such file or directory`));
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
  });

  it('a missing column lists those present', async () => {
    expectCleanError(
      await weir([...base, '--tumbling', '1m', '--agg', 'sum:amount', '--out', at('y.csv')]),
      /^weir: .*small\.csv: no column 'amount'; the columns are 'ts', 'user', 'price'/,
    );
    expect(existsSync(at('y.csv'))).toBe(false);
  });

  it('an unknown output extension, or an output that is the input', async () => {
    expectCleanError(await weir([...base, '--tumbling', '1m', '--out', at('out.xlsx')]), /out\.xlsx: cannot tell the file format/);
    expectCleanError(await weir([...base, '--tumbling', '1m', '--out', input]), /refusing to overwrite the input file/);
  });

  it('WEIR_DEBUG=1 adds the stack trace', async () => {
    const r = await weir([...base, '--tumbling', '5w', '--out', at('x.csv')], { WEIR_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^weir: --tumbling: expected a duration/);
    expect(r.stderr).toMatch(STACK);
  });
});

// ---------------------------------------------------------------------------------------------

describe('cli: progress', () => {
  const sink = (isTTY = false) => {
    const chunks: string[] = [];
    return { chunks, stream: Object.assign({ write: (s: string) => (chunks.push(String(s)), true), isTTY }, {}) as never };
  };

  it('without a TTY, prints plain lines no more often than the interval', async () => {
    const often = sink();
    const p = createProgress({ stream: often.stream, intervalMs: 0 });
    const stage = p.stage('window events.csv', 2_000_000);
    stage.update(500_000);
    stage.update(2_000_000);
    p.stop();
    expect(often.chunks).toEqual(['weir: window events.csv: 25% (500.0 kB of 2.0 MB)\n', 'weir: window events.csv: 100% (2.0 MB of 2.0 MB)\n']);

    const rarely = sink();
    const q = createProgress({ stream: rarely.stream, intervalMs: 60_000 });
    const s2 = q.stage('window', 100);
    for (let i = 0; i <= 100; i++) s2.update(i);
    q.stop();
    expect(rarely.chunks).toEqual([]);
  });

  it('prints nothing when disabled', () => {
    const off = sink(true);
    const p = createProgress({ stream: off.stream, enabled: false });
    p.stage('x', 10).update(5);
    p.stop();
    expect(off.chunks).toEqual([]);
  });

  it('formats amounts the same on every locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
    expect(formatAmount(999, 'bytes')).toBe('999 B');
    expect(formatAmount(2_500_000_000, 'bytes')).toBe('2.5 GB');
    expect(formatAmount(1500, 'rows')).toBe('1,500 rows');
  });
});
