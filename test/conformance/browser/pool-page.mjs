// The main-thread side of the browser check of weir/worker (bundled by run.mjs as page.js): a
// pool of 2 module Web Workers runs stream.window; the result must equal the same operator run
// in the page, an error must come back as a WeirError with its code, and arguments must be
// transferred (detached here).
import { createPool } from '../../../dist/worker/index.js';
import { windowOperator, tumbling } from '../../../dist/stream/index.js';
import { WeirError } from '../../../dist/index.js';

const options = { window: tumbling('10s'), time: 'ts', key: 'user', aggregates: ['count', 'sum:price', 'p90:price', 'topk:2:item'], outOfOrderness: '1s', lateness: '5s' };

function batch(seed, n) {
  const ts = Float64Array.from({ length: n }, (_, i) => i * 50 - ((i * seed * 7919) % 3000));
  const user = Int32Array.from({ length: n }, (_, i) => (i * seed) % 13);
  const price = Float64Array.from({ length: n }, (_, i) => ((i * 31 + seed) % 1000) / 10);
  const item = Int32Array.from({ length: n }, (_, i) => (i * seed) % 5);
  return { ts, user, price, item };
}

const plain = (t) => JSON.stringify({ schema: t.schema.fields.map((f) => `${f.name}:${f.type}`), rows: t.toArray().map((r) => r.toJSON()) });

export default async function main() {
  const pool = await createPool({ size: 2 });
  try {
    const seeds = [1, 2, 3, 4];
    const sent = seeds.map((s) => batch(s, 4000));
    const remote = await Promise.all(sent.map((b) => pool.run('stream.window', options, [b])));
    let same = true;
    for (const [i, s] of seeds.entries()) {
      const op = await windowOperator(options);
      const a = op.push(batch(s, 4000));
      const f = op.flush();
      op.dispose();
      const local = a.windows.numRows ? (f.windows.numRows ? a.windows.concat(f.windows) : a.windows) : f.windows;
      same &&= plain(remote[i].windows) === plain(local) && remote[i].windows.numRows > 0;
    }
    let error = null;
    try {
      await pool.run('stream.window', { ...options, aggregates: ['median:price'] }, []);
    } catch (e) {
      error = { weir: e instanceof WeirError, code: e.code, message: e.message };
    }
    return { ok: true, size: pool.size, same, detached: sent[0].ts.byteLength === 0, rows: remote.map((r) => r.windows.numRows), error };
  } finally {
    await pool.close();
  }
}
