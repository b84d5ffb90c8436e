// Output rows of fired windows and records of late events, appended to growable buffers that
// TypeScript reads (and resets) after each call.
//
// Rows are stored column by column, so TypeScript takes each column with one copy: with room for
// `outCap` rows, column w (8-byte words) starts at out + w·outCap·8. Columns: start f64, end f64,
// key (f64, i64 for BigInt keys, or i32 for int32 keys and string ids — see setKeyOut), then
// rev i32[outCap] followed by flags u8[outCap] in the fourth column's space, then each
// aggregate's words. Late record: [event index i32, pad, watermark f64].
import { regrow } from "../common/alloc";
import { State } from "./layout";
import { entryAt, aggsOf } from "./pool";
import { writeAggs } from "./agg";

export const FLAG_RETRACT: i32 = 1;

// Doubles the room for rows, moving each column to its place in the larger block.
function growOut(st: State): void {
  const cap = st.outCap < 256 ? 256 : st.outCap * 2;
  const words = <usize>st.rowWords;
  const block = heap.alloc(<usize>cap * words << 3);
  if (st.out) {
    const old = <usize>st.outCap << 3;
    const rows = <usize>st.outRows;
    for (let w: usize = 0; w < words; w++) {
      if (w == 3) {
        memory.copy(block + 3 * (<usize>cap << 3), st.out + 3 * old, rows << 2);
        memory.copy(block + 3 * (<usize>cap << 3) + (<usize>cap << 2), st.out + 3 * old + (<usize>st.outCap << 2), rows);
      } else {
        memory.copy(block + w * (<usize>cap << 3), st.out + w * old, rows << 3);
      }
    }
    heap.free(st.out);
  }
  st.out = block;
  st.outCap = cap;
}

/** Appends a row for entry `idx` over window [start, end). */
export function emitRow(st: State, idx: i32, start: i64, end: i64, rev: i32, flags: i32): void {
  emitState(st, entryAt(st, idx).key, aggsOf(st, idx), start, end, rev, flags);
}

/** Appends a row for `key` with the aggregate state at `s` over window [start, end). */
export function emitState(st: State, key: i64, s: usize, start: i64, end: i64, rev: i32, flags: i32): void {
  if (st.outRows == st.outCap) growOut(st);
  const r = <usize>(st.outRows++);
  const colBytes = <usize>st.outCap << 3;
  const row = st.out + (r << 3);
  store<f64>(row, <f64>start);
  store<f64>(row + colBytes, <f64>end);
  const keyOut = st.keyOutBigint;
  if (keyOut == 0) store<f64>(row + 2 * colBytes, <f64>key);
  else if (keyOut == 2) store<i32>(st.out + 2 * colBytes + (r << 2), <i32>key);
  else store<i64>(row + 2 * colBytes, key);
  const revs = st.out + 3 * colBytes;
  store<i32>(revs + (r << 2), rev);
  store<u8>(revs + (<usize>st.outCap << 2) + r, <u8>flags);
  writeAggs(st, s, row + 4 * colBytes, colBytes, end);
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
