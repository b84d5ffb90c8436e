import { WeirError } from './errors.js';
import { runtimeConfig, type Family } from './config.js';

/** asc's generated raw binding: instantiates a compiled module and decodes `abort` messages. */
export type Instantiate<E> = (module: WebAssembly.Module, imports?: Record<string, unknown>) => Promise<E>;

const compiled = new Map<Family, Promise<WebAssembly.Module>>();

/**
 * Compiles a family's .wasm once per process (or worker) and caches the promise, so every
 * later instance reuses the compiled module. A failed load is remembered and rethrown as the
 * same `WeirError` (code `E_LOAD`) naming the file it tried, until {@link forgetModule}.
 */
export function compileFamily(family: Family, defaultUrl: () => URL): Promise<WebAssembly.Module> {
  let promise = compiled.get(family);
  if (!promise) {
    promise = compileFrom(family, defaultUrl);
    compiled.set(family, promise);
  }
  return promise;
}

/** Drops a cached (or failed) module, so the next use loads it again. */
export function forgetModule(family: Family): void {
  compiled.delete(family);
}

async function compileFrom(family: Family, defaultUrl: () => URL): Promise<WebAssembly.Module> {
  const binary = runtimeConfig.wasmBinary?.[family];
  if (binary) return compileBytes(family, binary, 'configured wasmBinary');
  const url = resolveUrl(family, defaultUrl);
  if (url.protocol === 'file:') {
    // Node (and Deno/Bun): read the file beside the module. The specifier is built at run time
    // so that browser bundlers do not try to resolve a Node built-in.
    const fsName = 'node:fs/promises';
    let bytes: Uint8Array;
    try {
      const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs/promises');
      bytes = await fs.readFile(url);
    } catch (cause) {
      throw new WeirError('E_LOAD', `weir: cannot read ${family}.wasm at ${url.href}: ${String(cause)}`, { cause });
    }
    return compileBytes(family, bytes, url.href);
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new WeirError('E_LOAD', `weir: cannot fetch ${family}.wasm from ${url.href}: ${String(cause)}`, { cause });
  }
  if (!response.ok) throw new WeirError('E_LOAD', `weir: fetching ${url.href} gave HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (cause) {
      throw new WeirError('E_LOAD', `weir: cannot compile ${url.href}: ${String(cause)}`, { cause });
    }
  }
  // Servers that send another MIME type: compileStreaming would refuse, so read the bytes.
  return compileBytes(family, new Uint8Array(await response.arrayBuffer()), url.href);
}

function resolveUrl(family: Family, defaultUrl: () => URL): URL {
  const paths = runtimeConfig.wasmPaths;
  if (typeof paths === 'string') return new URL(`${family}.wasm`, paths);
  const own = paths?.[family];
  if (own !== undefined) return new URL(String(own), typeof location === 'undefined' ? undefined : location.href);
  return defaultUrl();
}

async function compileBytes(family: Family, bytes: ArrayBuffer | Uint8Array, from: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (cause) {
    throw new WeirError('E_LOAD', `weir: ${family}.wasm from ${from} is not a valid WebAssembly module (SIMD must be supported): ${String(cause)}`, { cause });
  }
}
