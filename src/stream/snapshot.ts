import { WeirError } from '../runtime/errors.js';
import { crc32 } from '../runtime/crc32.js';
import { VERSION } from '../version.js';

const MAGIC = 'WEIRSNAP';
/** Bumped whenever the layout of the bytes or of the kernel state changes. */
export const SNAPSHOT_FORMAT = 2; // 2: column-major output, 16-byte pane entry headers, 4-byte hash slots

/** What the TypeScript side of an operator keeps beside its wasm memory. */
export interface SnapshotHeader {
  config: object;
  state: number;
  keyKind: 'float64' | 'int32' | 'bigint' | 'string' | null;
  itemKinds: Array<boolean | null>;
  dictionary: { strings: string[]; hashesPtr: number; capacity: number; scratchPtr: number; scratchBytes: number };
  final: Array<[string, unknown]> | null;
  flushed: boolean;
  lastInputWatermark: number;
}

/**
 * Layout: "WEIRSNAP" | u32 format | u32 header bytes | header JSON (UTF-8, with the weir version)
 * | u32 memory bytes | wasm memory | u32 CRC-32 of everything before it. Little-endian.
 */
export function writeSnapshot(header: SnapshotHeader, memory: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ version: VERSION, ...header }, (_, v) => (v === -Infinity ? '-Infinity' : v)));
  const total = 8 + 4 + 4 + json.length + 4 + memory.length + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  dv.setUint32(8, SNAPSHOT_FORMAT, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  let o = 16 + json.length;
  dv.setUint32(o, memory.length, true);
  out.set(memory, o + 4);
  o += 4 + memory.length;
  dv.setUint32(o, crc32(out.subarray(0, o)), true);
  return out;
}

export function readSnapshot(bytes: Uint8Array): { header: SnapshotHeader; memory: Uint8Array } {
  const corrupt = (why: string) => new WeirError('E_SNAPSHOT', `restore: not a valid weir snapshot (${why})`);
  if (!(bytes instanceof Uint8Array) || bytes.length < 24) throw corrupt('too short');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('bad magic bytes');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = dv.getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT) throw new WeirError('E_SNAPSHOT', `restore: snapshot format ${format} is not supported by this weir (format ${SNAPSHOT_FORMAT})`);
  const end = bytes.length - 4;
  if (crc32(bytes.subarray(0, end)) !== dv.getUint32(end, true)) throw corrupt('checksum mismatch: the bytes were changed or truncated');
  const hlen = dv.getUint32(12, true);
  if (16 + hlen + 4 > end) throw corrupt('header length out of range');
  let header: SnapshotHeader & { version: string };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + hlen)), (_, v) => (v === '-Infinity' ? -Infinity : v));
  } catch {
    throw corrupt('header is not JSON');
  }
  if (header.version !== VERSION) throw new WeirError('E_SNAPSHOT', `restore: snapshot from weir ${header.version}; this is weir ${VERSION}, whose kernel state layout may differ`);
  const mlen = dv.getUint32(16 + hlen, true);
  if (16 + hlen + 4 + mlen !== end) throw corrupt('memory length does not match');
  return { header, memory: bytes.subarray(16 + hlen + 4, end) };
}
