// A keyed set of entries for one time range, with an open-addressed hash table of entry indices
// and an insertion-ordered list for deterministic output. A slot holds only entry index + 1 (0 is
// empty); the key is compared in the entry, which the caller reads next anyway. Four-byte slots
// keep the probe array of a 10k-key window within 64 KiB, so the hot path touches one line of it
// and one line of the entry.
import { Table, State } from "./layout";
import { entryAt, newEntry, freeEntry } from "./pool";

export const SLOT: usize = 4; // entry index + 1, 0 = empty

/** A table sized for about `expected` keys (the previous window's count), so it rarely rehashes. */
export function newTable(start: i64, end: i64, expected: i32 = 0): Table {
  const t = changetype<Table>(heap.alloc(offsetof<Table>()));
  t.start = start;
  t.end = end;
  let cap = 16;
  let shift = 60;
  while (cap * 3 < expected * 4 + 4) { cap <<= 1; shift--; }
  t.cap = cap;
  t.shift = shift;
  t.slots = heap.alloc(<usize>t.cap * SLOT);
  memory.fill(t.slots, 0, <usize>t.cap * SLOT);
  t.count = 0;
  t.first = -1;
  t.last = -1;
  t.fired = 0;
  return t;
}

// Fibonacci hashing: one multiply, and the top bits spread consecutive keys evenly.
// @ts-ignore: decorator
@inline
function slotOf(key: i64, shift: i32): i32 {
  return <i32>((<u64>key * 0x9e3779b97f4a7c15) >> <u64>shift);
}

/** The entry index for `key`, or -1. */
export function tableFind(st: State, t: Table, key: i64): i32 {
  const mask = t.cap - 1;
  let i = slotOf(key, t.shift);
  while (true) {
    const e = load<i32>(t.slots + <usize>i * SLOT);
    if (e == 0) return -1;
    if (entryAt(st, e - 1).key == key) return e - 1;
    i = (i + 1) & mask;
  }
}

/** The entry index for `key`, creating the entry (appended to the insertion list) if absent. */
export function tableUpsert(st: State, t: Table, key: i64): i32 {
  const mask = t.cap - 1;
  let i = slotOf(key, t.shift);
  while (true) {
    const e = load<i32>(t.slots + <usize>i * SLOT);
    if (e == 0) break;
    if (entryAt(st, e - 1).key == key) return e - 1;
    i = (i + 1) & mask;
  }
  return tableInsert(st, t, key, i);
}

/** Creates the entry for `key`, absent from `t`, in empty slot `i` (where a probe for it ended). */
export function tableInsert(st: State, t: Table, key: i64, i: i32): i32 {
  const idx = newEntry(st, key, t.start, t.end);
  store<i32>(t.slots + <usize>i * SLOT, idx + 1);
  if (t.last >= 0) entryAt(st, t.last).next = idx; else t.first = idx;
  t.last = idx;
  t.count++;
  if (t.count * 4 > t.cap * 3) grow(st, t);
  return idx;
}

function grow(st: State, t: Table): void {
  const oldSlots = t.slots;
  const oldCap = t.cap;
  t.cap = oldCap * 2;
  t.shift -= 1;
  t.slots = heap.alloc(<usize>t.cap * SLOT);
  memory.fill(t.slots, 0, <usize>t.cap * SLOT);
  const mask = t.cap - 1;
  for (let j = 0; j < oldCap; j++) {
    const e = load<i32>(oldSlots + <usize>j * SLOT);
    if (e == 0) continue;
    let i = slotOf(entryAt(st, e - 1).key, t.shift);
    while (load<i32>(t.slots + <usize>i * SLOT) != 0) i = (i + 1) & mask;
    store<i32>(t.slots + <usize>i * SLOT, e);
  }
  heap.free(oldSlots);
}

/** Frees every entry of the table, keeping the table itself (empty) for reuse. */
export function tableClear(st: State, t: Table): void {
  if (!st.hasSketch) {
    // Nothing to free inside the entries: splice the table's whole insertion list onto the free
    // list in O(1). (Entry.gen and Entry.alive only matter to session entries, never in a table.)
    if (t.first >= 0) {
      entryAt(st, t.last).next = st.freeEntry;
      st.freeEntry = t.first;
      st.liveEntries -= t.count;
    }
  } else {
    let idx = t.first;
    while (idx >= 0) {
      const next = entryAt(st, idx).next;
      freeEntry(st, idx);
      idx = next;
    }
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
