import { WeirError } from '../runtime/errors.js';
import type { ColumnType } from './columns.js';

/** A row a reader skipped: its 1-based line in the file and why. */
export interface BadRow {
  line: number;
  message: string;
}

/** How many bad rows {@link ReadStats.badRowSamples} keeps. */
export const BAD_ROW_SAMPLES = 5;

/**
 * Live counters of one read, updated as batches are produced (poll them for progress).
 * `bytesRead` counts the bytes read from the file so far (for Arrow IPC files and Parquet,
 * footer first, then each batch or row group) and `totalBytes` is the file size.
 */
export interface ReadStats {
  rows: number;
  batches: number;
  badRows: number;
  badRowSamples: BadRow[];
  bytesRead: number;
  totalBytes: number;
}

/** Options after defaults and validation, as the per-format readers get them. */
export interface ResolvedReadOptions {
  batchRows: number;
  columns: readonly string[] | undefined;
  types: Readonly<Record<string, ColumnType>>;
  strict: boolean;
  onBadRow: ((row: BadRow) => void) | undefined;
}

/** What each per-format reader receives: where to read, what to read, and where to count. */
export interface ReadContext {
  path: string;
  options: ResolvedReadOptions;
  stats: ReadStats;
  /** Records a bad row: counts it, keeps a sample, calls `onBadRow`, and throws when strict. */
  badRow(line: number, message: string): void;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a parent of this path is not a directory',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** A `WeirError('E_IO')` naming `path`, from a Node fs error or anything else thrown while reading or writing it. */
export function ioError(path: string, e: unknown, doing = ''): WeirError {
  if (e instanceof WeirError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const reason =
    typeof code === 'string' && REASONS[code] !== undefined ? REASONS[code] : e instanceof Error ? e.message : String(e);
  return new WeirError('E_IO', `${path}: ${doing}${reason}`, { cause: e });
}

/** The `E_COLUMN` error for requested columns that a file does not have. */
export function missingColumns(path: string, missing: readonly string[], present: readonly string[]): WeirError {
  const list = present.length ? present.map((c) => `'${c}'`).join(', ') : '(none)';
  const what = missing.length === 1 ? `no column '${missing[0]}'` : `no columns ${missing.map((c) => `'${c}'`).join(', ')}`;
  return new WeirError('E_COLUMN', `${path}: ${what}; the columns are ${list}`);
}

/** Checks that `columns` (and every column named in `types`) exist among `present`. */
export function checkColumns(ctx: ReadContext, present: readonly string[]): void {
  const wanted = [...(ctx.options.columns ?? []), ...Object.keys(ctx.options.types)];
  const missing = [...new Set(wanted.filter((c) => !present.includes(c)))];
  if (missing.length) throw missingColumns(ctx.path, missing, present);
}
