/**
 * Shared pieces of the report's window operators: the whole-stream window and reading the
 * columns of fired windows.
 */
import type { Table } from 'apache-arrow';
import { tumbling } from '../stream/index.js';

/**
 * One window holding the whole stream: tumbling windows of 2^52 ms (the longest weir allows)
 * put every epoch-ms time of the next 140 000 years in [0, 2^52), which fires only at flush().
 */
export const WHOLE_STREAM = tumbling(2 ** 52);

/** Settings every event-time operator of the report shares. */
export interface TimeSettings {
  /** Bounded out-of-orderness of the watermark, ms. */
  outOfOrderness: number;
  /** Allowed lateness, ms. */
  lateness: number;
}

/** A numeric column of fired windows (window_start, key, an aggregate) as numbers. */
export function numbers(t: Table, name: string): ArrayLike<number> {
  const v = t.getChild(name);
  if (!v) throw new Error(`report: window output has no column '${name}'`);
  return v.toArray() as ArrayLike<number>;
}

/** Keys of fired windows: numbers or strings as the input held them. */
export function keys(t: Table): Array<number | string> {
  const v = t.getChild('key')!;
  const a = v.toArray() as ArrayLike<number | string | bigint>;
  return Array.from(a, (k) => (typeof k === 'bigint' ? Number(k) : k));
}

/** A top-k column: one JSON list of `{ item, count }` per row. */
export function topLists(t: Table, name: string): Array<Array<{ item: number | string; count: number }>> {
  const v = t.getChild(name)!;
  const out: Array<Array<{ item: number | string; count: number }>> = [];
  for (let i = 0; i < t.numRows; i++) out.push(JSON.parse(String(v.get(i))) as Array<{ item: number | string; count: number }>);
  return out;
}
