// Compiles each kernel family (assembly/<family>.ts) to dist/wasm/<family>.wasm with -O3 and SIMD,
// plus asc's raw bindings (instantiate + abort decoding) beside it. Families without a source file
// are skipped, so a family can be added by adding its file.
import asc from 'assemblyscript/asc';
import { existsSync, mkdirSync } from 'node:fs';

const families = ['stream', 'graph', 'prep'];
const target = process.env.WEIR_ASC_TARGET ?? 'release';
mkdirSync('dist/wasm', { recursive: true });
let failed = false;
for (const family of families) {
  const entry = `assembly/${family}.ts`;
  if (!existsSync(entry)) continue;
  const started = Date.now();
  const { error, stderr } = await asc.main([
    entry,
    '--config', 'asconfig.json',
    '--target', target,
    '--outFile', `dist/wasm/${family}.wasm`,
  ]);
  if (error) {
    failed = true;
    console.error(`asc ${entry} failed: ${error.message}\n${stderr.toString()}`);
  } else {
    console.log(`built dist/wasm/${family}.wasm (${target}) in ${Date.now() - started} ms`);
  }
}
if (failed) process.exit(1);
