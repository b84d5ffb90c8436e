// A deterministic e-commerce clickstream: views, carts and purchases of items by users, with
// event times that arrive out of order by up to a few seconds. Seeded, so every run is the same.

/** Mulberry32: a small seeded PRNG giving floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music', 'shoes', 'sports', 'toys', 'phones', 'tools'];
export const EVENT_TYPES = ['view', 'cart', 'purchase'];

/**
 * Yields batches of columns { ts, user, item, category, type, price } — `batches` of `size` events,
 * about `rate` events per second of event time starting at `start`, shuffled by up to `jitterMs`.
 */
export function* clickstream({ batches = 32, size = 65_536, rate = 2_000, start = Date.UTC(2026, 10, 24), jitterMs = 3_000, users = 200_000, items = 50_000, seed = 42 } = {}) {
  const random = rng(seed);
  let clock = start;
  for (let b = 0; b < batches; b++) {
    const ts = new Float64Array(size);
    const user = new Int32Array(size);
    const item = new Int32Array(size);
    const category = new Array(size);
    const type = new Array(size);
    const price = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      clock += (1000 / rate) * 2 * random();
      ts[i] = Math.floor(clock - jitterMs * random());
      user[i] = Math.floor(users * random() ** 2); // a few heavy users
      item[i] = Math.floor(items * random() ** 3); // popular items
      category[i] = CATEGORIES[item[i] % CATEGORIES.length];
      const r = random();
      type[i] = r < 0.9 ? 'view' : r < 0.97 ? 'cart' : 'purchase';
      price[i] = Math.round((5 + 200 * random() ** 2) * 100) / 100;
    }
    yield { ts, user, item, category, type, price };
  }
}
