import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { WeirError } from '../runtime/errors.js';
import type { TaskName, Tasks } from './tasks.js';
import type { WorkerApi } from './worker.js';
import { decode, encode, rebuildError } from './wire.js';

export interface PoolOptions {
  /** Number of workers. Default: one fewer than the logical CPUs, at least 1. */
  size?: number;
  /**
   * The worker script. Default: `worker.js` beside this module (dist/worker/worker.js), which
   * bundlers recognise in `new Worker(new URL('./worker.js', import.meta.url))`. Node takes a
   * path or a `file:` URL; browsers a URL (the script is started as a module worker).
   */
  url?: string | URL;
}

/** What `pool.run(task, …)` resolves to for a task of the registry. */
export type TaskResult<K extends TaskName> = Awaited<ReturnType<Tasks[K]>>;

/**
 * Workers that run weir's tasks (see `tasks.ts`) off the calling thread: Node worker_threads in
 * Node, module Web Workers in browsers, both driven through comlink.
 */
export interface Pool {
  readonly size: number;
  /**
   * Runs `task` with `args` on the least busy worker. Buffers are transferred, not copied: every
   * ArrayBuffer under the arguments (typed arrays, at any depth of arrays and plain objects) is
   * detached in the caller once the call is sent — pass `array.slice()` to keep one — and the
   * result's buffers come back the same way. Arrow Tables, RecordBatches and Vectors travel as IPC
   * bytes (one copy; a RecordBatch arrives as a Table). A task that throws
   * rejects with the same WeirError (class and `code`); a worker that dies rejects its running
   * tasks with E_STATE and is replaced on next use.
   */
  run<K extends TaskName>(task: K, ...args: Parameters<Tasks[K]>): Promise<TaskResult<K>>;
  /** Terminates the workers; tasks still running reject with E_STATE. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a pool of `size` workers and resolves once every one has loaded and answered; rejects
 * with E_LOAD (and stops the others) if one cannot start. An idle pool does not keep Node alive,
 * but call `close()` when done.
 *
 * Each task call costs one message each way (about 0.1 ms) plus the task's own work; arguments and
 * results are moved, not copied, so the size of the arrays barely matters.
 *
 * @example
 * const pool = await createPool({ size: 2 });
 * const { scores } = await pool.run('graph.pagerank', { src: Int32Array.of(0, 1), dst: Int32Array.of(1, 2) });
 * await pool.close();
 */
export async function createPool(options: PoolOptions = {}): Promise<Pool> {
  const size = options.size ?? (await defaultSize());
  if (!Number.isInteger(size) || size < 1) {
    throw new WeirError('E_ARG', `weir/worker: size must be a positive integer, got ${String(size)}`);
  }
  const pool = new WorkerPool(size, options.url);
  try {
    await Promise.all(Array.from({ length: size }, (_, i) => pool.slot(i)));
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}

/** One started worker: its comlink proxy and the rejecters of the calls it is running. */
interface Slot {
  api: Remote<WorkerApi>;
  running: Set<(e: Error) => void>;
  dead: Error | null;
  thread: Thread;
}

/** The platform's worker behind one slot. */
interface Thread {
  endpoint: Endpoint;
  /** Called once, when the worker fails or exits on its own. */
  onFatal(listener: (e: Error) => void): void;
  /** Node: whether the worker keeps the event loop alive. */
  ref(on: boolean): void;
  terminate(): Promise<unknown> | void;
}

class WorkerPool implements Pool {
  private readonly slots: (Promise<Slot> | null)[];
  private readonly busy: number[];
  private closed = false;

  constructor(readonly size: number, private readonly url: string | URL | undefined) {
    this.slots = new Array(size).fill(null);
    this.busy = new Array(size).fill(0);
  }

  async run<K extends TaskName>(task: K, ...args: Parameters<Tasks[K]>): Promise<TaskResult<K>> {
    if (this.closed) throw new WeirError('E_STATE', `weir/worker: run('${String(task)}') on a closed pool`);
    const i = this.busy.indexOf(Math.min(...this.busy));
    this.busy[i]++;
    try {
      return (await call(await this.slot(i), String(task), args)) as TaskResult<K>;
    } finally {
      this.busy[i]--;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const started = this.slots.filter((s): s is Promise<Slot> => s !== null);
    this.slots.fill(null);
    const settled = await Promise.allSettled(started);
    await Promise.all(
      settled.map((s) => {
        if (s.status === 'rejected') return undefined;
        fail(s.value, new WeirError('E_STATE', 'weir/worker: the pool was closed while this task ran'));
        s.value.api[releaseProxy]();
        return s.value.thread.terminate();
      }),
    );
  }

  /** The worker in slot `i`, started on first use and again after it died. */
  slot(i: number): Promise<Slot> {
    if (this.closed) return Promise.reject(new WeirError('E_STATE', 'weir/worker: the pool is closed'));
    let slot = this.slots[i];
    if (!slot) {
      slot = this.start(i);
      this.slots[i] = slot;
      slot.catch(() => {
        if (this.slots[i] === slot) this.slots[i] = null;
      });
    }
    return slot;
  }

  private async start(i: number): Promise<Slot> {
    const where = this.url === undefined ? 'worker.js beside weir/worker' : String(this.url);
    let thread: Thread;
    try {
      thread = await startThread(this.url);
    } catch (cause) {
      throw new WeirError('E_LOAD', `weir/worker: cannot start a worker from ${where}: ${String(cause)}`, { cause });
    }
    const slot: Slot = { api: wrap<WorkerApi>(thread.endpoint), running: new Set(), dead: null, thread };
    const died = new Promise<never>((_, reject) => {
      thread.onFatal((e) => {
        fail(slot, new WeirError('E_STATE', `weir/worker: worker ${i} stopped: ${e.message}`, { cause: e }));
        void thread.terminate(); // a browser worker lives on after an uncaught error; this slot is done with it
        if (this.slots[i] && !this.closed) this.slots[i] = null;
        reject(e);
      });
    });
    died.catch(() => undefined);
    thread.ref(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([slot.api.ping(), died, silent]);
    } catch (cause) {
      await thread.terminate();
      throw new WeirError('E_LOAD', `weir/worker: the worker from ${where} failed to start: ${String(cause)}`, { cause });
    } finally {
      clearTimeout(timer);
    }
    thread.ref(false);
    return slot;
  }
}

async function call(slot: Slot, task: string, args: unknown[]): Promise<unknown> {
  if (slot.dead) throw slot.dead;
  const { value, transfer: buffers } = encode(args);
  slot.thread.ref(true);
  try {
    const outcome = await new Promise<Awaited<ReturnType<WorkerApi['run']>>>((resolve, reject) => {
      slot.running.add(reject);
      slot.api.run(task, transfer(value as unknown[], buffers)).then(
        (o) => {
          slot.running.delete(reject);
          resolve(o);
        },
        (e: unknown) => {
          slot.running.delete(reject);
          reject(sendError(e, task));
        },
      );
    });
    if (!outcome.ok) throw rebuildError(outcome.error, task);
    return decode(outcome.value);
  } finally {
    if (slot.running.size === 0) slot.thread.ref(false);
  }
}

function fail(slot: Slot, error: Error): void {
  slot.dead = error;
  for (const reject of slot.running) reject(error);
  slot.running.clear();
}

function sendError(e: unknown, task: string): unknown {
  if (e instanceof Error && e.name === 'DataCloneError') {
    return new WeirError('E_ARG', `weir/worker: the arguments of '${task}' cannot be sent to a worker (${e.message}); views of wasm memory and functions cannot — pass copies`, { cause: e });
  }
  return e;
}

/** A worker that has not answered by then (a script that never calls comlink's expose) fails. */
const START_TIMEOUT_MS = 30_000;

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function startThread(url: string | URL | undefined): Promise<Thread> {
  if (isNode) {
    // Built at run time so that browser bundlers do not try to resolve Node built-ins.
    const spec = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as typeof import('node:worker_threads');
    const w = new Worker(url ?? new URL('./worker.js', import.meta.url));
    return {
      endpoint: nodeEndpoint(w),
      onFatal(listener) {
        let fired = false;
        const once = (e: Error) => {
          if (!fired) listener(e);
          fired = true;
        };
        w.once('error', once);
        w.once('exit', (code) => once(new Error(`worker exited with code ${code}`)));
      },
      ref: (on) => (on ? w.ref() : w.unref()),
      terminate: () => w.terminate(),
    };
  }
  const w = url === undefined ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }) : new Worker(url, { type: 'module' });
  return {
    endpoint: w,
    onFatal(listener) {
      w.addEventListener('error', (e) => listener(new Error(e.message || 'the worker script failed to load or threw')), { once: true });
    },
    ref: () => undefined,
    terminate: () => w.terminate(),
  };
}

async function defaultSize(): Promise<number> {
  let cpus = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  if (!cpus && isNode) {
    const spec = 'node:os';
    const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as typeof import('node:os');
    cpus = os.availableParallelism?.() ?? os.cpus().length;
  }
  return Math.max(1, (cpus || 2) - 1);
}
