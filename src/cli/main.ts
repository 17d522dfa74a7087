import { Command, CommanderError } from 'commander';
import { BulwarkError, ERROR_CODES, toBulwarkError } from '../core/errors.js';
import { createContext } from './context.js';
import { COMMANDS } from './registry.js';

export { VERSION } from './version.js';
import { VERSION } from './version.js';

/**
 * Builds the program. With `only`, just that command is loaded: a scan does not pay for loading
 * twenty other command modules (their flags, help and imports) before it starts. Help for the
 * whole program, `help <cmd>` and unknown names load them all.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const ctx = createContext();
  const program = new Command('bulwark')
    .description(
      'Container security: what is inside, what is vulnerable or misconfigured, and what to fix first',
    )
    .version(VERSION)
    .showHelpAfterError()
    // program options (--version) only before the command, so `pss --version v1.N` reaches pss
    .enablePositionalOptions()
    .exitOverride();
  const names = only && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS).sort();
  for (const name of names) {
    const mod = await COMMANDS[name]!();
    mod.register(program, ctx);
  }
  // subcommands added with addCommand do not inherit these: a bad flag anywhere is a USAGE error (2)
  const inherit = (c: Command): void => {
    c.exitOverride().showHelpAfterError();
    c.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/** What a Unix tool killed by SIGPIPE exits with (128 + 13): `bulwark ... | head` ends quietly. */
export const EXIT_CLOSED_PIPE = 141;

/**
 * A reader that stops early (`bulwark rules | head -2`) closes the pipe; the next write fails with
 * EPIPE. Like other Unix tools, end at once, silently: nothing more can be said to that reader, and
 * the rest of the work is for nobody.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  // once per stream, however often main() runs in one process (tests)
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_CLOSED_PIPE);
    throw e;
  });
}

/** Runs the CLI; returns the process exit code. Never lets a stack trace reach the user. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  let program: Command;
  // The default job: `bulwark` with no arguments scans the bundled demo image.
  const args = argv.length === 0 ? ['image'] : argv;
  try {
    program = await buildProgram(args[0]);
  } catch (e) {
    process.stderr.write(`${toBulwarkError(e, 'INTERNAL').toDisplayString()}\n`);
    return ERROR_CODES.INTERNAL;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return ERROR_CODES.USAGE;
    }
    const err = e instanceof BulwarkError ? e : toBulwarkError(e, 'INTERNAL');
    process.stderr.write(`${err.toDisplayString()}\n`);
    if (err.code === 'INTERNAL' && process.env.BULWARK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return err.exitCode;
  }
}
