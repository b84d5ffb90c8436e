// The entry pool: fixed-size (window, key) records addressed by index, with a free list.
// Indices stay valid when the pool grows; pointers do not, so callers re-derive them.
import { regrow } from "../common/alloc";
import { Entry, State, SESSION_HEADER } from "./layout";
import { freeAggs } from "./agg";

// @ts-ignore: decorator
@inline
export function entryAt(st: State, idx: i32): Entry {
  return changetype<Entry>(st.pool + <usize>idx * <usize>st.stride);
}

// @ts-ignore: decorator
@inline
export function aggsOf(st: State, idx: i32): usize {
  return st.pool + <usize>idx * <usize>st.stride + <usize>st.header;
}

export function newEntry(st: State, key: i64, start: i64, end: i64): i32 {
  let idx = st.freeEntry;
  if (idx >= 0) {
    st.freeEntry = entryAt(st, idx).next;
  } else {
    if (st.poolLen == st.poolCap) {
      const cap = st.poolCap < 64 ? 64 : st.poolCap * 2;
      st.pool = regrow(st.pool, <usize>cap * <usize>st.stride);
      st.poolCap = cap;
    }
    idx = st.poolLen++;
    if (st.header == SESSION_HEADER) entryAt(st, idx).gen = 0;
  }
  const e = entryAt(st, idx);
  e.key = key;
  e.next = -1;
  e.rev = -1;
  if (st.header == SESSION_HEADER) {
    e.start = start;
    e.end = end;
    e.alive = 1;
  }
  // The aggregates' empty state, from the template laid out once by finalize.
  const dst = aggsOf(st, idx);
  const words = <usize>(st.stride - st.header) >> 3;
  for (let w: usize = 0; w < words; w++) store<u64>(dst + (w << 3), load<u64>(st.initState + (w << 3)));
  st.liveEntries++;
  return idx;
}

export function freeEntry(st: State, idx: i32): void {
  const e = entryAt(st, idx);
  if (st.hasSketch) freeAggs(st, aggsOf(st, idx));
  if (st.header == SESSION_HEADER) {
    e.alive = 0;
    e.gen++;
  }
  e.next = st.freeEntry;
  st.freeEntry = idx;
  st.liveEntries--;
}
