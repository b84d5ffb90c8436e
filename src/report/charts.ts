/**
 * The report's charts as Vega-Lite specs, rendered to SVG in Node (vega's headless View, no
 * canvas, no browser), so report.html needs no script and opens offline. Each spec is a plain
 * function of the report's figures; renderCharts compiles and renders them all.
 */
import type { Report } from './types.js';

/** A Vega-Lite spec (kept loose: vega-lite's own types are not needed to build one). */
export type Spec = Record<string, unknown>;

const WIDE = 860;
const HALF = 380;
const BLUE = '#3b6fb6';
const RED = '#d1495b';
const AMBER = '#e09f3e';
const GREEN = '#2a9d8f';
const UTC_AXIS = { format: '%b %d %H:%M', labelAngle: 0, labelOverlap: true, title: null };
const CONFIG = { font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', view: { stroke: null }, axis: { labelColor: '#444', titleColor: '#444', gridColor: '#eee' } };

function base(width: number, height: number): Spec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width, height, config: CONFIG, background: 'white' };
}

/** Periods to shade behind a time series, with a bar at each start so short ones show on long spans. */
function shading(periods: Array<{ start: number; end: number }>, color: string): Spec[] {
  const data = { values: periods.map((p) => ({ start: p.start, end: p.end })) };
  return [
    { data, mark: { type: 'rect', color, opacity: 0.18 }, encoding: { x: { field: 'start', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 'end' } } },
    { data, mark: { type: 'rule', color, opacity: 0.35, strokeWidth: 5 }, encoding: { x: { field: 'start', type: 'temporal', scale: { type: 'utc' } } } },
  ];
}

function minuteSeries(r: Report, values: readonly number[]): Array<{ t: number; v: number }> {
  const start = r.traffic.perMinute.start;
  return values.map((v, i) => ({ t: start + i * 60_000, v }));
}

function seriesChart(r: Report, values: readonly number[], title: string, color: string, periods: Array<{ start: number; end: number }>, shade: string): Spec {
  return {
    ...base(WIDE, 180),
    title,
    layer: [
      ...(periods.length ? shading(periods, shade) : []),
      {
        data: { values: minuteSeries(r, values) },
        mark: { type: 'line', color, strokeWidth: 0.8 },
        encoding: {
          x: { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: UTC_AXIS },
          y: { field: 'v', type: 'quantitative', title: 'per minute' },
        },
      },
    ],
  };
}

/** Events per minute, anomalous traffic periods shaded. */
export function trafficSpec(r: Report): Spec {
  const periods = r.anomalies.series.find((s) => s.metric === 'traffic')?.periods ?? [];
  return seriesChart(r, r.traffic.perMinute.total, 'Events per minute', BLUE, periods, RED);
}

/** Purchases per minute, anomalous purchase periods shaded. */
export function purchasesSpec(r: Report): Spec {
  const periods = r.anomalies.series.find((s) => s.metric === 'purchases')?.periods ?? [];
  return seriesChart(r, r.traffic.perMinute.purchase, 'Purchases per minute', GREEN, periods, RED);
}

/** Distinct users per hour (HyperLogLog). */
export function usersPerHourSpec(r: Report): Spec {
  const h = r.traffic.perHour;
  return {
    ...base(WIDE, 160),
    title: 'Distinct users per hour (HyperLogLog)',
    data: { values: h.users.map((u, i) => ({ t: h.start + i * 3_600_000, users: u })) },
    mark: { type: 'bar', color: BLUE },
    encoding: {
      x: { field: 't', type: 'temporal', timeUnit: 'utcyearmonthdatehours', axis: UTC_AXIS },
      y: { field: 'users', type: 'quantitative', title: 'users' },
    },
  };
}

/** The view -> cart -> purchase funnel: events and distinct users per stage. */
export function funnelSpec(r: Report): Spec {
  const values = r.funnel.flatMap((s) => [
    { stage: s.stage, measure: 'events', value: s.events },
    { stage: s.stage, measure: 'users', value: s.users },
  ]);
  return {
    ...base(HALF, 150),
    title: 'Funnel: events and users per stage',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: ['view', 'cart', 'purchase'], title: null },
      yOffset: { field: 'measure' },
      x: { field: 'value', type: 'quantitative', title: null, axis: { format: '~s' } },
      color: { field: 'measure', type: 'nominal', scale: { range: [BLUE, AMBER] }, title: null },
    },
  };
}

/** Trending items by decayed weight in the last day. */
export function trendingSpec(r: Report): Spec {
  return {
    ...base(HALF, 16 * Math.max(1, r.trending.items.length)),
    title: 'Trending items (decayed weight, last day)',
    data: { values: r.trending.items.map((x) => ({ item: String(x.item), weight: x.weight })) },
    mark: { type: 'bar', color: AMBER },
    encoding: {
      y: { field: 'item', type: 'nominal', sort: '-x', title: 'item' },
      x: { field: 'weight', type: 'quantitative', title: 'decayed weight' },
    },
  };
}

/** Which items led each hour: a heatmap of the items that appear most in the hourly top lists. */
export function topPerHourSpec(r: Report, rows = 15): Spec {
  const hours = r.trending.topPerHour;
  const appearances = new Map<string, number>();
  for (const h of hours) for (const x of h.items) appearances.set(String(x.item), (appearances.get(String(x.item)) ?? 0) + x.count);
  const shown = [...appearances].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([item]) => item);
  const keep = new Set(shown);
  const values = hours.flatMap((h) => h.items.filter((x) => keep.has(String(x.item))).map((x) => ({ t: h.start, item: String(x.item), count: x.count })));
  return {
    ...base(WIDE, 14 * Math.max(1, shown.length)),
    title: 'Top items per hour (space-saving top-k)',
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 't', type: 'temporal', timeUnit: 'utcyearmonthdatehours', axis: UTC_AXIS, title: null },
      y: { field: 'item', type: 'nominal', sort: shown, title: 'item' },
      color: { field: 'count', type: 'quantitative', scale: { scheme: 'oranges' }, title: 'events' },
    },
  };
}

/** Sessions by number of events. */
export function sessionLengthSpec(r: Report): Spec {
  const h = r.sessions.lengthHistogram;
  const label = (i: number) => {
    const lo = i === 0 ? 1 : h[i - 1].upTo + 1;
    const hi = h[i].upTo;
    return hi === Infinity || hi === null ? `${lo}+` : lo === hi ? String(hi) : `${lo}–${hi}`;
  };
  return {
    ...base(HALF, 150),
    title: 'Sessions by events per session',
    data: { values: h.map((b, i) => ({ bucket: label(i), sessions: b.sessions, order: i })) },
    mark: { type: 'bar', color: GREEN },
    encoding: {
      x: { field: 'bucket', type: 'ordinal', sort: { field: 'order' }, title: 'events in the session', axis: { labelAngle: 0 } },
      y: { field: 'sessions', type: 'quantitative', title: 'sessions' },
    },
  };
}

/** Influencers: PageRank and followers. */
export function influencersSpec(r: Report): Spec | null {
  const g = r.graph;
  if (!g || g.influencers.length === 0) return null;
  return {
    ...base(HALF, 16 * g.influencers.length),
    title: 'Top accounts by PageRank',
    data: { values: g.influencers.map((x) => ({ user: String(x.user), pagerank: x.pagerank, followers: x.followers })) },
    mark: { type: 'bar', color: BLUE },
    encoding: {
      y: { field: 'user', type: 'nominal', sort: '-x', title: 'account' },
      x: { field: 'pagerank', type: 'quantitative', title: 'PageRank', axis: { format: '.1e' } },
    },
  };
}

/** Largest communities by members. */
export function communitiesSpec(r: Report): Spec | null {
  const c = r.graph?.communities;
  if (!c || c.largest.length === 0) return null;
  return {
    ...base(HALF, 150),
    title: `Largest communities (of ${c.count.toLocaleString('en-US')})`,
    data: { values: c.largest.map((size, i) => ({ rank: i + 1, size })) },
    mark: { type: 'bar', color: AMBER },
    encoding: {
      x: { field: 'rank', type: 'ordinal', title: 'community (largest first)', axis: { labelAngle: 0 } },
      y: { field: 'size', type: 'quantitative', title: 'members' },
    },
  };
}

/** Revenue per category. */
export function categoriesSpec(r: Report): Spec | null {
  if (!r.categories || r.categories.length === 0) return null;
  const rows = r.categories.slice(0, 15);
  return {
    ...base(HALF, 16 * rows.length),
    title: 'Revenue by category',
    data: { values: rows.map((c) => ({ category: String(c.category), revenue: c.revenue })) },
    mark: { type: 'bar', color: GREEN },
    encoding: {
      y: { field: 'category', type: 'nominal', sort: '-x', title: null },
      x: { field: 'revenue', type: 'quantitative', title: 'revenue', axis: { format: '~s' } },
    },
  };
}

/** Every chart of the report by name (null where its section has no data). */
export function chartSpecs(r: Report): Record<string, Spec | null> {
  return {
    traffic: trafficSpec(r),
    purchases: purchasesSpec(r),
    usersPerHour: usersPerHourSpec(r),
    funnel: funnelSpec(r),
    categories: categoriesSpec(r),
    trending: trendingSpec(r),
    topPerHour: r.trending.topPerHour.length ? topPerHourSpec(r) : null,
    sessionLength: sessionLengthSpec(r),
    influencers: influencersSpec(r),
    communities: communitiesSpec(r),
  };
}

/** Each chart rendered to an SVG string by vega's headless View (null where the spec is). */
export async function renderCharts(r: Report): Promise<Record<string, string | null>> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const out: Record<string, string | null> = {};
  for (const [name, spec] of Object.entries(chartSpecs(r))) {
    if (spec === null) {
      out[name] = null;
      continue;
    }
    const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
    try {
      out[name] = await view.toSVG();
    } finally {
      view.finalize();
    }
  }
  return out;
}

