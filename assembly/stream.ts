// stream.wasm: keyed event-time windows with Flink's semantics. One instance per operator; all
// operator state lives under the State block returned by `create`.
export { alloc, free, memoryBytes } from "./common/alloc";
export { hashBytes64Parts } from "./stream/strings";
export * from "./stream/sketch-exports";

import { State, AggSpec, Column, Kind, AggType, ColType, TimeType, MAX_COLS, STATE_MAGIC, PANE_HEADER, SESSION_HEADER, aggAt, columnAt } from "./stream/layout";
import { aggStateBytes, aggOutWords, prepareBatch, initAggs } from "./stream/agg";
import { readTime, readItem, timeAt, keyAt, firstBadTime, firstBadFloatKey } from "./stream/input";
import { paneEvent, paneTimers } from "./stream/panes";
import { sessionEvent, sessionTimers } from "./stream/session";
import { paneRun } from "./stream/fastpath";

/** Status codes returned to TypeScript. */
const OK: i32 = 0;

/**
 * Creates an operator. Times and durations are epoch milliseconds passed as f64 (exact below 2^53).
 * `kind`: 0 tumbling(size, offset), 1 sliding(size, slide, offset), 2 session(gap).
 */
export function create(kind: i32, size: f64, slide: f64, offset: f64, gap: f64, bound: f64, lateness: f64, nAggs: i32, keyOutBigint: i32): usize {
  const st = changetype<State>(heap.alloc(offsetof<State>()));
  memory.fill(changetype<usize>(st), 0, offsetof<State>());
  st.magic = STATE_MAGIC;
  st.kind = kind;
  st.size = <i64>size;
  st.slide = <i64>slide;
  st.offset = <i64>offset;
  st.gap = <i64>gap;
  st.pane = kind == Kind.SLIDING ? gcd(<i64>size, <i64>slide) : <i64>size;
  st.bound = <i64>bound;
  st.lateness = <i64>lateness;
  st.watermark = i64.MIN_VALUE;
  st.maxTs = i64.MIN_VALUE;
  st.lastFiredEnd = i64.MIN_VALUE;
  st.nextTimer = i64.MAX_VALUE;
  st.freeEntry = -1;
  st.nAggs = nAggs;
  st.keyOutBigint = keyOutBigint;
  st.aggs = heap.alloc(<usize>max(nAggs, 1) * offsetof<AggSpec>());
  memory.fill(st.aggs, 0, <usize>max(nAggs, 1) * offsetof<AggSpec>());
  st.cols = heap.alloc(<usize>MAX_COLS * offsetof<Column>());
  memory.fill(st.cols, 0, <usize>MAX_COLS * offsetof<Column>());
  return changetype<usize>(st);
}

function gcd(a: i64, b: i64): i64 {
  while (b != 0) { const t = a % b; a = b; b = t; }
  return a;
}

/** Declares aggregate `a`: its type, input column, and parameters (see AggSpec). */
export function setAgg(state: usize, a: i32, type: i32, col: i32, param: f64, param2: f64): void {
  const st = changetype<State>(state);
  const sp = aggAt(st, a);
  sp.type = type;
  sp.col = col;
  sp.param = param;
  sp.param2 = param2;
  if (type == AggType.DISTINCT || type == AggType.QUANTILE || type == AggType.TOPK) st.hasSketch = 1;
}

/** Lays out entry state and output rows once every aggregate is declared; returns words per row. */
export function finalize(state: usize): i32 {
  const st = changetype<State>(state);
  let slot = 0;
  let word = 4; // start, end, key, rev|flags
  for (let a = 0; a < st.nAggs; a++) {
    const sp = aggAt(st, a);
    sp.slot = slot;
    sp.outWord = word - 4;
    slot += aggStateBytes(sp.type);
    word += aggOutWords(sp.type, sp.param);
  }
  st.header = st.kind == Kind.SESSION ? SESSION_HEADER : PANE_HEADER;
  st.stride = (st.header + slot + 7) & ~7;
  // Every aggregate's empty state is plain words (sketches are allocated on first use), so a new
  // entry starts as a copy of this template.
  const stateBytes = <usize>(st.stride - st.header);
  st.initState = heap.alloc(max<usize>(stateBytes, 8));
  memory.fill(st.initState, 0, stateBytes);
  initAggs(st, st.initState);
  st.rowWords = word;
  return word;
}

/** Points column `c` (0 is the key) at this batch's data. */
export function setColumn(state: usize, c: i32, ptr: usize, type: i32, remap: usize, hashes: usize): void {
  const col = columnAt(changetype<State>(state), c);
  col.ptr = ptr;
  col.type = type;
  col.remap = remap;
  col.hashes = hashes;
}

/** -1 if the batch is valid; else 2·i for a bad time at row i, 2·i + 1 for a bad key. Changes nothing. */
export function validate(state: usize, n: i32, timePtr: usize, timeType: i32): i32 {
  const st = changetype<State>(state);
  const badTime = firstBadTime(timePtr, timeType, n);
  const badKey = firstBadFloatKey(changetype<Column>(st.cols), n);
  if (badTime < 0 && badKey < 0) return -1;
  if (badKey < 0 || (badTime >= 0 && badTime <= badKey)) return badTime * 2;
  return badKey * 2 + 1;
}

function runTimers(st: State): void {
  st.nextTimer = st.kind == Kind.SESSION ? sessionTimers(st) : paneTimers(st);
}

/**
 * Processes `n` events. Each event is judged against the watermark as it stood before it; then
 * the bounded-out-of-orderness watermark (max time − bound − 1) advances and due timers fire —
 * a punctuated generator, so results never depend on how the input is split into batches.
 */
export function process(state: usize, n: i32, timePtr: usize, timeType: i32): i32 {
  const st = changetype<State>(state);
  const keyCol = changetype<Column>(st.cols);
  const session = st.kind == Kind.SESSION;
  prepareBatch(st);
  // The common input shapes get loops of their own, so the per-event type switches vanish.
  // Dictionary keys (Arrow dictionary columns) are remapped to operator ids on the way in.
  const remap = keyCol.remap;
  if (timeType == TimeType.F64_MS) {
    if (keyCol.type == ColType.I32) { processAs<f64, i32>(st, n, timePtr, keyCol.ptr, remap, session); return OK; }
    if (keyCol.type == ColType.F64 && !remap) { processAs<f64, f64>(st, n, timePtr, keyCol.ptr, 0, session); return OK; }
  } else if (timeType == TimeType.I64_MS) {
    if (keyCol.type == ColType.I32) { processAs<i64, i32>(st, n, timePtr, keyCol.ptr, remap, session); return OK; }
    if (keyCol.type == ColType.I64 && !remap) { processAs<i64, i64>(st, n, timePtr, keyCol.ptr, 0, session); return OK; }
  }
  for (let i = 0; i < n; i++) step(st, i, readTime(timePtr, timeType, i), readItem(keyCol, i), session);
  st.events += <f64>n;
  return OK;
}

// @ts-ignore: decorator
@inline
function step(st: State, i: i32, t: i64, key: i64, session: bool): void {
  if (session) sessionEvent(st, i, t, key); else paneEvent(st, i, t, key);
  if (t > st.maxTs) {
    st.maxTs = t;
    const w = t - st.bound - 1;
    if (w > st.watermark) st.watermark = w;
  }
  if (st.watermark >= st.nextTimer) runTimers(st);
}

function processAs<T, K>(st: State, n: i32, timePtr: usize, keyPtr: usize, remap: usize, session: bool): void {
  if (!session) { paneRun<T, K>(st, n, timePtr, keyPtr, remap); st.events += <f64>n; return; }
  for (let i = 0; i < n; i++) {
    step(st, i, timeAt<T>(timePtr, i), keyAt<K>(keyPtr, remap, i), session);
  }
  st.events += <f64>n;
}

/** Advances the watermark to `t` (if later) and fires what is due. i64.MAX flushes everything. */
export function advance(state: usize, t: f64): void {
  const st = changetype<State>(state);
  const w = t >= 9.2e18 ? i64.MAX_VALUE : <i64>Math.floor(t);
  if (w > st.watermark) st.watermark = w;
  runTimers(st);
}

/** End of input: fires every window and frees all window state. */
export function flush(state: usize): void {
  const st = changetype<State>(state);
  st.watermark = i64.MAX_VALUE;
  runTimers(st);
}

/** How output keys are stored: 0 f64, 1 raw i64 (BigInt keys), 2 i32 (int32 keys, string ids). */
export function setKeyOut(state: usize, mode: i32): void {
  changetype<State>(state).keyOutBigint = mode;
}

export function watermark(state: usize): f64 {
  const w = changetype<State>(state).watermark;
  return w == i64.MIN_VALUE ? -Infinity : w == i64.MAX_VALUE ? Infinity : <f64>w;
}

export function outPtr(state: usize): usize { return changetype<State>(state).out; }

/** Bytes between the output's columns (see output.ts): the room for rows times 8. */
export function outColumnBytes(state: usize): i32 { return changetype<State>(state).outCap << 3; }
export function outRows(state: usize): i32 { return changetype<State>(state).outRows; }
export function latePtr(state: usize): usize { return changetype<State>(state).late; }
export function lateCount(state: usize): i32 { return changetype<State>(state).lateCount; }
export function clearOutput(state: usize): void {
  const st = changetype<State>(state);
  st.outRows = 0;
  st.lateCount = 0;
}
export function liveEntries(state: usize): i32 { return changetype<State>(state).liveEntries; }
export function openWindows(state: usize): i32 {
  const st = changetype<State>(state);
  return st.kind == Kind.SESSION ? st.liveEntries : st.nTables + st.nWindows;
}
export function eventCount(state: usize): f64 { return changetype<State>(state).events; }
export function lateTotal(state: usize): f64 { return changetype<State>(state).lateTotal; }
export function magicOk(state: usize): bool { return changetype<State>(state).magic == STATE_MAGIC; }
