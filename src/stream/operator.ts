import { Table, Utf8, vectorFromArray, makeVector, type Vector } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { parseDuration } from '../runtime/duration.js';
import type { Kernel } from '../runtime/kernel.js';
import { createStreamKernel, type StreamExports } from './kernel.js';
import { checkWindowSpec, type Duration, type WindowSpec } from './windows.js';
import { AGG_TYPE, parseAggregate, takesItems, type AggDef } from './aggregates.js';
import { StringDictionary } from './dictionary.js';
import { slices, prepareTime, prepareItems, prepareValues, TIME, type BatchInput, type ColumnInput, type Prepared, type Slice } from './batch.js';
import { readRows, concatRows, emptyRows, toTable, keyVector, type KeyKind, type WindowRows } from './output.js';
import { FinalBuffer } from './final.js';
import { writeSnapshot, readSnapshot } from './snapshot.js';

/** Options of {@link windowOperator}. */
export interface WindowOptions {
  /** The window assigner: `tumbling(size)`, `sliding(size, slide)` or `session(gap)`. */
  window: WindowSpec;
  /** Name of the event-time column (epoch ms numbers, BigInt64 ms, or Arrow Timestamp). Default `'time'`. */
  time?: string;
  /** Name of the key column (integers or strings). Default `'key'`. */
  key?: string;
  /** Aggregate specs, e.g. `['count', 'sum:price', 'p99:price', 'distinct:user', 'topk:10:item', 'decayed:price:1h']`. */
  aggregates: readonly string[];
  /** Bounded out-of-orderness of the watermark (Flink's BoundedOutOfOrdernessWatermarks). Default 0. */
  outOfOrderness?: Duration;
  /** Allowed lateness: late events within it update their window and fire it again. Default 0. */
  lateness?: Duration;
  /**
   * `'updates'` (default): every firing as it happens — revision 0, then 1, 2… for late updates, and
   * retraction rows (`retract` true) for sessions superseded by a merge. `'final'`: only each
   * window's final revision, released at its cleanup time, ordered by window_end then key.
   */
  emit?: 'updates' | 'final';
  /**
   * Processing time without input after which the watermark advances with the wall clock, so a
   * quiet source cannot hold windows open forever. Results appear on {@link WindowOperator.results}.
   */
  idleTimeout?: Duration;
}

/** What one call emits: closed windows, and events that were too late for any window. */
export interface WindowOutput {
  /** window_start, window_end, key, one column per aggregate, revision, retract. */
  windows: Table;
  /** The late events' time, key and aggregate inputs, with the watermark they met and a reason. */
  late: Table;
}

/** Counters of a running operator. */
export interface WindowStats {
  events: number;
  late: number;
  /** Open windows (tumbling), panes + kept windows (sliding), or live sessions. */
  openWindows: number;
  /** Bytes of wasm memory the operator's instance has grown to. */
  wasmBytes: number;
}

interface ColumnPlan {
  name: string;
  items: boolean;
}

interface Staged {
  slice: Slice;
  n: number;
  time: { bytes: ArrayBufferView; type: number };
  cols: Prepared[];
}

const MAX_DURATION = 2 ** 52;
const KIND = { tumbling: 0, sliding: 1, session: 2 } as const;

/**
 * Keyed event-time windows with Apache Flink's semantics, computed in WebAssembly.
 *
 * Events are pushed in batches of columns. Each event is judged against the watermark as it stood
 * before it (late if every window it belongs to is past `end − 1 + lateness`), then the
 * watermark (max time − outOfOrderness − 1) advances and windows whose `end − 1` it has reached
 * fire — so results never depend on how input is split into batches. Cost: O(1) expected per
 * event per aggregate (sketches: O(1) amortised), plus O(rows) per firing; memory: O(open
 * windows × keys). One wasm instance per operator; `dispose()` returns its memory.
 *
 * @example
 * const op = await windowOperator({ window: tumbling('1m'), time: 'ts', key: 'user',
 *   aggregates: ['count', 'sum:price', 'p99:price'], outOfOrderness: '5s' });
 * const { windows, late } = op.push({ ts, user, price });   // Arrow tables
 * const rest = op.flush();                                  // end of input
 * op.dispose();
 */
export class WindowOperator {
  readonly window: WindowSpec;
  readonly aggregates: readonly AggDef[];
  private readonly timeName: string;
  private readonly keyName: string;
  private readonly bound: number;
  private readonly lateness: number;
  private readonly emitMode: 'updates' | 'final';
  private readonly idleTimeout: number | undefined;
  private readonly plans: ColumnPlan[];
  private readonly aggCol: number[];
  private readonly dict: StringDictionary;
  private keyKind: KeyKind | null = null;
  private itemKinds: Array<boolean | null>;
  private final: FinalBuffer | null;
  private listeners = new Set<(out: WindowOutput | null) => void>();
  private idleTimer: ReturnType<typeof setInterval> | null = null;
  private lastInputWall = 0;
  private lastInputWatermark = -Infinity;
  private disposed = false;
  private flushed = false;
  /** Input buffers in wasm memory: slot 0 time, 1 + c column c, 1 + ncols + c its remap table. */
  private slots: Array<{ ptr: number; cap: number }> = [];
  private loaded: Staged | null = null;
  private emptyLate: Table | null = null;
  private emptyWindows: { kind: KeyKind; table: Table } | null = null;

  /** @internal use {@link windowOperator} */
  constructor(private readonly kernel: Kernel<StreamExports>, private readonly state: number, config: NormalizedConfig) {
    this.window = config.window;
    this.aggregates = config.aggregates;
    this.timeName = config.time;
    this.keyName = config.key;
    this.bound = config.outOfOrderness;
    this.lateness = config.lateness;
    this.emitMode = config.emit;
    this.idleTimeout = config.idleTimeout;
    this.plans = config.plans;
    this.aggCol = config.aggCol;
    this.dict = new StringDictionary(kernel);
    this.itemKinds = config.aggregates.map(() => null);
    this.final = config.emit === 'final' ? new FinalBuffer(config.lateness, config.aggregates) : null;
    if (this.idleTimeout !== undefined) this.startIdleTimer(this.idleTimeout);
  }

  /** The current watermark in epoch ms (−Infinity before the first event). */
  get watermark(): number {
    this.assertLive();
    return this.kernel.exports.watermark(this.state);
  }

  get stats(): WindowStats {
    this.assertLive();
    const x = this.kernel.exports;
    return { events: x.eventCount(this.state), late: x.lateTotal(this.state), openWindows: x.openWindows(this.state), wasmBytes: this.kernel.byteLength };
  }

  /**
   * Adds a batch of events and returns what fired while processing it. The whole batch is
   * validated first: on a `WeirError` (E_COLUMN, E_LENGTH, E_TIME, E_KEY) nothing has changed.
   */
  push(batch: BatchInput): WindowOutput {
    this.assertLive();
    if (this.flushed) throw new WeirError('E_STATE', 'push: the operator was flushed (end of input); create a new one');
    const staged = this.stage(batch);
    const out = this.run(staged, () => undefined);
    this.lastInputWall = Date.now();
    this.lastInputWatermark = this.kernel.exports.watermark(this.state);
    return out;
  }

  /** Advances the watermark to `t` (epoch ms) if later, firing what is due (Flink's processWatermark). */
  advanceWatermark(t: number): WindowOutput {
    this.assertLive();
    if (typeof t !== 'number' || Number.isNaN(t)) throw new WeirError('E_TIME', `advanceWatermark: expected a time in epoch ms, got ${String(t)}`);
    if (this.flushed) return this.emit([], []);
    return this.run([], () => this.kernel.exports.advance(this.state, Math.min(t, 2 ** 62)));
  }

  /**
   * Checks the idle timeout at wall-clock time `now`: if no batch arrived for `idleTimeout`, the
   * watermark advances by the wall-clock time that passed. Called by an internal timer when
   * `idleTimeout` is set; call it yourself to drive time in tests.
   */
  tick(now: number = Date.now()): WindowOutput {
    this.assertLive();
    if (this.idleTimeout === undefined || this.flushed || !Number.isFinite(this.lastInputWatermark)) return this.emit([], []);
    const quiet = now - this.lastInputWall;
    if (quiet < this.idleTimeout) return this.emit([], []);
    return this.advanceWatermark(this.lastInputWatermark + quiet);
  }

  /** End of input: fires every open window (the watermark jumps to +∞). Later pushes are errors. */
  flush(): WindowOutput {
    this.assertLive();
    if (this.flushed) return this.emit([], []);
    const out = this.run([], () => this.kernel.exports.flush(this.state));
    this.flushed = true;
    this.stopIdleTimer();
    for (const l of this.listeners) l(null);
    return out;
  }

  /**
   * Everything the operator emits from now on — pushes, watermark advances, idle-timeout firings,
   * the flush — as an async iterator that ends after `flush()` or `dispose()`.
   */
  results(): AsyncIterableIterator<WindowOutput> {
    const queue: Array<WindowOutput | null> = [];
    let wake: (() => void) | null = null;
    const listener = (out: WindowOutput | null) => {
      queue.push(out);
      wake?.();
    };
    this.listeners.add(listener);
    const listeners = this.listeners;
    const iterator: AsyncIterableIterator<WindowOutput> = {
      async next(): Promise<IteratorResult<WindowOutput>> {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const item = queue.shift() as WindowOutput | null;
        if (item === null) {
          listeners.delete(listener);
          return { done: true, value: undefined };
        }
        return { done: false, value: item };
      },
      async return(): Promise<IteratorResult<WindowOutput>> {
        listeners.delete(listener);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /**
   * The operator's complete state as bytes: a versioned header with the configuration, the string
   * dictionary and buffered final rows, then the wasm memory, then a CRC-32.
   */
  snapshot(): Uint8Array {
    this.assertLive();
    return writeSnapshot({
      config: this.configJSON(),
      state: this.state,
      keyKind: this.keyKind,
      itemKinds: this.itemKinds,
      dictionary: this.dict.toJSON(),
      final: this.final ? this.final.toJSON() : null,
      flushed: this.flushed,
      lastInputWatermark: this.lastInputWatermark,
    }, new Uint8Array(this.kernel.memory.buffer));
  }

  /**
   * Restores a snapshot into this operator, which must be fresh (nothing pushed) and configured
   * the same; the operator then continues exactly as the one that took the snapshot.
   */
  restore(bytes: Uint8Array): void {
    this.assertLive();
    if (this.kernel.exports.eventCount(this.state) > 0 || this.dict.size > 0) {
      throw new WeirError('E_STATE', 'restore: only a fresh operator (nothing pushed yet) can be restored into');
    }
    const snap = readSnapshot(bytes);
    const mine = JSON.stringify(this.configJSON());
    const theirs = JSON.stringify(snap.header.config);
    if (mine !== theirs) {
      throw new WeirError('E_SNAPSHOT', `restore: the snapshot was taken from an operator configured differently: snapshot ${theirs}, this operator ${mine}`);
    }
    if (snap.header.state !== this.state) throw new WeirError('E_SNAPSHOT', 'restore: the snapshot comes from a different build of weir');
    const memory = this.kernel.memory;
    const need = snap.memory.byteLength - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    new Uint8Array(memory.buffer).set(snap.memory);
    if (!this.kernel.exports.magicOk(this.state)) throw new WeirError('E_SNAPSHOT', 'restore: the snapshot does not contain operator state');
    this.keyKind = snap.header.keyKind;
    this.itemKinds = snap.header.itemKinds;
    this.dict.restore(snap.header.dictionary);
    if (this.final && snap.header.final) this.final.restore(snap.header.final);
    this.flushed = snap.header.flushed;
    this.lastInputWatermark = snap.header.lastInputWatermark;
    this.lastInputWall = Date.now();
  }

  /** Frees the operator's wasm memory and ends its result iterators. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopIdleTimer();
    for (const l of this.listeners) l(null);
    this.kernel.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- internals

  private assertLive(): void {
    if (this.disposed) throw new WeirError('E_STATE', 'window operator: used after dispose()');
  }

  private configJSON(): object {
    return {
      window: this.window,
      time: this.timeName,
      key: this.keyName,
      aggregates: this.aggregates.map((a) => a.spec),
      outOfOrderness: this.bound,
      lateness: this.lateness,
      emit: this.emitMode,
    };
  }

  /** Prepares every slice of the batch on the JS side; throws before any state changes. */
  private stage(batch: BatchInput): Staged[] {
    const mark = this.dict.mark();
    try {
      const staged: Staged[] = [];
      let keyKind = this.keyKind;
      const itemKinds = this.itemKinds.slice();
      for (const slice of slices(batch)) {
        if (slice.length === 0) continue;
        const time = prepareTime(slice.get(this.timeName), this.timeName, slice.length);
        const cols: Prepared[] = [];
        const key = prepareItems(slice.get(this.keyName), this.keyName, 'key', this.dict, false);
        const kind: KeyKind = key.strings ? 'string' : key.bigint ? 'bigint' : key.type === 1 || key.type >= 4 ? 'int32' : 'float64';
        if (keyKind === null) keyKind = kind;
        else if ((keyKind === 'string') !== (kind === 'string') || (keyKind === 'bigint') !== (kind === 'bigint')) {
          throw new WeirError('E_KEY', `key: column '${this.keyName}' holds ${kind} keys but earlier batches held ${keyKind} keys`);
        }
        cols.push(key);
        for (const plan of this.plans) {
          const col = slice.get(plan.name);
          cols.push(plan.items ? prepareItems(col, plan.name, `aggregate column`, this.dict, true) : prepareValues(col, plan.name, 'aggregate column'));
        }
        for (const [i, p] of cols.entries()) {
          const n = (p.bytes as unknown as ArrayLike<unknown>).length;
          if (n !== slice.length) throw new WeirError('E_LENGTH', `push: column '${i === 0 ? this.keyName : this.plans[i - 1].name}' has ${n} values but the batch has ${slice.length}`);
        }
        if ((time.bytes as unknown as ArrayLike<unknown>).length !== slice.length) throw new WeirError('E_LENGTH', `push: column '${this.timeName}' has ${(time.bytes as unknown as ArrayLike<unknown>).length} values but the batch has ${slice.length}`);
        this.aggregates.forEach((a, j) => {
          if (!takesItems(a.op)) return;
          const isString = cols[this.aggCol[j]].strings;
          if (itemKinds[j] === null) itemKinds[j] = isString;
          else if (itemKinds[j] !== isString) throw new WeirError('E_COLUMN', `aggregate '${a.spec}': column '${a.column}' holds ${isString ? 'strings' : 'numbers'} but earlier batches held ${itemKinds[j] ? 'strings' : 'numbers'}`);
        });
        staged.push({ slice, n: slice.length, time, cols });
      }
      this.validateInWasm(staged);
      // Output keys in the kernel: raw i64 for BigInts, i32 for int32 keys and string ids, else f64.
      if (this.keyKind === null && keyKind !== null) this.kernel.exports.setKeyOut(this.state, keyKind === 'bigint' ? 1 : keyKind === 'float64' ? 0 : 2);
      this.keyKind = keyKind;
      this.itemKinds = itemKinds;
      return staged;
    } catch (e) {
      this.dict.rollback(mark);
      this.loaded = null;
      throw e;
    }
  }

  // Time and float-key checks run in the kernel over the columns as loaded into wasm memory,
  // still before any event is processed. A single-slice batch (the common case) stays loaded for
  // processing, so its columns are copied into wasm memory exactly once.
  private validateInWasm(staged: Staged[]): void {
    for (const s of staged) {
      this.load(s);
      const bad = this.kernel.exports.validate(this.state, s.n, this.slots[0].ptr, s.time.type);
      if (bad >= 0) {
        const row = bad >> 1;
        if ((bad & 1) === 0) {
          const v = (s.time.bytes as unknown as ArrayLike<number | bigint>)[row];
          throw new WeirError('E_TIME', `time: column '${this.timeName}' row ${row} is ${String(v)}; expected a finite epoch-ms timestamp within ±2^62`);
        }
        const v = (s.cols[0].bytes as unknown as ArrayLike<number>)[row];
        throw new WeirError('E_KEY', `key: column '${this.keyName}' row ${row} is ${String(v)}; expected an integer within ±2^53 or a string`);
      }
    }
  }

  /**
   * Copies a slice's columns into the operator's input buffers (reused across batches, so their
   * pages are already touched) and points the kernel's columns at them.
   */
  private load(s: Staged): void {
    if (this.loaded === s) return;
    const x = this.kernel.exports;
    this.put(0, s.time.bytes);
    const ncols = s.cols.length;
    s.cols.forEach((p, c) => {
      const ptr = this.put(1 + c, p.bytes);
      const remap = p.remap ? this.put(1 + ncols + c, p.remap) : 0;
      x.setColumn(this.state, c, ptr, p.type, remap, p.strings ? this.dict.hashesPtr : 0);
    });
    this.loaded = s;
  }

  private put(slot: number, bytes: ArrayBufferView): number {
    let b = this.slots[slot];
    if (!b) b = this.slots[slot] = { ptr: 0, cap: 0 };
    if (bytes.byteLength > b.cap) {
      if (b.ptr) this.kernel.free(b.ptr);
      b.cap = Math.max(bytes.byteLength, Math.ceil(b.cap * 1.5), 1024);
      b.ptr = this.kernel.alloc(b.cap);
    }
    this.kernel.write(b.ptr, bytes);
    return b.ptr;
  }

  private run(staged: Staged[], after: () => void): WindowOutput {
    const x = this.kernel.exports;
    const rows: WindowRows[] = [];
    const late: LateRows[] = [];
    for (const s of staged) {
      this.load(s);
      // The dictionary may have grown (moving its hash table) while later slices were staged.
      s.cols.forEach((p, c) => {
        if (p.strings) x.setColumn(this.state, c, this.slots[1 + c].ptr, p.type, p.remap ? this.slots[1 + s.cols.length + c].ptr : 0, this.dict.hashesPtr);
      });
      this.guard(() => x.process(this.state, s.n, this.slots[0].ptr, s.time.type));
      this.loaded = null;
      late.push(this.takeLate(s));
      rows.push(this.takeRows());
    }
    this.guard(after);
    rows.push(this.takeRows());
    return this.emit(rows, late);
  }

  // A trap inside the kernel can only be running out of wasm memory (a 4 GiB instance, or a single
  // block past the allocator's 1 GiB); the operator's state is then unknown, so it is disposed.
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (cause) {
      const bytes = this.kernel.byteLength;
      this.dispose();
      throw new WeirError('E_MEMORY', `window operator: out of wasm memory with ${bytes} bytes in use (a wasm32 instance holds at most 4 GiB, one block at most 1 GiB); the operator was disposed — use fewer keys per window, shorter windows or smaller sketches`, { cause });
    }
  }

  private takeRows(): WindowRows {
    const x = this.kernel.exports;
    if (x.outRows(this.state) === 0) {
      x.clearOutput(this.state);
      return emptyRows(this.aggregates);
    }
    const r = readRows(this.kernel, this.state, this.aggregates, this.keyKind ?? 'float64', this.dict.strings, this.itemKinds.map((k) => k === true));
    x.clearOutput(this.state);
    return r;
  }

  private takeLate(s: Staged): LateRows {
    const x = this.kernel.exports;
    const n = x.lateCount(this.state);
    const result: LateRows = { index: new Int32Array(n), watermark: new Float64Array(n), slice: s };
    if (n > 0) {
      const ptr = x.latePtr(this.state);
      const i32 = this.kernel.view(Int32Array, ptr, n * 4);
      const f64 = this.kernel.view(Float64Array, ptr, n * 2);
      for (let j = 0; j < n; j++) {
        result.index[j] = i32[j * 4];
        result.watermark[j] = f64[j * 2 + 1];
      }
    }
    return result; // takeRows, called next, clears the kernel's output buffers
  }

  private emit(rowParts: WindowRows[], lateParts: LateRows[]): WindowOutput {
    const rows = concatRows(rowParts.filter((r) => r.length > 0), this.aggregates);
    const keyKind = this.keyKind ?? 'float64';
    let windows: Table;
    if (this.final) {
      const wm = this.kernel.exports.watermark(this.state);
      windows = this.final.accept(rows, wm, keyKind);
    } else if (rows.length === 0 && this.emptyWindows?.kind === keyKind) {
      windows = this.emptyWindows.table;
    } else {
      windows = toTable(rows, this.aggregates, keyKind);
      if (rows.length === 0) this.emptyWindows = { kind: keyKind, table: windows };
    }
    const out: WindowOutput = { windows, late: this.lateTable(lateParts) };
    if (this.listeners.size > 0 && (out.windows.numRows > 0 || out.late.numRows > 0)) for (const l of this.listeners) l(out);
    return out;
  }

  private lateTable(parts: LateRows[]): Table {
    if (parts.every((p) => p.index.length === 0) && this.emptyLate) return this.emptyLate;
    const table = this.buildLateTable(parts);
    if (table.numRows === 0) this.emptyLate = table;
    return table;
  }

  private buildLateTable(parts: LateRows[]): Table {
    const time: number[] = [];
    const key: Array<number | bigint | string> = [];
    const wm: number[] = [];
    const values: unknown[][] = this.plans.map(() => []);
    for (const p of parts) {
      for (let j = 0; j < p.index.length; j++) {
        const i = p.index[j];
        time.push(timeAt(p.slice.time, i));
        key.push(itemAt(p.slice.cols[0], i, this.dict.strings));
        wm.push(p.watermark[j]);
        this.plans.forEach((plan, c) => values[c].push(plan.items ? itemAt(p.slice.cols[c + 1], i, this.dict.strings) : numberAt(p.slice.cols[c + 1], i)));
      }
    }
    const cols: Record<string, Vector> = { [this.timeName]: makeVector(Float64Array.from(time)) };
    cols[this.keyName] = keyVector(key, this.keyKind ?? 'float64');
    this.plans.forEach((plan, c) => {
      if (plan.name === this.timeName || plan.name === this.keyName || cols[plan.name]) return;
      cols[plan.name] = plan.items ? vectorFromArray(values[c] as never[]) : makeVector(Float64Array.from(values[c] as number[]));
    });
    cols.watermark = makeVector(Float64Array.from(wm));
    cols.reason = vectorFromArray(wm.map(() => 'beyond allowed lateness'), new Utf8());
    return new Table(cols);
  }

  private startIdleTimer(ms: number): void {
    const every = Math.max(10, Math.min(1000, ms / 2));
    this.idleTimer = setInterval(() => {
      if (!this.disposed) this.tick();
    }, every);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }
}

interface LateRows {
  index: Int32Array;
  watermark: Float64Array;
  slice: Staged;
}

function timeAt(t: { bytes: ArrayBufferView; type: number }, i: number): number {
  const v = (t.bytes as unknown as ArrayLike<number | bigint>)[i];
  switch (t.type) {
    case TIME.F64_MS: return Math.floor(v as number);
    case TIME.I64_S: return Number(v) * 1000;
    case TIME.I64_US: return Math.floor(Number(v) / 1000);
    case TIME.I64_NS: return Math.floor(Number(v) / 1e6);
    default: return Number(v);
  }
}

function itemAt(p: Prepared, i: number, strings: readonly string[]): number | bigint | string {
  let v = (p.bytes as unknown as ArrayLike<number | bigint>)[i];
  if (p.remap) v = p.remap[Number(v)];
  return p.strings ? strings[Number(v)] ?? (null as never) : v;
}

function numberAt(p: Prepared, i: number): number {
  return Number((p.bytes as unknown as ArrayLike<number | bigint>)[i]);
}

interface NormalizedConfig {
  window: WindowSpec;
  time: string;
  key: string;
  aggregates: AggDef[];
  outOfOrderness: number;
  lateness: number;
  emit: 'updates' | 'final';
  idleTimeout: number | undefined;
  plans: ColumnPlan[];
  aggCol: number[];
}

function normalize(options: WindowOptions): NormalizedConfig {
  if (!options || typeof options !== 'object') throw new WeirError('E_ARG', 'windowOperator: expected an options object');
  const window = checkWindowSpec(options.window);
  const name = (v: unknown, arg: string, dflt: string) => {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || v.length === 0) throw new WeirError('E_ARG', `${arg}: expected a column name, got ${JSON.stringify(v)}`);
    return v;
  };
  const time = name(options.time, 'time', 'time');
  const key = name(options.key, 'key', 'key');
  if (!Array.isArray(options.aggregates) || options.aggregates.length === 0) {
    throw new WeirError('E_AGG', "aggregates: expected a non-empty array of specs such as ['count', 'sum:price']");
  }
  const aggregates = options.aggregates.map(parseAggregate);
  const names = new Set<string>();
  for (const a of aggregates) {
    if (names.has(a.name)) throw new WeirError('E_AGG', `aggregates: '${a.spec}' is listed twice`);
    names.add(a.name);
  }
  const dur = (v: Duration | undefined, arg: string) => {
    const ms = v === undefined ? 0 : parseDuration(v, arg);
    if (ms > MAX_DURATION) throw new WeirError('E_ARG', `${arg}: ${ms} ms is longer than the supported 2^52 ms`);
    return ms;
  };
  const emit = options.emit ?? 'updates';
  if (emit !== 'updates' && emit !== 'final') throw new WeirError('E_ARG', `emit: expected 'updates' or 'final', got ${JSON.stringify(emit)}`);
  let idleTimeout: number | undefined;
  if (options.idleTimeout !== undefined) {
    idleTimeout = parseDuration(options.idleTimeout, 'idleTimeout');
    if (idleTimeout <= 0) throw new WeirError('E_ARG', 'idleTimeout: expected a positive duration');
  }
  const plans: ColumnPlan[] = [];
  const aggCol = aggregates.map((a) => {
    if (a.column === undefined) return 0;
    const items = takesItems(a.op);
    let c = plans.findIndex((p) => p.name === a.column && p.items === items);
    if (c < 0) {
      plans.push({ name: a.column, items });
      c = plans.length - 1;
    }
    return c + 1;
  });
  if (plans.length + 1 > 32) throw new WeirError('E_AGG', 'aggregates: at most 31 distinct input columns');
  return { window, time, key, aggregates, outOfOrderness: dur(options.outOfOrderness, 'outOfOrderness'), lateness: dur(options.lateness, 'lateness'), emit, idleTimeout, plans, aggCol };
}

/**
 * Creates a keyed event-time window operator (see {@link WindowOperator}). Validates every option
 * first (E_ARG, E_AGG), then instantiates its own stream.wasm.
 */
export async function windowOperator(options: WindowOptions): Promise<WindowOperator> {
  const config = normalize(options);
  const kernel = await createStreamKernel();
  const w = config.window;
  const x = kernel.exports;
  const state = x.create(
    KIND[w.kind],
    w.kind === 'session' ? 0 : w.size,
    w.kind === 'sliding' ? w.slide : 0,
    w.kind === 'session' ? 0 : w.offset,
    w.kind === 'session' ? w.gap : 0,
    config.outOfOrderness,
    config.lateness,
    config.aggregates.length,
    0,
  ) >>> 0;
  config.aggregates.forEach((a, j) => x.setAgg(state, j, AGG_TYPE[a.op], config.aggCol[j], a.param, a.param2));
  x.finalize(state);
  return new WindowOperator(kernel, state, config);
}

export type { BatchInput, ColumnInput };
