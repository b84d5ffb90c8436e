// Session windows (Flink's EventTimeSessionWindows + MergingWindowSet): every event opens
// [t, t + gap); windows of one key that intersect (touching counts, as TimeWindow.intersects
// says) merge into one. Each key keeps its in-flight sessions in a list sorted by start.
//
// Timers sit in a binary heap ordered by (time, sequence). A session's timer is not moved when
// the session grows; the stale timer is re-pushed when it pops, so growing costs nothing per event.
// Entry.alive: 0 freed, 1 live with bounds not yet emitted, 2 live and emitted as it stands.
import { regrow } from "../common/alloc";
import { State } from "./layout";
import { newEntry, freeEntry, entryAt, aggsOf } from "./pool";
import { addEvent, mergeAggs } from "./agg";
import { emitRow, emitLate, FLAG_RETRACT } from "./output";
import { cleanupTime, isWindowLate } from "./time";
import { mix64 } from "../common/hash";

const FIRE: i32 = 0;
const CLEANUP: i32 = 1;
const TIMER: usize = 32; // time i64, seq i64, entry i32, gen i32, kind i32, pad

// ---- key index: key -> head entry of that key's session list (open addressing, backward-shift delete)

const KSLOT: usize = 16;

@unmanaged
class KeyIndex {
  slots: usize = 0;
  cap: i32 = 0;
  count: i32 = 0;
}

function keyIndex(st: State): KeyIndex {
  if (!st.keyIndex) {
    const k = changetype<KeyIndex>(heap.alloc(offsetof<KeyIndex>()));
    k.cap = 1024;
    k.count = 0;
    k.slots = heap.alloc(<usize>k.cap * KSLOT);
    memory.fill(k.slots, 0, <usize>k.cap * KSLOT);
    st.keyIndex = changetype<usize>(k);
  }
  return changetype<KeyIndex>(st.keyIndex);
}

/** Slot holding `key`, or the empty slot where it would go. */
function findSlot(k: KeyIndex, key: i64): usize {
  const mask = k.cap - 1;
  let i = <i32>mix64(<u64>key) & mask;
  while (true) {
    const s = k.slots + <usize>i * KSLOT;
    if (load<i32>(s, 8) == 0 || load<i64>(s) == key) return s;
    i = (i + 1) & mask;
  }
}

function setHead(k: KeyIndex, key: i64, head: i32): void {
  const s = findSlot(k, key);
  if (load<i32>(s, 8) == 0) {
    if (head < 0) return;
    store<i64>(s, key);
    store<i32>(s, head + 1, 8);
    k.count++;
    if (k.count * 2 > k.cap) growIndex(k);
    return;
  }
  if (head >= 0) { store<i32>(s, head + 1, 8); return; }
  deleteSlot(k, s);
}

// Knuth's deletion for linear probing: shift later members of the cluster back into the hole.
function deleteSlot(k: KeyIndex, s: usize): void {
  const mask = k.cap - 1;
  let hole = <i32>((s - k.slots) / KSLOT);
  let j = hole;
  store<i32>(s, 0, 8);
  k.count--;
  while (true) {
    j = (j + 1) & mask;
    const sj = k.slots + <usize>j * KSLOT;
    if (load<i32>(sj, 8) == 0) return;
    const home = <i32>mix64(<u64>load<i64>(sj)) & mask;
    // move sj into the hole unless its home lies cyclically in (hole, j]
    const inRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (inRange) continue;
    const sh = k.slots + <usize>hole * KSLOT;
    store<i64>(sh, load<i64>(sj));
    store<i32>(sh, load<i32>(sj, 8), 8);
    store<i32>(sj, 0, 8);
    hole = j;
  }
}

function growIndex(k: KeyIndex): void {
  const old = k.slots;
  const oldCap = k.cap;
  k.cap = oldCap * 2;
  k.slots = heap.alloc(<usize>k.cap * KSLOT);
  memory.fill(k.slots, 0, <usize>k.cap * KSLOT);
  for (let j = 0; j < oldCap; j++) {
    const s = old + <usize>j * KSLOT;
    if (load<i32>(s, 8) == 0) continue;
    const d = findSlot(k, load<i64>(s));
    store<i64>(d, load<i64>(s));
    store<i32>(d, load<i32>(s, 8), 8);
  }
  heap.free(old);
}

// ---- timer heap

function heapAt(st: State, i: i32): usize {
  return st.heap + <usize>i * TIMER;
}

// @ts-ignore: decorator
@inline
function before(a: usize, b: usize): bool {
  const ta = load<i64>(a), tb = load<i64>(b);
  return ta < tb || (ta == tb && load<i64>(a, 8) < load<i64>(b, 8));
}

function swap(a: usize, b: usize): void {
  for (let o: usize = 0; o < TIMER; o += 8) {
    const x = load<i64>(a + o);
    store<i64>(a + o, load<i64>(b + o));
    store<i64>(b + o, x);
  }
}

function pushTimer(st: State, time: i64, idx: i32, kind: i32): void {
  if (st.heapLen == st.heapCap) {
    const cap = st.heapCap < 64 ? 64 : st.heapCap * 2;
    st.heap = regrow(st.heap, <usize>cap * TIMER);
    st.heapCap = cap;
  }
  let i = st.heapLen++;
  const p = heapAt(st, i);
  store<i64>(p, time);
  store<i64>(p, st.timerSeq++, 8);
  store<i32>(p, idx, 16);
  store<i32>(p, entryAt(st, idx).gen, 20);
  store<i32>(p, kind, 24);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heapAt(st, i), heapAt(st, parent))) break;
    swap(heapAt(st, i), heapAt(st, parent));
    i = parent;
  }
  if (time < st.nextTimer) st.nextTimer = time;
}

function popTimer(st: State): void {
  st.heapLen--;
  if (st.heapLen == 0) return;
  memory.copy(heapAt(st, 0), heapAt(st, st.heapLen), TIMER);
  let i = 0;
  const n = st.heapLen;
  while (true) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    if (l + 1 < n && before(heapAt(st, l + 1), heapAt(st, l))) c = l + 1;
    if (!before(heapAt(st, c), heapAt(st, i))) break;
    swap(heapAt(st, c), heapAt(st, i));
    i = c;
  }
}

// ---- events

function emitCurrent(st: State, idx: i32): void {
  const e = entryAt(st, idx);
  e.rev++;
  e.alive = 2;
  emitRow(st, idx, e.start, e.end, e.rev, 0);
}

/** Processes event `i` (time t, key) for session windows. */
export function sessionEvent(st: State, i: i32, t: i64, key: i64): void {
  const wm = st.watermark;
  const k = keyIndex(st);
  const slot = findSlot(k, key);
  let head = load<i32>(slot, 8) - 1;
  const wEnd = t + st.gap;

  // The first session (in start order) that intersects [t, wEnd].
  let prev = -1;
  let cur = head;
  while (cur >= 0) {
    const e = entryAt(st, cur);
    if (e.start <= wEnd && e.end >= t) break;
    if (e.start > wEnd) { cur = -1; break; }
    prev = cur;
    cur = e.next;
  }

  if (cur < 0) {
    if (isWindowLate(wEnd, st.lateness, wm)) { emitLate(st, i); return; }
    const idx = newEntry(st, key, t, wEnd);
    // insert after prev (the last session starting before this one)
    const e = entryAt(st, idx);
    if (prev >= 0) { e.next = entryAt(st, prev).next; entryAt(st, prev).next = idx; }
    else { e.next = head; head = idx; setHead(k, key, head); }
    addEvent(st, aggsOf(st, idx), i, t);
    pushTimer(st, wEnd - 1, idx, FIRE);
    if (wEnd - 1 <= wm) emitCurrent(st, idx);
    return;
  }

  // Merge every following session that the grown window now reaches.
  const a = entryAt(st, cur);
  let newStart = a.start < t ? a.start : t;
  let newEnd = a.end > wEnd ? a.end : wEnd;
  const grows = newStart != a.start || newEnd != a.end;
  const absorbs = a.next >= 0 && entryAt(st, a.next).start <= newEnd;
  if ((grows || absorbs) && a.alive == 2) {
    // The window this key had emitted is superseded by a larger one: retract the old row.
    emitRow(st, cur, a.start, a.end, a.rev, FLAG_RETRACT);
  }
  let nxt = a.next;
  while (nxt >= 0) {
    const b = entryAt(st, nxt);
    if (b.start > newEnd) break;
    if (b.alive == 2) emitRow(st, nxt, b.start, b.end, b.rev, FLAG_RETRACT);
    if (b.rev > entryAt(st, cur).rev) entryAt(st, cur).rev = b.rev;
    if (b.end > newEnd) newEnd = b.end;
    mergeAggs(st, aggsOf(st, cur), aggsOf(st, nxt));
    const after = b.next;
    freeEntry(st, nxt);
    entryAt(st, cur).next = after;
    nxt = after;
  }
  const e = entryAt(st, cur);
  if (grows || absorbs) {
    const wasEmitted = e.alive == 2;
    e.start = newStart;
    e.end = newEnd;
    e.alive = 1;
    // An emitted session only holds a cleanup timer: give the grown window its own firing time.
    if (wasEmitted) pushTimer(st, newEnd - 1, cur, FIRE);
  }
  addEvent(st, aggsOf(st, cur), i, t);
  if (e.end - 1 <= wm) emitCurrent(st, cur);
}

/** Fires and cleans up sessions whose timers are due; returns the next timer time. */
export function sessionTimers(st: State): i64 {
  const wm = st.watermark;
  while (st.heapLen > 0) {
    const top = heapAt(st, 0);
    const time = load<i64>(top);
    if (time > wm) break;
    const idx = load<i32>(top, 16);
    const gen = load<i32>(top, 20);
    const kind = load<i32>(top, 24);
    popTimer(st);
    const e = entryAt(st, idx);
    if (e.alive == 0 || e.gen != gen) continue;
    if (kind == FIRE) {
      if (e.end - 1 > time) { pushTimer(st, e.end - 1, idx, FIRE); continue; }
      if (e.alive == 1) emitCurrent(st, idx);
      pushTimer(st, cleanupTime(e.end, st.lateness), idx, CLEANUP);
    } else {
      if (cleanupTime(e.end, st.lateness) > time) {
        if (e.alive == 1) pushTimer(st, e.end - 1, idx, FIRE);
        else pushTimer(st, cleanupTime(e.end, st.lateness), idx, CLEANUP);
        continue;
      }
      removeSession(st, idx);
    }
  }
  return st.heapLen > 0 ? load<i64>(heapAt(st, 0)) : i64.MAX_VALUE;
}

function removeSession(st: State, idx: i32): void {
  const e = entryAt(st, idx);
  const key = e.key;
  const k = keyIndex(st);
  const slot = findSlot(k, key);
  let cur = load<i32>(slot, 8) - 1;
  let prev = -1;
  while (cur >= 0 && cur != idx) { prev = cur; cur = entryAt(st, cur).next; }
  if (cur < 0) return;
  const after = e.next;
  if (prev >= 0) entryAt(st, prev).next = after;
  else setHead(k, key, after);
  freeEntry(st, idx);
}
