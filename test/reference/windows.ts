// Plain-TypeScript reference of Flink's event-time window operator, written for obviousness, not
// speed: every window keeps its raw events and aggregates are computed from them when it fires.
// Semantics (Flink WindowOperator + EventTimeTrigger + BoundedOutOfOrdernessWatermarks, punctuated):
// - an event is judged against the watermark as it stood before it;
// - a window is late when end - 1 + lateness <= watermark; an event whose windows are all late
//   goes to the late output;
// - an event added to a window whose end - 1 <= watermark fires that window at once (revision + 1);
// - after each event the watermark becomes max(time) - bound - 1 and due windows fire;
// - sessions: [t, t + gap) merges with every intersecting (touching included) session of its key;
//   a fired session whose bounds change is retracted.

export interface RefEvent {
  t: number;
  key: number | string;
  v: number;
  item: number | string;
}

export interface RefConfig {
  kind: 'tumbling' | 'sliding' | 'session';
  size: number;
  slide: number;
  offset: number;
  gap: number;
  bound: number;
  lateness: number;
}

export interface RefRow {
  start: number;
  end: number;
  key: number | string;
  revision: number;
  retract: boolean;
  events: RefEvent[];
}

export interface RefResult {
  rows: RefRow[];
  late: RefEvent[];
}

interface Win {
  start: number;
  end: number;
  key: number | string;
  events: RefEvent[];
  rev: number;
  /** emitted as it stands */
  current: boolean;
}

export function windowStart(t: number, offset: number, size: number): number {
  const r = (t - offset) % size;
  return r < 0 ? t - (r + size) : t - r;
}

export function runReference(cfg: RefConfig, events: RefEvent[], flush = true): RefResult {
  const rows: RefRow[] = [];
  const late: RefEvent[] = [];
  let wm = -Infinity;
  let maxTs = -Infinity;
  const windows: Win[] = [];
  const isLate = (w: { end: number }) => w.end - 1 + cfg.lateness <= wm;
  const emit = (w: Win, retract = false) => {
    if (!retract) {
      w.rev++;
      w.current = true;
    }
    rows.push({ start: w.start, end: w.end, key: w.key, revision: w.rev, retract, events: w.events.slice() });
  };

  const assign = (t: number): Array<[number, number]> => {
    if (cfg.kind === 'tumbling') {
      const s = windowStart(t, cfg.offset, cfg.size);
      return [[s, s + cfg.size]];
    }
    const out: Array<[number, number]> = [];
    for (let s = windowStart(t, cfg.offset, cfg.slide); s > t - cfg.size; s -= cfg.slide) out.push([s, s + cfg.size]);
    return out;
  };

  const timers = () => {
    // Fire due windows in end order, then drop windows past cleanup.
    const due = windows.filter((w) => !w.current && w.rev < 0 && w.end - 1 <= wm).sort((a, b) => a.end - b.end);
    for (const w of due) emit(w);
    // sessions whose bounds changed after firing and are now due again
    for (const w of windows.filter((w) => !w.current && w.rev >= 0 && w.end - 1 <= wm).sort((a, b) => a.end - b.end)) emit(w);
    for (let i = windows.length - 1; i >= 0; i--) if (isLate(windows[i])) windows.splice(i, 1);
  };

  for (const e of events) {
    if (cfg.kind === 'session') {
      const mine = windows.filter((w) => w.key === e.key);
      const wEnd = e.t + cfg.gap;
      const hit = mine.filter((w) => w.start <= wEnd && w.end >= e.t).sort((a, b) => a.start - b.start);
      if (hit.length === 0) {
        const w: Win = { start: e.t, end: wEnd, key: e.key, events: [e], rev: -1, current: false };
        if (isLate(w)) late.push(e);
        else {
          windows.push(w);
          if (w.end - 1 <= wm) emit(w);
        }
      } else {
        // merge all sessions the event (and the merged span) reaches
        let start = Math.min(e.t, ...hit.map((w) => w.start));
        let end = Math.max(wEnd, ...hit.map((w) => w.end));
        let group = hit;
        for (;;) {
          const more = mine.filter((w) => !group.includes(w) && w.start <= end && w.end >= start);
          if (more.length === 0) break;
          group = group.concat(more);
          start = Math.min(start, ...more.map((w) => w.start));
          end = Math.max(end, ...more.map((w) => w.end));
        }
        group.sort((a, b) => a.start - b.start);
        const keep = group[0];
        const changed = start !== keep.start || end !== keep.end || group.length > 1;
        if (changed) for (const w of group) if (w.current) emit(w, true);
        for (const w of group.slice(1)) {
          keep.events.push(...w.events);
          keep.rev = Math.max(keep.rev, w.rev);
          windows.splice(windows.indexOf(w), 1);
        }
        keep.events.push(e);
        if (changed) {
          keep.start = start;
          keep.end = end;
          keep.current = false;
        }
        if (keep.end - 1 <= wm) emit(keep);
      }
    } else {
      let skipped = true;
      for (const [start, end] of assign(e.t)) {
        if (end - 1 + cfg.lateness <= wm) continue;
        skipped = false;
        let w = windows.find((x) => x.start === start && x.key === e.key);
        if (!w) {
          w = { start, end, key: e.key, events: [], rev: -1, current: false };
          windows.push(w);
        }
        w.events.push(e);
        w.current = false;
        if (end - 1 <= wm) emit(w);
      }
      if (skipped) late.push(e);
    }
    maxTs = Math.max(maxTs, e.t);
    wm = Math.max(wm, maxTs - cfg.bound - 1);
    timers();
  }
  if (flush) {
    wm = Infinity;
    timers();
  }
  return { rows, late };
}

// ---- aggregates over a window's raw events

export function refCount(ev: RefEvent[]): number {
  return ev.length;
}
export function refSum(ev: RefEvent[]): number {
  return ev.reduce((s, e) => s + (Number.isNaN(e.v) ? 0 : e.v), 0);
}
const vals = (ev: RefEvent[]) => ev.map((e) => e.v).filter((v) => !Number.isNaN(v));
export function refMin(ev: RefEvent[]): number {
  const v = vals(ev);
  return v.length ? Math.min(...v) : NaN;
}
export function refMax(ev: RefEvent[]): number {
  const v = vals(ev);
  return v.length ? Math.max(...v) : NaN;
}
export function refMean(ev: RefEvent[]): number {
  const v = vals(ev);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
export function refVariance(ev: RefEvent[], sample: boolean): number {
  const v = vals(ev);
  const n = v.length;
  if (n === 0 || (sample && n < 2)) return NaN;
  const m = v.reduce((a, b) => a + b, 0) / n;
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / (sample ? n - 1 : n);
}
/** First by event time; among equal times, the earliest arrival. */
export function refFirst(ev: RefEvent[]): number {
  let best: RefEvent | null = null;
  for (const e of ev) if (!Number.isNaN(e.v) && (best === null || e.t < best.t)) best = e;
  return best ? best.v : NaN;
}
/** Last by event time; among equal times, the latest arrival. */
export function refLast(ev: RefEvent[]): number {
  let best: RefEvent | null = null;
  for (const e of ev) if (!Number.isNaN(e.v) && (best === null || e.t >= best.t)) best = e;
  return best ? best.v : NaN;
}
export function refDistinct(ev: RefEvent[]): number {
  return new Set(ev.map((e) => e.item)).size;
}
/** Exact counts per item, descending, ties by item ascending. */
export function refTopk(ev: RefEvent[], k: number): Array<{ item: number | string; count: number }> {
  const counts = new Map<number | string, number>();
  for (const e of ev) counts.set(e.item, (counts.get(e.item) ?? 0) + 1);
  return [...counts].map(([item, count]) => ({ item, count })).sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)).slice(0, k);
}
/** Σ v · 2^(−(end − t)/halfLife). */
export function refDecayed(ev: RefEvent[], end: number, halfLife: number): number {
  return ev.reduce((s, e) => s + (Number.isNaN(e.v) ? 0 : e.v * 2 ** (-(end - e.t) / halfLife)), 0);
}
/** The exact value at rank floor(q·(n−1)) of the sorted values (DDSketch's rank rule, lower). */
export function refQuantile(ev: RefEvent[], q: number): number {
  const v = vals(ev).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.floor(q * (v.length - 1))];
}
