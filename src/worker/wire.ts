import { RecordBatch, Table, Vector, tableFromIPC, tableToIPC } from 'apache-arrow';
import { WeirError, type WeirErrorCode } from '../runtime/errors.js';

// What crosses between the pool and its workers. Structured clone carries typed arrays and plain
// data; two things need help: Arrow objects (their prototypes do not survive a clone, so Tables,
// RecordBatches and Vectors travel as IPC bytes; a RecordBatch arrives as a Table) and errors (a
// clone keeps the message but drops `code`, so a WeirError travels as its fields and is rebuilt).

const ARROW = '__weirArrowIPC';
const ARROW_VECTOR = '__weirArrowVectorIPC';

/** A value as it travels: Arrow objects replaced by `{ [ARROW]: Uint8Array }`, the rest unchanged. */
export type Encoded = unknown;

/** A task's outcome as it travels back. */
export type Outcome = { ok: true; value: Encoded } | { ok: false; error: ErrorFields };

export interface ErrorFields {
  name: string;
  message: string;
  code?: WeirErrorCode;
  stack?: string;
}

/**
 * Replaces each Arrow Table, RecordBatch and Vector (at any depth of arrays and plain objects)
 * with its IPC bytes (one copy), and collects every transferable buffer: the ArrayBuffers under
 * typed arrays, plain ArrayBuffers and the IPC bytes. SharedArrayBuffers are shared, not
 * transferred, so they are left out.
 */
export function encode(value: unknown): { value: Encoded; transfer: ArrayBuffer[] } {
  const buffers = new Set<ArrayBuffer>();
  const ipc = (t: Table) => {
    const bytes = tableToIPC(t, 'stream');
    buffers.add(bytes.buffer as ArrayBuffer);
    return bytes;
  };
  const walk = (v: unknown): unknown => {
    if (v instanceof Table) return { [ARROW]: ipc(v) };
    if (v instanceof RecordBatch) return { [ARROW]: ipc(new Table(v)) };
    if (v instanceof Vector) return { [ARROW_VECTOR]: ipc(new Table({ v })) };
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
      return v;
    }
    if (v instanceof ArrayBuffer) {
      buffers.add(v);
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const encoded = walk(value);
  return { value: encoded, transfer: [...buffers] };
}

/** The inverse of {@link encode}: IPC bytes back into Tables (read in place, not copied). */
export function decode(value: Encoded): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (isPlainObject(value)) {
    if (value[ARROW] instanceof Uint8Array) return tableFromIPC(value[ARROW]);
    if (value[ARROW_VECTOR] instanceof Uint8Array) return tableFromIPC(value[ARROW_VECTOR]).getChildAt(0);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = decode(x);
    return out;
  }
  return value;
}

export function errorFields(e: unknown): ErrorFields {
  if (e instanceof WeirError) return { name: e.name, message: e.message, code: e.code, stack: e.stack };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

/**
 * Rebuilds an error thrown in a worker: a WeirError keeps its class and code; anything else
 * becomes an Error with the same name and message. The worker's stack is kept as `cause`.
 */
export function rebuildError(fields: ErrorFields, task: string): Error {
  const cause = Object.assign(new Error(fields.message), { name: fields.name, stack: fields.stack });
  if (fields.code) return new WeirError(fields.code, fields.message, { cause });
  const err = new Error(`weir/worker: task '${task}' failed: ${fields.message}`, { cause });
  err.name = fields.name;
  return err;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
