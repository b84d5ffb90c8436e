/**
 * `weir report`: the user-behaviour report — traffic, funnel, trending items, sessions,
 * influencers, communities, fraud rings and anomalous minutes — from a clickstream, a follow
 * graph and account links, as out/report.html (one self-contained page) and out/report.json.
 * Without --events it runs on the built-in dataset (generated once into a cache folder).
 */
import { Option, type Command } from 'commander';
import { WeirError } from '../../runtime/errors.js';
import { parseDuration } from '../../runtime/duration.js';

interface ReportCliOptions {
  events?: string;
  follows?: string;
  links?: string;
  out: string;
  scale: string;
  seed: string;
  cache?: string;
  time?: string;
  user?: string;
  item?: string;
  type?: string;
  price?: string;
  category?: string;
  follower?: string;
  followee?: string;
  linkUser?: string;
  linkAttribute?: string;
  linkKind?: string;
  timeUnit?: 's' | 'ms' | 'us' | 'ns';
  outOfOrderness: string;
  lateness: string;
  sessionGap: string;
  halfLife: string;
  top: string;
  ringMinSize: string;
  maxShared: string;
  title?: string;
  strict?: boolean;
  workers: boolean;
  progress: boolean;
}

const EXAMPLES = `
Inputs (CSV, NDJSON, Arrow IPC or Parquet, chosen by extension):
  events   one row per event: time, user, item, type (view/cart/purchase), price, category
           (columns found by common names — time/timestamp/event_time, user/user_id, item/product_id,
           type/event_type, price, category/category_code — or named with --time, --user, …)
  follows  one row per follow: follower, followee (or src, dst)
  links    account links, long (user, attribute, kind = device/card) or wide (user, device, card)

Examples:
  $ weir report                                   # built-in 10M-event dataset -> out/report.html
  $ weir report --scale small --out /tmp/r        # 200k events, in a few seconds
  $ weir report --events events.parquet --follows follows.csv --links links.csv --out out
  $ weir report --events kaggle.csv --time event_time --type event_type --user user_id \\
      --item product_id --strict --out out`;

/** Registers `weir report` on `program`. */
export function register(program: Command): void {
  program
    .command('report')
    .summary('the user-behaviour report: clickstream + follow graph + account links -> report.html')
    .description(
      'Stream a clickstream through window operators (traffic per minute, distinct users per hour, funnel, ' +
        'trending items, sessions), rank influencers (PageRank) and find communities (Louvain) in the follow graph, ' +
        'find fraud rings in account–device/card links, flag anomalous minutes, and write report.html and report.json.',
    )
    .option('--events <file>', 'events file (default: the built-in dataset)')
    .option('--follows <file>', 'follow graph edges (follower -> followee)')
    .option('--links <file>', 'account–device/card links')
    .option('--out <dir>', 'output folder for report.html and report.json', 'out')
    .addOption(new Option('--scale <name>', 'built-in dataset size').choices(['tiny', 'small', 'medium', 'default']).default('default'))
    .option('--seed <n>', 'built-in dataset seed', '42')
    .option('--cache <dir>', 'built-in dataset cache folder (default .cache/weir-data, or $WEIR_CACHE)')
    .option('--time <column>', 'events: event-time column (epoch numbers or ISO 8601 text)')
    .option('--user <column>', 'events: user column')
    .option('--item <column>', 'events: item column')
    .option('--type <column>', 'events: event-type column (view, cart, purchase; others count as traffic only)')
    .option('--price <column>', 'events: price column (revenue = price of purchases)')
    .option('--category <column>', 'events: category column')
    .option('--follower <column>', 'follows: follower column')
    .option('--followee <column>', 'follows: followee column')
    .option('--link-user <column>', 'links: account column')
    .option('--link-attribute <column>', 'links: attribute (device/card id) column')
    .option('--link-kind <column>', 'links: kind column (device, card, …)')
    .addOption(new Option('--time-unit <unit>', 'unit of a numeric time column (default: judged from the values)').choices(['s', 'ms', 'us', 'ns']))
    .option('--out-of-orderness <duration>', 'how far behind the newest event time an event may arrive', '2m')
    .option('--lateness <duration>', 'allowed lateness after a window closes', '0')
    .option('--session-gap <duration>', 'inactivity that ends a session', '30m')
    .option('--half-life <duration>', 'half-life of the trending weight', '1h')
    .option('--top <n>', 'rows in each top list', '10')
    .option('--ring-min-size <n>', 'fewest accounts in a fraud ring', '3')
    .option('--max-shared <n>', 'ignore devices/cards shared by more accounts than this (kiosks, offices)', '20')
    .option('--title <text>', 'title of the report')
    .option('--strict', 'fail on the first bad input row instead of skipping and counting it')
    .option('--no-workers', 'do not use a worker thread for PageRank')
    .option('--no-progress', 'do not show progress')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: ReportCliOptions) => runReportCommand(opts));
}

function int(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isInteger(x)) throw new WeirError('E_ARG', `${flag}: expected an integer, got ${JSON.stringify(value)}`);
  return x;
}

async function runReportCommand(opts: ReportCliOptions): Promise<void> {
  if (opts.events === undefined && (opts.follows !== undefined || opts.links !== undefined)) {
    throw new WeirError('E_ARG', '--follows and --links need --events (without --events the built-in dataset is used)');
  }
  const settings = {
    outOfOrderness: parseDuration(opts.outOfOrderness, '--out-of-orderness'),
    lateness: parseDuration(opts.lateness, '--lateness'),
    sessionGap: parseDuration(opts.sessionGap, '--session-gap'),
    halfLife: parseDuration(opts.halfLife, '--half-life'),
    top: int(opts.top, '--top'),
    ringMinSize: int(opts.ringMinSize, '--ring-min-size'),
    maxShared: int(opts.maxShared, '--max-shared'),
    seed: int(opts.seed, '--seed'),
  };
  const [{ runReport }, { createProgress }] = await Promise.all([import('../../report/index.js'), import('../progress.js')]);
  const tty = process.stderr.isTTY === true;
  const progress = createProgress({ enabled: opts.progress });
  const log = (line: string) => {
    // On a terminal the bars show progress; in logs, one line per finished stage.
    if (opts.progress && !tty) process.stderr.write(`weir report: ${line}\n`);
  };
  let result;
  try {
    result = await runReport({
      events: opts.events,
      follows: opts.follows,
      links: opts.links,
      out: opts.out,
      scale: opts.scale,
      cacheDir: opts.cache,
      columns: {
        time: opts.time, user: opts.user, item: opts.item, type: opts.type, price: opts.price, category: opts.category,
        follower: opts.follower, followee: opts.followee, linkUser: opts.linkUser, linkAttribute: opts.linkAttribute, linkKind: opts.linkKind,
      },
      timeUnit: opts.timeUnit,
      ...settings,
      strict: opts.strict === true,
      workers: opts.workers,
      title: opts.title,
      stage: (name, total, unit) => progress.stage(`report: ${name}`, total, unit),
      log,
    });
  } finally {
    progress.stop();
  }
  process.stdout.write(summary(result.report, result.files));
}

function summary(r: import('../../report/index.js').Report, files: { html: string; json: string }): string {
  const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
  const h = r.headline;
  const lines = [
    `weir report: ${n(h.events)} events, ${n(h.users)} users (≈), ${n(h.items)} items, revenue ${n(h.revenue)}, conversion ${(100 * h.conversion).toFixed(2)} %`,
  ];
  const spike = r.anomalies.series.flatMap((s) => s.periods.map((p) => `${s.metric} ${s.side === 'upper' ? 'high' : 'low'} ${new Date(p.start).toISOString().slice(0, 16).replace('T', ' ')}+${p.minutes}m`));
  lines.push(`  anomalous periods: ${spike.length ? spike.join(', ') : 'none'}`);
  lines.push(`  sessions: ${n(r.sessions.count)}, median ${r.sessions.length.p50.toFixed(1)} events`);
  if (r.graph) lines.push(`  influencers: ${r.graph.influencers.slice(0, 5).map((x) => String(x.user)).join(', ')}${r.graph.influencers.length > 5 ? ', …' : ''}; ${n(r.graph.communities.count)} communities (modularity ${r.graph.communities.modularity.toFixed(3)})`);
  if (r.rings) lines.push(`  fraud rings: ${n(r.rings.count)}`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  lines.push(`  in ${(r.totalMs / 1000).toFixed(1)} s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  lines.push(`  report: ${files.html}`);
  lines.push(`  data:   ${files.json}`);
  return lines.join('\n') + '\n';
}
