/**
 * Sessions: session windows per user (a gap of inactivity, 30 minutes by default, ends one),
 * counting events and purchases. Each closed session is fed to a second operator over the
 * whole stream that keeps the count, means and DDSketch quantiles of session length and
 * duration, so nothing grows with the number of sessions; a small histogram of lengths is
 * kept beside it.
 */
import { session, windowOperator, type WindowOperator, type WindowOutput } from '../stream/index.js';
import type { EventBatch } from './batch.js';
import type { Quantiles, Sessions } from './types.js';
import { numbers, WHOLE_STREAM, type TimeSettings } from './windows.js';

/** Upper bounds of the session-length histogram's buckets (events); the last bucket is open. */
export const LENGTH_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100, Infinity];

const STATS = ['count', 'sum:converted', 'mean:events', 'p50:events', 'p90:events', 'p99:events', 'mean:duration', 'p50:duration', 'p90:duration', 'p99:duration'];

export class SessionFigures {
  private readonly histogram = new Float64Array(LENGTH_BUCKETS.length);
  private final: WindowOutput | null = null;
  private zeros = new Float64Array(0);

  private constructor(private readonly sessions: WindowOperator, private readonly stats: WindowOperator, private readonly gapMs: number) {}

  static async create(time: TimeSettings, gapMs: number): Promise<SessionFigures> {
    // Without lateness a fired session never changes, so its first firing is final and the
    // operator can skip ordering and holding rows ('final' sorts a million sessions).
    const sessions = await windowOperator({
      window: session(gapMs), time: 'time', key: 'user', aggregates: ['count', 'sum:purchase'],
      outOfOrderness: time.outOfOrderness, lateness: time.lateness, emit: time.lateness === 0 ? 'updates' : 'final',
    });
    // Closed sessions all go into one window at time 0: it fires at flush and nothing is late.
    const stats = await windowOperator({ window: WHOLE_STREAM, time: 'at', key: 'all', aggregates: STATS, emit: 'final' });
    return new SessionFigures(sessions, stats, gapMs);
  }

  push(b: EventBatch): void {
    this.take(this.sessions.push({ time: b.time, user: b.user, purchase: b.purchase }));
  }

  finish(): Sessions {
    this.take(this.sessions.flush());
    this.final = this.stats.flush();
    const w = this.final.windows;
    const get = (name: string) => (w.numRows ? numbers(w, name)[0] : NaN);
    const q = (col: string): Quantiles => ({ mean: get(`mean_${col}`), p50: get(`p50_${col}`), p90: get(`p90_${col}`), p99: get(`p99_${col}`) });
    return {
      gapMs: this.gapMs,
      count: w.numRows ? get('count') : 0,
      converting: w.numRows ? get('sum_converted') : 0,
      length: q('events'),
      durationMs: q('duration'),
      lengthHistogram: LENGTH_BUCKETS.map((upTo, i) => ({ upTo, sessions: this.histogram[i] })),
    };
  }

  dispose(): void {
    this.sessions.dispose();
    this.stats.dispose();
  }

  private take(out: WindowOutput): void {
    const w = out.windows;
    const n = w.numRows;
    if (n === 0) return;
    const start = numbers(w, 'window_start');
    const end = numbers(w, 'window_end');
    const count = numbers(w, 'count');
    const purchases = numbers(w, 'sum_purchase');
    // A session window is [first event, last event + gap).
    const duration = new Float64Array(n);
    const converted = new Float64Array(n);
    const events = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      duration[i] = end[i] - this.gapMs - start[i];
      converted[i] = purchases[i] > 0 ? 1 : 0;
      events[i] = count[i];
      let b = 0;
      while (count[i] > LENGTH_BUCKETS[b]) b++;
      this.histogram[b]++;
    }
    if (this.zeros.length < n) this.zeros = new Float64Array(n);
    const at = this.zeros.subarray(0, n);
    this.stats.push({ at, all: new Int32Array(n), events, duration, converted });
  }
}
