// Plain-TypeScript recomputation of `weir report`'s figures from the raw rows, written for
// obviousness: arrays, Maps and sorts, no window operators, no wasm. Sketch-based figures are
// computed exactly (distinct counts, item counts) or as the sketch's exact answer (DDSketch via
// binnedQuantile), and the tests say how close each must be. The graph figures use the graph
// family's oracles (refGraph, refPagerank, refBfs, refLouvain, refModularity).
import { binnedQuantile } from './sketches.js';
import { refBfs, refGraph, refPagerank, refDegree, type RefGraph } from './graph.js';
import { refLouvain, refModularity } from './graph-community.js';

/** One event in arrival order: type 0 view, 1 cart, 2 purchase, 3 other. */
export interface RefEventRow {
  t: number;
  user: number | string;
  item: number | string;
  type: number;
  price: number;
  category: number | string | null;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TYPE_WEIGHT = [1, 3, 5, 0];

const floorTo = (t: number, size: number) => t - (((t % size) + size) % size);
const min = (xs: number[]) => xs.reduce((a, b) => (b < a ? b : a), Infinity);
const max = (xs: number[]) => xs.reduce((a, b) => (b > a ? b : a), -Infinity);

/**
 * Whether each event is late for tumbling windows of `size` (Flink: the watermark before it is
 * max time so far − bound − 1; its window is late when end − 1 + lateness ≤ watermark).
 */
export function refLate(events: RefEventRow[], size: number, bound: number, lateness: number): boolean[] {
  let max = -Infinity;
  return events.map((e) => {
    const wm = max - bound - 1;
    const end = floorTo(e.t, size) + size;
    max = Math.max(max, e.t);
    return end - 1 + lateness <= wm;
  });
}

export interface RefTraffic {
  minuteStart: number;
  total: number[];
  view: number[];
  cart: number[];
  purchase: number[];
  revenue: number[];
  late: number;
  hourStart: number;
  hourEvents: number[];
  hourUsers: number[];
  /** Exact item counts per hour. */
  hourItems: Array<Map<number | string, number>>;
}

export function refTraffic(events: RefEventRow[], bound: number, lateness: number): RefTraffic {
  const lateMin = refLate(events, MINUTE, bound, lateness);
  const lateHour = refLate(events, HOUR, bound, lateness);
  const kept = events.filter((_, i) => !lateMin[i]);
  const minutes = kept.map((e) => floorTo(e.t, MINUTE));
  const minuteStart = min(minutes);
  const len = (max(minutes) - minuteStart) / MINUTE + 1;
  const zeros = () => new Array<number>(len).fill(0);
  const total = zeros();
  const byType = [zeros(), zeros(), zeros(), zeros()];
  const revenue = zeros();
  kept.forEach((e, i) => {
    const m = (minutes[i] - minuteStart) / MINUTE;
    total[m]++;
    byType[e.type][m]++;
    if (e.type === 2 && !Number.isNaN(e.price)) revenue[m] += e.price;
  });
  const inHours = events.filter((_, i) => !lateHour[i]);
  const hours = inHours.map((e) => floorTo(e.t, HOUR));
  const hourStart = min(hours);
  const hlen = (max(hours) - hourStart) / HOUR + 1;
  const hourEvents = new Array<number>(hlen).fill(0);
  const hourUserSets = Array.from({ length: hlen }, () => new Set<number | string>());
  const hourItems = Array.from({ length: hlen }, () => new Map<number | string, number>());
  inHours.forEach((e, i) => {
    const h = (hours[i] - hourStart) / HOUR;
    hourEvents[h]++;
    hourUserSets[h].add(e.user);
    hourItems[h].set(e.item, (hourItems[h].get(e.item) ?? 0) + 1);
  });
  return {
    minuteStart, total, view: byType[0], cart: byType[1], purchase: byType[2], revenue,
    late: lateMin.filter(Boolean).length,
    hourStart, hourEvents, hourUsers: hourUserSets.map((s) => s.size), hourItems,
  };
}

export interface RefFunnel {
  events: number;
  users: number;
  items: number;
  start: number;
  end: number;
  revenue: number;
  stages: Array<{ events: number; users: number }>;
  categories: Map<number | string, { events: number; revenue: number }>;
}

export function refFunnel(events: RefEventRow[]): RefFunnel {
  const stageUsers = [new Set<number | string>(), new Set<number | string>(), new Set<number | string>()];
  const stageEvents = [0, 0, 0];
  const categories = new Map<number | string, { events: number; revenue: number }>();
  let revenue = 0;
  for (const e of events) {
    if (e.type < 3) {
      stageEvents[e.type]++;
      stageUsers[e.type].add(e.user);
    }
    const r = e.type === 2 && !Number.isNaN(e.price) ? e.price : 0;
    revenue += r;
    if (e.category !== null) {
      const c = categories.get(e.category) ?? { events: 0, revenue: 0 };
      c.events++;
      c.revenue += r;
      categories.set(e.category, c);
    }
  }
  return {
    events: events.length,
    users: new Set(events.map((e) => e.user)).size,
    items: new Set(events.map((e) => e.item)).size,
    start: min(events.map((e) => e.t)),
    end: max(events.map((e) => e.t)),
    revenue,
    stages: stageEvents.map((n, i) => ({ events: n, users: stageUsers[i].size })),
    categories,
  };
}

/** Each item's Σ weight · 2^(−(day end − t)/halfLife) in the last day with events; the top `k`. */
export function refTrending(events: RefEventRow[], halfLife: number, k: number): { start: number; end: number; items: Array<{ item: number | string; weight: number; events: number }> } {
  const start = max(events.map((e) => floorTo(e.t, DAY)));
  const end = start + DAY;
  const items = new Map<number | string, { weight: number; events: number }>();
  for (const e of events) {
    if (floorTo(e.t, DAY) !== start) continue;
    const x = items.get(e.item) ?? { weight: 0, events: 0 };
    x.weight += TYPE_WEIGHT[e.type] * 2 ** (-(end - e.t) / halfLife);
    x.events++;
    items.set(e.item, x);
  }
  const ranked = [...items].map(([item, x]) => ({ item, ...x })).sort((a, b) => b.weight - a.weight || (a.item < b.item ? -1 : 1));
  return { start, end, items: ranked.slice(0, k) };
}

export interface RefSessions {
  count: number;
  converting: number;
  lengths: number[];
  durations: number[];
  /** Sessions per LENGTH_BUCKETS bucket. */
  histogram: number[];
}

/** Sessions per user: sorted by time, a new one when the next event is more than `gap` after the last. */
export function refSessions(events: RefEventRow[], gap: number, buckets: readonly number[]): RefSessions {
  const byUser = new Map<number | string, RefEventRow[]>();
  for (const e of events) {
    const list = byUser.get(e.user);
    if (list) list.push(e);
    else byUser.set(e.user, [e]);
  }
  const lengths: number[] = [];
  const durations: number[] = [];
  let converting = 0;
  for (const list of byUser.values()) {
    list.sort((a, b) => a.t - b.t);
    let first = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i === list.length || list[i].t - list[i - 1].t > gap) {
        lengths.push(i - first);
        durations.push(list[i - 1].t - list[first].t);
        if (list.slice(first, i).some((e) => e.type === 2)) converting++;
        first = i;
      }
    }
  }
  const histogram = buckets.map(() => 0);
  for (const n of lengths) histogram[buckets.findIndex((b) => n <= b)]++;
  return { count: lengths.length, converting, lengths, durations, histogram };
}

/** DDSketch's answer (relative accuracy 1 %, 2048 bins) for quantile q of `values`. */
export function refSketchQuantile(values: number[], q: number): number {
  return binnedQuantile(values, q, 0.01, 2048);
}

/** Median of the `w` values centred on each index, the window shrinking at the ends. */
export function refRollingMedian(x: number[], w: number): number[] {
  const half = Math.floor(w / 2);
  return x.map((_, i) => {
    const win = x.slice(Math.max(0, i - half), Math.min(x.length, i + half + 1)).sort((a, b) => a - b);
    const mid = win.length >> 1;
    return win.length % 2 ? win[mid] : (win[mid - 1] + win[mid]) / 2;
  });
}

/**
 * The anomaly rule written out: Anscombe residuals against a rolling median, edge minutes left
 * out, a z-score (sample std) fitted on the middle 90 %, then on the unflagged minutes until the
 * flags repeat; flagged where the signed z exceeds the threshold. Returns flagged minute indices.
 */
export function refAnomalousMinutes(x: number[], side: 'upper' | 'lower', threshold: number, baselineMinutes: number, rounds = 5): number[] {
  const base = refRollingMedian(x, baselineMinutes);
  const r = x.map((v, i) => 2 * (Math.sqrt(v + 0.375) - Math.sqrt(base[i] + 0.375))).slice(1, -1);
  const fit = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    return { mean, std };
  };
  const sorted = [...r].sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.05 * (sorted.length - 1))];
  const hi = sorted[Math.ceil(0.95 * (sorted.length - 1))];
  let normal = r.filter((v) => v >= lo && v <= hi);
  let flagged: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const { mean, std } = fit(normal);
    const next = r.map((v, i) => [i, ((v - mean) / std) * (side === 'upper' ? 1 : -1)] as const).filter(([, z]) => z > threshold).map(([i]) => i);
    const same = round > 0 && next.length === flagged.length && next.every((v, i) => v === flagged[i]);
    flagged = next;
    if (same) break;
    normal = r.filter((_, i) => !flagged.includes(i));
  }
  return flagged.map((i) => i + 1);
}

export interface RefLink {
  user: number | string;
  kind: string;
  attribute: number | string;
}

/**
 * Fraud rings by union-find over users and attributes: attributes used by more than
 * `maxShared` distinct users are ignored; rings are components with at least `minSize` users,
 * each with its attributes used by two or more of them. Users and attributes sorted.
 */
export function refRings(links: RefLink[], minSize: number, maxShared: number): Array<{ users: Array<number | string>; attributes: string[] }> {
  const attrUsers = new Map<string, Set<number | string>>();
  for (const l of links) {
    const key = `${l.kind}:${l.attribute}`;
    const s = attrUsers.get(key) ?? new Set();
    s.add(l.user);
    attrUsers.set(key, s);
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const node = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
    return x;
  };
  for (const l of links) {
    const a = `a|${l.kind}:${l.attribute}`;
    if (attrUsers.get(`${l.kind}:${l.attribute}`)!.size > maxShared) continue;
    const ra = find(node(a));
    const ru = find(node(`u|${String(l.user)}|${typeof l.user}`));
    if (ra !== ru) parent.set(ra, ru);
  }
  const groups = new Map<string, { users: Array<number | string>; attributes: string[] }>();
  for (const l of links) {
    const key = `${l.kind}:${l.attribute}`;
    if (attrUsers.get(key)!.size > maxShared) continue;
    const root = find(`u|${String(l.user)}|${typeof l.user}`);
    const g = groups.get(root) ?? { users: [], attributes: [] };
    if (!g.users.includes(l.user)) g.users.push(l.user);
    if (attrUsers.get(key)!.size >= 2 && !g.attributes.includes(key)) g.attributes.push(key);
    groups.set(root, g);
  }
  const order = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()]
    .filter((g) => g.users.length >= minSize)
    .map((g) => ({ users: g.users.sort(order), attributes: g.attributes.sort() }))
    .sort((a, b) => b.users.length - a.users.length || order(a.users[0], b.users[0]));
}

export interface RefInfluence {
  graph: RefGraph;
  scores: number[];
  top: Array<{ user: number; pagerank: number; followers: number; reach2: number }>;
}

/** PageRank of the follow graph, its top k with followers and two-hop reach (along in-edges). */
export function refInfluencers(src: number[], dst: number[], k: number): RefInfluence {
  const graph = refGraph({ src, dst, directed: true });
  const scores = refPagerank(graph);
  const indeg = refDegree(graph, 'in');
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k);
  const top = order.map(([s, i]) => {
    const dist = refBfs(graph, [i], 2, 'in');
    return { user: graph.ids[i], pagerank: s, followers: indeg[i], reach2: dist.filter((d) => d >= 0).length - 1 };
  });
  return { graph, scores, top };
}

/** Louvain (index order) on the follow graph: community count and modularity. */
export function refCommunities(graph: RefGraph): { count: number; modularity: number; sizes: number[] } {
  const labels = refLouvain(graph);
  const sizes = new Map<number, number>();
  for (const c of labels) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return { count: sizes.size, modularity: refModularity(graph, labels), sizes: [...sizes.values()].sort((a, b) => b - a) };
}
