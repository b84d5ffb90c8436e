import type { Table } from 'apache-arrow';
import type { AggDef } from './aggregates.js';
import { emptyRows, finalOrder, toTable, type KeyKind, type WindowRows } from './output.js';

interface PendingRow {
  start: number;
  end: number;
  key: number | bigint | string;
  values: Array<number | string>;
  revision: number;
}

/**
 * `emit: 'final'`: keeps each window's latest revision until its cleanup time (end − 1 +
 * lateness) has passed, drops retracted rows, and releases final rows ordered by window_end, then
 * key. With zero lateness every firing is final at once and nothing is buffered.
 */
export class FinalBuffer {
  private pending = new Map<string, PendingRow>();

  constructor(private readonly lateness: number, private readonly aggs: readonly AggDef[]) {}

  accept(rows: WindowRows, watermark: number, keyKind: KeyKind): Table {
    if (this.lateness === 0 && this.pending.size === 0 && !rows.retract.some((r) => r === 1)) {
      const order = finalOrder(rows, Array.from({ length: rows.length }, (_, i) => i));
      return toTable(rows, this.aggs, keyKind, order);
    }
    for (let r = 0; r < rows.length; r++) {
      const id = `${rows.start[r]}|${rows.end[r]}|${typeof rows.keys[r]}:${String(rows.keys[r])}`;
      if (rows.retract[r]) this.pending.delete(id);
      else this.pending.set(id, { start: rows.start[r], end: rows.end[r], key: rows.keys[r], values: rows.values.map((v) => v[r]), revision: rows.revision[r] });
    }
    const done: PendingRow[] = [];
    for (const [id, row] of this.pending) {
      if (row.end - 1 + this.lateness <= watermark) {
        done.push(row);
        this.pending.delete(id);
      }
    }
    const out = fromPending(done, this.aggs);
    return toTable(out, this.aggs, keyKind, finalOrder(out, Array.from({ length: out.length }, (_, i) => i)));
  }

  toJSON(): Array<[string, PendingRow]> {
    return [...this.pending].map(([id, row]) => [id, { ...row, key: typeof row.key === 'bigint' ? `${row.key}n` : row.key }]);
  }

  restore(saved: Array<[string, unknown]>): void {
    this.pending = new Map((saved as Array<[string, PendingRow]>).map(([id, row]) => [id, { ...row, key: typeof row.key === 'string' && id.includes('|bigint:') ? BigInt(row.key.slice(0, -1)) : row.key }]));
  }
}

function fromPending(done: PendingRow[], aggs: readonly AggDef[]): WindowRows {
  if (done.length === 0) return emptyRows(aggs);
  return {
    length: done.length,
    start: Float64Array.from(done, (r) => r.start),
    end: Float64Array.from(done, (r) => r.end),
    keys: done.map((r) => r.key),
    values: aggs.map((a, j) => (a.op === 'topk' ? done.map((r) => r.values[j] as string) : Float64Array.from(done, (r) => r.values[j] as number))),
    revision: Int32Array.from(done, (r) => r.revision),
    retract: new Uint8Array(done.length),
  };
}
