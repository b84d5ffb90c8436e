/**
 * Whole-stream figures: the headline totals, the view -> cart -> purchase funnel and, when the
 * events have a category, events and revenue per category. Window operators over one window
 * holding the whole stream (it fires at the end): keyed by nothing, by event type, by category.
 */
import { windowOperator, type WindowOperator, type WindowOutput } from '../stream/index.js';
import { CART, PURCHASE, VIEW, type EventBatch } from './batch.js';
import type { FunnelStage } from './types.js';
import { keys, numbers, WHOLE_STREAM, type TimeSettings } from './windows.js';

export interface FunnelResult {
  events: number;
  users: number;
  items: number;
  start: number;
  end: number;
  revenue: number;
  funnel: FunnelStage[];
  categories: Array<{ category: number | string; events: number; revenue: number }> | null;
}

export class FunnelFigures {
  private totals: WindowOutput[] = [];
  private byType: WindowOutput[] = [];
  private byCategory: WindowOutput[] = [];

  private constructor(private readonly total: WindowOperator, private readonly type: WindowOperator, private readonly category: WindowOperator | null) {}

  static async create(time: TimeSettings, withCategory: boolean): Promise<FunnelFigures> {
    const common = { window: WHOLE_STREAM, time: 'time', outOfOrderness: time.outOfOrderness, lateness: time.lateness, emit: 'final' as const };
    const total = await windowOperator({ ...common, key: 'all', aggregates: ['count', 'distinct:user', 'distinct:item', 'min:time', 'max:time'] });
    const type = await windowOperator({ ...common, key: 'type', aggregates: ['count', 'distinct:user', 'sum:price'] });
    const category = withCategory ? await windowOperator({ ...common, key: 'category', aggregates: ['count', 'sum:price'] }) : null;
    return new FunnelFigures(total, type, category);
  }

  push(b: EventBatch): void {
    // Whole-stream windows fire only at flush, so pushes return nothing to keep.
    this.total.push({ time: b.time, all: b.all, user: b.user, item: b.item });
    this.type.push({ time: b.time, type: b.type, user: b.user, price: b.revenue });
    if (this.category && b.category) this.category.push({ time: b.time, category: b.category, price: b.revenue });
  }

  finish(): FunnelResult {
    this.totals.push(this.total.flush());
    this.byType.push(this.type.flush());
    if (this.category) this.byCategory.push(this.category.flush());
    const total = this.totals[this.totals.length - 1].windows;
    const one = (name: string) => (total.numRows ? numbers(total, name)[0] : 0);
    const stage = new Map<number, { events: number; users: number; sum: number }>();
    for (const out of this.byType) {
      const w = out.windows;
      const k = keys(w);
      const c = numbers(w, 'count');
      const u = numbers(w, 'distinct_user');
      const s = numbers(w, 'sum_price');
      for (let i = 0; i < w.numRows; i++) stage.set(k[i] as number, { events: c[i], users: u[i], sum: s[i] });
    }
    const get = (t: number) => stage.get(t) ?? { events: 0, users: 0, sum: 0 };
    const names = ['view', 'cart', 'purchase'] as const;
    const funnel = [VIEW, CART, PURCHASE].map((t, j): FunnelStage => {
      const prev = j === 0 ? get(t).events : get(t - 1).events;
      return { stage: names[j], events: get(t).events, users: get(t).users, rate: prev > 0 ? get(t).events / prev : 0 };
    });
    let categories: FunnelResult['categories'] = null;
    if (this.category) {
      categories = [];
      for (const out of this.byCategory) {
        const w = out.windows;
        const k = keys(w);
        const c = numbers(w, 'count');
        const s = numbers(w, 'sum_price');
        for (let i = 0; i < w.numRows; i++) categories.push({ category: k[i], events: c[i], revenue: s[i] });
      }
      categories.sort((a, b) => b.revenue - a.revenue || b.events - a.events);
    }
    return {
      events: one('count'),
      users: one('distinct_user'),
      items: one('distinct_item'),
      start: one('min_time'),
      end: one('max_time'),
      revenue: get(PURCHASE).sum,
      funnel,
      categories,
    };
  }

  dispose(): void {
    this.total.dispose();
    this.type.dispose();
    this.category?.dispose();
  }
}
