// A keyed set of entries for one time range, with an open-addressed hash table of
// (key i64, entry index i32) slots and an insertion-ordered list for deterministic output.
import { Table, State } from "./layout";
import { entryAt, newEntry, freeEntry } from "./pool";
import { mix64 } from "../common/hash";

const SLOT: usize = 16; // key i64, entry+1 i32 (0 = empty), pad

export function newTable(start: i64, end: i64): Table {
  const t = changetype<Table>(heap.alloc(offsetof<Table>()));
  t.start = start;
  t.end = end;
  t.cap = 16;
  t.slots = heap.alloc(<usize>t.cap * SLOT);
  memory.fill(t.slots, 0, <usize>t.cap * SLOT);
  t.count = 0;
  t.first = -1;
  t.last = -1;
  t.fired = 0;
  return t;
}

// @ts-ignore: decorator
@inline
function slotOf(key: i64, mask: i32): i32 {
  return <i32>mix64(<u64>key) & mask;
}

/** The entry index for `key`, or -1. */
export function tableFind(t: Table, key: i64): i32 {
  const mask = t.cap - 1;
  let i = slotOf(key, mask);
  while (true) {
    const s = t.slots + <usize>i * SLOT;
    const e = load<i32>(s, 8);
    if (e == 0) return -1;
    if (load<i64>(s) == key) return e - 1;
    i = (i + 1) & mask;
  }
}

/** The entry index for `key`, creating the entry (appended to the insertion list) if absent. */
export function tableUpsert(st: State, t: Table, key: i64): i32 {
  const mask = t.cap - 1;
  let i = slotOf(key, mask);
  while (true) {
    const s = t.slots + <usize>i * SLOT;
    const e = load<i32>(s, 8);
    if (e == 0) break;
    if (load<i64>(s) == key) return e - 1;
    i = (i + 1) & mask;
  }
  const idx = newEntry(st, key, t.start, t.end);
  const s = t.slots + <usize>i * SLOT;
  store<i64>(s, key);
  store<i32>(s, idx + 1, 8);
  if (t.last >= 0) entryAt(st, t.last).next = idx; else t.first = idx;
  t.last = idx;
  t.count++;
  if (t.count * 4 > t.cap * 3) grow(t);
  return idx;
}

function grow(t: Table): void {
  const oldSlots = t.slots;
  const oldCap = t.cap;
  t.cap = oldCap * 2;
  t.slots = heap.alloc(<usize>t.cap * SLOT);
  memory.fill(t.slots, 0, <usize>t.cap * SLOT);
  const mask = t.cap - 1;
  for (let j = 0; j < oldCap; j++) {
    const s = oldSlots + <usize>j * SLOT;
    const e = load<i32>(s, 8);
    if (e == 0) continue;
    const key = load<i64>(s);
    let i = slotOf(key, mask);
    while (load<i32>(t.slots + <usize>i * SLOT, 8) != 0) i = (i + 1) & mask;
    store<i64>(t.slots + <usize>i * SLOT, key);
    store<i32>(t.slots + <usize>i * SLOT, e, 8);
  }
  heap.free(oldSlots);
}

/** Frees every entry of the table, keeping the table itself (empty) for reuse. */
export function tableClear(st: State, t: Table): void {
  let idx = t.first;
  while (idx >= 0) {
    const next = entryAt(st, idx).next;
    freeEntry(st, idx);
    idx = next;
  }
  memory.fill(t.slots, 0, <usize>t.cap * SLOT);
  t.count = 0;
  t.first = -1;
  t.last = -1;
  t.fired = 0;
}

export function tableFree(st: State, t: Table): void {
  tableClear(st, t);
  heap.free(t.slots);
  heap.free(changetype<usize>(t));
}
