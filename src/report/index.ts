/**
 * weir report: an e-commerce clickstream, its users' follow graph and their account–device/card
 * links turned into a report a person reads in a browser (report.html, one self-contained file)
 * and the same figures for machines (report.json).
 *
 * Stages: read the follow graph and hand it to two workers of weir/worker's pool (PageRank with
 * followers and reach on one, Louvain on the other); meanwhile find fraud rings in the links and
 * stream the events once through every window operator; then collect the graph results, flag
 * anomalous minutes and render. Events are read in batches and never held whole. Without
 * workers the graph jobs run on the main thread after the events.
 *
 * @example
 * const { report, files } = await runReport({ events: 'events.parquet', follows: 'follows.csv', out: 'out' });
 * files.html // 'out/report.html'
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WeirError } from '../runtime/errors.js';
import { VERSION } from '../version.js';
import type { Pool } from '../worker/index.js';
import { detectAnomalies, ANOMALY_DEFAULTS } from './anomalies.js';
import type { EventColumns, TimeScale } from './batch.js';
import { communityFigures, type CommunityResult } from './communities.js';
import { EVENT_COLUMNS } from './columns.js';
import { eventColumns, streamEvents } from './events.js';
import { followColumns, readFollows } from './follows.js';
import { cachedDataset, datasetSpec, DEFAULT_SEED } from './generate.js';
import { htmlPage } from './html.js';
import { renderCharts } from './charts.js';
import { influenceFigures, type InfluenceResult } from './influence.js';
import type { FollowEdges } from './follows.js';
import type { ReportTaskName, reportTasks } from './worker.js';
import { reportJson } from './json.js';
import { linkLayout, ringFigures } from './rings.js';
import type { GraphFigures, InputSummary, Report, RingFigures, StageTiming } from './types.js';

export type { Report } from './types.js';
export { datasetSpec, generateDataset, cachedDataset, datasetName, SCALES, DEFAULT_SEED, type DatasetSpec, type GeneratedDataset, type PlantedTruth } from './generate.js';

/** One stage's progress display (the CLI passes its progress bars; the shape of cli/progress's Stage). */
export interface StageDisplay {
  update(done: number, total?: number): void;
  finish(): void;
}

export interface ReportOptions {
  /** Events file (CSV, NDJSON, Arrow IPC, Parquet). Absent: the built-in dataset. */
  events?: string;
  follows?: string;
  links?: string;
  /** Output folder for report.html and report.json. */
  out: string;
  /** Built-in dataset: scale (default 'default': 10M events) and seed. */
  scale?: string;
  seed?: number;
  /** Built-in dataset cache folder (default .cache/weir-data). */
  cacheDir?: string;
  columns?: Partial<Record<keyof EventColumns, string>> & { follower?: string; followee?: string; linkUser?: string; linkAttribute?: string; linkKind?: string };
  /** Unit of a numeric time column; default: judged from the values. */
  timeUnit?: TimeScale;
  /** ms; defaults 2 minutes, 0, 30 minutes, 1 hour. */
  outOfOrderness?: number;
  lateness?: number;
  sessionGap?: number;
  halfLife?: number;
  /** Rows in each top list (influencers, trending items, items per hour). Default 10. */
  top?: number;
  /** Fraud rings: fewest accounts (default 3) and most accounts an attribute may have before it is ignored (default 20). */
  ringMinSize?: number;
  maxShared?: number;
  /** Fail on the first bad row instead of skipping it. */
  strict?: boolean;
  /** Run PageRank and Louvain on two pool workers (default true; the main thread does them if no worker starts). */
  workers?: boolean;
  title?: string;
  /** Progress display per stage. */
  stage?: (name: string, total: number, unit: 'bytes' | 'rows') => StageDisplay;
  /** A line about a finished stage or a note, for logs. */
  log?: (line: string) => void;
}

export interface ReportResult {
  report: Report;
  files: { html: string; json: string };
}

const quiet: StageDisplay = { update() {}, finish() {} };

/** Runs the whole report. Bad input is a WeirError naming the file, column or row. */
export async function runReport(options: ReportOptions): Promise<ReportResult> {
  const started = performance.now();
  const o = resolveOptions(options);
  const stages: StageTiming[] = [];
  const notes: string[] = [];
  const log = options.log ?? (() => undefined);
  const show = (name: string, total: number, unit: 'bytes' | 'rows') => options.stage?.(name, total, unit) ?? quiet;
  // A compute stage shows as a bar over the input rows it works on, full when it is done.
  const barred = <T>(name: string, rows: number, fn: () => Promise<T> | T) => async (): Promise<T> => {
    const bar = show(name, rows, 'rows');
    const r = await fn();
    bar.update(rows, rows);
    bar.finish();
    return r;
  };
  const timed = async <T>(stage: string, fn: () => Promise<T> | T, items?: (r: T) => { items: number; unit: string } | undefined): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    const ms = performance.now() - t0;
    const it = items?.(r);
    stages.push({ stage, ms, ...(it ? { items: it.items, unit: it.unit, throughput: it.items / (ms / 1000) } : {}) });
    log(`${stage}: ${(ms / 1000).toFixed(2)} s${it ? ` (${formatNumber(it.items)} ${it.unit}, ${formatNumber(it.items / (ms / 1000))} ${it.unit}/s)` : ''}`);
    return r;
  };

  const workerStage = (stage: string, ms: number, edges: number) => {
    stages.push({ stage: `${stage} (on a worker, alongside the stages above)`, ms, items: edges, unit: 'edges', throughput: edges / (ms / 1000) });
    log(`${stage} on a worker: ${(ms / 1000).toFixed(2)} s`);
  };

  // Inputs: the user's files, or the built-in dataset (generated once into the cache).
  let builtIn: Report['inputs']['builtIn'] = null;
  let paths = { events: o.events, follows: o.follows, links: o.links };
  if (paths.events === undefined) {
    const spec = datasetSpec(o.scale, o.seed);
    const dir = o.cacheDir;
    // The bar appears only if the data has to be generated (not when it is in the cache).
    let bar: StageDisplay | null = null;
    const ds = await cachedDataset(dir, spec, {
      onProgress: (stage, done, total) => {
        if (!stage.startsWith('events')) return;
        bar ??= show(`generating built-in data (${o.scale}, once)`, total, 'rows');
        bar.update(done, total);
      },
    });
    (bar as StageDisplay | null)?.finish();
    if (!ds.cached) {
      stages.push({ stage: 'generate built-in data (once, then cached)', ms: ds.ms, items: ds.counts.events, unit: 'events', throughput: ds.counts.events / (ds.ms / 1000) });
      log(`generated the built-in dataset in ${(ds.ms / 1000).toFixed(1)} s: ${ds.dir}`);
    }
    builtIn = { scale: spec.scale, seed: spec.seed, dir: ds.dir };
    paths = { events: ds.files.events, follows: ds.files.follows, links: ds.files.links };
  }
  const eventsPath = paths.events!;

  // Every file's columns are checked before any heavy work, so a typo fails in milliseconds.
  const cols = await eventColumns(eventsPath, o.columns);
  const followCols = paths.follows ? await followColumns(paths.follows, { follower: o.columns.follower, followee: o.columns.followee }) : null;
  const layout = paths.links ? await linkLayout(paths.links, { user: o.columns.linkUser, attribute: o.columns.linkAttribute, kind: o.columns.linkKind }) : null;

  let pool: Pool | null = null;
  try {
    // Follow graph: read here; PageRank and Louvain start on two pool workers and run while the
    // main thread finds rings and streams the events.
    let followsInput: InputSummary | null = null;
    let edges: FollowEdges | null = null;
    let jobs: { influence: Promise<InfluenceResult>; communities: Promise<CommunityResult>; started: number } | null = null;
    if (paths.follows && !followCols) {
      notes.push(`${paths.follows} has no rows: influencers and communities are left out.`);
    } else if (paths.follows && followCols) {
      const bar = show('follows', 0, 'bytes');
      const read = await timed('read follow graph', () => readFollows(paths.follows!, followCols, { strict: o.strict, onProgress: (d, t) => bar.update(d, t) }), (e) => ({ items: e.src.length, unit: 'edges' }));
      bar.finish();
      followsInput = read.input;
      if (read.src.length === 0) notes.push(`${paths.follows} has no edges: influencers and communities are left out.`);
      else {
        edges = read;
        if (o.workers) pool = await startPool(notes);
        if (pool) {
          const run = pool.run.bind(pool) as unknown as <K extends ReportTaskName>(task: K, ...args: Parameters<(typeof reportTasks)[K]>) => ReturnType<(typeof reportTasks)[K]>;
          // Each worker gets its own copy of the edges (sending transfers, and so detaches, typed arrays).
          const copy = () => ({ src: edges!.src.slice(), dst: edges!.dst.slice() });
          const n = read.src.length;
          jobs = {
            influence: barred('PageRank (worker)', n, () => run('report.influence', copy(), o.top))(),
            communities: barred('communities: Louvain (worker)', n, () => run('report.communities', copy(), 20))(),
            started: performance.now(),
          };
          // Awaited after the events; marked handled now so an early failure is not fatal meanwhile.
          jobs.influence.catch(() => undefined);
          jobs.communities.catch(() => undefined);
        }
      }
    } else {
      notes.push('No follow graph given (--follows): influencers and communities are left out.');
    }

    // Fraud rings from the account links.
    let rings: RingFigures | null = null;
    let linksInput: InputSummary | null = null;
    if (paths.links && !layout) {
      notes.push(`${paths.links} has no rows: no fraud rings to look for.`);
    } else if (paths.links && layout) {
      const bar = show('links', 0, 'bytes');
      const r = await timed('fraud rings', () => ringFigures(paths.links!, layout, { minSize: o.ringMinSize, maxAttributeUsers: o.maxShared, list: 1000, strict: o.strict, onProgress: (d, t) => bar.update(d, t) }), (x) => ({ items: x.rings.links, unit: 'links' }));
      bar.finish();
      rings = r.rings;
      linksInput = r.input;
      if (rings.links === 0) notes.push(`${paths.links} has no links: no fraud rings to look for.`);
    } else {
      notes.push('No account links given (--links): fraud rings are left out.');
    }

    // Events: one pass through every window operator.
    const bar = show('events', 0, 'bytes');
    const ev = await timed('events: read + window operators', () => streamEvents(eventsPath, cols, {
      columns: o.columns, timeScale: o.timeUnit, outOfOrderness: o.outOfOrderness, lateness: o.lateness,
      sessionGapMs: o.sessionGap, halfLifeMs: o.halfLife, top: o.top, strict: o.strict,
      onProgress: (d, t) => bar.update(d, t),
    }), (e) => ({ items: e.rows, unit: 'events' }));
    bar.finish();
    if (ev.timeScale !== 'ms' && o.timeUnit === undefined) notes.push(`The time column '${cols.time}' holds numbers read as epoch ${({ s: 'seconds', us: 'microseconds', ns: 'nanoseconds' } as Record<string, string>)[ev.timeScale]} (set --time-unit to change).`);
    for (const input of [ev.input, followsInput, linksInput]) {
      if (input && input.badRows > 0) notes.push(`${input.path}: ${formatNumber(input.badRows)} bad row${input.badRows === 1 ? '' : 's'} skipped (${input.badRowSamples.map((s) => `${s.where}: ${s.message}`).join('; ')}${input.badRows > input.badRowSamples.length ? '; …' : ''}).`);
    }
    if (cols.price === null) notes.push(`The events have no price column (looked for ${EVENT_COLUMNS.price.map((c) => `'${c}'`).join(', ')}; name it with --price): revenue is unknown.`);
    if (ev.traffic.late > 0) notes.push(`${formatNumber(ev.traffic.late)} events arrived later than the out-of-orderness bound (${o.outOfOrderness / 1000} s) plus lateness and are left out of the per-minute figures.`);

    // Graph analytics: collect the workers' results, or compute here without workers.
    let graphFigures: GraphFigures | null = null;
    if (edges) {
      const e = edges;
      const onWorker = <T>(job: Promise<T> | undefined, what: string) =>
        job?.catch((err: unknown) => {
          notes.push(`${what} failed on the worker (${err instanceof Error ? err.message : String(err)}); it ran on the main thread.`);
          return null;
        }) ?? Promise.resolve(null);
      const waited = performance.now();
      const [inf, com] = await Promise.all([onWorker(jobs?.influence, 'PageRank'), onWorker(jobs?.communities, 'Louvain')]);
      if (jobs && (inf || com)) stages.push({ stage: 'waiting for the graph workers', ms: performance.now() - waited });
      const influence = inf ?? (await timed('PageRank, followers and reach', barred('PageRank', e.src.length, () => influenceFigures(e, o.top)), (r) => ({ items: r.edges, unit: 'edges' })));
      const community = com ?? (await timed('communities (Louvain)', barred('communities (Louvain)', e.src.length, () => communityFigures(e, 20)), () => ({ items: e.src.length, unit: 'edges' })));
      if (inf) workerStage('PageRank, followers and reach', inf.ms.build + inf.ms.pagerank + inf.ms.reach, inf.edges);
      if (com) workerStage('communities (Louvain)', com.ms.build + com.ms.louvain, influence.edges);
      graphFigures = {
        nodes: influence.nodes,
        edges: influence.edges,
        pagerank: { iterations: influence.iterations, where: inf ? 'worker' : 'main thread', ms: influence.ms.pagerank },
        influencers: influence.influencers,
        communities: community.communities,
      };
    }

    const anomalies = await timed('anomalous minutes', () => detectAnomalies(ev.traffic.traffic));
    const f = ev.funnel;
    const views = f.funnel[0];
    const purchases = f.funnel[2];
    const report: Report = {
      title: o.title,
      generatedAt: new Date().toISOString(),
      weirVersion: VERSION,
      inputs: { events: ev.input, follows: followsInput, links: linksInput, builtIn },
      settings: { outOfOrdernessMs: o.outOfOrderness, latenessMs: o.lateness, sessionGapMs: o.sessionGap, top: o.top, usedWorkerPool: graphFigures?.pagerank.where === 'worker' },
      headline: {
        events: f.events,
        users: f.users,
        items: f.items,
        revenue: cols.price === null ? NaN : f.revenue,
        purchases: purchases.events,
        conversion: views.events > 0 ? purchases.events / views.events : 0,
        userConversion: views.users > 0 ? purchases.users / views.users : 0,
        start: f.start,
        end: f.end,
        lateEvents: ev.traffic.late,
      },
      traffic: ev.traffic.traffic,
      funnel: f.funnel,
      categories: f.categories,
      trending: ev.trending,
      sessions: ev.sessions,
      graph: graphFigures,
      rings,
      anomalies,
      stages,
      totalMs: 0,
      peakRssBytes: 0,
      notes,
    };
    const charts = await timed('charts (Vega-Lite -> SVG)', () => renderCharts(report));
    report.totalMs = performance.now() - started;
    report.peakRssBytes = peakRss();
    await mkdir(o.out, { recursive: true });
    const files = { html: join(o.out, 'report.html'), json: join(o.out, 'report.json') };
    try {
      await writeFile(files.html, htmlPage(report, charts));
      await writeFile(files.json, reportJson(report));
    } catch (e) {
      throw new WeirError('E_IO', `${o.out}: cannot write the report: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return { report, files };
  } finally {
    await pool?.close();
  }
}

/** Peak resident set size of this process so far, bytes (workers included: they are threads). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Two workers of weir/worker's pool, running the report's worker script (weir/worker's tasks
 * plus the report's graph jobs), or null (with a note) when no worker starts.
 */
async function startPool(notes: string[]): Promise<Pool | null> {
  try {
    const { createPool } = await import('../worker/index.js');
    return await createPool({ size: 2, url: new URL('./worker.js', import.meta.url) });
  } catch (e) {
    notes.push(`No worker thread could be started (${e instanceof Error ? e.message : String(e)}); the graph stage ran on the main thread.`);
    return null;
  }
}

function resolveOptions(options: ReportOptions) {
  if (!options || typeof options.out !== 'string' || options.out === '') throw new WeirError('E_ARG', 'report: out must name an output folder');
  if (options.events === undefined && (options.follows !== undefined || options.links !== undefined)) {
    throw new WeirError('E_ARG', 'report: --follows and --links go with --events (without --events the built-in dataset is used)');
  }
  const ms = (v: number | undefined, name: string, dflt: number, min: number) => {
    const x = v ?? dflt;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min) throw new WeirError('E_ARG', `report: ${name} must be a duration of at least ${min} ms, got ${String(v)}`);
    return x;
  };
  const int = (v: number | undefined, name: string, dflt: number, min: number, max: number) => {
    const x = v ?? dflt;
    if (!Number.isInteger(x) || x < min || x > max) throw new WeirError('E_ARG', `report: ${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
    return x;
  };
  return {
    events: options.events,
    follows: options.follows,
    links: options.links,
    out: resolve(options.out),
    scale: options.scale ?? 'default',
    seed: options.seed ?? DEFAULT_SEED,
    cacheDir: resolve(options.cacheDir ?? process.env.WEIR_CACHE ?? join('.cache', 'weir-data')),
    columns: options.columns ?? {},
    timeUnit: options.timeUnit,
    outOfOrderness: ms(options.outOfOrderness, 'out-of-orderness', 120_000, 0),
    lateness: ms(options.lateness, 'lateness', 0, 0),
    sessionGap: ms(options.sessionGap, 'session gap', 1_800_000, 1),
    halfLife: ms(options.halfLife, 'half-life', 3_600_000, 1),
    top: int(options.top, 'top', 10, 1, 1000),
    ringMinSize: int(options.ringMinSize, 'ring minimum size', 3, 2, 1_000_000),
    maxShared: int(options.maxShared, 'max shared', 20, 2, 1_000_000_000),
    strict: options.strict === true,
    workers: options.workers !== false,
    title: options.title ?? 'User behaviour report',
  };
}

/** 1234567 -> '1,234,567'; 1234.5 -> '1,235'. */
export function formatNumber(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export { ANOMALY_DEFAULTS };
