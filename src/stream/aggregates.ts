import { WeirError } from '../runtime/errors.js';
import { parseDuration } from '../runtime/duration.js';

/** Aggregate kinds, numbered as the kernel numbers them (assembly/stream/layout.ts AggType). */
export const AGG_TYPE = Object.freeze({
  count: 0, sum: 1, min: 2, max: 3, mean: 4, var: 5, var_pop: 6, stddev: 7, stddev_pop: 8,
  first: 9, last: 10, distinct: 11, quantile: 12, topk: 13, decayed: 14,
});
export type AggName = keyof typeof AGG_TYPE;

/** An aggregate parsed from its spec. */
export interface AggDef {
  /** The spec as given, e.g. `'p99:price'`. */
  readonly spec: string;
  /** The output column name: the spec with `:` replaced by `_`. */
  readonly name: string;
  readonly op: AggName;
  /** The input column, absent for count. */
  readonly column?: string;
  /** quantile q, top-k k, decayed half-life (ms), HyperLogLog precision. */
  readonly param: number;
  /** top-k counter capacity, DDSketch relative accuracy. */
  readonly param2: number;
}

/** Defaults of the sketches, documented with their error bounds. */
export const SKETCH_DEFAULTS = Object.freeze({
  /** HyperLogLog precision: 2^14 registers, standard error 1.04/√16384 ≈ 0.81 %. */
  hllPrecision: 14,
  /** DDSketch relative accuracy: every quantile within 1 % of the true value at that rank. */
  quantileAccuracy: 0.01,
  /** Space-saving counters per top-k: max(64, 4k); counts overestimate by at most N/capacity. */
  topkCapacity: (k: number) => Math.max(64, 4 * k),
});

const SIMPLE: readonly AggName[] = ['sum', 'min', 'max', 'mean', 'var', 'var_pop', 'stddev', 'stddev_pop', 'first', 'last', 'distinct'];
const COLUMN = /^[^:]+$/;

/**
 * Parses an aggregate spec: `count`, `sum:COL`, `min:COL`, `max:COL`, `mean:COL`, `var:COL`
 * (sample), `var_pop:COL`, `stddev:COL`, `stddev_pop:COL`, `first:COL`, `last:COL` (by event
 * time), `distinct:COL` (HyperLogLog), `pNN:COL` (quantile NN/100, e.g. p50, p99, p99.9),
 * `topk:K:COL` (space-saving heavy hitters), `decayed:COL:HALFLIFE` (Σ v·2^-(end−t)/halfLife).
 */
export function parseAggregate(spec: string): AggDef {
  if (typeof spec !== 'string' || spec.length === 0) throw new WeirError('E_AGG', `aggregates: expected a spec string such as 'sum:price', got ${JSON.stringify(spec)}`);
  const parts = spec.split(':');
  const head = parts[0];
  const name = spec.replaceAll(':', '_');
  const bad = (why: string) => new WeirError('E_AGG', `aggregates: '${spec}' ${why}`);
  const col = (c: string | undefined) => {
    if (c === undefined || !COLUMN.test(c) || c.trim() !== c || c === '') throw bad('needs a column name');
    return c;
  };
  if (head === 'count') {
    if (parts.length !== 1) throw bad("takes no column: write 'count'");
    return { spec, name, op: 'count', param: 0, param2: 0 };
  }
  if ((SIMPLE as string[]).includes(head)) {
    if (parts.length !== 2) throw bad(`expected '${head}:COLUMN'`);
    return { spec, name, op: head as AggName, column: col(parts[1]), param: head === 'distinct' ? 14 : 0, param2: 0 };
  }
  const pct = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(head);
  if (pct) {
    if (parts.length !== 2) throw bad(`expected '${head}:COLUMN'`);
    const q = Number(pct[1]) / 100;
    if (!(q >= 0 && q <= 1)) throw bad('needs a percentile from p0 to p100');
    return { spec, name, op: 'quantile', column: col(parts[1]), param: q, param2: SKETCH_DEFAULTS.quantileAccuracy };
  }
  if (head === 'topk') {
    const k = Number(parts[1]);
    if (parts.length !== 3 || !Number.isInteger(k) || k < 1 || k > 1000) throw bad("expected 'topk:K:COLUMN' with K from 1 to 1000");
    return { spec, name, op: 'topk', column: col(parts[2]), param: k, param2: SKETCH_DEFAULTS.topkCapacity(k) };
  }
  if (head === 'decayed') {
    if (parts.length !== 3) throw bad("expected 'decayed:COLUMN:HALFLIFE', e.g. 'decayed:price:1h'");
    const half = parseDuration(parts[2], `aggregates: '${spec}' half-life`);
    if (half <= 0) throw bad('needs a positive half-life');
    return { spec, name, op: 'decayed', column: col(parts[1]), param: half, param2: 0 };
  }
  throw new WeirError('E_AGG', `aggregates: unknown aggregate '${head}' in '${spec}'; known: count, sum, min, max, mean, var, var_pop, stddev, stddev_pop, first, last, distinct, pNN, topk, decayed`);
}

/** Aggregates whose input is an item (integer or string) rather than a number. */
export function takesItems(op: AggName): boolean {
  return op === 'distinct' || op === 'topk';
}
