/**
 * The built-in dataset of `weir report` and `weir gen`: a seeded, realistic e-commerce
 * clickstream, the social follow graph of its users and their account–device/card links, with
 * planted ground truth the report must find.
 *
 * - Events (view, cart, purchase; user, item, category, price, time) come from user sessions:
 *   session starts follow a daily (and weekend) rhythm, users' activity is log-normal, items'
 *   popularity Zipf; inside a session a user views items, carts the last viewed one now and then
 *   and sometimes checks the cart out. Events arrive out of order: each is delayed by an
 *   exponential latency capped at `maxDelayMs`, and the file is in arrival order.
 * - Anomalies: a traffic spike (a flash sale: about 4 extra views per normal event for 10
 *   minutes, on a few tail items) and a checkout outage (no purchase succeeds for 15 minutes).
 * - Follow graph (follower -> followee): users belong to communities of Pareto-distributed
 *   size and mostly follow popular members of their own; a few follow globally popular users.
 *   Planted influencers are each followed by many of the most active users.
 * - Links (user, kind, attribute): every user has a device or two and most have a card; some
 *   pairs of users share a household device, some public devices (kiosks) are shared by dozens.
 *   Planted fraud rings of 3–8 accounts share a chain of devices and cards.
 *
 * Everything is typed arrays; 10M events generate in a few seconds. Files are Arrow IPC stream
 * (`.arrows`, dictionary columns kept) unless another format is asked for.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Dictionary, Field, Float64, Int8, Int32, RecordBatch, Schema, Struct, Table, Utf8, makeData, vectorFromArray, type Data, type DataType, type Vector } from 'apache-arrow';
import { WeirError } from '../runtime/errors.js';
import { openWriter } from '../io/index.js';
import { cumulative, permutation, pick, random, type Random } from './random.js';

/** Bump when the generator's output changes, so cached datasets are regenerated. */
export const GENERATOR_VERSION = 1;

/** What to generate. */
export interface DatasetSpec {
  /** Name of the preset (or 'custom'); part of the cache folder name. */
  scale: string;
  seed: number;
  /** Events in total (spike included). */
  events: number;
  users: number;
  items: number;
  categories: number;
  /** Span of event time, in hours. */
  hours: number;
  /** Epoch ms of the first event minute. */
  start: number;
  /** Mean accounts each user follows. */
  follows: number;
  /** Planted influencer accounts. */
  influencers: number;
  /** Followers each planted influencer gets. */
  influencerFollowers: number;
  /** Planted fraud rings. */
  rings: number;
  /** Cap of the arrival delay (event-time disorder), ms. */
  maxDelayMs: number;
}

type Preset = Pick<DatasetSpec, 'events' | 'users' | 'items' | 'hours' | 'influencers' | 'rings'>;

/** Named sizes: `small` is what the tests use, `default` what `npm start` and the bench run. */
export const SCALES: Readonly<Record<string, Preset>> = Object.freeze({
  tiny: { events: 20_000, users: 2_000, items: 500, hours: 4, influencers: 3, rings: 4 },
  small: { events: 200_000, users: 20_000, items: 2_000, hours: 8, influencers: 5, rings: 8 },
  medium: { events: 1_000_000, users: 100_000, items: 10_000, hours: 24, influencers: 8, rings: 15 },
  default: { events: 10_000_000, users: 1_000_000, items: 50_000, hours: 168, influencers: 10, rings: 25 },
});

export const DEFAULT_SEED = 42;

/**
 * The full spec of a preset scale, with any field overridden (`weir gen --events …`).
 *
 * @example
 * datasetSpec('small', 7) // 200k events, 20k users, 8 hours, seed 7
 */
export function datasetSpec(scale = 'default', seed = DEFAULT_SEED, overrides: Partial<Preset> = {}): DatasetSpec {
  const preset = SCALES[scale];
  if (!preset) throw new WeirError('E_ARG', `--scale: expected one of ${Object.keys(SCALES).join(', ')}, got ${JSON.stringify(scale)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new WeirError('E_ARG', `--seed: expected an integer from 0 to 2^32-1, got ${seed}`);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<Preset>;
  const p = { ...preset, ...given };
  const positive = (v: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new WeirError('E_ARG', `--${name}: expected an integer from ${min} to ${max}, got ${v}`);
  };
  positive(p.events, 'events', 1000, 200_000_000);
  positive(p.users, 'users', 100, 50_000_000);
  positive(p.items, 'items', 50, 10_000_000);
  positive(p.hours, 'hours', 1, 24 * 366);
  positive(p.influencers, 'influencers', 0, 1000);
  positive(p.rings, 'rings', 0, Math.floor(p.users / 20));
  const custom = Object.keys(given).some((k) => given[k as keyof Preset] !== preset[k as keyof Preset]);
  // Short spans start mid-morning, so they cover the busy hours of the daily rhythm.
  const startHour = p.hours >= 24 ? 0 : 10;
  return {
    scale: custom ? 'custom' : scale,
    seed,
    ...p,
    categories: 24,
    start: Date.UTC(2024, 2, 4, startHour),
    follows: 6,
    influencerFollowers: Math.max(1500, Math.round(p.users * 0.005)),
    maxDelayMs: 90_000,
  };
}

/** Folder name of a spec in the cache: `<scale>-<seed>`, or a digest of the sizes for a custom one. */
export function datasetName(spec: DatasetSpec): string {
  if (spec.scale !== 'custom') return `${spec.scale}-${spec.seed}`;
  return `custom-${spec.events}e-${spec.users}u-${spec.items}i-${spec.hours}h-${spec.influencers}k-${spec.rings}r-${spec.seed}`;
}

/** What the generator planted: what the report should find. */
export interface PlantedTruth {
  influencers: number[];
  rings: Array<{ users: number[]; devices: number[]; cards: number[] }>;
  anomalies: Array<{ kind: 'spike' | 'outage'; metric: 'traffic' | 'purchases'; start: number; end: number; items?: number[] }>;
}

export interface GeneratedDataset {
  dir: string;
  spec: DatasetSpec;
  files: { events: string; follows: string; links: string; truth: string };
  counts: { events: number; follows: number; links: number };
  truth: PlantedTruth;
  /** True when the files were found in the cache rather than generated now. */
  cached: boolean;
  /** Generation time (0 when cached). */
  ms: number;
}

export type GenerateFormat = 'arrows' | 'arrow' | 'parquet' | 'csv' | 'ndjson';

export interface GenerateOptions {
  format?: GenerateFormat;
  /** Called as each part is generated and written: stage name, done, total. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

const EVENT_TYPES = ['view', 'cart', 'purchase'] as const;
const CATEGORY_NAMES = [
  'electronics.smartphone', 'electronics.audio', 'electronics.laptop', 'electronics.tv', 'appliances.kitchen',
  'appliances.cleaning', 'home.furniture', 'home.decor', 'home.garden', 'apparel.shoes', 'apparel.women',
  'apparel.men', 'apparel.kids', 'beauty.skincare', 'beauty.fragrance', 'sports.fitness', 'sports.outdoor',
  'toys.games', 'books.fiction', 'books.nonfiction', 'grocery.coffee', 'grocery.snacks', 'auto.accessories', 'pets.supplies',
];
const CATEGORY_MEDIAN_PRICE = [420, 85, 900, 650, 120, 210, 260, 35, 45, 80, 45, 40, 25, 22, 60, 55, 70, 30, 14, 18, 12, 6, 28, 20];

const MINUTE = 60_000;
const WRITE_ROWS = 1 << 17;

/**
 * Generates the dataset into `dir` (created; existing files replaced) and returns where it is.
 *
 * @example
 * const ds = await generateDataset('/tmp/data', datasetSpec('small'));
 * ds.files.events // '/tmp/data/events.arrows'
 */
export async function generateDataset(dir: string, spec: DatasetSpec, options: GenerateOptions = {}): Promise<GeneratedDataset> {
  const t0 = performance.now();
  const format = options.format ?? 'arrows';
  const ext = format === 'ndjson' ? 'ndjson' : format;
  const progress = options.onProgress ?? (() => undefined);
  await mkdir(dir, { recursive: true });
  const files = {
    events: join(dir, `events.${ext}`),
    follows: join(dir, `follows.${ext}`),
    links: join(dir, `links.${ext}`),
    truth: join(dir, 'truth.json'),
  };
  const r = random(spec.seed);
  const world = makeWorld(spec, r);
  const events = makeEvents(spec, world, r, (done) => progress('events: generating', done, spec.events));
  await writeEvents(files.events, events, world, (done) => progress('events: writing', done, events.n));
  const eventCount = events.n;
  const follows = makeFollows(spec, world, r);
  await writeColumns(files.follows, follows.n, (from, to) => [
    ['follower', int32Data(follows.src.subarray(from, to))],
    ['followee', int32Data(follows.dst.subarray(from, to))],
  ], (done) => progress('follows: writing', done, follows.n));
  const links = makeLinks(spec, world, r);
  const kindDict = vectorFromArray(['device', 'card'], new Utf8());
  await writeColumns(files.links, links.n, (from, to) => [
    ['user', int32Data(links.user.subarray(from, to))],
    ['kind', dictData(links.kind.subarray(from, to), kindDict, 2)],
    ['attribute', int32Data(links.attr.subarray(from, to))],
  ], (done) => progress('links: writing', done, links.n));
  const truth: PlantedTruth = {
    influencers: [...world.influencers].sort((a, b) => a - b),
    rings: links.rings,
    anomalies: [
      { kind: 'spike', metric: 'traffic', start: world.spike.start, end: world.spike.end, items: world.spike.items },
      { kind: 'outage', metric: 'purchases', start: world.outage.start, end: world.outage.end },
    ],
  };
  const counts = { events: eventCount, follows: follows.n, links: links.n };
  await writeFile(files.truth, JSON.stringify({ spec, counts, truth }, null, 1) + '\n');
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: GENERATOR_VERSION, format, spec, counts }, null, 1) + '\n');
  return { dir, spec, files, counts, truth, cached: false, ms: performance.now() - t0 };
}

/**
 * The dataset of `spec` in `cacheRoot/<name>/`: read back if a complete copy of the same spec
 * and generator version is there, otherwise generated (into a temporary folder renamed into
 * place at the end, so an interrupted run leaves no half-written cache).
 */
export async function cachedDataset(cacheRoot: string, spec: DatasetSpec, options: GenerateOptions = {}): Promise<GeneratedDataset> {
  const dir = join(cacheRoot, datasetName(spec));
  const format = options.format ?? 'arrows';
  const found = await readCached(dir, spec, format);
  if (found) return found;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const made = await generateDataset(tmp, spec, options);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  const rel = (p: string) => join(dir, p.slice(tmp.length + 1));
  return { ...made, dir, files: { events: rel(made.files.events), follows: rel(made.files.follows), links: rel(made.files.links), truth: rel(made.files.truth) } };
}

async function readCached(dir: string, spec: DatasetSpec, format: GenerateFormat): Promise<GeneratedDataset | null> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: number; format: string; spec: DatasetSpec; counts: GeneratedDataset['counts'] };
    if (manifest.version !== GENERATOR_VERSION || manifest.format !== format || JSON.stringify(manifest.spec) !== JSON.stringify(spec)) return null;
    const ext = format;
    const files = { events: join(dir, `events.${ext}`), follows: join(dir, `follows.${ext}`), links: join(dir, `links.${ext}`), truth: join(dir, 'truth.json') };
    if (!Object.values(files).every((f) => existsSync(f))) return null;
    const { truth } = JSON.parse(await readFile(files.truth, 'utf8')) as { truth: PlantedTruth };
    return { dir, spec, files, counts: manifest.counts, truth, cached: true, ms: 0 };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the world: users, items, time

interface World {
  /** Cumulative activity of users 1..U (index u - 1). */
  userCum: Float64Array;
  /** Cumulative popularity of items by index; itemId[index] is the item. */
  itemCum: Float64Array;
  itemId: Int32Array;
  itemCategory: Uint8Array;
  itemPrice: Float64Array;
  /** Cumulative session-start weight of each minute from start - warm-up to the end. */
  minuteCum: Float64Array;
  warmupMinutes: number;
  end: number;
  influencers: number[];
  spike: { start: number; end: number; items: number[] };
  outage: { start: number; end: number };
}

/** The daily rhythm: busiest at 15:00 UTC (1.55x), quietest at 03:00 (0.45x); weekends 15% busier. */
function intensity(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.15 : 1;
  return (1 + 0.55 * Math.sin((2 * Math.PI * (h - 9)) / 24)) * weekend;
}

function makeWorld(spec: DatasetSpec, r: Random): World {
  const activity = new Float64Array(spec.users);
  for (let u = 0; u < spec.users; u++) activity[u] = Math.exp(1.3 * r.normal());
  const itemOrder = permutation(spec.items, r);
  const pop = new Float64Array(spec.items);
  for (let k = 0; k < spec.items; k++) pop[k] = 1 / (k + 1);
  const itemId = new Int32Array(spec.items);
  for (let k = 0; k < spec.items; k++) itemId[k] = itemOrder[k] + 1;
  const catWeight = cumulative(Array.from({ length: spec.categories }, (_, c) => 1 / Math.sqrt(c + 1)));
  const itemCategory = new Uint8Array(spec.items + 1);
  const itemPrice = new Float64Array(spec.items + 1);
  for (let item = 1; item <= spec.items; item++) {
    const c = pick(catWeight, r);
    itemCategory[item] = c;
    itemPrice[item] = Math.max(1, Math.round(CATEGORY_MEDIAN_PRICE[c] * Math.exp(0.5 * r.normal()) * 100) / 100);
  }
  const warmupMinutes = 30;
  const minutes = spec.hours * 60;
  const minuteW = new Float64Array(warmupMinutes + minutes);
  for (let m = 0; m < minuteW.length; m++) minuteW[m] = intensity(spec.start + (m - warmupMinutes) * MINUTE);
  const end = spec.start + minutes * MINUTE;
  const at = (fraction: number) => spec.start + Math.round(minutes * fraction) * MINUTE;
  const spikeItems: number[] = [];
  while (spikeItems.length < 3) {
    const item = itemId[Math.floor(spec.items / 2) + r.below(Math.ceil(spec.items / 2))];
    if (!spikeItems.includes(item)) spikeItems.push(item);
  }
  const influencers: number[] = [];
  while (influencers.length < spec.influencers) {
    const u = 1 + r.below(spec.users);
    if (!influencers.includes(u)) influencers.push(u);
  }
  return {
    userCum: cumulative(activity),
    itemCum: cumulative(pop),
    itemId,
    itemCategory,
    itemPrice,
    minuteCum: cumulative(minuteW),
    warmupMinutes,
    end,
    influencers,
    spike: { start: at(0.35), end: at(0.35) + 10 * MINUTE, items: spikeItems },
    outage: { start: at(0.7), end: at(0.7) + 15 * MINUTE },
  };
}

// ---------------------------------------------------------------- events

interface Events {
  n: number;
  time: Float64Array;
  user: Int32Array;
  item: Int32Array;
  type: Int8Array;
  /** Row order of the file: arrival order. */
  order: Int32Array;
}

/** Session behaviour: mean extra actions, mean think time, cart and checkout propensities. */
const SESSION = { meanActions: 6, meanGapMs: 45_000, maxGapMs: 20 * MINUTE, cartAfterView: 0.1, checkout: 0.35 };

function makeEvents(spec: DatasetSpec, w: World, r: Random, progress: (done: number) => void): Events {
  const total = spec.events;
  const time = new Float64Array(total);
  const user = new Int32Array(total);
  const item = new Int32Array(total);
  const type = new Int8Array(total);
  // The spike adds ~4 views per normal event in its window.
  let spikeWeight = 0;
  let allWeight = 0;
  for (let m = w.warmupMinutes; m < w.minuteCum.length; m++) {
    const wm = w.minuteCum[m] - w.minuteCum[m - 1];
    allWeight += wm;
    const t = spec.start + (m - w.warmupMinutes) * MINUTE;
    if (t >= w.spike.start && t < w.spike.end) spikeWeight += wm;
  }
  const spikeEvents = Math.round((4 * total * spikeWeight) / (allWeight + 4 * spikeWeight));
  const base = total - spikeEvents;
  const origin = spec.start - w.warmupMinutes * MINUTE;
  let n = 0;
  const emit = (t: number, u: number, it: number, ty: number) => {
    if (t < spec.start || t >= w.end || n >= base) return;
    time[n] = t;
    user[n] = u;
    item[n] = it;
    type[n] = ty;
    n++;
  };
  let nextReport = 0;
  while (n < base) {
    const u = 1 + pick(w.userCum, r);
    let t = Math.floor(origin + pick(w.minuteCum, r) * MINUTE + r() * MINUTE);
    const actions = 1 + Math.floor(r.exp(SESSION.meanActions));
    let viewed = -1;
    let carted = -1;
    for (let a = 0; a < actions; a++) {
      if (a > 0) t += Math.min(SESSION.maxGapMs, 1000 + Math.floor(r.exp(SESSION.meanGapMs)));
      if (carted >= 0 && r() < SESSION.checkout) {
        // During the outage checkout fails: no purchase, the cart stays.
        if (t >= w.outage.start && t < w.outage.end) continue;
        emit(t, u, carted, 2);
        carted = -1;
      } else if (viewed >= 0 && r() < SESSION.cartAfterView) {
        emit(t, u, viewed, 1);
        carted = viewed;
      } else {
        viewed = w.itemId[pick(w.itemCum, r)];
        emit(t, u, viewed, 0);
      }
    }
    if (n >= nextReport) {
      progress(n);
      nextReport = n + 500_000;
    }
  }
  for (let i = 0; i < spikeEvents; i++) {
    time[n] = w.spike.start + Math.floor(r() * (w.spike.end - w.spike.start));
    user[n] = 1 + r.below(spec.users);
    item[n] = w.spike.items[r.below(w.spike.items.length)];
    type[n] = 0;
    n++;
  }
  progress(n);
  return { n, time, user, item, type, order: arrivalOrder(time, n, spec, r) };
}

/**
 * Row order by arrival time = event time + a latency (exponential, mean 2.5 s, capped at
 * maxDelayMs), by a counting sort on arrival seconds (events arriving within the same second
 * keep generation order, which adds under a second of disorder). O(n).
 */
function arrivalOrder(time: Float64Array, n: number, spec: DatasetSpec, r: Random): Int32Array {
  const buckets = spec.hours * 3600 + Math.ceil(spec.maxDelayMs / 1000) + 2;
  const bucket = new Int32Array(n);
  const count = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const delay = Math.min(spec.maxDelayMs - 1000, Math.floor(r.exp(2500)));
    const b = Math.floor((time[i] + delay - spec.start) / 1000);
    bucket[i] = b;
    count[b + 1]++;
  }
  for (let b = 1; b <= buckets; b++) count[b] += count[b - 1];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[count[bucket[i]]++] = i;
  return order;
}

async function writeEvents(path: string, e: Events, w: World, progress: (done: number) => void): Promise<void> {
  const typeDict = vectorFromArray([...EVENT_TYPES], new Utf8());
  const catDict = vectorFromArray(CATEGORY_NAMES, new Utf8());
  await writeColumns(path, e.n, (from, to) => {
    const len = to - from;
    const time = new Float64Array(len);
    const user = new Int32Array(len);
    const item = new Int32Array(len);
    const category = new Int8Array(len);
    const type = new Int8Array(len);
    const price = new Float64Array(len);
    for (let j = 0; j < len; j++) {
      const i = e.order[from + j];
      time[j] = e.time[i];
      user[j] = e.user[i];
      const it = e.item[i];
      item[j] = it;
      category[j] = w.itemCategory[it];
      type[j] = e.type[i];
      price[j] = w.itemPrice[it];
    }
    return [
      ['time', float64Data(time)],
      ['user', int32Data(user)],
      ['item', int32Data(item)],
      ['category', dictData(category, catDict, 0)],
      ['type', dictData(type, typeDict, 1)],
      ['price', float64Data(price)],
    ];
  }, progress);
}

// ---------------------------------------------------------------- follow graph

function makeFollows(spec: DatasetSpec, w: World, r: Random): { n: number; src: Int32Array; dst: Int32Array } {
  const U = spec.users;
  // Communities of Pareto(1.2) sizes (at least 20 members), members in a random order; the
  // first members of each are its popular ones.
  const members = permutation(U, r);
  const bounds: number[] = [0];
  while (bounds[bounds.length - 1] < U) {
    const size = Math.max(20, Math.round(Math.min(U / 8, 400 * (1 - r()) ** (-1 / 1.2))));
    bounds.push(Math.min(U, bounds[bounds.length - 1] + size));
  }
  const community = new Int32Array(U);
  for (let c = 0; c + 1 < bounds.length; c++) for (let i = bounds[c]; i < bounds[c + 1]; i++) community[members[i]] = c;
  const global = permutation(U, r);
  const cap = Math.round(U * spec.follows * 1.1) + spec.influencers * spec.influencerFollowers;
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let n = 0;
  const push = (a: number, b: number) => {
    if (n === src.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(Math.ceil(x.length * 1.5));
        y.set(x);
        return y;
      };
      src = grow(src);
      dst = grow(dst);
    }
    src[n] = a;
    dst[n] = b;
    n++;
  };
  for (let u = 0; u < U; u++) {
    const c = community[u];
    const lo = bounds[c];
    const size = bounds[c + 1] - lo;
    const k = Math.floor(r.exp(spec.follows));
    for (let j = 0; j < k; j++) {
      const v = r() < 0.85 ? members[lo + Math.floor(size * r() ** 2)] : global[Math.floor(U * r() ** 2)];
      if (v !== u) push(u + 1, v + 1);
    }
  }
  // Influencers are followed by active users (drawn by activity), each follower once.
  for (const inf of w.influencers) {
    const seen = new Set<number>();
    for (let tries = 0; seen.size < Math.min(spec.influencerFollowers, U - 1) && tries < 20 * spec.influencerFollowers; tries++) {
      const f = 1 + pick(w.userCum, r);
      if (f === inf || seen.has(f)) continue;
      seen.add(f);
      push(f, inf);
    }
  }
  return { n, src: src.subarray(0, n), dst: dst.subarray(0, n) };
}

// ---------------------------------------------------------------- account links

function makeLinks(spec: DatasetSpec, w: World, r: Random): { n: number; user: Int32Array; kind: Int8Array; attr: Int32Array; rings: PlantedTruth['rings'] } {
  const U = spec.users;
  const cap = Math.round(U * 2.6) + 64 * spec.rings + 200 * Math.max(5, Math.round(U / 20_000));
  const user = new Int32Array(cap);
  const kind = new Int8Array(cap);
  const attr = new Int32Array(cap);
  let n = 0;
  const link = (u: number, k: number, a: number) => {
    user[n] = u;
    kind[n] = k;
    attr[n] = a;
    n++;
  };
  let devices = 0;
  let cards = 0;
  const firstDevice = new Int32Array(U + 1);
  for (let u = 1; u <= U; u++) {
    const x = r();
    const nd = x < 0.7 ? 1 : x < 0.95 ? 2 : 3;
    for (let j = 0; j < nd; j++) {
      link(u, 0, ++devices);
      if (j === 0) firstDevice[u] = devices;
    }
    const y = r();
    const nc = y < 0.3 ? 0 : y < 0.9 ? 1 : 2;
    for (let j = 0; j < nc; j++) link(u, 1, ++cards);
  }
  // Ring members come from a shuffled list; households and kiosk users from the rest of it.
  const order = permutation(U, r);
  const influencers = new Set(w.influencers);
  let next = 0;
  const take = () => {
    while (influencers.has(order[next] + 1)) next++;
    return order[next++] + 1;
  };
  const rings: PlantedTruth['rings'] = [];
  for (let g = 0; g < spec.rings; g++) {
    const size = 3 + r.below(6);
    const nd = 1 + r.below(Math.min(3, size - 1));
    const nc = 1 + r.below(Math.min(2, size - nd));
    const shared: Array<[number, number]> = [];
    const ring = { users: [] as number[], devices: [] as number[], cards: [] as number[] };
    for (let j = 0; j < nd; j++) {
      shared.push([0, ++devices]);
      ring.devices.push(devices);
    }
    for (let j = 0; j < nc; j++) {
      shared.push([1, ++cards]);
      ring.cards.push(cards);
    }
    // A chain: member i uses shared attributes i and i + 1 (mod A), so every shared attribute has
    // two or more users and the ring is connected.
    const A = shared.length;
    for (let i = 0; i < size; i++) {
      const u = take();
      ring.users.push(u);
      link(u, shared[i % A][0], shared[i % A][1]);
      if (A > 1) link(u, shared[(i + 1) % A][0], shared[(i + 1) % A][1]);
    }
    ring.users.sort((a, b) => a - b);
    rings.push(ring);
  }
  // Households: disjoint pairs sharing the first one's device (two users: not a ring).
  const pairs = Math.floor(U * 0.03);
  for (let p = 0; p < pairs && next + 2 < U; p++) {
    const a = take();
    const b = take();
    link(b, 0, firstDevice[a]);
  }
  // Kiosks: public devices used by 25–150 users each, far more than any ring.
  const kiosks = Math.max(5, Math.round(U / 20_000));
  for (let k = 0; k < kiosks; k++) {
    const id = ++devices;
    const users = 25 + r.below(126);
    for (let j = 0; j < users && next < U; j++) link(take(), 0, id);
  }
  return { n, user: user.subarray(0, n), kind: kind.subarray(0, n), attr: attr.subarray(0, n), rings };
}

// ---------------------------------------------------------------- writing

function int32Data(values: Int32Array): Data {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

function float64Data(values: Float64Array): Data {
  return makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values });
}

function dictData(indices: Int8Array, dictionary: Vector<Utf8>, id: number): Data {
  const type = new Dictionary<Utf8, Int8>(new Utf8(), new Int8(), id);
  return makeData<Dictionary<Utf8, Int8>>({ type, length: indices.length, nullCount: 0, data: indices, dictionary });
}

/** Writes `rows` rows in batches of WRITE_ROWS, each built by `batch(from, to)` as named columns. */
async function writeColumns(path: string, rows: number, batch: (from: number, to: number) => Array<[string, Data]>, progress: (done: number) => void): Promise<void> {
  const out = await openWriter(path);
  try {
    let schema: Schema | null = null;
    for (let from = 0; from < rows; from += WRITE_ROWS) {
      const to = Math.min(rows, from + WRITE_ROWS);
      const cols = batch(from, to);
      schema ??= new Schema(cols.map(([name, d]) => new Field(name, d.type as DataType, false)));
      const struct = makeData({ type: new Struct(schema.fields), length: to - from, nullCount: 0, children: cols.map(([, d]) => d) });
      await out.write(new Table(new RecordBatch(schema, struct)));
      progress(to);
    }
    await out.close();
  } catch (e) {
    await out.abort();
    throw e;
  }
}
