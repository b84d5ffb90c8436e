import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatches } from '../dist/io/index.js';
import { runReport, datasetSpec, generateDataset, type Report, type GeneratedDataset } from '../dist/report/index.js';
import { LENGTH_BUCKETS } from '../dist/report/sessions.js';
import { ANOMALY_DEFAULTS } from '../dist/report/anomalies.js';
import {
  refAnomalousMinutes, refCommunities, refFunnel, refInfluencers, refRings, refSessions, refSketchQuantile, refTraffic, refTrending,
  type RefEventRow, type RefLink,
} from './reference/report.js';
import { exactQuantile } from './reference/sketches.js';
import { runWeir, type Run } from './helpers/cli.js';

// `weir report` on the small built-in dataset (200k events, 20k users, 8 hours): the report must
// find what the generator planted, and its numbers must equal a plain recomputation from the rows.

const dir = mkdtempSync(join(tmpdir(), 'weir-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TYPES: Record<string, number> = { view: 0, cart: 1, purchase: 2 };
let ds: GeneratedDataset;
let report: Report;
let rows: RefEventRow[];
let links: RefLink[];
let follows: { src: number[]; dst: number[] };

async function readAll(path: string): Promise<Record<string, unknown[]>> {
  const cols: Record<string, unknown[]> = {};
  for await (const t of readBatches(path)) {
    for (const f of t.schema.fields) {
      const v = t.getChild(f.name)!;
      (cols[f.name] ??= []).push(...(Array.from(v) as unknown[]));
    }
  }
  return cols;
}

beforeAll(async () => {
  ds = await generateDataset(join(dir, 'data'), datasetSpec('small', 42));
  ({ report } = await runReport({ events: ds.files.events, follows: ds.files.follows, links: ds.files.links, out: join(dir, 'out') }));
  const e = await readAll(ds.files.events);
  rows = e.time.map((t, i) => ({
    t: t as number, user: e.user[i] as number, item: e.item[i] as number, type: TYPES[e.type[i] as string] ?? 3,
    price: e.price[i] as number, category: e.category[i] as string,
  }));
  const l = await readAll(ds.files.links);
  links = l.user.map((u, i) => ({ user: u as number, kind: l.kind[i] as string, attribute: l.attribute[i] as number }));
  const f = await readAll(ds.files.follows);
  follows = { src: f.follower as number[], dst: f.followee as number[] };
});

const relClose = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('weir report finds what was planted', () => {
  it('the influencers: all planted accounts in the top list, and they are its top ranks', () => {
    const planted = new Set(ds.truth.influencers);
    const top = report.graph!.influencers.map((x) => x.user as number);
    const recall = ds.truth.influencers.filter((u) => top.includes(u)).length / planted.size;
    const precision = top.slice(0, planted.size).filter((u) => planted.has(u)).length / planted.size;
    expect(recall).toBe(1);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });

  it('the fraud rings: each planted ring found with exactly its members, and few others', () => {
    const key = (users: Array<number | string>) => [...users].map(Number).sort((a, b) => a - b).join(',');
    const found = new Set(report.rings!.rings.map((r) => key(r.users)));
    const planted = ds.truth.rings.map((r) => key(r.users));
    const recall = planted.filter((k) => found.has(k)).length / planted.length;
    const precision = planted.filter((k) => found.has(k)).length / report.rings!.count;
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    // and the shared devices/cards of a found ring are the planted ones
    for (const ring of ds.truth.rings) {
      const hit = report.rings!.rings.find((r) => key(r.users) === key(ring.users));
      if (!hit) continue;
      expect([...hit.devices].map(Number).sort((a, b) => a - b)).toEqual([...ring.devices].sort((a, b) => a - b));
      expect([...hit.cards].map(Number).sort((a, b) => a - b)).toEqual([...ring.cards].sort((a, b) => a - b));
    }
  });

  it('the anomalous periods: the traffic spike and the checkout outage, minute by minute', () => {
    for (const planted of ds.truth.anomalies) {
      const series = report.anomalies.series.find((s) => s.metric === planted.metric)!;
      const truth = new Set<number>();
      for (let t = planted.start; t < planted.end; t += 60_000) truth.add(t);
      const hits = series.minutes.filter((m) => truth.has(m)).length;
      expect(hits / truth.size, `${planted.kind}: recall`).toBeGreaterThanOrEqual(0.9);
      expect(hits / Math.max(1, series.minutes.length), `${planted.kind}: precision`).toBeGreaterThanOrEqual(0.8);
      expect(series.periods.some((p) => p.start < planted.end && p.end > planted.start), `${planted.kind}: a period overlaps it`).toBe(true);
    }
  });
});

describe('weir report equals a plain recomputation', () => {
  const bound = 120_000;

  it('events per minute by type, revenue per minute, late events', () => {
    const ref = refTraffic(rows, bound, 0);
    const m = report.traffic.perMinute;
    expect(m.start).toBe(ref.minuteStart);
    expect(m.total).toEqual(ref.total);
    expect(m.view).toEqual(ref.view);
    expect(m.cart).toEqual(ref.cart);
    expect(m.purchase).toEqual(ref.purchase);
    m.revenue.forEach((r, i) => expect(relClose(r, ref.revenue[i], 1e-9), `revenue of minute ${i}`).toBe(true));
    expect(report.headline.lateEvents).toBe(ref.late);
  });

  it('per hour: events exactly, distinct users within HyperLogLog error, top items within space-saving bounds', () => {
    const ref = refTraffic(rows, bound, 0);
    const h = report.traffic.perHour;
    expect(h.start).toBe(ref.hourStart);
    expect(h.events).toEqual(ref.hourEvents);
    h.users.forEach((u, i) => expect(Math.abs(u - ref.hourUsers[i]) / ref.hourUsers[i], `hour ${i}`).toBeLessThan(0.025));
    report.trending.topPerHour.forEach((hour, i) => {
      const exact = ref.hourItems[i];
      const n = ref.hourEvents[i];
      expect(hour.items.length).toBe(report.settings.top);
      for (const x of hour.items) {
        const truth = exact.get(x.item) ?? 0;
        expect(x.count).toBeGreaterThanOrEqual(truth);
        expect(x.count).toBeLessThanOrEqual(truth + n / 200); // 200 counters for topk:50
      }
      const best = [...exact].sort((a, b) => b[1] - a[1])[0][0];
      expect(hour.items[0].item).toBe(best);
    });
  });

  it('headline and funnel', () => {
    const ref = refFunnel(rows);
    const hd = report.headline;
    expect(hd.events).toBe(ref.events);
    expect(hd.start).toBe(ref.start);
    expect(hd.end).toBe(ref.end);
    expect(Math.abs(hd.users - ref.users) / ref.users).toBeLessThan(0.025);
    expect(Math.abs(hd.items - ref.items) / ref.items).toBeLessThan(0.025);
    expect(relClose(hd.revenue, ref.revenue, 1e-9)).toBe(true);
    expect(report.funnel.map((s) => s.events)).toEqual(ref.stages.map((s) => s.events));
    report.funnel.forEach((s, i) => expect(Math.abs(s.users - ref.stages[i].users) / ref.stages[i].users).toBeLessThan(0.025));
    expect(hd.purchases).toBe(ref.stages[2].events);
    expect(hd.conversion).toBe(ref.stages[2].events / ref.stages[0].events);
    expect(report.categories!.length).toBe(ref.categories.size);
    for (const c of report.categories!) {
      expect(c.events).toBe(ref.categories.get(c.category)!.events);
      expect(relClose(c.revenue, ref.categories.get(c.category)!.revenue, 1e-9)).toBe(true);
    }
  });

  it('trending items by decayed weight', () => {
    const ref = refTrending(rows, report.trending.halfLifeMs, report.settings.top);
    expect(report.trending.window).toEqual({ start: ref.start, end: ref.end });
    expect(report.trending.items.map((x) => x.item)).toEqual(ref.items.map((x) => x.item));
    report.trending.items.forEach((x, i) => {
      expect(relClose(x.weight, ref.items[i].weight, 1e-9)).toBe(true);
      expect(x.events).toBe(ref.items[i].events);
    });
  });

  it('sessions: count, conversions and histogram exactly; quantiles as DDSketch gives them', () => {
    const ref = refSessions(rows, report.sessions.gapMs, LENGTH_BUCKETS);
    const s = report.sessions;
    expect(s.count).toBe(ref.count);
    expect(s.converting).toBe(ref.converting);
    expect(s.lengthHistogram.map((b) => b.sessions)).toEqual(ref.histogram);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(relClose(s.length.mean, mean(ref.lengths), 1e-9)).toBe(true);
    expect(relClose(s.durationMs.mean, mean(ref.durations), 1e-9)).toBe(true);
    for (const [q, key] of [[0.5, 'p50'], [0.9, 'p90'], [0.99, 'p99']] as const) {
      expect(relClose(s.length[key], refSketchQuantile(ref.lengths, q), 1e-9), `length ${key}`).toBe(true);
      expect(relClose(s.durationMs[key], refSketchQuantile(ref.durations, q), 1e-9), `duration ${key}`).toBe(true);
      expect(Math.abs(s.durationMs[key] - exactQuantile(ref.durations, q))).toBeLessThanOrEqual(0.01 * exactQuantile(ref.durations, q) + 1e-9);
    }
  });

  it('influencers: PageRank, followers and two-hop reach', () => {
    const ref = refInfluencers(follows.src, follows.dst, report.settings.top);
    const g = report.graph!;
    expect(g.pagerank.where, report.notes.join(' ')).toBe('worker');
    expect(report.settings.usedWorkerPool).toBe(true);
    expect(g.nodes).toBe(ref.graph.n);
    expect(g.influencers.map((x) => x.user)).toEqual(ref.top.map((x) => x.user));
    g.influencers.forEach((x, i) => {
      expect(Math.abs(x.pagerank - ref.top[i].pagerank)).toBeLessThan(1e-9);
      expect(x.followers).toBe(ref.top[i].followers);
      expect(x.reach2).toBe(ref.top[i].reach2);
    });
  });

  it('communities: Louvain count, sizes and modularity', () => {
    const ref = refCommunities(refInfluencers(follows.src, follows.dst, 1).graph);
    const c = report.graph!.communities;
    expect(c.count).toBe(ref.count);
    expect(c.largest).toEqual(ref.sizes.slice(0, c.largest.length));
    expect(Math.abs(c.modularity - ref.modularity)).toBeLessThan(1e-9);
  });

  it('fraud rings', () => {
    const ref = refRings(links, report.rings!.minSize, report.rings!.maxAttributeUsers);
    const got = report.rings!.rings.map((r) => ({
      users: r.users,
      attributes: [...r.devices.map((d) => `device:${d}`), ...r.cards.map((c) => `card:${c}`)].sort(),
    }));
    expect(report.rings!.count).toBe(ref.length);
    expect(got).toEqual(ref);
  });

  it('anomalous minutes', () => {
    const m = report.traffic.perMinute;
    for (const s of report.anomalies.series) {
      const x = s.metric === 'traffic' ? m.total : m.purchase;
      const ref = refAnomalousMinutes(x, s.side, ANOMALY_DEFAULTS.threshold, ANOMALY_DEFAULTS.baselineMinutes);
      expect(s.minutes, s.metric).toEqual(ref.map((i) => m.start + i * 60_000));
    }
  });

  it('without workers the graph stage runs on the main thread and gives the same figures', async () => {
    const { report: here } = await runReport({ events: ds.files.events, follows: ds.files.follows, links: ds.files.links, out: join(dir, 'out-main'), workers: false });
    expect(here.graph!.pagerank.where).toBe('main thread');
    expect(here.settings.usedWorkerPool).toBe(false);
    expect(here.graph!.influencers).toEqual(report.graph!.influencers);
    expect(here.graph!.communities).toEqual(report.graph!.communities);
    expect(here.traffic).toEqual(report.traffic);
  });

  it('report.json holds the same figures as the report', () => {
    const json = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(json.headline).toEqual(report.headline);
    expect(json.traffic).toEqual(report.traffic);
    expect(json.funnel).toEqual(report.funnel);
    expect(json.graph).toEqual(report.graph);
    expect(json.rings).toEqual(report.rings);
    expect(json.anomalies).toEqual(report.anomalies);
    expect(json.sessions.count).toBe(report.sessions.count);
  });
});

// ------------------------------------------------------------------ the command line

const weir = (args: string[]): Promise<Run> => runWeir(dir, args);

function expectCleanError(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.startsWith('weir: ')).toBe(true);
}

/** A small clickstream as CSV: ISO times, string users and items, a type column named event_type. */
function csvEvents(n: number, extra: string[] = []): string {
  const lines = ['event_time,user_id,product_id,event_type,price'];
  const t0 = Date.UTC(2024, 0, 1, 12);
  const types = ['view', 'view', 'view', 'cart', 'purchase'];
  for (let i = 0; i < n; i++) {
    lines.push(`${new Date(t0 + i * 1000).toISOString()},u${i % 37},p${(i * 7) % 11},${types[i % 5]},${(i % 9) + 0.5}`);
  }
  return [...lines, ...extra].join('\n') + '\n';
}

describe('weir report on the command line', () => {
  it('reads CSV with other column names, counts unparseable rows with their lines, and prints where the report is', async () => {
    const path = join(dir, 'kaggle.csv');
    writeFileSync(path, csvEvents(600, ['not-a-time,u1,p1,view,1.0', '2024-01-01T12:30:00Z,u2,p2,view']));
    const r = await weir(['report', '--events', path, '--out', 'csv-out', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/600 events/);
    expect(r.stdout).toMatch(/csv-out[\\/]report\.html/);
    const json = JSON.parse(readFileSync(join(dir, 'csv-out', 'report.json'), 'utf8')) as Report;
    expect(json.inputs.events.badRows).toBe(2);
    expect(json.inputs.events.badRowSamples.map((s) => s.where)).toEqual(['line 602', 'line 603']);
    expect(json.inputs.events.columns).toMatchObject({ time: 'event_time', user: 'user_id', item: 'product_id', type: 'event_type' });
    expect(json.funnel.map((s) => s.events)).toEqual([360, 120, 120]);
    expect(json.headline.revenue).toBe(Array.from({ length: 600 }, (_, i) => (i % 5 === 4 ? (i % 9) + 0.5 : 0)).reduce((a, b) => a + b, 0));
    expect(json.notes.join(' ')).toMatch(/2 bad rows skipped \(line 602: .*; line 603: /);
    expect(json.graph).toBeNull();
  });

  it('--strict turns the first unparseable row into a failure naming its line', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, csvEvents(50, ['2024-01-01T12:30:00Z,u2,p2,view']));
    expectCleanError(await weir(['report', '--events', path, '--out', 'strict-out', '--strict', '--no-progress']), /bad\.csv:52: .*strict mode/);
  });

  it('a missing file, a missing column and an empty file are clear errors', async () => {
    expectCleanError(await weir(['report', '--events', join(dir, 'nope.csv'), '--out', 'x', '--no-progress']), /nope\.csv: no such file/);
    const path = join(dir, 'nouser.csv');
    writeFileSync(path, 'time,item,type\n1,2,view\n');
    expectCleanError(await weir(['report', '--events', path, '--out', 'x', '--no-progress']), /has no user column .*'time', 'item', 'type'.*--user/);
    expectCleanError(await weir(['report', '--events', path, '--user', 'who', '--out', 'x', '--no-progress']), /no column 'who' \(given by --user\)/);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expectCleanError(await weir(['report', '--events', empty, '--out', 'x', '--no-progress']), /empty.*nothing to report/);
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'time,user,item,type\n');
    expectCleanError(await weir(['report', '--events', header, '--out', 'x', '--no-progress']), /empty|no events/);
    const noRows = await weir(['report', '--events', join(dir, 'kaggle.csv'), '--follows', empty, '--links', header, '--out', 'empty-graph', '--no-progress']);
    expect(noRows.code, noRows.stderr).toBe(0);
    expect(noRows.stdout).toMatch(/empty\.csv has no rows: influencers and communities are left out/);
    expect(noRows.stdout).toMatch(/header\.csv has no rows: no fraud rings/);
    const follows = join(dir, 'follows.csv');
    writeFileSync(follows, 'a,b\n1,2\n');
    expectCleanError(await weir(['report', '--events', join(dir, 'kaggle.csv'), '--follows', follows, '--out', 'x', '--no-progress']), /follows file .* has no follower column/);
  });

  it('rows missing a required value are dropped and counted; late events are counted and left out', async () => {
    const path = join(dir, 'late.ndjson');
    const t0 = Date.UTC(2024, 0, 1, 12);
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ time: t0 + i * 1000, user: i % 5, item: i % 3, type: 'view', price: 1 }));
    lines.push(JSON.stringify({ time: t0, user: 1, item: 1, type: 'view', price: 1 })); // 400 s behind: beyond 2 minutes
    lines.push(JSON.stringify({ time: t0 + 5000, user: null, item: 1, type: 'view', price: 1 }));
    writeFileSync(path, lines.join('\n') + '\n');
    const r = await weir(['report', '--events', path, '--out', 'late-out', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'late-out', 'report.json'), 'utf8')) as Report;
    expect(json.inputs.events.badRows).toBe(1);
    expect(json.inputs.events.badRowSamples[0]).toEqual({ where: 'data row 402', message: "no value in column 'user'" });
    expect(json.headline.lateEvents).toBe(1);
    expect(json.traffic.perMinute.total.reduce((a, b) => a + b, 0)).toBe(400);
    expect(json.headline.events).toBe(401); // the whole-stream window takes the late event
  });

  it('weir gen writes a dataset and its planted truth', async () => {
    const r = await weir(['gen', '--scale', 'tiny', '--seed', '3', '--format', 'csv', '--out', 'gen-out', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/20,000 rows/);
    const truth = JSON.parse(readFileSync(join(dir, 'gen-out', 'truth.json'), 'utf8'));
    expect(truth.truth.influencers).toHaveLength(3);
    expect(readFileSync(join(dir, 'gen-out', 'events.csv'), 'utf8').split('\n')[0]).toBe('time,user,item,category,type,price');
  });
});
