// Entry of the conformance Web Worker; run.mjs bundles it with esbuild. It computes the corpus
// as soon as it loads and posts { ok, digest, summary, inWorker, userAgent } (or { ok: false, error }).
import { runCorpus } from '../corpus.mjs';

const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
runCorpus().then(
  ({ digest, summary }) => postMessage({ ok: true, digest, summary, inWorker, userAgent: navigator.userAgent }),
  (e) => postMessage({ ok: false, error: String(e?.stack ?? e) }),
);
