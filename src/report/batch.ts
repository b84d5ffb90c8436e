/**
 * One batch of events as the report's window operators take it: columns as typed arrays or the
 * Arrow data they came in (no copy where the file's type already fits), plus the few derived
 * columns the aggregates need (event-type code, revenue, trending weight, purchase flag).
 * Rows missing a required value (time, user, item) are dropped and counted here, with their
 * data-row numbers, since the window operators refuse them.
 */
import { Data, Type, Vector, type Table } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import type { ColumnInput } from '../stream/index.js';

/** Event-type codes. */
export const VIEW = 0;
export const CART = 1;
export const PURCHASE = 2;
export const OTHER = 3;
export const TYPE_NAMES = ['view', 'cart', 'purchase', 'other'] as const;

/** Trending weight of each event type: a purchase says more about an item than a view. */
export const TYPE_WEIGHT = Float64Array.of(1, 3, 5, 0);

const TYPE_ALIASES: Readonly<Record<string, number>> = Object.freeze({
  view: VIEW, views: VIEW, page_view: VIEW, pageview: VIEW, product_view: VIEW, detail: VIEW, click: VIEW,
  cart: CART, add_to_cart: CART, addtocart: CART, 'add-to-cart': CART, basket: CART, add: CART,
  purchase: PURCHASE, purchases: PURCHASE, buy: PURCHASE, order: PURCHASE, checkout: PURCHASE, transaction: PURCHASE, sale: PURCHASE,
});

/** The event-type code of a value of the type column: names (any case) or 0/1/2. */
export function typeCode(v: unknown): number {
  if (typeof v === 'string') return TYPE_ALIASES[v.trim().toLowerCase()] ?? OTHER;
  if (typeof v === 'number' && (v === 0 || v === 1 || v === 2)) return v;
  return OTHER;
}

export interface EventBatch {
  n: number;
  /** Epoch ms. */
  time: Float64Array;
  type: Uint8Array;
  user: ColumnInput;
  item: ColumnInput;
  category: ColumnInput | null;
  /** NaN where missing. */
  price: Float64Array;
  /** Price on purchases, NaN (missing) on other events. */
  revenue: Float64Array;
  weight: Float64Array;
  /** 1 on purchases, 0 otherwise. */
  purchase: Float64Array;
  /** The constant key of whole-stream aggregates. */
  all: Int32Array;
}

export interface EventColumns {
  time: string;
  user: string;
  item: string;
  type: string;
  price: string | null;
  category: string | null;
}

/** How numbers in the time column are read: epoch seconds, ms, µs or ns. */
export type TimeScale = 's' | 'ms' | 'us' | 'ns';
const TO_MS: Record<TimeScale, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

/**
 * The unit of a numeric time column, judged from a value: epoch ms put today near 1.7e12, so a
 * value below 1e11 is seconds, above 1e14 microseconds, above 1e17 nanoseconds.
 */
export function guessTimeScale(v: number): TimeScale {
  const a = Math.abs(v);
  return a < 1e11 ? 's' : a < 1e14 ? 'ms' : a < 1e17 ? 'us' : 'ns';
}

/** Turns Arrow tables of the events file into {@link EventBatch}es; keeps the counts of dropped rows. */
export class EventBatcher {
  /** Rows dropped for a missing time, user or item. */
  dropped = 0;
  readonly droppedSamples: Array<{ line: number; message: string }> = [];
  /** The time unit in use, once the first batch has decided it (when not given). */
  timeScale: TimeScale | null;
  private rowsSeen = 0;
  private all = new Int32Array(0);
  private typeLut = new WeakMap<Data, Uint8Array>();

  constructor(private readonly cols: EventColumns, timeScale?: TimeScale) {
    this.timeScale = timeScale ?? null;
  }

  /** The batch's columns, or null when every row was dropped. */
  next(table: Table): EventBatch | null {
    const first = this.rowsSeen;
    this.rowsSeen += table.numRows;
    const data = (name: string) => table.getChild(name)!.data[0];
    const timeData = data(this.cols.time);
    const userData = data(this.cols.user);
    const itemData = data(this.cols.item);
    let time = this.timeOf(timeData);
    let type = this.typeOf(data(this.cols.type));
    let price = this.cols.price ? numbersOf(data(this.cols.price)) : new Float64Array(table.numRows).fill(NaN);
    let user: ColumnInput = userData;
    let item: ColumnInput = itemData;
    let category: ColumnInput | null = this.cols.category ? data(this.cols.category) : null;
    if (userData.type.typeId === Type.Null || itemData.type.typeId === Type.Null) {
      throw new WeirError('E_COLUMN', `events: column '${userData.type.typeId === Type.Null ? this.cols.user : this.cols.item}' has no values`);
    }
    const keep = this.keepMask(time, userData, itemData, first);
    if (keep !== null) {
      const rows: number[] = [];
      for (let i = 0; i < keep.length; i++) if (keep[i]) rows.push(i);
      if (rows.length === 0) return null;
      time = Float64Array.from(rows, (i) => time[i]);
      type = Uint8Array.from(rows, (i) => type[i]);
      const p = price;
      price = Float64Array.from(rows, (i) => p[i]);
      user = pickRows(userData, rows);
      item = pickRows(itemData, rows);
      category = category ? pickRows(category as Data, rows) : null;
    }
    const n = time.length;
    const revenue = new Float64Array(n);
    const weight = new Float64Array(n);
    const purchase = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = type[i];
      const isPurchase = t === PURCHASE;
      revenue[i] = isPurchase ? price[i] : NaN;
      purchase[i] = isPurchase ? 1 : 0;
      weight[i] = TYPE_WEIGHT[t];
    }
    if (this.all.length < n) this.all = new Int32Array(n);
    return { n, time, type, user, item, category, price, revenue, weight, purchase, all: this.all.subarray(0, n) };
  }

  private drop(line: number, message: string): void {
    this.dropped++;
    if (this.droppedSamples.length < 5) this.droppedSamples.push({ line, message });
  }

  /** Null where every row has its required values; else which rows to keep. */
  private keepMask(time: Float64Array, user: Data, item: Data, first: number): Uint8Array | null {
    let bad = user.nullCount > 0 || item.nullCount > 0;
    if (!bad) for (let i = 0; i < time.length; i++) if (time[i] !== time[i]) { bad = true; break; }
    if (!bad) return null;
    const keep = new Uint8Array(time.length);
    for (let i = 0; i < time.length; i++) {
      const missing = time[i] !== time[i] ? this.cols.time : !user.getValid(i) ? this.cols.user : !item.getValid(i) ? this.cols.item : null;
      if (missing === null) keep[i] = 1;
      else this.drop(first + i + 1, `no value in column '${missing}'`);
    }
    return keep;
  }

  private timeOf(d: Data): Float64Array {
    const tid = d.type.typeId;
    const n = d.length;
    const valid = (i: number) => d.nullCount === 0 || d.getValid(i);
    if (tid === Type.Timestamp || tid === Type.Date) {
      const v = new Vector([d]);
      const out = new Float64Array(n);
      // apache-arrow returns Timestamp and Date values as epoch ms numbers, whatever the unit.
      for (let i = 0; i < n; i++) out[i] = valid(i) ? Math.floor(Number(v.get(i))) : NaN;
      return out;
    }
    if (tid !== Type.Int && tid !== Type.Float) {
      throw new WeirError('E_COLUMN', `events: time column '${this.cols.time}' is ${String(d.type)}; expected epoch numbers or timestamps (ISO 8601 text in CSV/NDJSON)`);
    }
    const raw = d.values as ArrayLike<number | bigint>;
    if (this.timeScale === null) {
      for (let i = 0; i < n; i++) if (valid(i)) { this.timeScale = guessTimeScale(Number(raw[i])); break; }
    }
    const scale = TO_MS[this.timeScale ?? 'ms'];
    if (d.values instanceof Float64Array && scale === 1 && d.nullCount === 0) return d.values.subarray(0, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = valid(i) ? Math.floor(Number(raw[i]) * scale) : NaN;
    return out;
  }

  private typeOf(d: Data): Uint8Array {
    const n = d.length;
    const out = new Uint8Array(n);
    const tid = d.type.typeId;
    if (tid === Type.Dictionary && d.dictionary) {
      let lut = this.typeLut.get(d.dictionary.data[0]);
      if (!lut) {
        lut = Uint8Array.from(d.dictionary.toArray() as unknown as ArrayLike<unknown>, typeCode);
        this.typeLut.set(d.dictionary.data[0], lut);
      }
      const idx = d.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = d.nullCount > 0 && !d.getValid(i) ? OTHER : lut[idx[i]];
      return out;
    }
    if (tid === Type.Int || tid === Type.Float) {
      const v = d.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = d.nullCount > 0 && !d.getValid(i) ? OTHER : typeCode(Number(v[i]));
      return out;
    }
    const v = new Vector([d]);
    for (let i = 0; i < n; i++) out[i] = typeCode(v.get(i));
    return out;
  }
}

/** A numeric column as Float64 (a view when it already is one without nulls); nulls become NaN. */
function numbersOf(d: Data): Float64Array {
  const n = d.length;
  const tid = d.type.typeId;
  if (tid !== Type.Int && tid !== Type.Float && tid !== Type.Decimal) return new Float64Array(n).fill(NaN);
  if (d.values instanceof Float64Array && d.nullCount === 0) return d.values.subarray(0, n);
  const v = new Vector([d]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v.get(i) as number | bigint | null;
    out[i] = x === null ? NaN : Number(x);
  }
  return out;
}

/** The values of `d` at `rows` as a plain column (strings stay strings). */
function pickRows(d: Data, rows: readonly number[]): ColumnInput {
  const v = new Vector([d]);
  const values = rows.map((i) => v.get(i) as unknown);
  if (values.some((x) => typeof x === 'string')) return values.map((x) => (x === null || x === undefined ? null : String(x))) as string[];
  return Float64Array.from(values, (x) => Number(x));
}
