// Shared helpers for the stream tests: run the wasm operator and the reference on the same events
// and bring both to comparable rows.
import type { Table } from 'apache-arrow';
import { windowOperator, tumbling, sliding, session, type WindowOutput, type WindowOperator } from '../../dist/stream/index.js';
import {
  runReference, refCount, refSum, refMin, refMax, refMean, refVariance, refFirst, refLast, refDecayed,
  type RefConfig, type RefEvent,
} from '../reference/windows.js';

export const SCALAR_AGGS = ['count', 'sum:v', 'min:v', 'max:v', 'mean:v', 'var:v', 'stddev_pop:v', 'first:v', 'last:v', 'decayed:v:7'];

export interface Row {
  window_start: number;
  window_end: number;
  key: number | string;
  revision: number;
  retract: boolean;
  [agg: string]: unknown;
}

export function rowsOf(t: Table): Row[] {
  return t.toArray().map((r) => {
    const o = r.toJSON() as Row;
    if (typeof o.key === 'bigint') o.key = Number(o.key);
    return o;
  });
}

export function windowOf(cfg: RefConfig) {
  return cfg.kind === 'tumbling' ? tumbling(cfg.size, { offset: cfg.offset }) : cfg.kind === 'sliding' ? sliding(cfg.size, cfg.slide, { offset: cfg.offset }) : session(cfg.gap);
}

export function columnsOf(events: RefEvent[]) {
  return {
    t: Float64Array.from(events, (e) => e.t),
    k: typeof events[0]?.key === 'string' ? events.map((e) => e.key as string) : Int32Array.from(events, (e) => e.key as number),
    v: Float64Array.from(events, (e) => e.v),
    u: typeof events[0]?.item === 'string' ? events.map((e) => e.item as string) : Int32Array.from(events, (e) => e.item as number),
  };
}

/**
 * Runs the wasm operator over `events` pushed in the given chunk sizes, then flushes. `toBatch`
 * turns each chunk into what is pushed (plain columns by default; tests of other input forms
 * pass Arrow tables or BigInt columns).
 */
export async function runWasm(cfg: RefConfig, events: RefEvent[], aggregates: string[], chunks: number[] = [events.length], emit: 'updates' | 'final' = 'updates', toBatch: (part: RefEvent[]) => Parameters<WindowOperator['push']>[0] = columnsOf) {
  const op = await windowOperator({ window: windowOf(cfg), time: 't', key: 'k', aggregates, outOfOrderness: cfg.bound, lateness: cfg.lateness, emit });
  const outs: WindowOutput[] = [];
  let at = 0;
  for (const c of chunks) {
    const part = events.slice(at, at + c);
    at += c;
    if (part.length) outs.push(op.push(toBatch(part)));
  }
  if (at < events.length) outs.push(op.push(toBatch(events.slice(at))));
  outs.push(op.flush());
  op.dispose();
  return {
    rows: outs.flatMap((o) => rowsOf(o.windows)),
    late: outs.flatMap((o) => o.late.toArray().map((r) => r.toJSON() as { t: number; k: number | string })),
  };
}

/** The reference's rows with the scalar aggregates computed. */
export function referenceRows(cfg: RefConfig, events: RefEvent[]) {
  const ref = runReference(cfg, events);
  const rows = ref.rows.map((r) => ({
    window_start: r.start,
    window_end: r.end,
    key: r.key,
    revision: r.revision,
    retract: r.retract,
    count: refCount(r.events),
    sum_v: refSum(r.events),
    min_v: refMin(r.events),
    max_v: refMax(r.events),
    mean_v: refMean(r.events),
    var_v: refVariance(r.events, true),
    stddev_pop_v: Math.sqrt(refVariance(r.events, false)),
    first_v: refFirst(r.events),
    last_v: refLast(r.events),
    decayed_v_7: refDecayed(r.events, r.end, 7),
    events: r.events,
  }));
  return { rows, late: ref.late };
}

const ident = (r: { window_start: number; window_end: number; key: unknown; revision: number; retract: boolean }) =>
  `${r.window_end}|${r.window_start}|${String(r.key)}|${r.revision}|${r.retract}`;

/** Sorts rows by (end, start, key, revision, retract) so emission order does not matter. */
export function sortRows<T extends { window_start: number; window_end: number; key: unknown; revision: number; retract: boolean }>(rows: T[]): T[] {
  return rows.slice().sort((a, b) => (ident(a) < ident(b) ? -1 : ident(a) > ident(b) ? 1 : 0));
}

/** Relative closeness that treats NaN/null as equal and tolerates float re-association. */
export function close(a: unknown, b: unknown, rel = 1e-9): boolean {
  const x = a === null ? NaN : (a as number);
  const y = b === null ? NaN : (b as number);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  return Math.abs(x - y) <= rel * Math.max(1, Math.abs(x), Math.abs(y));
}
