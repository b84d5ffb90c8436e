import { expose, transfer } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { tasks } from './tasks.js';
import { decode, encode, errorFields, type Encoded, type Outcome } from './wire.js';
import { WeirError } from '../runtime/errors.js';

// The script each pool worker runs (a Node worker thread or a module Web Worker). It answers
// `run(task, args)` with an Outcome: errors are caught and sent as their fields, so a WeirError
// keeps its code across the thread boundary.

/** What the pool calls through comlink. */
export interface WorkerApi {
  ping(): true;
  run(task: string, args: Encoded[]): Promise<Outcome>;
}

const api: WorkerApi = {
  ping: () => true,
  async run(task, args) {
    try {
      if (!Object.hasOwn(tasks, task)) {
        throw new WeirError('E_ARG', `weir/worker: unknown task '${task}'; known tasks: ${Object.keys(tasks).join(', ')}`);
      }
      const fn = tasks[task as keyof typeof tasks] as (...a: unknown[]) => unknown;
      const result = encode(await fn(...(decode(args) as unknown[])));
      return transfer<Outcome>({ ok: true, value: result.value }, result.transfer);
    } catch (e) {
      return { ok: false, error: errorFields(e) };
    }
  },
};

const isNodeThread = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof self === 'undefined';
if (isNodeThread) {
  // Built at run time so that browser bundlers do not try to resolve a Node built-in.
  const spec = 'node:worker_threads';
  const { parentPort } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as typeof import('node:worker_threads');
  if (!parentPort) throw new Error('weir/worker: worker.js must run as a worker thread');
  expose(api, nodeEndpoint(parentPort));
} else {
  expose(api);
}
