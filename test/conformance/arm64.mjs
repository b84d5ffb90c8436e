// Runs the conformance corpus on this Node and on Debian's arm64 Node 18 (Raspberry Pi OS's
// Node) under qemu, through ../shared/tools/arm64-node beside the repository, and compares the
// digests. `npm run conformance:arm64` runs this file; conformance.test.ts imports its functions.
// Exit code: 0 digests equal, 1 digests differ or a run failed, 2 the emulator could not be set up.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const nodeScript = fileURLToPath(new URL('./node.mjs', import.meta.url));

/** The emulator wrapper, relative to the repository root as in CI: ../shared/tools/arm64-node. */
export const ARM64_TOOL = path.resolve(repoRoot, '../shared/tools/arm64-node');

/**
 * Checks that arm64 Node can run here. The first call installs qemu-user-static and unpacks
 * Debian's arm64 nodejs into a cache (minutes); later calls take a second or two.
 * Resolves `{ ok: true, node, arch }` or `{ ok: false, reason }` — never throws.
 */
export async function probeArm64({ timeoutMs = 600_000 } = {}) {
  try {
    accessSync(ARM64_TOOL, constants.X_OK);
  } catch {
    return { ok: false, reason: `${ARM64_TOOL} is missing or not executable` };
  }
  const r = await run(ARM64_TOOL, ['-p', 'process.version + " " + process.arch'], timeoutMs);
  if (r.code !== 0) {
    return { ok: false, reason: `arm64-node could not be set up (exit ${r.code ?? r.signal}): ${tail(r.stderr || r.stdout)}` };
  }
  const [node, arch] = r.stdout.trim().split(' ');
  return { ok: true, node, arch };
}

/** Runs node.mjs --json with `launcher` (a Node binary or the arm64 wrapper); returns its JSON. */
export async function corpusDigest(launcher, { timeoutMs = 300_000 } = {}) {
  const started = Date.now();
  const r = await run(launcher, [nodeScript, '--json'], timeoutMs);
  const wallMs = Date.now() - started;
  if (r.code !== 0) {
    throw new Error(`${path.basename(launcher)} ${nodeScript} failed (exit ${r.code ?? r.signal}${r.timedOut ? `, killed after ${timeoutMs} ms` : ''}):\n${tail(r.stderr || r.stdout, 40)}`);
  }
  const line = r.stdout.trim().split('\n').pop();
  return { ...JSON.parse(line), wallMs };
}

/**
 * The corpus on this Node, on arm64 Node 18, then on this Node again: `{ host, arm }`. Throws if
 * the two host runs disagree — dist/ was rebuilt while the slow emulated run was going on (a
 * concurrent build in a shared checkout), so comparing with it would prove nothing either way.
 */
export async function compareArm64({ timeoutMs = 300_000 } = {}) {
  const host = await corpusDigest(process.execPath);
  const arm = await corpusDigest(ARM64_TOOL, { timeoutMs });
  const again = await corpusDigest(process.execPath);
  if (again.digest !== host.digest) {
    throw new Error(`dist/ changed during the arm64 run (host digest ${host.digest} before, ${again.digest} after): rerun when no build is running`);
  }
  return { host, arm };
}

/** The sections whose digests differ between two corpus results (by name), for messages. */
export function differingSections(a, b) {
  const other = new Map(b.summary.sections.map((s) => [s.name, s.digest]));
  const names = new Set([...a.summary.sections.map((s) => s.name), ...other.keys()]);
  return [...names].filter((n) => a.summary.sections.find((s) => s.name === n)?.digest !== other.get(n));
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: String(e), stdout, stderr: stderr + String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

function tail(text, lines = 8) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function main() {
  const probe = await probeArm64();
  if (!probe.ok) {
    console.error(`arm64 conformance not run: ${probe.reason}`);
    process.exit(2);
  }
  const { host, arm } = await compareArm64();
  console.log(`${host.digest}  node ${host.node} ${host.arch} (${host.wallMs} ms)`);
  console.log(`${arm.digest}  node ${arm.node} ${arm.arch} under qemu (${arm.wallMs} ms)`);
  if (arm.arch !== 'arm64') {
    console.error(`arm64-node ran ${arm.arch}, not arm64: the comparison proves nothing`);
    process.exit(1);
  }
  if (arm.digest !== host.digest) {
    console.error(`MISMATCH in sections: ${differingSections(host, arm).join(', ')}`);
    console.error(`to see the differences: node ${path.relative(repoRoot, nodeScript)} --dump /tmp/x64 && ` +
      `${path.relative(repoRoot, ARM64_TOOL)} ${path.relative(repoRoot, nodeScript)} --dump /tmp/arm64 && diff -r /tmp/x64 /tmp/arm64`);
    process.exit(1);
  }
  console.log('arm64 conformance: digests equal');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
