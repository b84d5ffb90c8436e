/**
 * `weir gen`: writes the built-in dataset of `weir report` — events, follow graph, account
 * links and the planted truth (influencers, fraud rings, anomalous periods) — at a chosen scale,
 * seeded, in any format weir reads.
 */
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { WeirError } from '../../runtime/errors.js';

interface GenCliOptions {
  scale: string;
  seed: string;
  events?: string;
  users?: string;
  items?: string;
  hours?: string;
  influencers?: string;
  rings?: string;
  out?: string;
  format: 'arrows' | 'arrow' | 'parquet' | 'csv' | 'ndjson';
  cache?: string;
  progress: boolean;
}

const EXAMPLES = `
Scales: tiny (20k events), small (200k events, 20k users, 8 h), medium (1M events, 100k users, 24 h),
        default (10M events, 1M users, 50k items, 7 days). --events/--users/… override a scale's sizes.

Writes events, follows and links (in --format), truth.json (what was planted) and manifest.json.
Without --out (and in the default arrows format) it fills the cache that 'weir report' reads.

Examples:
  $ weir gen --scale small                         # into .cache/weir-data/small-42/
  $ weir gen --scale default --format parquet --out data/
  $ weir gen --events 2000000 --users 200000 --hours 48 --seed 7 --out data2m/`;

/** Registers `weir gen` on `program`. */
export function register(program: Command): void {
  program
    .command('gen')
    .summary("write the built-in dataset of 'weir report' (clickstream, follow graph, account links)")
    .description(
      'Generate a seeded e-commerce clickstream (view, cart, purchase; out-of-order arrival), a power-law follow graph ' +
        'and account–device/card links, with planted influencers, fraud rings, a traffic spike and a checkout outage.',
    )
    .addOption(new Option('--scale <name>', 'preset size').choices(['tiny', 'small', 'medium', 'default']).default('default'))
    .option('--seed <n>', 'seed', '42')
    .option('--events <n>', 'events in total')
    .option('--users <n>', 'user accounts')
    .option('--items <n>', 'items')
    .option('--hours <n>', 'span of event time, hours')
    .option('--influencers <n>', 'planted influencer accounts')
    .option('--rings <n>', 'planted fraud rings')
    .option('--out <dir>', 'output folder (default: the cache folder weir report reads)')
    .addOption(new Option('--format <format>', 'file format').choices(['arrows', 'arrow', 'parquet', 'csv', 'ndjson']).default('arrows'))
    .option('--cache <dir>', 'cache folder (default .cache/weir-data, or $WEIR_CACHE)')
    .option('--no-progress', 'do not show progress')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: GenCliOptions) => runGen(opts));
}

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value.replace(/_/g, ''));
  if (value.trim() === '' || !Number.isInteger(x)) throw new WeirError('E_ARG', `${flag}: expected an integer, got ${JSON.stringify(value)}`);
  return x;
}

async function runGen(opts: GenCliOptions): Promise<void> {
  const [{ datasetSpec, datasetName, generateDataset, cachedDataset }, { createProgress, formatCount }] = await Promise.all([
    import('../../report/index.js'),
    import('../progress.js'),
  ]);
  const spec = datasetSpec(opts.scale, int(opts.seed, '--seed'), {
    events: int(opts.events, '--events'),
    users: int(opts.users, '--users'),
    items: int(opts.items, '--items'),
    hours: int(opts.hours, '--hours'),
    influencers: int(opts.influencers, '--influencers'),
    rings: int(opts.rings, '--rings'),
  });
  const progress = createProgress({ enabled: opts.progress });
  const bars = new Map<string, ReturnType<typeof progress.stage>>();
  const onProgress = (stage: string, done: number, total: number) => {
    let bar = bars.get(stage);
    if (!bar) bars.set(stage, (bar = progress.stage(`gen: ${stage}`, total, 'rows')));
    bar.update(done, total);
  };
  const cacheRoot = resolve(opts.cache ?? process.env.WEIR_CACHE ?? join('.cache', 'weir-data'));
  let ds;
  try {
    ds = opts.out === undefined && opts.format === 'arrows'
      ? await cachedDataset(cacheRoot, spec, { onProgress })
      : await generateDataset(resolve(opts.out ?? join('weir-data', datasetName(spec))), spec, { format: opts.format, onProgress });
    for (const bar of bars.values()) bar.finish();
  } finally {
    progress.stop();
  }
  const t = ds.truth;
  const lines = [
    `weir gen: ${ds.cached ? 'already in the cache' : `generated in ${(ds.ms / 1000).toFixed(1)} s`}: ${ds.dir}`,
    `  events:  ${ds.files.events} (${formatCount(ds.counts.events)} rows)`,
    `  follows: ${ds.files.follows} (${formatCount(ds.counts.follows)} rows)`,
    `  links:   ${ds.files.links} (${formatCount(ds.counts.links)} rows)`,
    `  truth:   ${ds.files.truth}: ${t.influencers.length} influencers, ${t.rings.length} fraud rings, ` +
      t.anomalies.map((a) => `${a.kind} ${new Date(a.start).toISOString().slice(0, 16).replace('T', ' ')}–${new Date(a.end).toISOString().slice(11, 16)} UTC`).join(', '),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
