// Memory layout of the window operator. Every piece of operator state lives in linear memory
// under one `State` block (no wasm globals), so a snapshot is a copy of the instance's memory.

/** One input column as TypeScript wrote it into wasm memory for the current batch. */
@unmanaged
export class Column {
  ptr: usize = 0;
  /** ColType: how to read an element. */
  type: i32 = 0;
  /** Optional i32 table mapping the column's (dictionary) indices to operator-global ids. */
  remap: usize = 0;
  /** Optional u64 table: hash of each operator-global dictionary id (string content hash). */
  hashes: usize = 0;
}

export const enum ColType { F64 = 0, I32 = 1, I64 = 2, F32 = 3, U32 = 4, I16 = 5, I8 = 6, U16 = 7, U8 = 8 }

/** Units of an integer time column; a float64 column is epoch milliseconds. */
export const enum TimeType { F64_MS = 0, I64_MS = 1, I64_S = 2, I64_US = 3, I64_NS = 4, I32_MS = 5 }

export const enum Kind { TUMBLING = 0, SLIDING = 1, SESSION = 2 }

export const enum AggType {
  COUNT = 0, SUM = 1, MIN = 2, MAX = 3, MEAN = 4, VAR = 5, VAR_POP = 6, STDDEV = 7, STDDEV_POP = 8,
  FIRST = 9, LAST = 10, DISTINCT = 11, QUANTILE = 12, TOPK = 13, DECAYED = 14,
}

/** One aggregate: its kind, input column, parameter and where its state sits in an entry. */
@unmanaged
export class AggSpec {
  type: i32 = 0;
  col: i32 = 0;
  /** Byte offset of this aggregate's state inside an entry's state area. */
  slot: i32 = 0;
  /** Word offset of this aggregate's first output value inside an output row. */
  outWord: i32 = 0;
  /** quantile q, top-k k, decayed half-life (ms), HyperLogLog precision. */
  param: f64 = 0;
  /** Secondary parameter: top-k counter capacity, DDSketch relative accuracy. */
  param2: f64 = 0;
  /** This batch's input values when they are plain f64 (the fast path), else 0. */
  colPtr: usize = 0;
  pad: i32 = 0;
}

/**
 * Per (window, key) aggregation state. The aggregate slots follow the header. Tumbling and sliding
 * entries use only the first PANE_HEADER bytes (their table holds the window bounds); session
 * entries use all SESSION_HEADER bytes. Smaller pane entries mean fewer cache lines touched per
 * event when there are many keys.
 */
@unmanaged
export class Entry {
  key: i64 = 0;
  /** Next entry in the owning table's insertion-ordered list, a session list, or the free list. */
  next: i32 = 0;
  /** Times this (window, key) has fired; -1 before its first firing. */
  rev: i32 = 0;
  // session entries only, from here on
  /** Bumped each time the entry is freed, so stale timers can tell. */
  gen: i32 = 0;
  alive: i32 = 0;
  start: i64 = 0;
  end: i64 = 0;
}

export const PANE_HEADER: i32 = 16; // key, next, rev
export const SESSION_HEADER: i32 = 40; // offsetof<Entry>(), kept literal so layouts are easy to read

/**
 * A set of entries sharing one time range: a tumbling window, a sliding pane, or a fired sliding
 * window kept for allowed lateness. Keys map to entries through an open-addressed hash table of
 * (key, entry index) slots.
 */
@unmanaged
export class Table {
  start: i64 = 0;
  end: i64 = 0;
  slots: usize = 0;
  cap: i32 = 0;
  count: i32 = 0;
  first: i32 = -1;
  last: i32 = -1;
  fired: i32 = 0;
  /** 64 − log2(cap): Fibonacci hashing takes the top bits of key · 2^64/φ. */
  shift: i32 = 0;
}

@unmanaged
export class State {
  magic: i32 = 0;
  kind: i32 = 0;
  nAggs: i32 = 0;
  /** Bytes of one entry: header plus aggregate state. */
  stride: i32 = 0;
  size: i64 = 0;
  slide: i64 = 0;
  offset: i64 = 0;
  pane: i64 = 0;
  gap: i64 = 0;
  bound: i64 = 0;
  lateness: i64 = 0;
  watermark: i64 = 0;
  maxTs: i64 = 0;
  aggs: usize = 0;

  // entry pool (indices are stable; the block may move when it grows)
  pool: usize = 0;
  poolCap: i32 = 0;
  poolLen: i32 = 0;
  freeEntry: i32 = -1;
  liveEntries: i32 = 0;

  // tumbling windows or sliding panes, sorted by start
  tables: usize = 0;
  nTables: i32 = 0;
  tablesCap: i32 = 0;
  // sliding: fired windows kept for allowed lateness, sorted by end
  windows: usize = 0;
  nWindows: i32 = 0;
  windowsCap: i32 = 0;
  /** Sliding: the end of the last window fired on time (windows fire in end order). */
  lastFiredEnd: i64 = 0;
  /** Sliding: scratch table that panes are combined into when a window fires. */
  scratch: usize = 0;

  // sessions: key -> head of that key's session list (sorted by start); a timer heap
  keyIndex: usize = 0;
  heap: usize = 0;
  heapLen: i32 = 0;
  heapCap: i32 = 0;
  timerSeq: i64 = 0;

  // the current batch
  n: i32 = 0;
  timeType: i32 = 0;
  timePtr: usize = 0;
  cols: usize = 0; // Column[MAX_COLS]; column 0 is the key
  /** How output keys are stored: 0 f64, 1 i64, 2 i32 (see setKeyOut). */
  keyOutBigint: i32 = 0;
  pad0: i32 = 0;

  // output rows and late events of the current call
  out: usize = 0;
  outCap: i32 = 0;
  outRows: i32 = 0;
  rowWords: i32 = 0;
  lateCap: i32 = 0;
  late: usize = 0; // (index i32, pad, watermark f64) records
  lateCount: i32 = 0;
  pad1: i32 = 0;

  events: f64 = 0;
  lateTotal: f64 = 0;

  // cache of the table the previous event went to
  curTable: usize = 0;
  curStart: i64 = 0;
  curEnd: i64 = 0;
  /** The earliest time at which a timer (firing or cleanup) is due; MIN forces a timer pass. */
  nextTimer: i64 = 0;
  /** Keys in the most recently created table: the size hint for the next one. */
  lastCount: i32 = 0;
  /** Whether any aggregate holds a sketch block that must be freed with its entry. */
  hasSketch: i32 = 0;
  /** This batch: every aggregate is count/sum/min/max/mean over plain f64 columns. */
  fast: i32 = 0;
  /** Bytes of an entry's header: PANE_HEADER or SESSION_HEADER. */
  header: i32 = 0;

  // sliding: two-stacks aggregation over the panes of the current window (see twostacks.ts)
  tsFront: usize = 0; // Table[] of suffix aggregates, oldest first
  tsHead: i32 = 0;
  tsFrontLen: i32 = 0;
  tsFrontCap: i32 = 0;
  tsActive: i32 = 0;
  tsBack: usize = 0; // Table: aggregate of the panes pushed since the last flip
  tsBackPanes: usize = 0; // i64[] pane starts pushed since the last flip
  tsBackLen: i32 = 0;
  tsBackCap: i32 = 0;
  tsQEnd: i64 = 0; // panes starting before this have been pushed
  tsDirty: i32 = 0; // a pushed pane changed: rebuild before the next firing
  pad2: i32 = 0;
  /** The initial aggregate state of a new entry (stride − header bytes), copied word by word. */
  initState: usize = 0;
  pad4: i32 = 0;
}

export const MAX_COLS: i32 = 32;
export const STATE_MAGIC: i32 = 0x57454952; // "WEIR"

/** Aggregate `a` of the operator. */
// @ts-ignore: decorator
@inline
export function aggAt(st: State, a: i32): AggSpec {
  return changetype<AggSpec>(st.aggs + <usize>a * offsetof<AggSpec>());
}

/** Input column `c` of the current batch (0 is the key). */
// @ts-ignore: decorator
@inline
export function columnAt(st: State, c: i32): Column {
  return changetype<Column>(st.cols + <usize>c * offsetof<Column>());
}
