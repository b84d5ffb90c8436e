/**
 * rings: fraud rings — groups of users linked through shared devices, cards, phone numbers or
 * addresses. The input is a bipartite user–attribute edge list (one row per "user used
 * attribute"); two users are linked when they share an attribute, and a ring is a connected
 * component of that user–attribute graph (NetworkX: connected_components of the bipartite graph,
 * projected onto users). Attributes used by more than `maxAttributeUsers` users (a shared office
 * Wi-Fi, a marketplace's default address) are ignored so they do not glue the whole graph
 * together. Rings come largest first, each with the attributes that tie it (used by two or more
 * of its users). O(E) plus the component search, in a graph that is disposed before returning.
 */
import { WeirError } from '../runtime/errors.js';
import { toIdColumn, type IdColumn, type IdColumnInput } from './columns.js';
import { weaklyConnectedComponents } from './components.js';
import { Graph } from './graph.js';
import { checkNumber, resolve } from './options.js';

export const RINGS_DEFAULTS = Object.freeze({
  /** Fewest users in a ring. */
  minSize: 2 as number,
  /** Most users in a ring (larger components are dropped). */
  maxSize: Infinity as number,
  /** Ignore attributes shared by more users than this. */
  maxAttributeUsers: Infinity as number,
});

export interface RingsInput {
  /** User id of each row. */
  user: IdColumnInput;
  /** Attribute id (device, card, …) of each row; same length. */
  attribute: IdColumnInput;
}

export interface Ring {
  /** Users in the ring, in order of first appearance. */
  users: (number | string)[];
  /** Attributes shared by two or more of the ring's users. */
  attributes: (number | string)[];
}

/**
 * Groups users into rings through the attributes they share.
 *
 * @example
 * await rings({ user: ['u1', 'u2', 'u3'], attribute: ['card9', 'card9', 'dev4'] })
 * // [{ users: ['u1', 'u2'], attributes: ['card9'] }]
 */
export async function rings(input: RingsInput, options?: Partial<typeof RINGS_DEFAULTS>): Promise<Ring[]> {
  if (typeof input !== 'object' || input === null) throw new WeirError('E_ARG', 'weir/graph/rings: input must be { user, attribute }');
  const o = resolve('rings', RINGS_DEFAULTS, options);
  checkNumber('rings', 'minSize', o.minSize, 1, Infinity, true);
  checkNumber('rings', 'maxSize', o.maxSize, 1, Infinity, true);
  checkNumber('rings', 'maxAttributeUsers', o.maxAttributeUsers, 1, Infinity, true);
  const users = toIdColumn(input.user, 'user');
  const attrs = toIdColumn(input.attribute, 'attribute');
  if (users.length !== attrs.length) throw new WeirError('E_LENGTH', `weir/graph/rings: user has ${users.length} ids but attribute has ${attrs.length}`);
  const u = intern(users);
  const a = intern(attrs);
  // distinct users per attribute, to drop over-shared attributes
  const pairs = new Set<number>();
  const attrUsers = new Int32Array(a.ids.length);
  const keep: number[] = [];
  for (let i = 0; i < u.codes.length; i++) {
    const key = u.codes[i] * a.ids.length + a.codes[i];
    if (pairs.has(key)) continue;
    pairs.add(key);
    attrUsers[a.codes[i]]++;
    keep.push(i);
  }
  const nu = u.ids.length;
  const src = new Int32Array(keep.length);
  const dst = new Int32Array(keep.length);
  let m = 0;
  for (const i of keep) {
    if (attrUsers[a.codes[i]] > o.maxAttributeUsers) continue;
    src[m] = u.codes[i];
    dst[m] = nu + a.codes[i];
    m++;
  }
  // users are nodes 0..nu-1 and attributes nu..: ids equal indices, so results map back directly
  const graph = await Graph.fromEdges({ src: src.subarray(0, m), dst: dst.subarray(0, m), nodes: Int32Array.from({ length: nu + a.ids.length }, (_, i) => i) });
  let labels: Int32Array;
  try {
    labels = weaklyConnectedComponents(graph).labels;
  } finally {
    graph.dispose();
  }
  const groups = new Map<number, { users: number[]; attributes: number[] }>();
  for (let i = 0; i < nu; i++) {
    let g = groups.get(labels[i]);
    if (!g) groups.set(labels[i], (g = { users: [], attributes: [] }));
    g.users.push(i);
  }
  for (let j = 0; j < a.ids.length; j++) {
    if (attrUsers[j] < 2 || attrUsers[j] > o.maxAttributeUsers) continue;
    groups.get(labels[nu + j])?.attributes.push(j);
  }
  const out = [...groups.values()].filter((g) => g.users.length >= o.minSize && g.users.length <= o.maxSize);
  out.sort((x, y) => y.users.length - x.users.length || x.users[0] - y.users[0]);
  return out.map((g) => ({ users: g.users.map((i) => u.ids[i]), attributes: g.attributes.map((j) => a.ids[j]) }));
}

/** Dense codes for a column of ids, in order of first appearance. */
function intern(col: IdColumn): { codes: Int32Array; ids: (number | string)[] } {
  const index = new Map<unknown, number>();
  const ids: (number | string)[] = [];
  const codes = new Int32Array(col.length);
  let i = 0;
  for (const chunk of col.chunks as ArrayLike<unknown>[]) {
    const get = 'get' in chunk && typeof chunk.get === 'function' ? (j: number) => (chunk.get as (j: number) => unknown)(j)
      : 'codes' in chunk ? (j: number) => (chunk as unknown as { dict: { get(c: number): unknown }; codes: ArrayLike<number> }).dict.get((chunk as unknown as { codes: ArrayLike<number> }).codes[j])
      : (j: number) => chunk[j];
    for (let j = 0; j < chunk.length; j++, i++) {
      const v = get(j);
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new WeirError('E_GRAPH', `weir/graph/rings: ${col.name}[${i}] = ${String(v)} is not an id`);
      }
      let c = index.get(v);
      if (c === undefined) {
        c = ids.length;
        index.set(v, c);
        ids.push(v);
      }
      codes[i] = c;
    }
  }
  return { codes, ids };
}
