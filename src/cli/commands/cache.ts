import { Command } from 'commander';
import { cacheDirOption, formatOption, type CliContext } from '../context.js';

interface CleanFlags {
  cacheDir?: string;
  format: 'table' | 'json';
}

export function register(program: Command, ctx: CliContext): void {
  const cache = new Command('cache').description('Manage the layer-analysis cache');
  const clean = new Command('clean')
    .description(
      'Remove cached layer results and leftover temporary downloads (the vulnerability database is kept)',
    )
    .addOption(cacheDirOption())
    .addOption(formatOption(['table', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark cache clean
  $ bulwark cache clean --cache-dir /tmp/bulwark-cache --format json`,
    )
    .action(async (flags: CleanFlags) => {
      const { cleanCache } = await import('../../image/index.js');
      const cacheDir = ctx.cacheDir(flags.cacheDir);
      const result = await cleanCache(cacheDir);
      if (flags.format === 'json') {
        await ctx.emit(JSON.stringify({ cacheDir, ...result }, null, 2));
      } else {
        await ctx.emit(
          result.removed.length
            ? `removed ${result.removed.length} entries (${result.bytes} bytes) from ${cacheDir}`
            : `nothing to remove in ${cacheDir}`,
        );
      }
      process.exitCode = 0;
    });
  cache.addCommand(clean);
  program.addCommand(cache);
}
