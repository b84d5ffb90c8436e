import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStreamKernel } from '../dist/stream/kernel.js';
import { WasmArray, MAX_WASM_BYTES } from '../dist/runtime/kernel.js';
import { WeirError } from '../dist/index.js';

describe('runtime: Kernel', () => {
  it('allocates, writes and copies out through fresh views', async () => {
    const k = await createStreamKernel();
    const src = Float64Array.from({ length: 1000 }, (_, i) => i * 0.5);
    const ptr = k.copyIn(src);
    expect(ptr % 8).toBe(0);
    expect(Array.from(k.copyOut(Float64Array, ptr, 1000))).toEqual(Array.from(src));
    k.free(ptr);
  });

  it('keeps WasmArray usable after memory grows', async () => {
    const k = await createStreamKernel();
    const ptr = k.alloc(8 * 16);
    const arr = new WasmArray(k, Float64Array, ptr, 16);
    arr.array.fill(7);
    const before = arr.array.buffer;
    k.alloc(64 * 1024 * 1024); // forces memory.grow, which detaches the old buffer
    expect(before.byteLength).toBe(0);
    expect(Array.from(arr.array)).toEqual(new Array(16).fill(7));
  });

  it('gives each kernel its own memory', async () => {
    const a = await createStreamKernel();
    const b = await createStreamKernel();
    expect(a.memory).not.toBe(b.memory);
  });

  it('refuses allocations past the 4 GiB wasm limit with E_MEMORY and the size', async () => {
    const k = await createStreamKernel();
    const err = (() => { try { k.alloc(MAX_WASM_BYTES); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).code).toBe('E_MEMORY');
    expect((err as WeirError).message).toMatch(/bytes/);
  });

  it('turns a failed memory.grow into E_MEMORY and keeps working after it', async () => {
    const k = await createStreamKernel();
    const block = 900 * 2 ** 20; // asc's allocator takes blocks below 1 GiB
    const blocks = [k.alloc(block), k.alloc(block), k.alloc(block), k.alloc(block)];
    const err = (() => { try { k.alloc(block); } catch (e) { return e; } })(); // 4.4 GiB in all
    expect((err as WeirError).code).toBe('E_MEMORY');
    k.free(blocks[1]);
    expect(k.alloc(block)).toBe(blocks[1]); // the freed block is found again
  });

  it('refuses use after dispose with E_STATE', async () => {
    const k = await createStreamKernel();
    k.dispose();
    expect(() => k.alloc(8)).toThrow(expect.objectContaining({ code: 'E_STATE' }));
  });
});

describe('package exports', () => {
  it('every subpath of the exports map loads in Node under the package name (weir, weir/stream, …, weir/report)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; exports: Record<string, unknown> };
    const subpaths = Object.keys(pkg.exports).filter((k) => !k.includes('*') && !k.endsWith('.json'));
    expect(subpaths).toContain('./report');
    // A child process resolves the names as a user's code would (package self-reference).
    const script = `const names = ${JSON.stringify(subpaths.map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`)))};
      const out = {};
      for (const n of names) out[n] = Object.keys(await import(n)).length;
      console.log(JSON.stringify(out));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const counts = JSON.parse(run.stdout) as Record<string, number>;
    expect(Object.keys(counts)).toHaveLength(subpaths.length);
    for (const [name, exported] of Object.entries(counts)) expect(exported, name).toBeGreaterThan(0);
  });
});
