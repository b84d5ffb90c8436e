// A small Node service that windows a clickstream with the weir SDK and logs each closed window.
//   node examples/node-service/index.mjs [--batches N]
// Per category and minute: events, revenue-like sum of prices, distinct users (HyperLogLog),
// p99 price (DDSketch) and the top 3 items (space-saving), with 3 s of out-of-orderness.
import { windowOperator, tumbling } from '../../dist/index.js';
import { clickstream } from './clickstream.mjs';

const argv = process.argv.slice(2);
const batches = Number(argv[argv.indexOf('--batches') + 1]) || 32;

const op = await windowOperator({
  window: tumbling('1m'),
  time: 'ts',
  key: 'category',
  aggregates: ['count', 'sum:price', 'distinct:user', 'p99:price', 'topk:3:item'],
  outOfOrderness: '3s',
});

// Consume results as a service would: from the operator's async iterator, apart from the producer.
const consumer = (async () => {
  let windows = 0;
  for await (const { windows: table, late } of op.results()) {
    const byWindow = new Map();
    for (const row of table) {
      const list = byWindow.get(row.window_start) ?? [];
      list.push(row);
      byWindow.set(row.window_start, list);
    }
    for (const [start, rows] of byWindow) {
      windows++;
      const events = rows.reduce((s, r) => s + r.count, 0);
      const busiest = rows.reduce((a, b) => (b.count > a.count ? b : a));
      const top = JSON.parse(busiest.topk_3_item).map((t) => t.item).join(',');
      console.log(
        `${new Date(start).toISOString().slice(0, 16)}Z  ${String(events).padStart(6)} events  ${rows.length} categories  ` +
          `busiest ${busiest.key.padEnd(8)} users≈${busiest.distinct_user}  p99 ${busiest.p99_price.toFixed(2)}  top items ${top}`,
      );
    }
    if (late.numRows > 0) console.log(`  ${late.numRows} late events to the side output`);
  }
  return windows;
})();

let events = 0;
let busyMs = 0;
for (const batch of clickstream({ batches })) {
  const t0 = performance.now();
  op.push(batch);
  busyMs += performance.now() - t0;
  events += batch.ts.length;
  await new Promise((r) => setImmediate(r)); // let the consumer log between batches
}
const t0 = performance.now();
op.flush();
busyMs += performance.now() - t0;
const windows = await consumer;
const stats = op.stats;
op.dispose();
console.log(
  `\n${events.toLocaleString('en-US')} events, ${windows} windows closed, ${stats.late} late; ` +
    `${busyMs.toFixed(0)} ms in the operator = ${((events / busyMs) * 1000 / 1e6).toFixed(1)}M events/s ` +
    `(5 aggregates incl. distinct, p99 and top-k, string keys)`,
);
