/**
 * bench/stream.ts — keyed event-time windows: weir's windowOperator against what a JavaScript
 * developer writes by hand (nested Maps, a watermark check per event), Arquero (batch: group-by over
 * the whole data at once) and @datadog/sketches-js (DDSketch per window and key for p99).
 *
 * Run: `npm run bench -- stream` (or `node --expose-gc --import tsx bench/stream.ts`).
 * Options: --events=N (default 10M), --memory-events=N (default 100M), --quick (1M and 10M),
 * --only=WORD[,WORD] (cases whose name contains a word, e.g. --only=sliding,memory),
 * --child-limit=SECONDS (default 300: how long Arquero may take per case, see measureInChild),
 * --contenders=NAME[,NAME] (time only these, e.g. --contenders=weir; all are still checked).
 * bench/results/stream.json is written at the default sizes only; with --only, the cases run
 * replace theirs in it.
 *
 * What is timed: every contender gets the same events, as 64k-event batches of typed-array columns
 * (Arquero gets the whole columns at once). JS peers: from new state to the last window fired by
 * flush. weir: from the first push to the end of flush(), Arrow output tables included, on an
 * operator that has already processed the same events one day earlier (so its wasm memory is grown
 * and touched, as in a long-running service); a fresh operator is timed once more for the notes.
 * Each contender is warmed up on the first 5% and 10% of the data, then timed 3 times; one whose
 * warm-ups predict more than 20 s for the full data is timed once, more than 10 min not at all
 * (the output says so). The median run gives events/s. Before timing, every contender's windows are checked against idiomatic JS's
 * (all the data for tumbling 10k keys, the warm-up slice otherwise). Arquero is timed in a child
 * process on the same (regenerated) data, killed after 5 min: its group-by can take far longer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as aq from 'arquero';
import { DDSketch } from '@datadog/sketches-js';
import { RESULTS_DIR, formatTable, formatValue, gc, machine, median, peakRss, writeResults, type BenchCase, type BenchResults } from './lib.ts';
import {
  EventSource,
  allocBatch,
  generateEvents,
  generateSessionEvents,
  slice,
  toBatches,
  type EventBatch,
} from './data/stream-data.ts';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TUMBLE = MINUTE;
const SLIDE_SIZE = HOUR;
const SLIDE_STEP = MINUTE;
const SESSION_GAP = 30 * MINUTE;
/** The operators' bounded out-of-orderness; the data is never more than 4 s out of order, so nothing is late. */
const OUT_OF_ORDERNESS = 5_000;
const BATCH = 65_536;
/** A contender predicted to take longer than this for the whole data is timed once... */
const SLOW_MS = 20_000;
/** ...and one predicted to take longer than this is not run. */
const SKIP_MS = 10 * 60_000;
/** Wall-clock limit of a contender timed in a child process (warm-ups and timed runs): --child-limit=SECONDS. */
const CHILD_LIMIT_MS = Number(flag('child-limit') ?? 300) * 1000;
const MEMORY_GOAL = 300 * 2 ** 20;

const quick = process.argv.includes('--quick');
const EVENTS = Number(flag('events') ?? (quick ? 1e6 : 1e7));
const MEMORY_EVENTS = Number(flag('memory-events') ?? (quick ? 1e7 : 1e8));
const ONLY = flag('only');
const CONTENDERS = flag('contenders')?.split(',');

/** 10M, 100M, 1.5M */
function count(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

/** --only=WORD[,WORD] keeps the cases whose name contains one of the words. */
function wanted(name: string): boolean {
  return !ONLY || ONLY.split(',').some((w) => name.includes(w));
}

// ---------------------------------------------------------------------------------------------
// Rows every contender emits for a fired window, for the agreement checks.

interface Row {
  start: number;
  end: number;
  key: number;
  count: number;
  sum: number;
  distinct?: number;
  p99?: number;
}

/** A stream contender: per batch, `push` appends the rows of the windows that fired to `out`. */
interface StreamPeer {
  push(batch: EventBatch, out: Row[]): void;
  flush(out: Row[]): void;
}

// ---------------------------------------------------------------------------------------------
// Idiomatic JS: Map<windowStart, Map<key, accumulator>>, watermark = max ts - out-of-orderness - 1
// checked per event, a window fires once the watermark reaches its last millisecond (Flink's rule).

interface CountSum {
  count: number;
  sum: number;
}

class TumblingJS implements StreamPeer {
  private readonly windows = new Map<number, Map<number, CountSum>>();
  private maxTs = -Infinity;
  /** Last millisecond of the earliest open window: the watermark to wait for before scanning. */
  private nextFire = Infinity;
  late = 0;

  push({ ts, key, price }: EventBatch, out: Row[]): void {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t > this.maxTs) this.maxTs = t;
      const watermark = this.maxTs - OUT_OF_ORDERNESS - 1;
      const start = t - (t % TUMBLE);
      if (start + TUMBLE - 1 <= watermark) {
        this.late++;
        continue;
      }
      let window = this.windows.get(start);
      if (window === undefined) {
        window = new Map();
        this.windows.set(start, window);
        if (start + TUMBLE - 1 < this.nextFire) this.nextFire = start + TUMBLE - 1;
      }
      let acc = window.get(key[i]);
      if (acc === undefined) {
        acc = { count: 0, sum: 0 };
        window.set(key[i], acc);
      }
      acc.count++;
      acc.sum += price[i];
      if (watermark >= this.nextFire) this.fire(watermark, out);
    }
  }

  flush(out: Row[]): void {
    this.fire(Infinity, out);
  }

  private fire(watermark: number, out: Row[]): void {
    this.nextFire = Infinity;
    for (const [start, window] of this.windows) {
      const last = start + TUMBLE - 1;
      if (last <= watermark) {
        for (const [key, acc] of window) out.push({ start, end: start + TUMBLE, key, count: acc.count, sum: acc.sum });
        this.windows.delete(start);
      } else if (last < this.nextFire) this.nextFire = last;
    }
  }
}

/** As TumblingJS, but each event is added to every one of the size/slide windows that contain it. */
class SlidingJS implements StreamPeer {
  private readonly windows = new Map<number, Map<number, CountSum>>();
  private maxTs = -Infinity;
  private nextFire = Infinity;
  late = 0;

  push({ ts, key, price }: EventBatch, out: Row[]): void {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t > this.maxTs) this.maxTs = t;
      const watermark = this.maxTs - OUT_OF_ORDERNESS - 1;
      let assigned = false;
      for (let start = t - (t % SLIDE_STEP); start > t - SLIDE_SIZE; start -= SLIDE_STEP) {
        if (start + SLIDE_SIZE - 1 <= watermark) continue;
        assigned = true;
        let window = this.windows.get(start);
        if (window === undefined) {
          window = new Map();
          this.windows.set(start, window);
          if (start + SLIDE_SIZE - 1 < this.nextFire) this.nextFire = start + SLIDE_SIZE - 1;
        }
        let acc = window.get(key[i]);
        if (acc === undefined) {
          acc = { count: 0, sum: 0 };
          window.set(key[i], acc);
        }
        acc.count++;
        acc.sum += price[i];
      }
      if (!assigned) this.late++;
      if (watermark >= this.nextFire) this.fire(watermark, out);
    }
  }

  flush(out: Row[]): void {
    this.fire(Infinity, out);
  }

  private fire(watermark: number, out: Row[]): void {
    this.nextFire = Infinity;
    for (const [start, window] of this.windows) {
      const last = start + SLIDE_SIZE - 1;
      if (last <= watermark) {
        for (const [key, acc] of window) {
          out.push({ start, end: start + SLIDE_SIZE, key, count: acc.count, sum: acc.sum });
        }
        this.windows.delete(start);
      } else if (last < this.nextFire) this.nextFire = last;
    }
  }
}

interface Session {
  start: number;
  /** Exclusive: last event + gap. */
  end: number;
  count: number;
  sum: number;
}

/**
 * Per key, its open sessions (almost always one). An event's window [ts, ts + gap) merges with every
 * open session it intersects (Flink's TimeWindow.intersects: touching windows merge).
 */
class SessionJS implements StreamPeer {
  private readonly open = new Map<number, Session[]>();
  private maxTs = -Infinity;
  private nextFire = Infinity;
  late = 0;

  push({ ts, key, price }: EventBatch, out: Row[]): void {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t > this.maxTs) this.maxTs = t;
      const watermark = this.maxTs - OUT_OF_ORDERNESS - 1;
      let sessions = this.open.get(key[i]);
      if (sessions === undefined) {
        sessions = [];
        this.open.set(key[i], sessions);
      }
      let merged: Session | undefined;
      for (let j = 0; j < sessions.length; j++) {
        const s = sessions[j];
        const start = merged ? merged.start : t;
        const end = merged ? merged.end : t + SESSION_GAP;
        if (start > s.end || end < s.start) continue;
        if (merged === undefined) {
          merged = s;
          if (t < s.start) s.start = t;
          if (t + SESSION_GAP > s.end) s.end = t + SESSION_GAP;
          s.count++;
          s.sum += price[i];
          j = -1; // the grown session may now reach others: look again
        } else if (s !== merged) {
          merged.start = Math.min(merged.start, s.start);
          merged.end = Math.max(merged.end, s.end);
          merged.count += s.count;
          merged.sum += s.sum;
          sessions.splice(j, 1);
          j = -1;
        }
      }
      if (merged === undefined) {
        if (t + SESSION_GAP - 1 <= watermark) {
          this.late++;
          continue;
        }
        merged = { start: t, end: t + SESSION_GAP, count: 1, sum: price[i] };
        sessions.push(merged);
      }
      if (merged.end - 1 < this.nextFire) this.nextFire = merged.end - 1;
      if (watermark >= this.nextFire) this.fire(watermark, out);
    }
  }

  flush(out: Row[]): void {
    this.fire(Infinity, out);
  }

  private fire(watermark: number, out: Row[]): void {
    this.nextFire = Infinity;
    for (const [key, sessions] of this.open) {
      for (let j = sessions.length - 1; j >= 0; j--) {
        const s = sessions[j];
        if (s.end - 1 <= watermark) {
          out.push({ start: s.start, end: s.end, key, count: s.count, sum: s.sum });
          sessions.splice(j, 1);
        } else if (s.end - 1 < this.nextFire) this.nextFire = s.end - 1;
      }
      if (sessions.length === 0) this.open.delete(key);
    }
  }
}

interface DistinctP99 {
  users: Set<number>;
  prices: number[];
}

/**
 * Tumbling distinct users + p99 price, exactly: a Set per window and key, prices sorted at fire.
 * p99 is the value at 0-based rank floor(0.99 (n − 1)), the rank rule of DDSketch (and of weir).
 */
class TumblingDistinctP99JS implements StreamPeer {
  private readonly windows = new Map<number, Map<number, DistinctP99>>();
  private maxTs = -Infinity;
  private nextFire = Infinity;
  late = 0;

  push({ ts, key, price, user }: EventBatch, out: Row[]): void {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t > this.maxTs) this.maxTs = t;
      const watermark = this.maxTs - OUT_OF_ORDERNESS - 1;
      const start = t - (t % TUMBLE);
      if (start + TUMBLE - 1 <= watermark) {
        this.late++;
        continue;
      }
      let window = this.windows.get(start);
      if (window === undefined) {
        window = new Map();
        this.windows.set(start, window);
        if (start + TUMBLE - 1 < this.nextFire) this.nextFire = start + TUMBLE - 1;
      }
      let acc = window.get(key[i]);
      if (acc === undefined) {
        acc = { users: new Set(), prices: [] };
        window.set(key[i], acc);
      }
      acc.users.add(user[i]);
      acc.prices.push(price[i]);
      if (watermark >= this.nextFire) this.fire(watermark, out);
    }
  }

  flush(out: Row[]): void {
    this.fire(Infinity, out);
  }

  private fire(watermark: number, out: Row[]): void {
    this.nextFire = Infinity;
    for (const [start, window] of this.windows) {
      const last = start + TUMBLE - 1;
      if (last <= watermark) {
        for (const [key, acc] of window) {
          const prices = acc.prices.sort((a, b) => a - b);
          const p99 = prices[Math.floor(0.99 * (prices.length - 1))];
          out.push({ start, end: start + TUMBLE, key, count: prices.length, sum: NaN, distinct: acc.users.size, p99 });
        }
        this.windows.delete(start);
      } else if (last < this.nextFire) this.nextFire = last;
    }
  }
}

interface DistinctSketch {
  users: Set<number>;
  sketch: DDSketch;
}

/** As TumblingDistinctP99JS, with a DDSketch (1% relative accuracy) per window and key for p99. */
class TumblingDistinctDDSketchJS implements StreamPeer {
  private readonly windows = new Map<number, Map<number, DistinctSketch>>();
  private maxTs = -Infinity;
  private nextFire = Infinity;
  late = 0;

  push({ ts, key, price, user }: EventBatch, out: Row[]): void {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t > this.maxTs) this.maxTs = t;
      const watermark = this.maxTs - OUT_OF_ORDERNESS - 1;
      const start = t - (t % TUMBLE);
      if (start + TUMBLE - 1 <= watermark) {
        this.late++;
        continue;
      }
      let window = this.windows.get(start);
      if (window === undefined) {
        window = new Map();
        this.windows.set(start, window);
        if (start + TUMBLE - 1 < this.nextFire) this.nextFire = start + TUMBLE - 1;
      }
      let acc = window.get(key[i]);
      if (acc === undefined) {
        acc = { users: new Set(), sketch: new DDSketch({ relativeAccuracy: 0.01 }) };
        window.set(key[i], acc);
      }
      acc.users.add(user[i]);
      acc.sketch.accept(price[i]);
      if (watermark >= this.nextFire) this.fire(watermark, out);
    }
  }

  flush(out: Row[]): void {
    this.fire(Infinity, out);
  }

  private fire(watermark: number, out: Row[]): void {
    this.nextFire = Infinity;
    for (const [start, window] of this.windows) {
      const last = start + TUMBLE - 1;
      if (last <= watermark) {
        for (const [key, acc] of window) {
          out.push({
            start,
            end: start + TUMBLE,
            key,
            count: acc.sketch.count,
            sum: NaN,
            distinct: acc.users.size,
            p99: acc.sketch.getValueAtQuantile(0.99),
          });
        }
        this.windows.delete(start);
      } else if (last < this.nextFire) this.nextFire = last;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Arquero: the whole data as one table (no copy of the typed arrays), derive the window, group-by,
// rollup. Batch, not streaming: it sees all events at once and has no watermark or late data.

const { op } = aq;

function arqueroTable({ ts, key, price, user }: EventBatch) {
  return aq.table({ ts, key, price, user });
}

function arqueroTumbling(data: EventBatch) {
  return arqueroTable(data)
    .derive({ start: `d => d.ts - d.ts % ${TUMBLE}` })
    .groupby('start', 'key')
    .rollup({ count: op.count(), sum: op.sum('price') });
}

/**
 * Each event in 60 windows would be 600M rows, and panes unrolled into their 60 windows are 76M
 * (72 s and 2.6 GB already at 3M events), so: 1-minute panes per key, then per window a filter of
 * its 60 panes and a rollup by key, the window results concatenated.
 */
function arqueroSliding(data: EventBatch) {
  const panes = arqueroTable(data)
    .derive({ pane: `d => d.ts - d.ts % ${SLIDE_STEP}` })
    .groupby('pane', 'key')
    .rollup({ count: op.count(), sum: op.sum('price') });
  const { first, last } = panes.rollup({ first: op.min('pane'), last: op.max('pane') }).object() as { first: number; last: number };
  const windows = [];
  for (let start = first - SLIDE_SIZE + SLIDE_STEP; start <= last; start += SLIDE_STEP) {
    windows.push(
      panes
        .params({ lo: start, hi: start + SLIDE_SIZE })
        .filter('(d, $) => d.pane >= $.lo && d.pane < $.hi')
        .groupby('key')
        .rollup({ count: op.sum('count'), sum: op.sum('sum') })
        .derive({ start: aq.escape(start) }),
    );
  }
  return windows[0].concat(...windows.slice(1));
}

/** Sort by key and time; a gap over 30 min starts a session; a running sum of starts numbers them. */
function arqueroSession(data: EventBatch) {
  return arqueroTable(data)
    .orderby('key', 'ts')
    .groupby('key')
    .derive({ starts: `d => d.ts - op.lag(d.ts, 1, -Infinity) > ${SESSION_GAP} ? 1 : 0` })
    .derive({ session: aq.rolling(`d => op.sum(d.starts)`) })
    .groupby('key', 'session')
    .rollup({ start: op.min('ts'), last: op.max('ts'), count: op.count(), sum: op.sum('price') });
}

function arqueroDistinctP99(data: EventBatch) {
  return arqueroTable(data)
    .derive({ start: `d => d.ts - d.ts % ${TUMBLE}` })
    .groupby('start', 'key')
    .rollup({ distinct: op.distinct('user'), p99: op.quantile('price', 0.99) });
}

// ---------------------------------------------------------------------------------------------
// weir

interface WeirModule {
  windowOperator(options: Record<string, unknown>): Promise<WeirOperator>;
  tumbling(size: string): unknown;
  sliding(size: string, slide: string): unknown;
  session(gap: string): unknown;
}
interface ArrowLike {
  numRows: number;
  getChild(name: string): { toArray(): ArrayLike<unknown>; get(i: number): unknown } | null;
}
interface WeirOutput {
  windows: ArrowLike;
  late: ArrowLike;
}
interface WeirOperator {
  push(batch: EventBatch): WeirOutput;
  advanceWatermark(t: number): WeirOutput;
  flush(): WeirOutput;
  readonly stats: { events: number; late: number; wasmBytes: number };
  dispose(): void;
}

let weir: WeirModule | null = null;
let weirMissing = '';
try {
  const mod = (await import('../dist/stream/index.js' as string)) as Partial<WeirModule>;
  if (typeof mod.windowOperator === 'function') weir = mod as WeirModule;
  else weirMissing = 'dist/stream/index.js does not export windowOperator yet';
} catch (e) {
  weirMissing = `dist/stream/index.js does not load (${(e as Error).message.split('\n')[0]}); run npm run build`;
}

// ---------------------------------------------------------------------------------------------
// Cases

/**
 * A contender runs the whole data once and returns the milliseconds of the part it times; `rows`
 * runs it untimed and returns every window it fired, for the agreement checks.
 */
interface Contender {
  name: string;
  run(data: EventBatch, batches: EventBatch[]): Promise<number>;
  rows(data: EventBatch, batches: EventBatch[]): Promise<Row[]>;
  /** Timed in a child process (same generated data) that is killed after CHILD_LIMIT_MS. */
  isolate?: boolean;
}

function streamContender(name: string, create: () => StreamPeer): Contender {
  return {
    name,
    async run(_data, batches) {
      const t0 = performance.now();
      const peer = create();
      const out: Row[] = [];
      for (const batch of batches) {
        peer.push(batch, out);
        out.length = 0;
      }
      peer.flush(out);
      return performance.now() - t0;
    },
    async rows(_data, batches) {
      const peer = create();
      const all: Row[] = [];
      for (const batch of batches) peer.push(batch, all);
      peer.flush(all);
      return all;
    },
  };
}

const DAY = 24 * HOUR;
const shiftedCache = new WeakMap<EventBatch, { shifted: EventBatch[]; minTs: number }>();

/** `data` one day earlier (a copy of ts, the other columns shared) in batches, and data's first time. */
function dayEarlier(data: EventBatch): { shifted: EventBatch[]; minTs: number } {
  let entry = shiftedCache.get(data);
  if (!entry) {
    const ts = new Float64Array(data.ts.length);
    let minTs = Infinity;
    for (let i = 0; i < ts.length; i++) {
      ts[i] = data.ts[i] - DAY;
      if (data.ts[i] < minTs) minTs = data.ts[i];
    }
    entry = { shifted: toBatches({ ...data, ts }, BATCH), minTs };
    shiftedCache.set(data, entry);
  }
  return entry;
}

/**
 * weir: each timed run gets a new operator that has first processed the same events one day
 * earlier, then had its watermark advanced to just before the data (all those windows fired and
 * freed) — so its wasm memory is already grown and touched, as in a long-running service. Timed:
 * every push of the real data and the flush, Arrow output tables included. Untimed: instantiation,
 * priming, dispose. `runCold` times a fresh operator instead, page faults and growth included.
 */
function weirContender(options: () => Record<string, unknown>): Contender & { runCold(batches: EventBatch[]): Promise<number> } {
  const primed = async (data: EventBatch) => {
    const op = await weir!.windowOperator(options());
    const { shifted, minTs } = dayEarlier(data);
    for (const batch of shifted) op.push(batch);
    op.advanceWatermark(minTs - 1);
    return op;
  };
  const timed = async (op: WeirOperator, batches: EventBatch[]) => {
    try {
      const t0 = performance.now();
      for (const batch of batches) op.push(batch);
      op.flush();
      return performance.now() - t0;
    } finally {
      op.dispose();
    }
  };
  return {
    name: 'weir',
    run: async (data, batches) => timed(await primed(data), batches),
    runCold: async (batches) => timed(await weir!.windowOperator(options()), batches),
    async rows(data, batches) {
      const op = await primed(data);
      const rows = new Map<string, Row>();
      let late = 0;
      const take = ({ windows, late: l }: WeirOutput) => {
        late += l.numRows;
        const col = (name: string) => windows.getChild(name)?.toArray() as ArrayLike<number> | undefined;
        const [start, end, key, cnt, sum, distinct, p99] = ['window_start', 'window_end', 'key', 'count', 'sum_price', 'distinct_user', 'p99_price'].map(col);
        // A Bool vector's toArray() is its bitmap, so read flags one by one.
        const retract = windows.getChild('retract')!;
        for (let i = 0; i < windows.numRows; i++) {
          const r: Row = { start: start![i], end: end![i], key: key![i], count: cnt?.[i] ?? NaN, sum: sum?.[i] ?? NaN, distinct: distinct?.[i], p99: p99?.[i] };
          if (retract.get(i)) rows.delete(rowId(r));
          else rows.set(rowId(r), r);
        }
      };
      try {
        for (const batch of batches) take(op.push(batch));
        take(op.flush());
      } finally {
        op.dispose();
      }
      if (late) console.log(`  weir sent ${late} events to the late output`);
      return [...rows.values()];
    },
  };
}

const COUNT_SUM = ['count', 'sum:price'];

/** The weir contender of a case, or none while dist/stream does not provide the operator. */
function weirCase(window: () => unknown, aggregates: string[]): Contender[] {
  if (!weir) return [];
  const options = () => ({ window: window(), time: 'ts', key: 'key', aggregates, outOfOrderness: OUT_OF_ORDERNESS, lateness: 0, emit: 'updates' });
  return [weirContender(options)];
}

type ArqueroResult = { numRows(): number; objects(): object[] };

function batchContender(name: string, compute: (data: EventBatch) => ArqueroResult, toRow: (o: any) => Row): Contender {
  return {
    name,
    isolate: true,
    async run(data) {
      const t0 = performance.now();
      compute(data).numRows();
      return performance.now() - t0;
    },
    async rows(data) {
      return compute(data).objects().map(toRow);
    },
  };
}

const tumblingRow = (o: any): Row => ({ start: o.start, end: o.start + TUMBLE, key: o.key, count: o.count, sum: o.sum, distinct: o.distinct, p99: o.p99 });
const slidingRow = (o: any): Row => ({ start: o.start, end: o.start + SLIDE_SIZE, key: o.key, count: o.count, sum: o.sum });
const sessionRow = (o: any): Row => ({ start: o.start, end: o.last + SESSION_GAP, key: o.key, count: o.count, sum: o.sum });

// ---------------------------------------------------------------------------------------------
// Agreement: a benchmark whose contenders compute different things is worthless.

/** Fields compared exactly (sums to 1e-9 relative, for summation order) and fields reported as an error. */
interface Comparison {
  exact: (keyof Row)[];
  approximate: (keyof Row)[];
}

const rowId = (r: Row) => `${r.key}|${r.start}|${r.end}`;

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** "results agree (N windows)", or the first mismatch; approximate fields add their largest relative error. */
function compareRows(reference: Row[], other: Row[], how: Comparison): { agree: boolean; message: string } {
  const byId = new Map<string, Row>();
  for (const r of other) byId.set(rowId(r), r);
  const worst = new Map<keyof Row, number>();
  const total = new Map<keyof Row, number>();
  for (const r of reference) {
    const o = byId.get(rowId(r));
    const where = `window [${new Date(r.start).toISOString()}, ${new Date(r.end).toISOString()}) key ${r.key}`;
    if (!o) return { agree: false, message: `first mismatch: ${where} missing` };
    for (const f of how.exact) {
      if (!sameNumber(r[f] as number, o[f] as number)) {
        return { agree: false, message: `first mismatch: ${where}: ${f} ${o[f]}, reference ${r[f]}` };
      }
    }
    for (const f of how.approximate) {
      const err = Math.abs((o[f] as number) - (r[f] as number)) / Math.abs(r[f] as number);
      worst.set(f, Math.max(worst.get(f) ?? 0, Number.isNaN(err) ? Infinity : err));
      total.set(f, (total.get(f) ?? 0) + err);
    }
    byId.delete(rowId(r));
  }
  if (byId.size) {
    const extra = byId.values().next().value!;
    return { agree: false, message: `first mismatch: extra window starting ${new Date(extra.start).toISOString()} key ${extra.key}` };
  }
  const pct = (e: number) => `${(e * 100).toFixed(2)}%`;
  const errors = [...worst].map(([f, e]) => `${f} relative error mean ${pct(total.get(f)! / reference.length)}, max ${pct(e)}`);
  return { agree: true, message: `results agree (${reference.length} windows)${errors.length ? `; ${errors.join(', ')}` : ''}` };
}

interface Measurement {
  value: number | null;
  note?: string;
}

/**
 * Warm-up on the first 5% and then 10% of the data, which also gives the contender's growth
 * exponent (at least linear): a contender predicted to need more than SKIP_MS for the whole data is
 * not run (null, with the prediction in the notes) — Arquero's group-by on ~10M groups, for one,
 * grows faster than linearly — and one predicted above SLOW_MS is timed once. Otherwise 3 runs.
 */
async function measure(c: Contender & { runCold?(batches: EventBatch[]): Promise<number> }, full: EventBatch, warm: EventBatch): Promise<Measurement> {
  const n = full.ts.length;
  try {
    const half = slice(warm, 0, Math.max(1, warm.ts.length >> 1));
    gc();
    const halfMs = await c.run(half, toBatches(half, BATCH));
    gc();
    const warmMs = await c.run(warm, toBatches(warm, BATCH));
    const growth = Math.max(1, Math.log2(warmMs / halfMs));
    const estimate = warmMs * (n / warm.ts.length) ** growth;
    const warmUp = `warm-ups on ${count(half.ts.length)} and ${count(warm.ts.length)} events took ${seconds(halfMs)} and ${seconds(warmMs)}, predicting ${seconds(estimate)} for ${count(n)}`;
    if (estimate > SKIP_MS) {
      const why = `${c.name} not run: ${warmUp} (limit ${seconds(SKIP_MS)})`;
      console.log(`  ${why}`);
      return { value: null, note: why };
    }
    const runs = estimate > SLOW_MS ? 1 : 3;
    const batches = toBatches(full, BATCH);
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) {
      gc();
      ms.push(await c.run(full, batches));
    }
    const value = n / (median(ms) / 1000);
    const detail = `${runs} run${runs > 1 ? 's' : ''}: ${ms.map((m) => m.toFixed(0)).join(', ')} ms`;
    console.log(`  ${c.name.padEnd(22)} ${formatValue(value, 'events/s').padStart(8)} events/s  (${detail})`);
    if (c.runCold) {
      gc();
      const cold = n / ((await c.runCold(batches)) / 1000);
      console.log(`  ${`${c.name} (cold)`.padEnd(22)} ${formatValue(cold, 'events/s').padStart(8)} events/s  (1 run on a fresh operator: wasm memory grown during the run)`);
      return { value, note: `${c.name} on a fresh operator (memory growth and first-touch page faults in the timed run): ${formatValue(cold, 'events/s')} events/s, 1 run` };
    }
    return { value, note: runs === 1 ? `${c.name}: 1 timed run (${warmUp})` : undefined };
  } catch (e) {
    const why = `${c.name} could not run: ${(e as Error).message.split('\n')[0]}`;
    console.log(`  ${why}`);
    return { value: null, note: why };
  }
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

interface CaseSpec {
  name: string;
  goal: number;
  goalText?: string;
  /** In the order they are measured; idiomatic JS is the reference of the agreement check. */
  contenders: Contender[];
  compare: Comparison;
  /** Check on all the data, not only on the warm-up slice. */
  checkAll?: boolean;
  notes?: string[];
}

/** Compares every contender's windows with idiomatic JS's; returns notes for mismatches. */
async function checkAgreement(spec: CaseSpec, data: EventBatch): Promise<string[]> {
  const batches = toBatches(data, BATCH);
  const reference = spec.contenders.find((c) => c.name === idiomatic)!;
  const others = spec.contenders.filter((c) => c !== reference);
  const expected = await reference.rows(data, batches);
  const notes: string[] = [];
  for (const c of others) {
    const { agree, message } = compareRows(expected, await c.rows(data, batches), spec.compare);
    console.log(`  check ${c.name} vs ${reference.name} on ${count(data.ts.length)} events: ${message}`);
    if (!agree) notes.push(`${c.name} disagrees with ${reference.name}: ${message}`);
  }
  return notes;
}

async function runCase(spec: CaseSpec, data: EventBatch): Promise<BenchCase> {
  console.log(`\n${spec.name} — ${count(data.ts.length)} events`);
  for (const note of spec.notes ?? []) console.log(`  (${note})`);
  const warm = slice(data, 0, Math.max(1, Math.floor(data.ts.length / 10)));
  const result: BenchCase = { case: spec.name, unit: 'events/s', weir: null, peers: {}, goal: spec.goal, notes: [...(spec.notes ?? [])] };
  if (spec.goalText) result.goalText = spec.goalText;
  if (!weir) result.notes!.push(`weir not measured: ${weirMissing}`);
  result.notes!.push(...(await checkAgreement(spec, spec.checkAll ? data : warm)));
  gc();
  for (const c of spec.contenders) {
    if (CONTENDERS && !CONTENDERS.includes(c.name)) continue;
    const m = c.isolate ? measureInChild(spec, c) : await measure(c, data, warm);
    if (c.name === 'weir') result.weir = m.value;
    else result.peers[c.name] = m.value;
    if (m.note) result.notes!.push(m.note);
  }
  return result;
}

/**
 * Times `c` in a child process that regenerates the same data (same seeds), so that a contender
 * whose cost explodes — Arquero's group-by over ~10M window-key groups ran over 40 min — can be
 * stopped: after CHILD_LIMIT_MS the child is killed and the peer reported as not run.
 */
function measureInChild(spec: CaseSpec, c: Contender): Measurement {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), `--peer-child=${spec.name}::${c.name}`, `--events=${EVENTS}`],
    { encoding: 'utf8', maxBuffer: 1 << 24, timeout: CHILD_LIMIT_MS, killSignal: 'SIGKILL' },
  );
  const lines = (child.stdout ?? '').trimEnd().split('\n');
  const last = lines.pop() ?? '';
  for (const line of lines) console.log(line);
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    const why = `${c.name} not run: did not finish within ${seconds(CHILD_LIMIT_MS)} (warm-ups and timed runs, in a child process)`;
    if (last) console.log(last);
    console.log(`  ${why}`);
    return { value: null, note: why };
  }
  if (child.status !== 0 || !last.startsWith('{')) {
    const why = `${c.name} could not run: ${(child.stderr || last).trim().split('\n').slice(-3).join(' ')}`;
    console.log(`  ${why}`);
    return { value: null, note: why };
  }
  return JSON.parse(last) as Measurement;
}

/** In the child: measure one contender of one case and print the measurement as the last line. */
async function peerChild(which: string): Promise<void> {
  const [caseName, contender] = which.split('::');
  const set = datasets().find((d) => d.cases.some((c) => c.name === caseName));
  const spec = set?.cases.find((c) => c.name === caseName);
  const c = spec?.contenders.find((x) => x.name === contender);
  if (!set || !c) throw new Error(`no contender ${contender} in case ${caseName}`);
  const data = set.generate();
  const m = await measure(c, data, slice(data, 0, Math.max(1, Math.floor(data.ts.length / 10))));
  console.log(JSON.stringify(m));
}

const TUMBLING_CASE = 'tumbling 1 min count+sum, 10k keys';
const MILLION_CASE = 'tumbling 1 min count+sum, 1M keys';
const SLIDING_CASE = 'sliding 1 h / 1 min count+sum, 10k keys';
const SESSION_CASE = 'session (gap 30 min) count+sum, 10k keys';
const DISTINCT_CASE = 'tumbling 1 min distinct+p99, 10k keys';
const CASE_ORDER = [TUMBLING_CASE, MILLION_CASE, SLIDING_CASE, SESSION_CASE, DISTINCT_CASE];

const idiomatic = 'idiomatic JS';
const arquero = 'Arquero';
const arqueroNote = 'Arquero is batch: one table of all events, group-by and rollup, no watermark';

// ---------------------------------------------------------------------------------------------
// Memory: peak RSS of a fresh process that streams MEMORY_EVENTS events through tumbling 1 min
// count+sum over 10k keys, generating each 64k batch into the same buffers.

/** The memory child that only generates the batches: what node, tsx, the imports and the generator take. */
const BASELINE = 'baseline';

async function memoryChild(contender: string): Promise<void> {
  const source = new EventSource({ seed: 4 });
  const batch = allocBatch(BATCH);
  const t0 = performance.now();
  let rows = 0;
  let wasmBytes: number | undefined;
  if (contender === 'weir') {
    if (!weir) throw new Error(weirMissing);
    const op = await weir.windowOperator({
      window: weir.tumbling('1m'), time: 'ts', key: 'key', aggregates: COUNT_SUM, outOfOrderness: OUT_OF_ORDERNESS, lateness: 0, emit: 'updates',
    });
    for (let done = 0; done < MEMORY_EVENTS; done += BATCH) {
      const n = Math.min(BATCH, MEMORY_EVENTS - done);
      source.fill(batch, 0, n);
      rows += op.push(n === BATCH ? batch : slice(batch, 0, n)).windows.numRows;
    }
    rows += op.flush().windows.numRows;
    wasmBytes = op.stats.wasmBytes;
    op.dispose();
  } else if (contender === BASELINE) {
    for (let done = 0; done < MEMORY_EVENTS; done += BATCH) source.fill(batch, 0, Math.min(BATCH, MEMORY_EVENTS - done));
  } else if (contender === idiomatic) {
    const peer = new TumblingJS();
    const out: Row[] = [];
    for (let done = 0; done < MEMORY_EVENTS; done += BATCH) {
      const n = Math.min(BATCH, MEMORY_EVENTS - done);
      source.fill(batch, 0, n);
      peer.push(n === BATCH ? batch : slice(batch, 0, n), out);
      rows += out.length;
      out.length = 0;
    }
    peer.flush(out);
    rows += out.length;
  } else {
    throw new Error(`unknown memory contender ${contender}`);
  }
  const ms = performance.now() - t0;
  const { heapTotal, external } = process.memoryUsage();
  console.log(JSON.stringify({ peakRss: peakRss(), rows, ms, wasmBytes, heapTotal, external }));
}

function measureMemory(contender: string): Measurement {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), `--memory-child=${contender}`, `--memory-events=${MEMORY_EVENTS}`],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    const why = `${contender} could not run: ${(child.stderr || child.stdout).trim().split('\n').slice(-3).join(' ')}`;
    console.log(`  ${why}`);
    return { value: null, note: why };
  }
  const r = JSON.parse(last) as { peakRss: number; ms: number; rows: number; wasmBytes?: number; heapTotal: number; external: number };
  const memory = `JS heap ${formatValue(r.heapTotal, 'bytes')}, external ${formatValue(r.external, 'bytes')}${r.wasmBytes === undefined ? '' : `, wasm memory ${formatValue(r.wasmBytes, 'bytes')}`} at the end`;
  console.log(
    `  ${contender.padEnd(22)} ${formatValue(r.peakRss, 'bytes').padStart(8)} peak RSS  (${r.rows} windows fired; ${memory}; ${seconds(r.ms)} incl. generating the data)`,
  );
  return { value: r.peakRss, note: `${contender}: peak RSS ${formatValue(r.peakRss, 'bytes')}; ${memory}` };
}

async function runMemoryCase(): Promise<BenchCase> {
  const name = `memory: ${count(MEMORY_EVENTS)} events in 64k batches, peak RSS`;
  console.log(`\n${name} — tumbling 1 min count+sum, 10k keys, each in a fresh process`);
  const result: BenchCase = {
    case: name,
    unit: 'bytes',
    weir: null,
    peers: {},
    goal: MEMORY_GOAL,
    notes: [
      'peak RSS (VmHWM) of the whole node process, tsx and imports included; data generated batch by batch into one buffer',
      'Arquero: not run, a batch library would need all 100M events in memory at once',
    ],
  };
  const base = measureMemory(BASELINE);
  if (base.note) result.notes!.push(`${base.note} (no operator: node, tsx, the imports and the generator)`);
  if (weir) {
    const w = measureMemory('weir');
    result.weir = w.value;
    if (w.note) result.notes!.push(w.note);
  } else result.notes!.push(`weir not measured: ${weirMissing}`);
  const js = measureMemory(idiomatic);
  result.peers[idiomatic] = js.value;
  if (js.note) result.notes!.push(js.note);
  result.peers[arquero] = null;
  return result;
}

/** The throughput cases, grouped by the data they run on; returned in the issue's order. */
interface Dataset {
  describe: string;
  generate: () => EventBatch;
  cases: CaseSpec[];
}

function datasets(): Dataset[] {
  return [
    {
      describe: 'over ~3 h of event time, Zipf(1) over 10k keys, ≤ 4 s out of order',
      generate: () => generateEvents(EVENTS),
      cases: [
        {
          name: TUMBLING_CASE,
          goal: 100e6,
          goalText: '≥ 100M and ≥ 25x idiomatic JS',
          contenders: [
            ...weirCase(() => weir!.tumbling('1m'), COUNT_SUM),
            streamContender(idiomatic, () => new TumblingJS()),
            batchContender(arquero, arqueroTumbling, tumblingRow),
          ],
          compare: { exact: ['count', 'sum'], approximate: [] },
          checkAll: true,
          notes: [arqueroNote],
        },
        {
          name: SLIDING_CASE,
          goal: 40e6,
          goalText: '≥ 40M and ≥ tumbling / 1.5',
          contenders: [
            ...weirCase(() => weir!.sliding('1h', '1m'), COUNT_SUM),
            streamContender(idiomatic, () => new SlidingJS()),
            batchContender(arquero, arqueroSliding, slidingRow),
          ],
          compare: { exact: ['count', 'sum'], approximate: [] },
          notes: ['Arquero: 1-minute panes per key, then per window a filter of its 60 panes and a rollup by key'],
        },
        {
          name: DISTINCT_CASE,
          goal: 10e6,
          contenders: [
            ...weirCase(() => weir!.tumbling('1m'), ['distinct:user', 'p99:price']),
            streamContender(idiomatic, () => new TumblingDistinctP99JS()),
            streamContender('JS + DDSketch', () => new TumblingDistinctDDSketchJS()),
            batchContender(arquero, arqueroDistinctP99, tumblingRow),
          ],
          compare: { exact: [], approximate: ['distinct', 'p99'] },
          notes: [
            'idiomatic JS: Set per window and key, prices sorted at fire (exact); JS + DDSketch: Set + DDSketch(1%)',
            'Arquero: op.distinct + op.quantile (exact, interpolated)',
          ],
        },
      ],
    },
    {
      describe: 'over ~3 h, uniform over 1M keys (~53k distinct keys in each 1-min window)',
      generate: () => generateEvents(EVENTS, { keys: 1_000_000, zipf: 0, seed: 2 }),
      cases: [
        {
          name: MILLION_CASE,
          goal: 25e6,
          contenders: [
            ...weirCase(() => weir!.tumbling('1m'), COUNT_SUM),
            streamContender(idiomatic, () => new TumblingJS()),
            batchContender(arquero, arqueroTumbling, tumblingRow),
          ],
          compare: { exact: ['count', 'sum'], approximate: [] },
          notes: [arqueroNote],
        },
      ],
    },
    {
      describe: 'over 3 h, 10k keys active in bursts of 1-20 min, idle ~ Exp(45 min) between bursts',
      generate: () => generateSessionEvents(EVENTS),
      cases: [
        {
          name: SESSION_CASE,
          goal: 20e6,
          contenders: [
            ...weirCase(() => weir!.session('30m'), COUNT_SUM),
            streamContender(idiomatic, () => new SessionJS()),
            batchContender(arquero, arqueroSession, sessionRow),
          ],
          compare: { exact: ['count', 'sum'], approximate: [] },
          notes: ['Arquero: orderby key, ts; a gap over 30 min starts a session (lag + running sum); rollup'],
        },
      ],
    },
  ];
}

async function runStreamCases(): Promise<BenchCase[]> {
  const results = new Map<string, BenchCase>();
  for (const set of datasets()) {
    const cases = set.cases.filter((c) => wanted(c.name));
    if (cases.length === 0) continue;
    gc();
    const data = set.generate();
    console.log(`\ndata: ${count(EVENTS)} events ${set.describe}`);
    for (const spec of cases) results.set(spec.name, await runCase(spec, data));
  }

  return CASE_ORDER.map((name) => results.get(name)).filter((c): c is BenchCase => c !== undefined);
}

/** The goals one number cannot state: tumbling ≥ 25x idiomatic JS, sliding within 1.5x of tumbling. */
function applyCompoundGoals(cases: BenchCase[]): BenchCase[] {
  const tumbling = cases.find((c) => c.case === TUMBLING_CASE);
  const sliding = cases.find((c) => c.case === SLIDING_CASE);
  if (tumbling?.weir != null) {
    const js = tumbling.peers[idiomatic];
    tumbling.met = tumbling.weir >= 100e6 && !!js && tumbling.weir / js >= 25;
  }
  if (sliding?.weir != null && tumbling?.weir != null) {
    sliding.met = sliding.weir >= 40e6 && sliding.weir >= tumbling.weir / 1.5;
  }
  return cases;
}

/**
 * Writes bench/results/stream.json at the default sizes: the whole file after a full run; after
 * --only, the re-measured cases replace theirs in the existing file, each noting when and why.
 */
function saveResults(cases: BenchCase[]): string | null {
  if (EVENTS !== 1e7 || MEMORY_EVENTS !== 1e8 || CONTENDERS) return null;
  if (!ONLY) return writeResults('stream', applyCompoundGoals(cases));
  const path = join(RESULTS_DIR, 'stream.json');
  if (!existsSync(path)) return null;
  const saved = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  const stamp = `re-measured alone (--only=${ONLY}) on ${new Date().toISOString()}, load average ${loadavg()[0].toFixed(1)}`;
  saved.cases = applyCompoundGoals(
    saved.cases.map((old) => {
      const fresh = cases.find((c) => c.case === old.case);
      return fresh ? { ...fresh, notes: [...(fresh.notes ?? []), stamp] } : old;
    }),
  );
  writeFileSync(path, JSON.stringify(saved, null, 2) + '\n');
  return path;
}

const memoryArg = flag('memory-child');
const peerArg = flag('peer-child');
if (memoryArg) {
  await memoryChild(memoryArg);
} else if (peerArg) {
  await peerChild(peerArg);
} else {
  console.log(`bench stream: ${machine()}; node ${process.version}; batches of ${BATCH} events; load average ${loadavg()[0].toFixed(1)}`);
  if (!weir) console.log(`weir not measured: ${weirMissing}`);
  const cases = await runStreamCases();
  if (wanted('memory')) cases.push(await runMemoryCase());
  const path = saveResults(cases);
  if (path) {
    console.log(`\n${formatTable(JSON.parse(readFileSync(path, 'utf8')))}\n\nwrote ${path}`);
  } else {
    console.log(`\n${formatTable({ machine: machine(), node: process.version, date: new Date().toISOString(), cases: applyCompoundGoals(cases) })}\n`);
    console.log('not writing bench/results/stream.json: non-default sizes or --contenders');
  }
}
