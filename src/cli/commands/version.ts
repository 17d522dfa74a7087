import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { formatOption, type CliContext } from '../context.js';

interface CompareFlags {
  ecosystem: string;
  format: 'table' | 'json';
}

interface Answer {
  a: string;
  b: string;
  /** -1, 0 or 1; null when either version is invalid in the ecosystem */
  result: number | null;
  /** the versions the ecosystem rejects, when there are any */
  invalid?: string[];
}

export function register(program: Command, ctx: CliContext): void {
  const version = new Command('version').description(
    "Version ordering as each ecosystem's own tools define it (dpkg, apk, rpm, SemVer, PEP 440, Maven, ...)",
  );

  version
    .command('compare')
    .description(
      'Compare two versions (prints -1, 0 or 1), or with no versions read "A<TAB>B" lines from stdin ' +
        'and print -1, 0, 1 or ! (invalid version) per line. A version the ecosystem rejects as an ' +
        'argument is an error: "invalid version", exit 17',
    )
    .requiredOption(
      '-e, --ecosystem <name>',
      'OSV ecosystem, release qualifier allowed (Debian:12, PyPI, Maven, ...)',
    )
    .addOption(formatOption(['table', 'json']))
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark version compare --ecosystem Debian 1.0~rc1 1.0
  -1
  $ printf '1.0\\t1.0.0\\n2.0a1\\t2.0\\n' | bulwark version compare --ecosystem PyPI
  0
  -1
  $ bulwark version compare -e Maven --format json 1.0-SNAPSHOT 1.0
  $ bulwark version compare -e npm =1.2.3 1.2.3
  error[INVALID_VERSION] "=1.2.3": invalid version in npm (semver: the ecosystem's own tool rejects it)

Exit codes: 0 answered (stdin lines with an invalid version print !), 2 usage, 16 unsupported
ecosystem, 17 invalid version given as an argument.

Supported ecosystems are listed by: bulwark version ecosystems`,
    )
    .action(async (a: string | undefined, b: string | undefined, flags: CompareFlags) => {
      const eco = await import('../../ecosystems/index.js');
      const scheme = eco.versionScheme(flags.ecosystem);
      if (!scheme) {
        throw new BulwarkError(
          'UNSUPPORTED',
          `no version scheme for this ecosystem (supported: ${eco.supportedEcosystems().join(', ')})`,
          { input: flags.ecosystem },
        );
      }
      if (a !== undefined && b === undefined) {
        throw new BulwarkError('USAGE', 'give two versions, or none to read "A<TAB>B" lines from stdin');
      }
      const answer = (x: string, y: string): Answer => {
        const invalid = [x, y].filter((v) => !scheme.isValid(v));
        if (invalid.length > 0) return { a: x, b: y, result: null, invalid: [...new Set(invalid)] };
        return { a: x, b: y, result: scheme.compare(x, y) };
      };
      if (a !== undefined && b !== undefined) {
        // An explicit pair that the ecosystem rejects is an error (INVALID_VERSION, exit 17) naming
        // the version and the ecosystem, never a guessed order; JSON still gets its answer.
        const ans = answer(a, b);
        if (flags.format === 'json') await ctx.emit(JSON.stringify([ans], null, 2));
        else if (ans.result !== null) await ctx.emit(String(ans.result));
        if (ans.invalid) {
          throw new BulwarkError(
            'INVALID_VERSION',
            `invalid version in ${flags.ecosystem} (${scheme.id}: the ecosystem's own tool rejects it)`,
            { input: JSON.stringify(ans.invalid[0]!.slice(0, 80)) },
          );
        }
        process.exitCode = 0;
        return;
      }
      const answers: Answer[] = [];
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let out = '';
      for await (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line === '') continue;
        const tab = line.indexOf('\t');
        const ans: Answer =
          tab < 0 ? { a: line, b: '', result: null } : answer(line.slice(0, tab), line.slice(tab + 1));
        if (flags.format === 'json') answers.push(ans);
        else {
          out += `${ans.result === null ? '!' : ans.result}\n`;
          // Stream big inputs instead of holding every answer.
          if (out.length > 65536) {
            await ctx.emit(out.slice(0, -1));
            out = '';
          }
        }
      }
      if (flags.format === 'json') await ctx.emit(JSON.stringify(answers, null, 2));
      else if (out !== '') await ctx.emit(out.slice(0, -1));
      process.exitCode = 0;
    });

  version
    .command('ecosystems')
    .description('List the OSV ecosystems bulwark can order versions for, with scheme and purl type')
    .addOption(formatOption(['table', 'json']))
    .action(async (flags: { format: 'table' | 'json' }) => {
      const eco = await import('../../ecosystems/index.js');
      const rows = eco.supportedEcosystems().map((name) => ({
        ecosystem: name,
        scheme: eco.versionScheme(name)!.id,
        purl: eco.purlType(name)!,
      }));
      if (flags.format === 'json') await ctx.emit(JSON.stringify(rows, null, 2));
      else {
        const w = Math.max(...rows.map((r) => r.ecosystem.length));
        const lines = rows.map((r) => `${r.ecosystem.padEnd(w)}  ${r.scheme.padEnd(9)}  ${r.purl}`);
        await ctx.emit([`${'ECOSYSTEM'.padEnd(w)}  ${'SCHEME'.padEnd(9)}  PURL`, ...lines].join('\n'));
      }
      process.exitCode = 0;
    });

  program.addCommand(version);
}
