/**
 * The `weir` command line: one commander program, one subcommand per file in ./commands.
 *
 * Adding a command is a one-line change here: write `src/cli/commands/<name>.ts` exporting
 * `register(program: Command): void` (it calls `program.command('<name>')`, declares its
 * arguments, options, a description and an `Examples:` help text, and sets an async
 * action), then add `'<name>'` to COMMANDS below. Keep a command module's top level light
 * (commander only): load the heavy parts (wasm families, vega…) with `await import()` inside
 * the action, so `weir --help` and the other commands stay fast. An action reports bad
 * input by throwing a WeirError; main() prints it as `weir: <message>` and exits 1.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './errors.js';

/** The subcommands, each the name of a module in ./commands. */
export const COMMANDS: readonly string[] = ['window', 'graph', 'report', 'gen'];

/** The program with every command registered; `exitOverride` is set so main() decides the exit code. */
export async function createProgram(): Promise<Command> {
  const program = new Command('weir')
    .description('Stream windows, graph analytics and inference preprocessing over CSV, NDJSON, Arrow and Parquet files.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`weir: ${text.replace(/^error: /, '')}`) })
    .exitOverride()
    .addHelpText('after', `\nRun 'weir <command> --help' for a command's options and examples.\nSet WEIR_DEBUG=1 to print stack traces with errors.`);
  program.addHelpCommand(false);
  for (const name of COMMANDS) {
    const mod = (await import(`./commands/${name}.js`)) as { register(program: Command): void };
    mod.register(program);
  }
  return program;
}

/** Runs the CLI on `argv` (as in `process.argv`) and returns the exit code; never throws. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    const program = await createProgram();
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return 1;
    }
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
