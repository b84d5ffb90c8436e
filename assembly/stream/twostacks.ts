// Sliding windows without re-combining every pane at every firing: the panes of the current
// window form a FIFO queue aggregated with the "two stacks" method (Tangwongsan et al., "General
// incremental sliding-window aggregation", VLDB 2015). The back keeps one running aggregate of the
// panes pushed since the last flip; the front keeps suffix aggregates, so evicting the oldest pane
// is dropping a table, and a window is front-top ⊕ back. Each pane is merged O(1) times amortised,
// instead of size/slide times. Exact for every mergeable aggregate; used when the aggregates hold
// no sketches and the suffix tables fit a memory budget.
import { regrow } from "../common/alloc";
import { State, Table } from "./layout";
import { tableUpsert, tableFind, tableFree, tableClear, newTable } from "./table";
import { emitState } from "./output";
import { entryAt, aggsOf } from "./pool";
import { mergeAggs } from "./agg";

const BUDGET: f64 = 268435456.0; // bytes of suffix-table entries

/** Whether this operator's sliding windows should use two stacks now. */
export function twoStacksFits(st: State): bool {
  const panes = st.size / st.pane;
  if (st.hasSketch || panes < 4) return false;
  const keys = <f64>max(st.lastCount, 1);
  return <f64>panes * keys * <f64>st.stride < BUDGET;
}

/** Merges every entry of `src` into `dst` (src unchanged), in src's insertion order. */
export function mergeTableInto(st: State, dst: Table, src: Table): void {
  let e = src.first;
  while (e >= 0) {
    const d = tableUpsert(st, dst, entryAt(st, e).key);
    mergeAggs(st, aggsOf(st, d), aggsOf(st, e));
    e = entryAt(st, e).next;
  }
}

// @ts-ignore: decorator
@inline
function frontAt(st: State, i: i32): Table {
  return changetype<Table>(load<usize>(st.tsFront + (<usize>i << 2)));
}

/** Frees the whole structure; the next firing rebuilds it from the panes. */
export function twoStacksReset(st: State): void {
  for (let i = st.tsHead; i < st.tsFrontLen; i++) tableFree(st, frontAt(st, i));
  st.tsHead = 0;
  st.tsFrontLen = 0;
  if (st.tsBack) tableClear(st, changetype<Table>(st.tsBack));
  st.tsBackLen = 0;
  st.tsActive = 0;
  st.tsDirty = 0;
}

function findPane(st: State, start: i64): Table | null {
  let lo = 0, hi = st.nTables;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = changetype<Table>(load<usize>(st.tables + (<usize>mid << 2)));
    if (t.start < start) lo = mid + 1; else hi = mid;
  }
  if (lo < st.nTables) {
    const t = changetype<Table>(load<usize>(st.tables + (<usize>lo << 2)));
    if (t.start == start) return t;
  }
  return null;
}

function push(st: State, pane: Table): void {
  if (!st.tsBack) st.tsBack = changetype<usize>(newTable(0, 0, st.lastCount));
  mergeTableInto(st, changetype<Table>(st.tsBack), pane);
  if (st.tsBackLen == st.tsBackCap) {
    st.tsBackCap = st.tsBackCap < 16 ? 16 : st.tsBackCap * 2;
    st.tsBackPanes = regrow(st.tsBackPanes, <usize>st.tsBackCap << 3);
  }
  store<i64>(st.tsBackPanes + (<usize>(st.tsBackLen++) << 3), pane.start);
}

// Moves the back's panes (those still in the window, start >= `keepFrom`) to the front as
// suffix aggregates: S_i = pane_i ⊕ S_{i+1}.
function flip(st: State, keepFrom: i64): void {
  for (let i = st.tsHead; i < st.tsFrontLen; i++) tableFree(st, frontAt(st, i));
  st.tsHead = 0;
  st.tsFrontLen = 0;
  let first = 0;
  while (first < st.tsBackLen && load<i64>(st.tsBackPanes + (<usize>first << 3)) < keepFrom) first++;
  const n = st.tsBackLen - first;
  if (n > st.tsFrontCap) {
    st.tsFrontCap = n < 16 ? 16 : n;
    st.tsFront = regrow(st.tsFront, <usize>st.tsFrontCap << 2);
  }
  let next: Table | null = null;
  for (let j = n - 1; j >= 0; j--) {
    const ps = load<i64>(st.tsBackPanes + (<usize>(first + j) << 3));
    const s = newTable(ps, ps + st.pane, st.lastCount);
    const pane = findPane(st, ps);
    if (pane) mergeTableInto(st, s, pane);
    if (next) mergeTableInto(st, s, next);
    store<usize>(st.tsFront + (<usize>j << 2), changetype<usize>(s));
    next = s;
  }
  st.tsFrontLen = n;
  if (st.tsBack) tableClear(st, changetype<Table>(st.tsBack));
  st.tsBackLen = 0;
}

/** Fills `w` with the combination of the panes of window [end − size, end). */
export function twoStacksWindow(st: State, w: Table, start: i64, end: i64): void {
  twoStacksAdvance(st, start, end);
  if (st.tsHead < st.tsFrontLen) mergeTableInto(st, w, frontAt(st, st.tsHead));
  if (st.tsBack) mergeTableInto(st, w, changetype<Table>(st.tsBack));
}

/**
 * Emits one row per key of window [end − size, end) straight from the two stacks, without
 * building the window's table: front-top keys in their order, each combined with its back entry,
 * then the keys only the back holds. The same rows, in the same order, as twoStacksWindow
 * followed by firing the table, at the cost of one lookup per key instead of an insert.
 */
export function twoStacksEmit(st: State, start: i64, end: i64): void {
  twoStacksAdvance(st, start, end);
  const front = st.tsHead < st.tsFrontLen ? frontAt(st, st.tsHead) : null;
  const back = st.tsBack ? changetype<Table>(st.tsBack) : null;
  const bytes = <usize>(st.stride - st.header);
  const tmp = heap.alloc(bytes);
  if (front) {
    let e = front.first;
    while (e >= 0) {
      const key = entryAt(st, e).key;
      const b = back ? tableFind(st, back, key) : -1;
      if (b < 0) emitState(st, key, aggsOf(st, e), start, end, 0, 0);
      else {
        // No sketches here (twoStacksFits), so the state is plain words and may be copied.
        memory.copy(tmp, aggsOf(st, e), bytes);
        mergeAggs(st, tmp, aggsOf(st, b));
        emitState(st, key, tmp, start, end, 0, 0);
      }
      e = entryAt(st, e).next;
    }
  }
  if (back) {
    let e = back.first;
    while (e >= 0) {
      const key = entryAt(st, e).key;
      if (!front || tableFind(st, front, key) < 0) emitState(st, key, aggsOf(st, e), start, end, 0, 0);
      e = entryAt(st, e).next;
    }
  }
  heap.free(tmp);
}

// Pushes the panes that entered window [start, end) and evicts those that left it.
function twoStacksAdvance(st: State, start: i64, end: i64): void {
  if (st.tsActive && st.tsDirty) twoStacksReset(st);
  if (!st.tsActive) {
    st.tsActive = 1;
    st.tsQEnd = start;
  }
  // push the panes that entered the window
  const from = st.tsQEnd > start ? st.tsQEnd : start;
  let lo = 0, hi = st.nTables;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (changetype<Table>(load<usize>(st.tables + (<usize>mid << 2))).start < from) lo = mid + 1; else hi = mid;
  }
  for (let p = lo; p < st.nTables; p++) {
    const pane = changetype<Table>(load<usize>(st.tables + (<usize>p << 2)));
    if (pane.start >= end) break;
    push(st, pane);
  }
  st.tsQEnd = end;
  // evict the panes that left it
  while (true) {
    if (st.tsHead < st.tsFrontLen) {
      const s = frontAt(st, st.tsHead);
      if (s.start >= start) break;
      tableFree(st, s);
      st.tsHead++;
    } else if (st.tsBackLen > 0 && load<i64>(st.tsBackPanes) < start) {
      flip(st, start);
    } else break;
  }
}
