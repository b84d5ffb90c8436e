/**
 * Fraud rings: accounts tied together through devices and cards they share, found by weir/graph's
 * rings() over the user–attribute links. Links come long (user, attribute and optionally kind,
 * e.g. "device"/"card") or wide (user plus device/card/… columns, one link per filled cell).
 */
import { WeirError } from '../runtime/errors.js';
import { rings as findRings } from '../graph/index.js';
import { LINK_COLUMNS, peekColumns, pickColumn } from './columns.js';
import { readIdColumns, type IdColumn } from './read-columns.js';
import { NumberTable, distinctCount } from './number-table.js';
import type { InputSummary, RingFigures } from './types.js';

/** Column names given on the command line (unset ones are looked up among common names). */
export interface LinkColumns {
  user?: string;
  attribute?: string;
  kind?: string;
}

export interface RingOptions {
  /** Fewest accounts in a ring. */
  minSize: number;
  /** Attributes (a kiosk, an office network) shared by more accounts than this are ignored. */
  maxAttributeUsers: number;
  /** Most rings listed (all are counted). */
  list: number;
  strict: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** How the links file is laid out, decided from its columns. */
export type LinkLayout =
  | { form: 'long'; user: string; attribute: string; kind: string | null }
  | { form: 'wide'; user: string; attributes: string[] };

/** How the links file is laid out, or null for a file without rows. */
export async function linkLayout(path: string, given: LinkColumns): Promise<LinkLayout | null> {
  const present = await peekColumns(path);
  const what = `the links file ${path}`;
  if (present.length === 0) return null;
  const user = pickColumn(present, 'user', given.user, LINK_COLUMNS.user, what, '--link-user')!;
  const attribute = pickColumn(present, 'attribute', given.attribute, LINK_COLUMNS.attribute, what, '--link-attribute', given.attribute === undefined);
  if (attribute !== null) {
    const kind = pickColumn(present.filter((c) => c !== user && c !== attribute), 'kind', given.kind, LINK_COLUMNS.kind, what, '--link-kind', true);
    return { form: 'long', user, attribute, kind };
  }
  const wide = present.filter((c) => c !== user && (LINK_COLUMNS.wide as readonly string[]).includes(c.toLowerCase()));
  if (wide.length === 0) {
    throw new WeirError('E_COLUMN', `${what} has neither an attribute column (looked for ${LINK_COLUMNS.attribute.map((c) => `'${c}'`).join(', ')}) nor device/card columns; its columns are ${present.map((c) => `'${c}'`).join(', ')}. Name it with --link-attribute COLUMN`);
  }
  return { form: 'wide', user, attributes: wide };
}

/** Reads the links and finds the rings. */
export async function ringFigures(path: string, layout: LinkLayout, o_: RingOptions): Promise<{ rings: RingFigures; input: InputSummary }> {
  const roles: Record<string, string> =
    layout.form === 'long'
      ? { user: layout.user, attribute: layout.attribute, ...(layout.kind ? { kind: layout.kind } : {}) }
      : { user: layout.user, ...Object.fromEntries(layout.attributes.map((c) => [`attr:${c}`, c])) };
  // Wide form: an empty cell is simply no link of that kind.
  const optional = layout.form === 'wide' ? Object.keys(roles).filter((r) => r !== 'user') : [];
  const read = await readIdColumns(path, roles, { strict: o_.strict, optional, onProgress: o_.onProgress });
  const [userCol, ...rest] = read.columns;
  // Flatten to (user, kind, value) links; wide form: one per attribute column.
  const links = layout.form === 'long'
    ? [{ user: userCol, value: rest[0], kind: layout.kind ? rest[1] : null, kindName: null as string | null }]
    : layout.attributes.map((c, j) => ({ user: userCol, value: rest[j], kind: null, kindName: c }));
  const kinds = new Map<string, number>();
  const kindNames: string[] = [];
  const kindCode = (k: string) => {
    let c = kinds.get(k);
    if (c === undefined) {
      kinds.set(k, (c = kindNames.length));
      kindNames.push(k);
    }
    return c;
  };
  // Numeric attribute ids of up to 64 kinds pack into one exact number, value * 64 + kind;
  // anything else becomes the text 'kind:value'.
  const KINDS = 64;
  // An empty cell of a wide file (NaN or '') is no link.
  const present = (v: number | string) => v === v && v !== '';
  let total = 0;
  for (const l of links) for (let i = 0; i < l.value.length; i++) if (present(l.value[i])) total++;
  const numericKeys = links.every((l) => l.value instanceof Float64Array && l.value.every((v) => v !== v || (Number.isInteger(v) && Math.abs(v) < 2 ** 46)));
  const users: Float64Array | string[] = userCol instanceof Float64Array ? new Float64Array(total) : new Array<string>(total);
  const keys: Float64Array | string[] = numericKeys ? new Float64Array(total) : new Array<string>(total);
  let o = 0;
  for (const l of links) {
    const fixed = l.kindName === null ? -1 : kindCode(l.kindName);
    for (let i = 0; i < l.user.length; i++) {
      const v = l.value[i];
      if (!present(v)) continue;
      const code = fixed >= 0 ? fixed : kindCode(l.kind ? String(l.kind[i]) : '');
      if (kindNames.length > KINDS) throw new WeirError('E_COLUMN', `${path}: more than ${KINDS} kinds of attribute; is '${layout.form === 'long' ? layout.kind : ''}' the kind column?`);
      users[o] = l.user[i] as never;
      keys[o] = (numericKeys ? (v as number) * KINDS + code : `${code}:${String(v)}`) as never;
      o++;
    }
  }
  const shared = sharedOnly(users, keys);
  const found = shared.users.length
    ? await findRings({ user: shared.users, attribute: shared.keys }, { minSize: o_.minSize, maxAttributeUsers: o_.maxAttributeUsers })
    : [];
  const decode = (key: number | string): { kind: string; value: number | string } => {
    if (typeof key === 'number') {
      const code = ((key % KINDS) + KINDS) % KINDS;
      return { kind: kindNames[code], value: (key - code) / KINDS };
    }
    const at = key.indexOf(':');
    return { kind: kindNames[Number(key.slice(0, at))], value: key.slice(at + 1) };
  };
  const order = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  // Largest first, then by smallest member, so the listing does not depend on input order.
  const sorted = found.map((ring) => ({ users: [...ring.users].sort(order), attributes: ring.attributes }));
  sorted.sort((a, b) => b.users.length - a.users.length || order(a.users[0], b.users[0]));
  const list = sorted.slice(0, o_.list).map((ring) => {
    const devices: Array<number | string> = [];
    const cards: Array<number | string> = [];
    const other: Array<number | string> = [];
    for (const a of ring.attributes) {
      const { kind, value } = decode(a);
      const k = kind.toLowerCase();
      if (k.includes('device')) devices.push(value);
      else if (k.includes('card') || k.includes('payment')) cards.push(value);
      else other.push(kind ? `${kind}:${value}` : value);
    }
    return { users: ring.users, devices: devices.sort(order), cards: cards.sort(order), other: other.sort(order) };
  });
  return {
    rings: {
      links: total,
      users: distinct(users),
      attributes: distinct(keys),
      minSize: o_.minSize,
      maxAttributeUsers: o_.maxAttributeUsers,
      count: found.length,
      rings: list,
    },
    input: read.summary,
  };
}

/**
 * The links whose attribute has two or more distinct users. Only those can tie accounts
 * together, so rings() sees the same rings with far fewer links (the built-in data's 2.2M links
 * shrink to about 70k), which saves rings() most of its work. O(links): a typed hash table for
 * numeric ids, a Map otherwise.
 */
function sharedOnly(users: Float64Array | string[], keys: Float64Array | string[]): { users: Float64Array | string[]; keys: Float64Array | string[] } {
  const n = keys.length;
  const keep = new Uint8Array(n);
  if (users instanceof Float64Array && keys instanceof Float64Array) {
    const table = new NumberTable(n);
    const first = new Float64Array(table.capacity);
    const many = new Uint8Array(table.capacity);
    const slots = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = (slots[i] = table.slot(keys[i]));
      if (table.isNew) first[s] = users[i];
      else if (first[s] !== users[i]) many[s] = 1;
    }
    let m = 0;
    for (let i = 0; i < n; i++) m += keep[i] = many[slots[i]];
    const u = new Float64Array(m);
    const k = new Float64Array(m);
    for (let i = 0, j = 0; i < n; i++) {
      if (keep[i]) {
        u[j] = users[i];
        k[j++] = keys[i];
      }
    }
    return { users: u, keys: k };
  }
  const first = new Map<number | string, number | string | typeof MANY>();
  for (let i = 0; i < n; i++) {
    const seen = first.get(keys[i]);
    if (seen === undefined) first.set(keys[i], users[i]);
    else if (seen !== MANY && seen !== users[i]) first.set(keys[i], MANY);
  }
  const u: Array<number | string> = [];
  const k: Array<number | string> = [];
  for (let i = 0; i < n; i++) {
    if (first.get(keys[i]) === MANY) {
      u.push(users[i]);
      k.push(keys[i]);
    }
  }
  return { users: idColumn(u), keys: idColumn(k) };
}

const MANY = Symbol('many users');

/** A column rings() takes: all numbers as Float64Array, otherwise strings. */
function idColumn(values: Array<number | string>): IdColumn {
  if (values.every((v) => typeof v === 'number')) return Float64Array.from(values as number[]);
  return values.map(String);
}

function distinct(values: Float64Array | string[]): number {
  return values instanceof Float64Array ? distinctCount(values) : new Set(values).size;
}
