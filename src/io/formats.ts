import { WeirError } from '../runtime/errors.js';

/**
 * The file formats weir reads and writes.
 *
 * - `csv`: RFC 4180 with a header row.
 * - `ndjson`: one JSON object per line (also `.jsonl`).
 * - `arrow`: Arrow IPC file format (`.arrow`, `.feather` v2), random access, one footer.
 * - `arrows`: Arrow IPC stream format (`.arrows`), append-only.
 * - `parquet`: Apache Parquet.
 */
export type Format = 'csv' | 'ndjson' | 'arrow' | 'arrows' | 'parquet';

export const FORMATS: readonly Format[] = Object.freeze(['csv', 'ndjson', 'arrow', 'arrows', 'parquet']);

const BY_EXTENSION: Readonly<Record<string, Format>> = Object.freeze({
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.arrows': 'arrows',
  '.parquet': 'parquet',
  '.pq': 'parquet',
});

/**
 * The format of `path`: `format` when given (checked), else from the file extension
 * (case-insensitive): .csv, .ndjson/.jsonl, .arrow/.feather/.ipc, .arrows, .parquet/.pq.
 *
 * When reading, `arrow` and `arrows` are interchangeable: the reader detects IPC file versus
 * stream from the magic bytes. When writing they choose between the two.
 *
 * @throws WeirError `E_IO` naming the path for an unknown or missing extension, and `E_ARG`
 * for a `format` that is not one of {@link FORMATS}.
 *
 * @example
 * formatOf('events.jsonl') // 'ndjson'
 */
export function formatOf(path: string, format?: string): Format {
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new WeirError('E_ARG', `format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    }
    return format as Format;
  }
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  const ext = dot > slash ? path.slice(dot).toLowerCase() : '';
  const found = BY_EXTENSION[ext];
  if (found === undefined) {
    throw new WeirError(
      'E_IO',
      `${path}: cannot tell the file format from ${ext ? `the extension '${ext}'` : 'a name without an extension'}; ` +
        `use one of ${Object.keys(BY_EXTENSION).join(', ')} or pass a format (${FORMATS.join(', ')})`,
    );
  }
  return found;
}
