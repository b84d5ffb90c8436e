// Output rows of fired windows and records of late events, appended to growable buffers that
// TypeScript reads (and resets) after each call.
//
// Row layout, 8-byte words: [start f64, end f64, key (f64, or i64 for BigInt keys), rev i32 | flags i32,
// then each aggregate's words]. Late record: [event index i32, pad, watermark f64].
import { regrow } from "../common/alloc";
import { State } from "./layout";
import { entryAt, aggsOf } from "./pool";
import { writeAggs } from "./agg";

export const FLAG_RETRACT: i32 = 1;

function rowPtr(st: State): usize {
  if (st.outRows == st.outCap) {
    const cap = st.outCap < 256 ? 256 : st.outCap * 2;
    st.out = regrow(st.out, <usize>cap * <usize>st.rowWords << 3);
    st.outCap = cap;
  }
  return st.out + (<usize>(st.outRows++) * <usize>st.rowWords << 3);
}

/** Appends a row for entry `idx` over window [start, end). */
export function emitRow(st: State, idx: i32, start: i64, end: i64, rev: i32, flags: i32): void {
  const row = rowPtr(st);
  const e = entryAt(st, idx);
  store<f64>(row, <f64>start);
  store<f64>(row, <f64>end, 8);
  if (st.keyOutBigint) store<i64>(row, e.key, 16); else store<f64>(row, <f64>e.key, 16);
  store<i32>(row, rev, 24);
  store<i32>(row, flags, 28);
  writeAggs(st, aggsOf(st, idx), row + 32, end);
}

export function emitLate(st: State, i: i32): void {
  if (st.lateCount == st.lateCap) {
    const cap = st.lateCap < 64 ? 64 : st.lateCap * 2;
    st.late = regrow(st.late, <usize>cap << 4);
    st.lateCap = cap;
  }
  const p = st.late + (<usize>(st.lateCount++) << 4);
  store<i32>(p, i);
  store<f64>(p, st.watermark == i64.MIN_VALUE ? -Infinity : <f64>st.watermark, 8);
  st.lateTotal += 1;
}
