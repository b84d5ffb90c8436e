/**
 * Which columns of the user's files the report reads: a name given on the command line, or the
 * first of a list of common names that the file has. Also the peek at a file's columns (one row
 * read) that picking needs, so a missing column is reported before any work, naming the file,
 * the role and the columns it does have.
 */
import { WeirError } from '../runtime/errors.js';
import { readBatches, type Format } from '../io/index.js';

/** Roles of the events file, with the names tried when none is given (Kaggle's e-commerce set included). */
export const EVENT_COLUMNS = {
  time: ['time', 'timestamp', 'ts', 'event_time', 'event_timestamp', 'datetime'],
  user: ['user', 'user_id', 'userid', 'visitorid', 'customer_id', 'account'],
  item: ['item', 'item_id', 'itemid', 'product', 'product_id', 'sku'],
  type: ['type', 'event_type', 'event', 'action', 'behavior'],
  price: ['price', 'amount', 'value'],
  category: ['category', 'category_code', 'category_id', 'categoryid'],
} as const;

export const FOLLOW_COLUMNS = {
  follower: ['follower', 'src', 'source', 'from', 'follower_id', 'user'],
  followee: ['followee', 'dst', 'target', 'to', 'followee_id', 'followed'],
} as const;

/** Links: long form (user, attribute, optional kind) or wide form (user plus device/card columns). */
export const LINK_COLUMNS = {
  user: ['user', 'user_id', 'account', 'account_id'],
  attribute: ['attribute', 'value', 'attribute_id', 'link'],
  kind: ['kind', 'attribute_type', 'type'],
  wide: ['device', 'device_id', 'card', 'card_id', 'payment', 'payment_id', 'phone', 'email', 'ip'],
} as const;

/** Column names of a file, read from its first row. An empty file has none. */
export async function peekColumns(path: string, format?: Format): Promise<string[]> {
  const reader = readBatches(path, { batchRows: 1, format });
  for await (const table of reader) return table.schema.fields.map((f) => f.name);
  return [];
}

/**
 * The column for `role`: `given` if set (it must exist), else the first candidate present
 * (case-insensitive), else null when `optional`, else an E_COLUMN error naming the flag to use.
 */
export function pickColumn(present: readonly string[], role: string, given: string | undefined, candidates: readonly string[], what: string, flag: string, optional = false): string | null {
  const list = present.length ? present.map((c) => `'${c}'`).join(', ') : '(none)';
  if (given !== undefined) {
    if (present.includes(given)) return given;
    throw new WeirError('E_COLUMN', `${what} has no column '${given}' (given by ${flag}); its columns are ${list}`);
  }
  for (const c of candidates) {
    const hit = present.find((p) => p.toLowerCase() === c);
    if (hit !== undefined) return hit;
  }
  if (optional) return null;
  throw new WeirError('E_COLUMN', `${what} has no ${role} column (looked for ${candidates.map((c) => `'${c}'`).join(', ')}); its columns are ${list}. Name it with ${flag} COLUMN`);
}
