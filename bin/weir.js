#!/usr/bin/env node
// The `weir` command: the compiled CLI lives in dist/ (npm run build).
// A reader that closes the pipe early (`weir --help | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
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
