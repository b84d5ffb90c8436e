/**
 * report.json: the report's figures for machines — the same object the HTML page is drawn
 * from. Indented for reading, with number arrays (the per-minute series) kept on one line.
 * Non-finite numbers (an open histogram bucket, an undefined mean) become null, as JSON has none.
 */
import type { Report } from './types.js';

export function reportJson(r: Report): string {
  const text = JSON.stringify(r, null, 1);
  // Arrays of numbers only: join their lines.
  return text.replace(/\[\n\s*(-?[\d.eE+-]+|null)(,\n\s*(-?[\d.eE+-]+|null))*\n\s*\]/g, (m) => `[${m.slice(1, -1).split(',').map((x) => x.trim()).join(',')}]`) + '\n';
}
