/**
 * `weir window <file>`: keyed event-time windows over a file, written to a file.
 *
 * Reads CSV, NDJSON, Arrow IPC or Parquet in batches, pushes each batch through the stream
 * family's window operator with `emit: 'final'`, and writes every window's final revision
 * (ordered by window_end, then key) as `window_start, window_end, key`, then one column per
 * `--agg` named by its spec with ':' replaced by '_', in the order given. Times are epoch
 * milliseconds. Late events (beyond the allowed lateness) go to `--late-out` when given.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Table } from 'apache-arrow';
import { WeirError } from '../../runtime/errors.js';
import { parseDuration } from '../../runtime/duration.js';
import type { Format, TableWriter } from '../../io/index.js';

interface WindowCliOptions {
  time: string;
  key: string;
  tumbling?: string;
  sliding?: string;
  session?: string;
  offset?: string;
  outOfOrderness: string;
  lateness: string;
  agg: string[];
  out: string;
  lateOut?: string;
  format?: string;
  batchRows: string;
  strict?: boolean;
  progress: boolean;
}

const EXAMPLES = `
Aggregates (--agg, repeatable, in output order; default count):
  count, sum:COL, min:COL, max:COL, mean:COL, var:COL, stddev:COL, first:COL, last:COL,
  distinct:COL (HyperLogLog), pNN:COL (quantile, e.g. p50, p99, p99.9),
  topk:K:COL (heavy hitters, JSON text), decayed:COL:HALFLIFE (exponentially decayed sum)

Durations: 500ms, 30s, 5m, 1h, 1d, or a number of milliseconds.
Formats by extension: .csv, .ndjson/.jsonl, .arrow/.feather (IPC file), .arrows (IPC stream), .parquet

Examples:
  $ weir window events.csv --time ts --key user --tumbling 1m \\
      --agg count --agg sum:price --out per-minute.csv
  $ weir window clicks.parquet --time ts --key page --sliding 10m/1m \\
      --agg distinct:user --agg p99:latency --agg topk:10:referrer --out trending.arrow
  $ weir window app.ndjson --time ts --key user --session 30m --out-of-orderness 5s \\
      --lateness 1m --agg count --agg decayed:spend:1h --out sessions.parquet --late-out late.ndjson`;

/** Registers `weir window` on `program`. */
export function register(program: Command): void {
  program
    .command('window')
    .summary('keyed event-time windows (tumbling, sliding, session) over a file')
    .description(
      'Group events by key into event-time windows (Apache Flink semantics: [start, end) bounds, ' +
        'bounded-out-of-orderness watermarks, allowed lateness) and write one row per window with its final ' +
        'aggregates: window_start, window_end, key, then one column per --agg, ordered by window_end then key.',
    )
    .argument('<file>', 'input events: .csv, .ndjson/.jsonl, .arrow/.arrows/.feather or .parquet')
    .requiredOption('--time <column>', 'event-time column: epoch ms numbers or ISO 8601 strings')
    .requiredOption('--key <column>', 'key column: integers or strings')
    .option('--tumbling <size>', 'tumbling windows of this size, e.g. 1m')
    .option('--sliding <size/slide>', 'sliding windows, e.g. 10m/1m (size 10m, a new window every 1m)')
    .option('--session <gap>', 'session windows that close after this gap without events, e.g. 30m')
    .option('--offset <duration>', 'shift tumbling or sliding window starts by this much (default 0)')
    .option('--out-of-orderness <duration>', 'how far behind the newest event time an event may arrive', '0')
    .option('--lateness <duration>', 'allowed lateness after the watermark passes a window end', '0')
    .addOption(
      new Option('--agg <spec>', 'an aggregate, repeatable (see below)')
        .argParser((v: string, all: string[]) => [...all, v])
        .default([], 'count'),
    )
    .requiredOption('--out <file>', 'output file; its extension chooses the format')
    .option('--late-out <file>', 'write events too late for their window here')
    .option('--format <format>', 'input format when the extension does not say (csv, ndjson, arrow, arrows, parquet)')
    .option('--batch-rows <n>', 'rows per batch read', '65536')
    .option('--strict', 'fail on the first unparseable input row instead of skipping it')
    .option('--no-progress', 'do not show progress')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, opts: WindowCliOptions) => runWindow(file, opts));
}

async function runWindow(file: string, opts: WindowCliOptions): Promise<void> {
  const started = performance.now();
  const [{ windowOperator, tumbling, sliding, session, parseAggregate }, io, { createProgress, formatCount }] = await Promise.all([
    import('../../stream/index.js'),
    import('../../io/index.js'),
    import('../progress.js'),
  ]);

  const window = windowSpecOf(opts, { tumbling, sliding, session });
  const batchRows = Number(opts.batchRows);
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new WeirError('E_ARG', `--batch-rows: expected a positive integer, got ${JSON.stringify(opts.batchRows)}`);
  }
  const aggregates = opts.agg.length > 0 ? opts.agg : ['count'];
  const inputs = aggregates.map((spec) => parseAggregate(spec).column).filter((c): c is string => c !== undefined);
  const columns = [...new Set([opts.time, opts.key, ...inputs])];
  for (const out of [opts.out, opts.lateOut]) {
    if (out !== undefined && resolve(out) === resolve(file)) {
      throw new WeirError('E_ARG', `${out}: refusing to overwrite the input file`);
    }
  }
  if (opts.lateOut !== undefined && resolve(opts.lateOut) === resolve(opts.out)) {
    throw new WeirError('E_ARG', '--late-out: must be a different file from --out');
  }
  const reader = io.readBatches(file, {
    format: opts.format as Format | undefined, // checked by readBatches
    batchRows,
    columns,
    // Times may be ISO strings in text formats; numbers pass through as epoch ms.
    types: { [opts.time]: 'timestamp' },
    strict: opts.strict === true,
  });

  const op = await windowOperator({
    window,
    time: opts.time,
    key: opts.key,
    aggregates,
    outOfOrderness: parseDuration(opts.outOfOrderness, '--out-of-orderness'),
    lateness: parseDuration(opts.lateness, '--lateness'),
    emit: 'final',
  });
  const writers: TableWriter[] = [];
  const progress = createProgress({ enabled: opts.progress });
  let windows = 0;
  let late = 0;
  const batches = reader[Symbol.asyncIterator]();
  try {
    // The first batch comes before the outputs are opened, so a missing input file or column
    // fails without truncating an existing output.
    let next = await batches.next();
    const out = await io.openWriter(opts.out);
    writers.push(out);
    const lateOut = opts.lateOut === undefined ? null : await io.openWriter(opts.lateOut);
    if (lateOut) writers.push(lateOut);
    const emit = async (result: { windows: Table; late: Table }): Promise<void> => {
      const names = result.windows.schema.fields.map((f) => f.name).filter((n) => n !== 'revision' && n !== 'retract');
      await out.write(result.windows.select(names));
      windows += result.windows.numRows;
      late += result.late.numRows;
      if (lateOut) await lateOut.write(result.late);
    };

    const stage = progress.stage(`window ${file}`, reader.stats.totalBytes, 'bytes');
    for (; !next.done; next = await batches.next()) {
      await emit(op.push(next.value));
      stage.update(reader.stats.bytesRead, reader.stats.totalBytes);
    }
    await emit(op.flush());
    stage.finish();
    progress.stop();
    for (const w of writers) await w.close();
  } catch (e) {
    progress.stop();
    await Promise.allSettled([batches.return?.(), ...writers.map((w) => w.abort())]);
    throw e;
  } finally {
    op.dispose();
  }

  const { stats } = reader;
  for (const bad of stats.badRowSamples) process.stderr.write(`weir: warning: ${file}:${bad.line}: ${bad.message}\n`);
  if (stats.badRows > stats.badRowSamples.length) {
    process.stderr.write(`weir: warning: ${formatCount(stats.badRows - stats.badRowSamples.length)} more bad rows skipped\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const skipped = stats.badRows > 0 ? `, ${formatCount(stats.badRows)} bad rows skipped` : '';
  process.stderr.write(
    `weir window: ${formatCount(stats.rows)} events, ${formatCount(windows)} windows, ${formatCount(late)} late events${skipped} ` +
      `in ${seconds.toFixed(2)} s (${formatCount(stats.rows / Math.max(seconds, 1e-9))} events/s)\n`,
  );
}

type Assigners = Pick<typeof import('../../stream/index.js'), 'tumbling' | 'sliding' | 'session'>;

function windowSpecOf(opts: WindowCliOptions, { tumbling, sliding, session }: Assigners) {
  const chosen = (['tumbling', 'sliding', 'session'] as const).filter((k) => opts[k] !== undefined);
  if (chosen.length !== 1) {
    throw new WeirError(
      'E_ARG',
      chosen.length === 0
        ? 'choose a window: --tumbling SIZE, --sliding SIZE/SLIDE or --session GAP'
        : `choose one window kind, not ${chosen.map((k) => `--${k}`).join(' and ')}`,
    );
  }
  const offset = opts.offset === undefined ? undefined : parseDuration(opts.offset, '--offset');
  if (opts.tumbling !== undefined) return tumbling(parseDuration(opts.tumbling, '--tumbling'), { offset });
  if (opts.sliding !== undefined) {
    const parts = opts.sliding.split('/');
    if (parts.length !== 2) {
      throw new WeirError('E_ARG', `--sliding: expected SIZE/SLIDE such as 10m/1m, got ${JSON.stringify(opts.sliding)}`);
    }
    return sliding(parseDuration(parts[0], '--sliding size'), parseDuration(parts[1], '--sliding slide'), { offset });
  }
  if (offset !== undefined) throw new WeirError('E_ARG', '--offset: applies to --tumbling and --sliding, not --session');
  return session(parseDuration(opts.session!, '--session'));
}
