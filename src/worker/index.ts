// weir/worker: run weir's tasks in a pool of Node worker_threads or Web Workers, via comlink.
export { createPool, type Pool, type PoolOptions, type TaskResult } from './pool.js';
export type { TaskName, Tasks } from './tasks.js';
