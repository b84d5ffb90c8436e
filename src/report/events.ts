/**
 * The events stage: reads the events file batch by batch and pushes every batch through all of
 * the report's window operators (traffic, funnel, trending, sessions), so the events are read
 * once and never held whole — memory is one batch plus the operators' state.
 */
import { WeirError } from '../runtime/errors.js';
import { readBatches, formatOf, type Format } from '../io/index.js';
import { EventBatcher, type EventColumns, type TimeScale } from './batch.js';
import { EVENT_COLUMNS, peekColumns, pickColumn } from './columns.js';
import { FunnelFigures, type FunnelResult } from './funnel.js';
import { SessionFigures } from './sessions.js';
import { TrafficFigures, type TrafficResult } from './traffic.js';
import { TrendingFigures } from './trending.js';
import type { InputSummary, Sessions, Trending } from './types.js';
import type { TimeSettings } from './windows.js';

export interface EventOptions extends TimeSettings {
  /** Column names by role; unset ones are looked up among common names. */
  columns: Partial<Record<keyof EventColumns, string>>;
  timeScale?: TimeScale;
  sessionGapMs: number;
  halfLifeMs: number;
  top: number;
  strict: boolean;
  batchRows?: number;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
}

export interface EventFigures {
  input: InputSummary;
  traffic: TrafficResult;
  funnel: FunnelResult;
  trending: Trending;
  sessions: Sessions;
  timeScale: TimeScale;
  rows: number;
}

/** The columns of the events file by role, checked against the file before anything is read. */
export async function eventColumns(path: string, given: EventOptions['columns']): Promise<EventColumns> {
  const present = await peekColumns(path);
  if (present.length === 0) throw new WeirError('E_IO', `${path}: the events file is empty; there is nothing to report`);
  const what = `the events file ${path}`;
  return {
    time: pickColumn(present, 'time', given.time, EVENT_COLUMNS.time, what, '--time')!,
    user: pickColumn(present, 'user', given.user, EVENT_COLUMNS.user, what, '--user')!,
    item: pickColumn(present, 'item', given.item, EVENT_COLUMNS.item, what, '--item')!,
    type: pickColumn(present, 'event type', given.type, EVENT_COLUMNS.type, what, '--type')!,
    price: pickColumn(present, 'price', given.price, EVENT_COLUMNS.price, what, '--price', true),
    category: pickColumn(present, 'category', given.category, EVENT_COLUMNS.category, what, '--category', true),
  };
}

/** Streams the events file through every operator and returns their figures. */
export async function streamEvents(path: string, cols: EventColumns, o: EventOptions): Promise<EventFigures> {
  const format: Format = formatOf(path);
  const names = [...new Set([cols.time, cols.user, cols.item, cols.type, cols.price, cols.category].filter((c): c is string => c !== null))];
  // Text formats read the time as a timestamp (ISO 8601 text or epoch numbers); binary ones keep their types.
  const types = format === 'csv' || format === 'ndjson' ? { [cols.time]: 'timestamp' as const } : undefined;
  const reader = readBatches(path, { columns: names, types, strict: o.strict, batchRows: o.batchRows ?? 65536 });
  const batcher = new EventBatcher(cols, o.timeScale);
  const time = { outOfOrderness: o.outOfOrderness, lateness: o.lateness };
  const traffic = await TrafficFigures.create(time, o.top);
  const funnel = await FunnelFigures.create(time, cols.category !== null);
  const trending = await TrendingFigures.create(time, o.halfLifeMs, o.top);
  const sessions = await SessionFigures.create(time, o.sessionGapMs);
  try {
    let rows = 0;
    for await (const table of reader) {
      const b = batcher.next(table);
      if (b !== null) {
        traffic.push(b);
        funnel.push(b);
        trending.push(b);
        sessions.push(b);
        rows += b.n;
      }
      o.onProgress?.(reader.stats.bytesRead, reader.stats.totalBytes, reader.stats.rows);
    }
    if (batcher.dropped > 0 && o.strict) {
      const s = batcher.droppedSamples[0];
      throw new WeirError('E_IO', `${path}: data row ${s.line}: ${s.message} (strict mode)`);
    }
    if (rows === 0) {
      const why = reader.stats.rows === 0 ? 'it has no rows' : `none of its ${reader.stats.rows} rows has a time, user and item`;
      throw new WeirError('E_IO', `${path}: no events to report on (${why})`);
    }
    const stats = reader.stats;
    const input: InputSummary = {
      path,
      format,
      rows: stats.rows,
      badRows: stats.badRows + batcher.dropped,
      badRowSamples: [
        ...stats.badRowSamples.map((s) => ({ where: `line ${s.line}`, message: s.message })),
        ...batcher.droppedSamples.map((s) => ({ where: `data row ${s.line}`, message: s.message })),
      ].slice(0, 5),
      columns: Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== null)) as Record<string, string>,
    };
    const t = traffic.finish();
    const trend = trending.finish();
    trend.topPerHour = t.topPerHour;
    return { input, traffic: t, funnel: funnel.finish(), trending: trend, sessions: sessions.finish(), timeScale: batcher.timeScale ?? 'ms', rows };
  } finally {
    traffic.dispose();
    funnel.dispose();
    trending.dispose();
    sessions.dispose();
  }
}
