// Prints the conformance corpus digest computed on this Node (any version >= 18, any CPU).
//   node test/conformance/node.mjs             -> one line per section, then "<digest>  node v20.x x64"
//   node test/conformance/node.mjs --json      -> one JSON line { digest, summary, node, arch, ms }
//   node test/conformance/node.mjs --dump DIR  -> also writes each section's serialisation to
//                                                 DIR/<section>.txt, to diff two platforms
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCorpus } from './corpus.mjs';

const dumpAt = process.argv.indexOf('--dump');
const dump = dumpAt > 0 ? process.argv[dumpAt + 1] : undefined;
if (dumpAt > 0 && !dump) throw new Error('--dump needs a directory');

const started = performance.now();
// Node 18 has no global `crypto`; node:crypto's webcrypto is the same SubtleCrypto.
const { digest, summary } = await runCorpus({ subtle: webcrypto.subtle, keepText: dump !== undefined });
const ms = Math.round(performance.now() - started);
if (dump) {
  mkdirSync(dump, { recursive: true });
  for (const s of summary.sections) {
    writeFileSync(path.join(dump, `${s.name}.txt`), s.text);
    delete s.text;
  }
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ digest, summary, node: process.version, arch: process.arch, ms }));
} else {
  for (const s of summary.sections) console.log(`${s.digest}  ${s.name} (${s.values} values)`);
  console.log(`${digest}  node ${process.version} ${process.arch} (${ms} ms)`);
}
