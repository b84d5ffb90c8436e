#!/usr/bin/env node
// The `weir` command: the compiled CLI lives in dist/ (npm run build).
let cli;
try {
  cli = await import('../dist/cli/index.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]index\.js' imported from/.test(String(e.message))) {
    process.stderr.write('weir: the CLI is not built; run `npm run build` first\n');
    process.exit(1);
  }
  throw e;
}
process.exitCode = await cli.main(process.argv);
