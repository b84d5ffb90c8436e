/**
 * Shared helpers for the bench/<family>.ts scripts and scripts/bench.mjs.
 *
 * A bench script measures weir and its peers in one process, then calls {@link writeResults} with one
 * {@link BenchCase} per case; `npm run bench` merges every bench/results/<family>.json with
 * {@link formatTable}. The JSON shape is the one in DESIGN.md ("Speed is measured, not asserted");
 * `goalText`, `met` and `notes` are optional extras for goals that one number cannot state.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Unit = 'events/s' | 'ms' | 'bytes';

/** One row of the results table. Values are medians; `null` means "could not run" (say why in `notes`). */
export interface BenchCase {
  case: string;
  unit: Unit;
  weir: number | null;
  /** Peer name -> median. A peer absent from the object does not apply to the case. */
  peers: Record<string, number | null>;
  /** events/s: at least this; ms and bytes: at most this. */
  goal: number;
  /** How to print the goal when it says more than `goal` (e.g. "≥ 100M and ≥ 25x idiomatic JS"). */
  goalText?: string;
  /** Set when the goal is more than `goal` in `unit`; otherwise the table derives it from `goal`. */
  met?: boolean;
  /** Why a value is null, how many runs a slow peer got, what a peer computes differently. */
  notes?: string[];
}

export interface BenchResults {
  machine: string;
  node: string;
  date: string;
  /** 1-minute load average when the bench started and when it wrote its results: above 0.5 or so, other processes competed for the CPU. */
  load?: { start: number; end: number };
  cases: BenchCase[];
}

const loadAtStart = loadavg()[0];

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/**
 * A seeded PRNG (mulberry32): floats in [0, 1), the same sequence on every platform for a seed.
 * 2^32 period — plenty for generating benchmark inputs, not for statistics.
 */
export function rng(seed: number): () => number {
  const next = rngU32(seed);
  return () => next() / 4294967296;
}

/** The same generator's raw 32-bit outputs (unsigned integers). */
export function rngU32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** "CPU model, N cores, X GiB" — what the README says the table was taken on. */
export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  return `${model}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
}

/** Collects garbage if node runs with --expose-gc (scripts/bench.mjs passes it), so runs start level. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Milliseconds `fn` takes, after a gc. */
export function time(fn: () => void): number {
  gc();
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** As {@link time}, for async work. */
export async function timeAsync(fn: () => Promise<void>): Promise<number> {
  gc();
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Peak resident set size of this process, in bytes. On Linux it reads VmHWM from /proc/self/status:
 * `process.resourceUsage().maxRSS` (getrusage) is not usable in a spawned child, because Linux
 * carries the parent's high-water mark across fork + exec — a child of a 450 MB bench process
 * reports at least 450 MB. Elsewhere it falls back to maxRSS.
 */
export function peakRss(): number {
  if (process.platform === 'linux') {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Writes bench/results/<family>.json and returns its path. */
export function writeResults(family: string, cases: BenchCase[]): string {
  const results: BenchResults = {
    machine: machine(),
    node: process.version,
    date: new Date().toISOString(),
    load: { start: loadAtStart, end: loadavg()[0] },
    cases,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${family}.json`);
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
  return path;
}

const SI = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
] as const;

/** 123.4M (events/s), 12.3 ms, 256 MiB. */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null) return '—';
  if (v === undefined) return 'n/a';
  if (unit === 'ms') return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
  if (unit === 'bytes') return `${(v / 2 ** 20).toFixed(0)} MiB`;
  for (const [scale, suffix] of SI) {
    const x = v / scale;
    if (Math.abs(v) >= scale) return `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)}${suffix}`;
  }
  return v.toFixed(0);
}

function formatGoal(c: BenchCase): string {
  if (c.goalText) return c.goalText;
  return `${c.unit === 'events/s' ? '≥' : '≤'} ${formatValue(c.goal, c.unit)}`;
}

/** Whether weir meets the case's goal: `met` if the bench set it, else weir against `goal` in `unit`. */
export function goalMet(c: BenchCase): boolean | null {
  if (c.met !== undefined) return c.met;
  if (c.weir === null) return null;
  return c.unit === 'events/s' ? c.weir >= c.goal : c.weir <= c.goal;
}

/** How many times better weir is than the peer: rate over rate, or time (or bytes) over time. */
function ratio(weir: number | null, peer: number | null | undefined, unit: BenchCase['unit']): string {
  if (weir === null || peer === null || peer === undefined || peer === 0 || weir === 0) return peer === undefined ? 'n/a' : '—';
  const r = unit === 'events/s' ? weir / peer : peer / weir;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

/**
 * A Markdown table of one family's results: case | unit | weir | each peer | how many times
 * better weir is than each peer (>1: weir is faster or smaller) | goal | met?, then the notes as a list. "—" is a peer that could not run the case, "n/a" one
 * that does not apply to it.
 */
export function formatTable(results: BenchResults, title?: string): string {
  const peers = [...new Set(results.cases.flatMap((c) => Object.keys(c.peers)))];
  const head = ['case', 'unit', 'weir', ...peers, ...peers.map((p) => `× ${p}`), 'goal', 'met?'];
  const rows = results.cases.map((c) => {
    const met = goalMet(c);
    return [
      c.case,
      c.unit,
      formatValue(c.weir, c.unit),
      ...peers.map((p) => formatValue(c.peers[p], c.unit)),
      ...peers.map((p) => ratio(c.weir, c.peers[p], c.unit)),
      formatGoal(c),
      met === null ? '—' : met ? 'yes' : 'no',
    ];
  });
  const line = (cells: string[]) => `| ${cells.map((s) => s.replace(/\|/g, '\\|')).join(' | ')} |`;
  const out: string[] = [];
  if (title) out.push(`### ${title}`, '');
  const load = results.load ? `; load average ${results.load.start.toFixed(1)} at start, ${results.load.end.toFixed(1)} at end` : '';
  out.push(`${results.machine}; node ${results.node}; ${results.date}${load}`, '');
  out.push(line(head), line(head.map(() => '---')), ...rows.map(line));
  const notes = results.cases.flatMap((c) => (c.notes ?? []).map((n) => `- ${c.case}: ${n}`));
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}
