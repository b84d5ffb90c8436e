// The hot loop of tumbling and sliding windows. Nearly every event lands in the same table (window
// or pane) as the event before it, that table is not yet due, and its aggregates are plain
// count/sum/min/max/mean. For those events this loop keeps the operator's per-event state —
// watermark, max time, next timer, the cached table and its hash slots — in locals instead of
// reloading it from the State block after every store (wasm cannot prove the stores to aggregate
// state don't alias it). Any other event goes through `paneEvent`, the general path, with the
// locals written back first and reloaded after, so both paths give identical results.
import { State, Table, Kind, AggType, aggAt } from "./layout";
import { tableInsert, SLOT } from "./table";
import { addEvent, addFastOne } from "./agg";
import { timeAt, keyAt } from "./input";
import { paneEvent, paneTimers } from "./panes";
import { windowStart, cleanupTime } from "./time";

/**
 * The first watermark at which an event of the cached table can no longer take the fast path:
 * tumbling — never while the window has not fired (a fired one is updated within lateness and
 * re-emitted, which the general path does); sliding — when the pane's latest window becomes late,
 * or its earliest window becomes due (the general path then marks and re-fires due windows).
 */
function fastUntil(st: State): i64 {
  if (!st.curTable) return i64.MIN_VALUE;
  const t = changetype<Table>(st.curTable);
  if (st.kind == Kind.TUMBLING) return t.fired ? i64.MIN_VALUE : i64.MAX_VALUE;
  // Every time in a pane has the same latest window start and the same earliest window end,
  // because a pane (gcd(size, slide)) lies inside one slide period.
  const ps = st.curStart;
  const lastStart = windowStart(ps, st.offset, st.slide);
  const lateAt = cleanupTime(lastStart + st.size, st.lateness);
  const firstEnd = windowStart(ps - st.size, st.offset, st.slide) + st.slide + st.size;
  return min(lateAt, firstEnd - 1);
}

/**
 * Adds events [from, to) — all of them in table `table` — to their keys' entries. The first two
 * fast aggregates are kept in locals; any others go through the general per-aggregate loop.
 */
function aggregateRun<T, K>(st: State, table: Table, from: i32, to: i32, timePtr: usize, keyPtr: usize, remap: usize): void {
  const stride = <usize>st.stride;
  let pool = st.pool;
  let slots = table.slots, mask = table.cap - 1, shift = table.shift;
  const na = st.nAggs;
  const header = <usize>st.header;
  const inLocals = st.fast != 0 && na <= 2;
  let ty0 = -1, ty1 = -1;
  let of0: usize = 0, of1: usize = 0, cp0: usize = 0, cp1: usize = 0;
  if (inLocals && na > 0) { const a = aggAt(st, 0); ty0 = a.type; of0 = header + <usize>a.slot; cp0 = a.colPtr; }
  if (inLocals && na > 1) { const a = aggAt(st, 1); ty1 = a.type; of1 = header + <usize>a.slot; cp1 = a.colPtr; }
  for (let i = from; i < to; i++) {
    const key = keyAt<K>(keyPtr, remap, i);
    let h = <i32>((<u64>key * 0x9e3779b97f4a7c15) >> <u64>shift);
    let idx = -1;
    while (true) {
      const e = load<i32>(slots + <usize>h * SLOT);
      if (e == 0) break;
      if (load<i64>(pool + <usize>(e - 1) * stride) == key) { idx = e - 1; break; } // Entry.key
      h = (h + 1) & mask;
    }
    if (idx < 0) {
      // A new key: the general upsert creates the entry (the pool and table may grow).
      idx = tableInsert(st, table, key, h);
      pool = st.pool;
      slots = table.slots;
      mask = table.cap - 1;
      shift = table.shift;
    }
    const e = pool + <usize>idx * stride;
    if (inLocals) {
      if (ty0 >= 0) addFastOne(ty0, e + of0, cp0, i);
      if (ty1 >= 0) addFastOne(ty1, e + of1, cp1, i);
    } else addEvent(st, e + header, i, timeAt<T>(timePtr, i));
  }
}

/** Processes `n` events of a tumbling or sliding operator (time column T, key column K). */
export function paneRun<T, K>(st: State, n: i32, timePtr: usize, keyPtr: usize, remap: usize): void {
  const bound = st.bound;
  let maxTs = st.maxTs;
  let wm = st.watermark;
  let next = st.nextTimer;
  let i = 0;
  while (i < n) {
    // The cached table and the watermark up to which its events may take the fast path.
    const until = fastUntil(st);
    const cs = st.curTable ? st.curStart : 0;
    const ce = st.curTable ? st.curEnd : 0;
    // Scan the run of events that fall in the cached table while it may be updated in place,
    // advancing the watermark as each event would; stop after an event that makes a timer due.
    let j = i;
    let due = false;
    while (j < n) {
      const t = timeAt<T>(timePtr, j);
      if (!(t >= cs && t < ce && wm < until)) break;
      // Branch-free: whether an event is the newest so far is a coin flip in real streams.
      maxTs = select<i64>(t, maxTs, t > maxTs);
      const w = maxTs - bound - 1;
      wm = select<i64>(w, wm, w > wm);
      j++;
      if (wm >= next) { due = true; break; }
    }
    if (j > i) {
      aggregateRun<T, K>(st, changetype<Table>(st.curTable), i, j, timePtr, keyPtr, remap);
      // A sliding pane already folded into the two stacks changed: rebuild before the next firing.
      if (st.kind == Kind.SLIDING && st.tsActive && cs < st.tsQEnd) st.tsDirty = 1;
      i = j;
    }
    if (!due && i < n) {
      // Event i takes the general path.
      const t = timeAt<T>(timePtr, i);
      const key = keyAt<K>(keyPtr, remap, i);
      st.maxTs = maxTs;
      st.watermark = wm;
      st.nextTimer = next;
      paneEvent(st, i, t, key);
      next = st.nextTimer;
      maxTs = select<i64>(t, maxTs, t > maxTs);
      const w = maxTs - bound - 1;
      wm = select<i64>(w, wm, w > wm);
      i++;
      due = wm >= next;
    }
    if (due) {
      st.maxTs = maxTs;
      st.watermark = wm;
      st.nextTimer = paneTimers(st);
      next = st.nextTimer;
    }
  }
  st.maxTs = maxTs;
  st.watermark = wm;
  st.nextTimer = next;
}
