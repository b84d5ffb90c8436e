/**
 * Trending items: per day, each item's exponentially decayed weight at the day's end
 * (Σ weight · 2^(−(end − t)/halfLife); a view weighs 1, a cart 3, a purchase 5), so an item
 * bought a lot in the last hours outranks one viewed a lot in the morning. One window operator,
 * tumbling 1 day keyed by item; only each day's leaders are kept as days close.
 */
import { tumbling, windowOperator, type WindowOperator, type WindowOutput } from '../stream/index.js';
import type { EventBatch } from './batch.js';
import type { Trending } from './types.js';
import { keys, numbers, type TimeSettings } from './windows.js';

type Row = { item: number | string; weight: number; events: number };

export class TrendingFigures {
  /** day start -> its leaders so far (at most `top`). */
  private readonly days = new Map<number, { end: number; rows: Row[] }>();
  private readonly column: string;

  private constructor(private readonly op: WindowOperator, private readonly halfLifeMs: number, private readonly top: number) {
    this.column = op.aggregates[0].name;
  }

  static async create(time: TimeSettings, halfLifeMs: number, top: number): Promise<TrendingFigures> {
    const op = await windowOperator({
      window: tumbling('1d'), time: 'time', key: 'item', aggregates: [`decayed:weight:${halfLifeMs}ms`, 'count'],
      outOfOrderness: time.outOfOrderness, lateness: time.lateness, emit: 'final',
    });
    return new TrendingFigures(op, halfLifeMs, top);
  }

  push(b: EventBatch): void {
    this.take(this.op.push({ time: b.time, item: b.item, weight: b.weight }));
  }

  finish(): Trending {
    this.take(this.op.flush());
    let last: number | null = null;
    for (const start of this.days.keys()) if (last === null || start > last) last = start;
    const day = last === null ? null : this.days.get(last)!;
    return {
      halfLifeMs: this.halfLifeMs,
      window: { start: last ?? 0, end: day?.end ?? 0 },
      items: day ? day.rows : [],
      topPerHour: [],
    };
  }

  dispose(): void {
    this.op.dispose();
  }

  private take(out: WindowOutput): void {
    const w = out.windows;
    if (w.numRows === 0) return;
    const start = numbers(w, 'window_start');
    const end = numbers(w, 'window_end');
    const item = keys(w);
    const weight = numbers(w, this.column);
    const count = numbers(w, 'count');
    for (let i = 0; i < w.numRows; i++) {
      let day = this.days.get(start[i]);
      if (!day) this.days.set(start[i], (day = { end: end[i], rows: [] }));
      const rows = day.rows;
      if (rows.length === this.top && !ranksAbove(weight[i], item[i], rows[rows.length - 1])) continue;
      const row = { item: item[i], weight: weight[i], events: count[i] };
      let j = rows.length;
      while (j > 0 && ranksAbove(row.weight, row.item, rows[j - 1])) j--;
      rows.splice(j, 0, row);
      if (rows.length > this.top) rows.pop();
    }
  }
}

/** Higher weight first; equal weights by item (numbers numerically, strings by code unit). */
function ranksAbove(weight: number, item: number | string, than: Row): boolean {
  return weight > than.weight || (weight === than.weight && item < than.item);
}
