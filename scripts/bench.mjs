// `npm run bench` runs every bench/<family>.ts (stream, graph, prep-image, prep-series, report: those
// that exist), each in its own node process (so one family's heap and wasm memory cannot slow the
// next), then merges bench/results/*.json into one Markdown table per family, printed and written
// to bench/results/TABLE.md for the README.
// `npm run bench -- stream graph` runs those families only; arguments starting with "--" are passed
// on to every bench script, except `--table`, which runs nothing and only rebuilds the table. The
// table always covers every results file present, each with its date.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const ORDER = ['stream', 'graph', 'prep-image', 'prep-series', 'report'];

const args = process.argv.slice(2);
const tableOnly = args.includes('--table');
const passOn = args.filter((a) => a.startsWith('--') && a !== '--table');
const asked = args.filter((a) => !a.startsWith('--'));

// Only the families' own scripts: bench/ also holds lib.ts and data generators.
const present = ORDER.filter((family) => existsSync(join(benchDir, `${family}.ts`)));
function rank(family) {
  const i = ORDER.indexOf(family);
  return i < 0 ? ORDER.length : i;
}

const unknown = asked.filter((f) => !existsSync(join(benchDir, `${f}.ts`)));
if (unknown.length) {
  console.error(`no bench/${unknown[0]}.ts (families: ${present.join(', ') || 'none yet'})`);
  process.exit(2);
}

const failed = [];
for (const family of tableOnly ? [] : asked.length ? asked : present) {
  console.log(`\n=== bench ${family} ===`);
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(benchDir, `${family}.ts`), ...passOn],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) failed.push(`${family} (${run.signal ?? `exit ${run.status}`})`);
}

register();
const { formatTable, RESULTS_DIR } = await import('../bench/lib.ts');
mkdirSync(RESULTS_DIR, { recursive: true });
const files = readdirSync(RESULTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const sections = files.map((family) =>
  formatTable(JSON.parse(readFileSync(join(RESULTS_DIR, `${family}.json`), 'utf8')), family),
);
const table = [
  '"× peer" is how many times better weir is than that peer (events/s: weir ÷ peer; ms and bytes: peer ÷ weir), so above 1 weir wins. ' +
    '"—": the peer could not run the case (see notes); "n/a": it does not apply.',
  ...sections,
].join('\n\n');
writeFileSync(join(RESULTS_DIR, 'TABLE.md'), table + '\n');
console.log(`\n${table}\n\n(written to ${join('bench', 'results', 'TABLE.md')})`);
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
