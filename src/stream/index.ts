/**
 * weir/stream — keyed event-time windows with Apache Flink's semantics, in WebAssembly.
 * @module
 */
export { windowOperator, WindowOperator, type WindowOptions, type WindowOutput, type WindowStats } from './operator.js';
export { tumbling, sliding, session, type WindowSpec, type Duration } from './windows.js';
export { parseAggregate, SKETCH_DEFAULTS, type AggDef } from './aggregates.js';
export type { BatchInput, ColumnInput } from './batch.js';
export { parseDuration } from '../runtime/duration.js';
