/**
 * The worker script of the report's pool: weir/worker's protocol (comlink `ping` and
 * `run(task, args)` answering an Outcome, errors sent as their fields) over a registry that adds
 * the report's graph jobs to weir/worker's own tasks. The report starts weir/worker's pool with
 * `url` pointing here, because the pool's built-in registry (src/worker/tasks.ts) has PageRank but
 * no Louvain; with these two jobs the whole graph stage runs beside the event stream.
 */
import { expose, transfer } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { WeirError } from '../runtime/errors.js';
import { tasks } from '../worker/tasks.js';
import { decode, encode, errorFields, type Encoded, type Outcome } from '../worker/wire.js';
import { communityFigures } from './communities.js';
import { influenceFigures } from './influence.js';

/** The report's jobs, callable by name on a pool started with this script. */
export const reportTasks = {
  ...tasks,
  'report.influence': influenceFigures,
  'report.communities': communityFigures,
};

export type ReportTaskName = keyof typeof reportTasks;

if (parentPort) {
  expose(
    {
      ping: () => true,
      async run(task: string, args: Encoded[]): Promise<Outcome> {
        try {
          if (!Object.hasOwn(reportTasks, task)) throw new WeirError('E_ARG', `weir report worker: unknown task '${task}'`);
          const fn = reportTasks[task as ReportTaskName] as (...a: unknown[]) => unknown;
          const result = encode(await fn(...(decode(args) as unknown[])));
          return transfer<Outcome>({ ok: true, value: result.value }, result.transfer);
        } catch (e) {
          return { ok: false, error: errorFields(e) };
        }
      },
    },
    nodeEndpoint(parentPort),
  );
}
