/** Where each family's .wasm comes from; see {@link configure}. */
export interface RuntimeConfig {
  /**
   * A URL prefix (string ending in `/`) under which `stream.wasm`, `graph.wasm` and `prep.wasm`
   * live, or a map from family to the URL of its file. Default: the file beside the module,
   * `new URL('../wasm/<family>.wasm', import.meta.url)`, which bundlers recognise as an asset.
   */
  wasmPaths?: string | Partial<Record<Family, string | URL>>;
  /** The bytes of a family's .wasm; wins over `wasmPaths`. */
  wasmBinary?: Partial<Record<Family, ArrayBuffer | Uint8Array>>;
}

/** The kernel families, one .wasm file each. */
export type Family = 'stream' | 'graph' | 'prep';

export const runtimeConfig: RuntimeConfig = {};

/**
 * Tells weir where to find its .wasm files, for bundlers or CDNs that move them. Call it before
 * the first use of a family; a family that is already loaded keeps the module it loaded.
 *
 * @example
 * configure({ wasmPaths: 'https://cdn.example.com/weir/0.1.0/wasm/' })
 */
export function configure(config: RuntimeConfig): void {
  if (config.wasmPaths !== undefined) runtimeConfig.wasmPaths = config.wasmPaths;
  if (config.wasmBinary !== undefined) runtimeConfig.wasmBinary = config.wasmBinary;
}
