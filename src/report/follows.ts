/**
 * The follow graph's edges (follower -> followee) read from the follows file, ready for
 * Graph.fromEdges and for the worker pool (typed arrays transfer without a copy).
 */
import { FOLLOW_COLUMNS, peekColumns, pickColumn } from './columns.js';
import { readIdColumns, type IdColumn } from './read-columns.js';
import type { InputSummary } from './types.js';

export interface FollowEdges {
  src: IdColumn;
  dst: IdColumn;
  input: InputSummary;
}

/** The follower and followee columns, or null for a file without rows. */
export async function followColumns(path: string, given: { follower?: string; followee?: string }): Promise<{ follower: string; followee: string } | null> {
  const present = await peekColumns(path);
  if (present.length === 0) return null;
  const what = `the follows file ${path}`;
  const follower = pickColumn(present, 'follower', given.follower, FOLLOW_COLUMNS.follower, what, '--follower')!;
  const followee = pickColumn(present.filter((c) => c !== follower), 'followee', given.followee, FOLLOW_COLUMNS.followee, what, '--followee')!;
  return { follower, followee };
}

export async function readFollows(path: string, cols: { follower: string; followee: string }, o: { strict: boolean; onProgress?: (done: number, total: number) => void }): Promise<FollowEdges> {
  const read = await readIdColumns(path, { follower: cols.follower, followee: cols.followee }, o);
  let [src, dst] = read.columns;
  // Ids must be of one kind on both ends: numbers where both are numbers, otherwise text.
  if (src instanceof Float64Array !== dst instanceof Float64Array) {
    if (src instanceof Float64Array) src = Array.from(src, String);
    if (dst instanceof Float64Array) dst = Array.from(dst, String);
  }
  return { src, dst, input: read.summary };
}
