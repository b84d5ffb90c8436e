import { CommanderError } from 'commander';
import { WeirError } from '../runtime/errors.js';

/**
 * Prints an error the way every weir command reports one, `weir: <message>` on stderr, and
 * returns the exit code (1). No stack trace unless `WEIR_DEBUG=1`, because a WeirError's
 * message already names the argument or file at fault; an error weir did not anticipate
 * gets a hint about WEIR_DEBUG, since its stack is what a bug report needs.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr, debug = process.env.WEIR_DEBUG === '1'): number {
  if (err instanceof CommanderError) return err.exitCode; // commander has printed its message
  const message = err instanceof Error ? err.message : String(err);
  const expected = err instanceof WeirError;
  stderr.write(`weir: ${message}${expected || debug ? '' : ' (set WEIR_DEBUG=1 for a stack trace)'}\n`);
  if (debug && err instanceof Error && err.stack) {
    stderr.write(`${err.stack}\n`);
    if (err.cause !== undefined) stderr.write(`caused by: ${err.cause instanceof Error ? err.cause.stack : String(err.cause)}\n`);
  }
  return 1;
}
