/**
 * Seeded event data for bench/stream.ts: columns of user-behaviour events as the window operator
 * takes them (ts in epoch ms as Float64, key and user as Int32, price as Float64).
 *
 * Event time is "mostly increasing with bounded out-of-orderness": events arrive in time order
 * except that a fraction of them are older than the newest event before them by less than
 * `maxDelayMs`. With an operator's `outOfOrderness` above `maxDelayMs` no event is ever late, so
 * every contender must produce the same windows.
 */
import { rng } from '../lib.ts';

/** One batch of columns, as `windowOperator(...).push` takes it. */
export interface EventBatch {
  ts: Float64Array;
  key: Int32Array;
  price: Float64Array;
  user: Int32Array;
}

export interface EventOptions {
  seed: number;
  /** Number of distinct keys (key ids 0 .. keys-1). */
  keys: number;
  /** Zipf exponent of key popularity; 0 draws keys uniformly. */
  zipf: number;
  /** Number of distinct users (user ids 0 .. users-1), drawn uniformly. */
  users: number;
  /** Event-time rate: 10M events at ~926/s span 3 hours. */
  eventsPerSecond: number;
  /** A delayed event is at most this many ms older than the newest event before it (exclusive bound). */
  maxDelayMs: number;
  /** Share of events that arrive delayed. */
  delayedFraction: number;
  /** Event time of the first event (epoch ms). */
  startMs: number;
}

export const DEFAULT_EVENTS: EventOptions = Object.freeze({
  seed: 1,
  keys: 10_000,
  zipf: 1.0,
  users: 100_000,
  eventsPerSecond: 10_000_000 / (3 * 3600),
  maxDelayMs: 4_000,
  delayedFraction: 0.1,
  startMs: Date.UTC(2025, 0, 1),
});

export function allocBatch(n: number): EventBatch {
  return { ts: new Float64Array(n), key: new Int32Array(n), price: new Float64Array(n), user: new Int32Array(n) };
}

/** Events `[start, end)` of `data` as views (no copy). */
export function slice(data: EventBatch, start: number, end: number): EventBatch {
  return {
    ts: data.ts.subarray(start, end),
    key: data.key.subarray(start, end),
    price: data.price.subarray(start, end),
    user: data.user.subarray(start, end),
  };
}

/** `data` cut into consecutive batches of `size` events (views, no copy). */
export function toBatches(data: EventBatch, size: number): EventBatch[] {
  const out: EventBatch[] = [];
  for (let i = 0; i < data.ts.length; i += size) out.push(slice(data, i, Math.min(i + size, data.ts.length)));
  return out;
}

/**
 * An endless, seeded source of events, so that 100M events can be streamed through a batch buffer
 * without being held in memory. Key popularity follows Zipf(`zipf`) over `keys` keys, ranks shuffled
 * so that hot keys are not the small ids; prices are log-normal around 20, rounded to cents.
 */
export class EventSource {
  private readonly next: () => number;
  private readonly opts: EventOptions;
  private readonly cdf: Float64Array | null;
  private readonly rankToKey: Int32Array | null;
  private index = 0;

  constructor(options: Partial<EventOptions> = {}) {
    this.opts = { ...DEFAULT_EVENTS, ...options };
    this.next = rng(this.opts.seed);
    if (this.opts.zipf > 0) {
      const { keys, zipf } = this.opts;
      this.cdf = new Float64Array(keys);
      let total = 0;
      for (let r = 0; r < keys; r++) this.cdf[r] = total += 1 / Math.pow(r + 1, zipf);
      for (let r = 0; r < keys; r++) this.cdf[r] /= total;
      this.rankToKey = shuffledIds(keys, this.next);
    } else {
      this.cdf = null;
      this.rankToKey = null;
    }
  }

  /** Writes the next `n` events into `batch` from position `from`. */
  fill(batch: EventBatch, from = 0, n = batch.ts.length - from): void {
    const { keys, users, eventsPerSecond, maxDelayMs, delayedFraction, startMs } = this.opts;
    const next = this.next;
    const msPerEvent = 1000 / eventsPerSecond;
    for (let i = from; i < from + n; i++) {
      const base = startMs + Math.floor(this.index++ * msPerEvent);
      batch.ts[i] = next() < delayedFraction ? base - Math.floor(next() * maxDelayMs) : base;
      batch.key[i] = this.cdf ? this.rankToKey![lowerBound(this.cdf, next())] : Math.floor(next() * keys);
      batch.price[i] = logNormalPrice(next);
      batch.user[i] = Math.floor(next() * users);
    }
  }
}

/** `n` events from a fresh {@link EventSource}. */
export function generateEvents(n: number, options: Partial<EventOptions> = {}): EventBatch {
  const data = allocBatch(n);
  new EventSource(options).fill(data);
  return data;
}

export interface SessionOptions {
  seed: number;
  keys: number;
  users: number;
  /** Event time covered by the data. */
  spanMs: number;
  /** A key's burst of activity lasts between these. */
  burstMinMs: number;
  burstMaxMs: number;
  /** Mean of the exponential idle time between a key's bursts (a 30 min session gap splits about half). */
  idleMeanMs: number;
  maxDelayMs: number;
  delayedFraction: number;
  startMs: number;
}

export const DEFAULT_SESSIONS: SessionOptions = Object.freeze({
  seed: 3,
  keys: 10_000,
  users: 100_000,
  spanMs: 3 * 3600_000,
  burstMinMs: 60_000,
  burstMaxMs: 20 * 60_000,
  idleMeanMs: 45 * 60_000,
  maxDelayMs: 4_000,
  delayedFraction: 0.1,
  startMs: Date.UTC(2025, 0, 1),
});

/**
 * `n` events in which every key alternates bursts of activity with idle spells, so that session
 * windows exist and close all through the data. All keys are equally busy while active; the events
 * of a burst are spread uniformly over it. Built whole (bursts, then a sort by time), not streamed.
 */
export function generateSessionEvents(n: number, options: Partial<SessionOptions> = {}): EventBatch {
  const o = { ...DEFAULT_SESSIONS, ...options };
  const next = rng(o.seed);
  const burstKey: number[] = [];
  const burstStart: number[] = [];
  const burstLength: number[] = [];
  for (let key = 0; key < o.keys; key++) {
    let t = next() * o.idleMeanMs;
    while (t < o.spanMs) {
      const end = Math.min(t + o.burstMinMs + next() * (o.burstMaxMs - o.burstMinMs), o.spanMs);
      burstKey.push(key);
      burstStart.push(t);
      burstLength.push(end - t);
      t = end - Math.log(1 - next()) * o.idleMeanMs;
    }
  }
  const active = burstLength.reduce((a, b) => a + b, 0);
  if (o.spanMs * o.keys >= 2 ** 53) throw new Error('session data: span x keys too large to pack exactly');

  // time * keys + key sorts by time and carries the key along, exactly, in one typed-array sort.
  const packed = new Float64Array(n);
  let filled = 0;
  let cumulative = 0;
  for (let b = 0; b < burstKey.length; b++) {
    cumulative += burstLength[b];
    const upTo = b === burstKey.length - 1 ? n : Math.round((n * cumulative) / active);
    for (; filled < upTo; filled++) {
      packed[filled] = Math.floor(burstStart[b] + next() * burstLength[b]) * o.keys + burstKey[b];
    }
  }
  packed.sort();

  const data = allocBatch(n);
  for (let i = 0; i < n; i++) {
    const key = packed[i] % o.keys;
    const base = o.startMs + (packed[i] - key) / o.keys;
    data.ts[i] = next() < o.delayedFraction ? base - Math.floor(next() * o.maxDelayMs) : base;
    data.key[i] = key;
    data.price[i] = logNormalPrice(next);
    data.user[i] = Math.floor(next() * o.users);
  }
  return data;
}

function shuffledIds(n: number, next: () => number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return ids;
}

/** First index whose cumulative share reaches `u`. */
function lowerBound(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** exp(N(3, 0.8)) rounded to cents: a median near 20 and a long right tail, as prices have. */
function logNormalPrice(next: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Math.round(Math.exp(3 + 0.8 * normal) * 100) / 100;
}
