/**
 * Traffic: events per minute by type (with revenue), and per hour the events, distinct users
 * (HyperLogLog) and most frequent items (space-saving top-k). Two window operators:
 * tumbling 1 minute keyed by event type, tumbling 1 hour over the whole stream.
 */
import { tumbling, windowOperator, type WindowOperator, type WindowOutput } from '../stream/index.js';
import { CART, OTHER, PURCHASE, VIEW, type EventBatch } from './batch.js';
import type { Traffic } from './types.js';
import { keys, numbers, topLists, type TimeSettings } from './windows.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Top-k capacity is max(64, 4k) counters: ask for more than shown so the shown ones are accurate. */
const TOPK_ASKED = 50;

export interface TrafficResult {
  traffic: Traffic;
  topPerHour: Array<{ start: number; items: Array<{ item: number | string; count: number }> }>;
  /** Events beyond out-of-orderness + lateness for the minute windows. */
  late: number;
}

export class TrafficFigures {
  // minute start -> [view, cart, purchase, other, revenue]
  private readonly minutes = new Map<number, Float64Array>();
  private readonly hours = new Map<number, { events: number; users: number; top: Array<{ item: number | string; count: number }> }>();

  private constructor(private readonly perMinute: WindowOperator, private readonly perHour: WindowOperator, private readonly top: number) {}

  static async create(time: TimeSettings, top: number): Promise<TrafficFigures> {
    const common = { time: 'time', outOfOrderness: time.outOfOrderness, lateness: time.lateness, emit: 'final' as const };
    const perMinute = await windowOperator({ ...common, window: tumbling('1m'), key: 'type', aggregates: ['count', 'sum:price'] });
    const perHour = await windowOperator({ ...common, window: tumbling('1h'), key: 'all', aggregates: ['count', 'distinct:user', `topk:${TOPK_ASKED}:item`] });
    return new TrafficFigures(perMinute, perHour, top);
  }

  push(b: EventBatch): void {
    this.takeMinutes(this.perMinute.push({ time: b.time, type: b.type, price: b.revenue }));
    this.takeHours(this.perHour.push({ time: b.time, all: b.all, user: b.user, item: b.item }));
  }

  finish(): TrafficResult {
    this.takeMinutes(this.perMinute.flush());
    this.takeHours(this.perHour.flush());
    const late = this.perMinute.stats.late;
    const [first, last] = span(this.minutes.keys());
    const len = this.minutes.size ? Math.round((last - first) / MINUTE) + 1 : 0;
    const series = (j: number) => Array.from({ length: len }, (_, i) => this.minutes.get(first + i * MINUTE)?.[j] ?? 0);
    const view = series(VIEW);
    const cart = series(CART);
    const purchase = series(PURCHASE);
    const other = series(OTHER);
    const revenue = series(4);
    const total = view.map((v, i) => v + cart[i] + purchase[i] + other[i]);
    const [firstHour, lastHour] = span(this.hours.keys());
    const hourLen = this.hours.size ? Math.round((lastHour - firstHour) / HOUR) + 1 : 0;
    const hourly = Array.from({ length: hourLen }, (_, i) => this.hours.get(firstHour + i * HOUR));
    return {
      traffic: {
        perMinute: { start: first, total, view, cart, purchase, other, revenue },
        perHour: { start: firstHour, events: hourly.map((x) => x?.events ?? 0), users: hourly.map((x) => x?.users ?? 0) },
      },
      topPerHour: hourly.map((x, i) => ({ start: firstHour + i * HOUR, items: (x?.top ?? []).slice(0, this.top) })),
      late,
    };
  }

  dispose(): void {
    this.perMinute.dispose();
    this.perHour.dispose();
  }

  private takeMinutes(out: WindowOutput): void {
    const w = out.windows;
    if (w.numRows === 0) return;
    const start = numbers(w, 'window_start');
    const key = keys(w);
    const count = numbers(w, 'count');
    const sum = numbers(w, 'sum_price');
    for (let i = 0; i < w.numRows; i++) {
      let row = this.minutes.get(start[i]);
      if (!row) this.minutes.set(start[i], (row = new Float64Array(5)));
      const k = key[i] as number;
      row[k] = count[i];
      if (k === PURCHASE) row[4] = sum[i];
    }
  }

  private takeHours(out: WindowOutput): void {
    const w = out.windows;
    if (w.numRows === 0) return;
    const start = numbers(w, 'window_start');
    const count = numbers(w, 'count');
    const users = numbers(w, 'distinct_user');
    const top = topLists(w, `topk_${TOPK_ASKED}_item`);
    for (let i = 0; i < w.numRows; i++) this.hours.set(start[i], { events: count[i], users: users[i], top: top[i] });
  }
}

/** Smallest and largest of some numbers ([0, 0] for none). */
function span(xs: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}
