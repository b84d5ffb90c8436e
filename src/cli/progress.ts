import { MultiBar, type SingleBar } from 'cli-progress';

/** One stage of a command (reading, writing…) whose progress is a count of bytes or rows. */
export interface Stage {
  /** Sets how much is done (and the total, if it changed). Cheap: call it as often as you like. */
  update(done: number, total?: number): void;
  /** Marks the stage complete. */
  finish(): void;
}

export interface Progress {
  stage(name: string, total: number, unit?: 'bytes' | 'rows'): Stage;
  /** Ends all stages; call it before printing anything else to stderr. */
  stop(): void;
}

export interface ProgressOptions {
  /** Where progress goes; default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** False for no output at all (`--no-progress`). Default true. */
  enabled?: boolean;
  /** Draw bars (default: when `stream` is a TTY) rather than plain lines. */
  tty?: boolean;
  /** Without a TTY, the least time between two progress lines (default 5000 ms). */
  intervalMs?: number;
}

/**
 * Progress for the CLI: a cli-progress bar per stage on a terminal; when stderr is a file or
 * a pipe (CI logs), a plain line `weir: <stage>: 42% (1.2 GB of 2.9 GB)` at most every
 * `intervalMs`, so logs stay short. Nothing is printed for a stage that finishes before
 * its first interval.
 */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.enabled === false) return { stage: () => ({ update() {}, finish() {} }), stop() {} };
  return (options.tty ?? stream.isTTY === true) ? barProgress(stream) : lineProgress(stream, options.intervalMs ?? 5000);
}

function barProgress(stream: NodeJS.WritableStream): Progress {
  const bars = new MultiBar({
    stream,
    format: '{stage} [{bar}] {percentage}% | {done} of {all} | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  return {
    stage(name, total, unit = 'bytes') {
      const fmt = (n: number) => formatAmount(n, unit);
      const bar: SingleBar = bars.create(Math.max(total, 1), 0, { stage: name, done: fmt(0), all: fmt(total) });
      let last = total;
      return {
        update(done, t = last) {
          last = t;
          bar.setTotal(Math.max(t, 1));
          bar.update(done, { done: fmt(done), all: fmt(t) });
        },
        finish() {
          bar.update(Math.max(last, 1), { done: fmt(last), all: fmt(last) });
        },
      };
    },
    stop() {
      bars.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WritableStream, intervalMs: number): Progress {
  return {
    stage(name, total, unit = 'bytes') {
      let last = total;
      let printedAt = Date.now();
      return {
        update(done, t = last) {
          last = t;
          const now = Date.now();
          if (now - printedAt < intervalMs) return;
          printedAt = now;
          const pct = t > 0 ? `${Math.min(100, Math.floor((100 * done) / t))}% ` : '';
          stream.write(`weir: ${name}: ${pct}(${formatAmount(done, unit)} of ${formatAmount(t, unit)})\n`);
        },
        finish() {},
      };
    },
    stop() {},
  };
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `1234567` bytes -> `'1.2 MB'`; rows -> `'1,234,567 rows'`. */
export function formatAmount(n: number, unit: 'bytes' | 'rows'): string {
  if (unit === 'rows') return `${formatCount(n)} rows`;
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

/** An integer with comma thousands separators, the same on every locale. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
