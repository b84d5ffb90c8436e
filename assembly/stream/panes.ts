// Tumbling and sliding windows over panes. A pane is a tumbling window of gcd(size, slide); an
// event updates exactly one pane, and a sliding window is the combination of its size/pane panes
// when it fires — Flink's slicing. For tumbling windows the pane is the window.
import { regrow } from "../common/alloc";
import { State, Table, Kind } from "./layout";
import { tableUpsert, tableFind, tableFree, tableClear, newTable } from "./table";
import { entryAt, aggsOf } from "./pool";
import { addEvent, mergeAggs } from "./agg";
import { emitRow, emitLate } from "./output";
import { windowStart, cleanupTime, isWindowLate } from "./time";
import { twoStacksFits, twoStacksWindow, twoStacksEmit, twoStacksReset, mergeTableInto } from "./twostacks";

// @ts-ignore: decorator
@inline
function tableAt(list: usize, i: i32): Table {
  return changetype<Table>(load<usize>(list + (<usize>i << 2)));
}

/** Index of the first table in `list` whose start is >= `start`. */
function lowerBound(list: usize, n: i32, start: i64): i32 {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tableAt(list, mid).start < start) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function insertAt(st: State, sliding: bool, pos: i32, t: Table): void {
  let list = sliding ? st.windows : st.tables;
  let n = sliding ? st.nWindows : st.nTables;
  let cap = sliding ? st.windowsCap : st.tablesCap;
  if (n == cap) {
    cap = cap < 16 ? 16 : cap * 2;
    list = regrow(list, <usize>cap << 2);
  }
  memory.copy(list + (<usize>(pos + 1) << 2), list + (<usize>pos << 2), <usize>(n - pos) << 2);
  store<usize>(list + (<usize>pos << 2), changetype<usize>(t));
  if (sliding) { st.windows = list; st.nWindows = n + 1; st.windowsCap = cap; }
  else { st.tables = list; st.nTables = n + 1; st.tablesCap = cap; }
}

function removeAt(list: usize, n: i32, pos: i32): void {
  memory.copy(list + (<usize>pos << 2), list + (<usize>(pos + 1) << 2), <usize>(n - pos - 1) << 2);
}

/** The pane starting at `ps`, created if absent. */
function paneFor(st: State, ps: i64): Table {
  if (st.curTable && st.curStart == ps) return changetype<Table>(st.curTable);
  const pos = lowerBound(st.tables, st.nTables, ps);
  let t: Table;
  if (pos < st.nTables && tableAt(st.tables, pos).start == ps) {
    t = tableAt(st.tables, pos);
  } else {
    if (st.curTable) st.lastCount = changetype<Table>(st.curTable).count;
    t = newTable(ps, ps + st.pane, st.lastCount);
    insertAt(st, false, pos, t);
    if (st.kind == Kind.TUMBLING && t.end - 1 <= st.watermark) t.fired = 1; // due already: fire per element
    st.nextTimer = i64.MIN_VALUE; // a new window or pane may bring an earlier timer
  }
  // Cache the newest table only: an out-of-order event for an earlier one must not evict it, as
  // the events after it belong to the newest. (Tables are freed only by timers, which reset the
  // cache, so a cached table is always alive.)
  if (!st.curTable || ps > st.curStart) {
    st.curTable = changetype<usize>(t);
    st.curStart = ps;
    st.curEnd = ps + st.pane;
  }
  return t;
}

/** Processes event `i` of the batch for tumbling and sliding windows. */
// @ts-ignore: decorator
@inline
export function paneEvent(st: State, i: i32, t: i64, key: i64): void {
  const wm = st.watermark;
  if (st.kind == Kind.TUMBLING) {
    let table: Table;
    if (st.curTable && t >= st.curStart && t < st.curEnd) {
      table = changetype<Table>(st.curTable); // a cached table is never late: late tables are dropped
    } else {
      // Out-of-order events mostly land in the window next to the cached one: skip the i64 division.
      const start = st.curTable && t >= st.curStart - st.size && t < st.curStart ? st.curStart - st.size
        : st.curTable && t >= st.curEnd && t < st.curEnd + st.size ? st.curEnd
        : windowStart(t, st.offset, st.size);
      if (isWindowLate(start + st.size, st.lateness, wm)) { emitLate(st, i); return; }
      table = paneFor(st, start);
    }
    const idx = tableUpsert(st, table, key);
    addEvent(st, aggsOf(st, idx), i, t);
    if (table.fired) {
      // Within allowed lateness after the on-time firing: Flink's EventTimeTrigger fires again at once.
      const e = entryAt(st, idx);
      e.rev++;
      emitRow(st, idx, table.start, table.end, e.rev, 0);
    }
    return;
  }
  const lastStart = windowStart(t, st.offset, st.slide);
  if (isWindowLate(lastStart + st.size, st.lateness, wm)) { emitLate(st, i); return; }
  const ps = windowStart(t, st.offset, st.pane);
  const pane = paneFor(st, ps);
  if (st.tsActive && ps < st.tsQEnd) st.tsDirty = 1; // a pane already folded into the two stacks changed
  addEvent(st, aggsOf(st, tableUpsert(st, pane, key)), i, t);
  // The earliest window containing t starts at the smallest aligned start > t - size.
  const firstEnd = windowStart(t - st.size, st.offset, st.slide) + st.slide + st.size;
  if (firstEnd - 1 > wm) return; // no window of this event is due yet: the timers will fire them
  // Some of its windows are already due. Every due window that had data fired in the timer pass
  // after the previous event, so mark all due windows as passed: the timers must not fire them
  // later with this event in them (they are late, or updated below within allowed lateness).
  const passed = windowStart(wm + 1, (st.offset + st.size) % st.slide, st.slide);
  if (passed > st.lastFiredEnd) st.lastFiredEnd = passed;
  lateSlidingUpdate(st, i, t, key, lastStart);
}

// A sliding event whose earliest windows are already due: update (or materialise) each due,
// non-late window containing it and fire it again for this key.
function lateSlidingUpdate(st: State, i: i32, t: i64, key: i64, lastStart: i64): void {
  const wm = st.watermark;
  for (let s = lastStart; s > t - st.size; s -= st.slide) {
    const end = s + st.size;
    // Windows after lastFiredEnd are fired by the timer pass that follows this event.
    if (end > st.lastFiredEnd || isWindowLate(end, st.lateness, wm)) continue;
    const pos = lowerBound(st.windows, st.nWindows, s);
    if (pos < st.nWindows && tableAt(st.windows, pos).start == s) {
      const w = tableAt(st.windows, pos);
      const idx = tableUpsert(st, w, key);
      addEvent(st, aggsOf(st, idx), i, t);
      const e = entryAt(st, idx);
      e.rev++;
      emitRow(st, idx, s, end, e.rev, 0);
    } else {
      // A due window that never fired (it had no data at its time): it is born now, for this key.
      const w = newTable(s, end);
      w.fired = 1;
      insertAt(st, true, pos, w);
      const idx = tableUpsert(st, w, key);
      combineKey(st, w, idx, key);
      const e = entryAt(st, idx);
      e.rev = 0;
      emitRow(st, idx, s, end, 0, 0);
    }
  }
}

// Merges into entry `idx` of window `w` every pane entry for `key` inside the window.
function combineKey(st: State, w: Table, idx: i32, key: i64): void {
  const from = lowerBound(st.tables, st.nTables, w.start);
  for (let p = from; p < st.nTables; p++) {
    const pane = tableAt(st.tables, p);
    if (pane.start >= w.end) break;
    const src = tableFind(st, pane, key);
    if (src >= 0) mergeAggs(st, aggsOf(st, idx), aggsOf(st, src));
  }
}

/** Fires and cleans up tumbling windows / sliding windows and panes due at the current watermark. */
export function paneTimers(st: State): i64 {
  return st.kind == Kind.TUMBLING ? tumblingTimers(st) : slidingTimers(st);
}

function tumblingTimers(st: State): i64 {
  const wm = st.watermark;
  let next = i64.MAX_VALUE;
  for (let p = 0; p < st.nTables; p++) {
    const t = tableAt(st.tables, p);
    if (t.fired) continue;
    if (t.end - 1 > wm) { next = t.end - 1; break; }
    fireTable(st, t, t.start, t.end);
    t.fired = 1;
  }
  // Windows are dropped once their cleanup time has passed.
  let drop = 0;
  while (drop < st.nTables && isWindowLate(tableAt(st.tables, drop).end, st.lateness, wm)) {
    tableFree(st, tableAt(st.tables, drop));
    drop++;
  }
  if (drop > 0) shiftFront(st, drop);
  if (st.nTables > 0) {
    const c = cleanupTime(tableAt(st.tables, 0).end, st.lateness);
    if (c < next) next = c;
  }
  return next;
}

function shiftFront(st: State, drop: i32): void {
  memory.copy(st.tables, st.tables + (<usize>drop << 2), <usize>(st.nTables - drop) << 2);
  st.nTables -= drop;
  st.curTable = 0;
}

function fireTable(st: State, t: Table, start: i64, end: i64): void {
  let idx = t.first;
  while (idx >= 0) {
    const e = entryAt(st, idx);
    e.rev++;
    emitRow(st, idx, start, end, e.rev, 0);
    idx = entryAt(st, idx).next;
  }
}

// The smallest end of a not-yet-fired sliding window that contains data, or MAX.
function nextSlidingEnd(st: State): i64 {
  for (let p = 0; p < st.nTables; p++) {
    const ps = tableAt(st.tables, p).start;
    const lastEnd = windowStart(ps, st.offset, st.slide) + st.size;
    if (lastEnd <= st.lastFiredEnd) continue;
    // the first window containing the pane: the smallest aligned start > ps - size
    let firstEnd = windowStart(ps - st.size, st.offset, st.slide) + st.slide + st.size;
    if (st.lastFiredEnd != i64.MIN_VALUE && firstEnd <= st.lastFiredEnd) firstEnd = st.lastFiredEnd + st.slide;
    return firstEnd;
  }
  return i64.MAX_VALUE;
}

function slidingTimers(st: State): i64 {
  const wm = st.watermark;
  while (true) {
    const end = nextSlidingEnd(st);
    if (end == i64.MAX_VALUE || end - 1 > wm) break;
    fireSliding(st, end);
    st.lastFiredEnd = end;
  }
  // Drop panes whose last window is past cleanup, and kept windows past cleanup.
  let drop = 0;
  while (drop < st.nTables) {
    const ps = tableAt(st.tables, drop).start;
    const lastEnd = windowStart(ps, st.offset, st.slide) + st.size;
    if (!isWindowLate(lastEnd, st.lateness, wm) || lastEnd > st.lastFiredEnd) break;
    tableFree(st, tableAt(st.tables, drop));
    drop++;
  }
  if (drop > 0) shiftFront(st, drop);
  let wdrop = 0;
  while (wdrop < st.nWindows && isWindowLate(tableAt(st.windows, wdrop).end, st.lateness, wm)) {
    tableFree(st, tableAt(st.windows, wdrop));
    wdrop++;
  }
  if (wdrop > 0) {
    for (let j = 0; j < wdrop; j++) removeAt(st.windows, st.nWindows - j, 0);
    st.nWindows -= wdrop;
  }
  let next = nextSlidingEnd(st);
  if (next != i64.MAX_VALUE) next -= 1;
  if (st.nTables > 0) {
    const ps = tableAt(st.tables, 0).start;
    const c = cleanupTime(windowStart(ps, st.offset, st.slide) + st.size, st.lateness);
    if (c < next) next = c;
  }
  if (st.nWindows > 0) {
    const c = cleanupTime(tableAt(st.windows, 0).end, st.lateness);
    if (c < next) next = c;
  }
  return next;
}

// Combines the panes of window [end - size, end) and emits one row per key, in the order keys
// first appear in the window's panes. With allowed lateness the combined window is kept so late
// events can update it; otherwise the scratch table is cleared for the next window.
function fireSliding(st: State, end: i64): void {
  const start = end - st.size;
  const keep = st.lateness > 0 && !isWindowLate(end, st.lateness, st.watermark);
  if (!keep && twoStacksFits(st)) {
    twoStacksEmit(st, start, end);
    return;
  }
  let w: Table;
  if (keep) w = newTable(start, end, st.lastCount);
  else {
    if (!st.scratch) st.scratch = changetype<usize>(newTable(start, end));
    w = changetype<Table>(st.scratch);
    w.start = start;
    w.end = end;
  }
  if (twoStacksFits(st)) {
    twoStacksWindow(st, w, start, end);
  } else {
    if (st.tsActive) twoStacksReset(st);
    const from = lowerBound(st.tables, st.nTables, start);
    for (let p = from; p < st.nTables; p++) {
      const pane = tableAt(st.tables, p);
      if (pane.start >= end) break;
      mergeTableInto(st, w, pane);
    }
  }
  fireTable(st, w, start, end);
  if (keep) {
    w.fired = 1;
    insertAt(st, true, lowerBound(st.windows, st.nWindows, start), w);
  } else {
    tableClear(st, w);
  }
}

/** Frees every pane and kept window (used by dispose-less resets and tests of memory return). */
export function freePanes(st: State): void {
  for (let p = 0; p < st.nTables; p++) tableFree(st, tableAt(st.tables, p));
  for (let p = 0; p < st.nWindows; p++) tableFree(st, tableAt(st.windows, p));
  st.nTables = 0;
  st.nWindows = 0;
  st.curTable = 0;
}

