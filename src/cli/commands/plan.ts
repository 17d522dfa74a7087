import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { BulwarkError } from '../../core/errors.js';
import type { FixOracle } from '../../plan/index.js';
import type { CliContext } from '../context.js';
import { cacheDirOption, dbOption, formatOption, intOption } from '../context.js';

interface PlanFlags {
  format: 'table' | 'json' | 'markdown';
  db?: string;
  cacheDir?: string;
  reportOnly?: boolean;
  baseReport?: string;
  top: number;
  exitCode: number;
  output?: string;
}

/** Reads a report file (or stdin for `-`), refusing one past the bound before holding it. */
async function readBounded(file: string, maxBytes: number): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > maxBytes)
        throw new BulwarkError('LIMIT_EXCEEDED', `report larger than ${maxBytes} bytes`, { input: 'stdin' });
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  }
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new BulwarkError('INPUT_NOT_FOUND', `cannot read the report: ${(e as Error).message}`, {
      input: file,
      cause: e,
    });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new BulwarkError('INPUT_NOT_FOUND', 'not a file', { input: file });
    if (st.size > maxBytes)
      throw new BulwarkError('LIMIT_EXCEEDED', `report larger than ${maxBytes} bytes`, { input: file });
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('plan')
    .description(
      'Risk explained and a patch plan for a scanned image: exploit probability with its main contributors, the minimal fixing upgrade per package ranked by risk removed, with the command for its ecosystem',
    )
    .argument('<report>', 'a JSON scan report (bulwark image -f json); - reads stdin')
    .addOption(formatOption(['table', 'json', 'markdown']))
    .addOption(dbOption())
    .addOption(cacheDirOption())
    .option('--report-only', 'plan from the report alone, without the vulnerability database')
    .option(
      '--base-report <file>',
      "the base image's own JSON scan report: the layers the two share are the base's",
    )
    .addOption(intOption('--top <n>', 'contributors shown', 1, 1000, 5))
    .addOption(intOption('--exit-code <n>', 'exit with this code when the plan has upgrades', 0, 255, 0))
    .option('-o, --output <file>', 'write the plan to this file instead of stdout')
    .addHelpText(
      'after',
      `
The exploit probability is 1 - PRODUCT(1 - p), p each open finding's EPSS score and 1 for a CISA
KEV entry. Each upgrade is the lowest listed fixing version that fixes every finding of the
package, checked with the matcher against the vulnerability database (the one bulwark image
uses) when it is there, else from the report alone (--report-only). See docs/risk.md.

Examples:
  $ bulwark image registry.local/team/api:1.4 -f json -o api.json
  $ bulwark plan api.json
  $ bulwark plan api.json -f markdown > PLAN.md
  $ bulwark image -f json | bulwark plan - --report-only
  $ bulwark plan api.json --base-report debian-11.json -f json

Exit codes: 0 done (also when there are upgrades, unless --exit-code); 2 usage; 4 the report is
not there; 5 it is no JSON scan report; 7 it is too large; 13 the database given with --db is
missing or unreadable; 16 a JSON report of another kind.`,
    )
    .action(async (file: string, flags: PlanFlags) => {
      const plan = await import('../../plan/index.js');
      const input = plan.readPlanInput(
        await readBounded(file, plan.DEFAULT_MAX_REPORT_BYTES),
        file === '-' ? 'stdin' : file,
      );
      let base = plan.NO_BASE;
      if (flags.baseReport) {
        const b = plan.readPlanInput(
          await readBounded(flags.baseReport, plan.DEFAULT_MAX_REPORT_BYTES),
          flags.baseReport,
        );
        base = plan.decideBase(
          { diffIds: input.layers.map((l) => l.diffId) },
          [
            {
              name: b.name,
              repository: `base:${b.name}`,
              digest: b.digest,
              diffIds: b.layers.map((l) => l.diffId),
            },
          ],
          'base-report',
        );
        if (base.method === 'none')
          ctx.stderr.write(
            `warning: ${flags.baseReport}: shares no bottom layers with ${file}: base layers unknown\n`,
          );
      }
      let oracle: FixOracle | undefined;
      let dbBuiltAt: string | null = null;
      let close = () => {};
      if (!flags.reportOnly) {
        const dbPath = ctx.dbPath(flags);
        if (existsSync(dbPath)) {
          const { openVulnDb } = await import('../../vulndb/index.js');
          const { normalizePackageName } = await import('../../ecosystems/index.js');
          const db = openVulnDb(dbPath, { normalizeName: normalizePackageName });
          close = () => db.close();
          dbBuiltAt = db.metadata().builtAt;
          oracle = plan.databaseOracle(db, input.os);
        } else if (flags.db)
          throw new BulwarkError('DATABASE', 'no vulnerability database here', { input: dbPath });
        else
          ctx.stderr.write(
            `warning: no vulnerability database at ${dbPath}: the plan is made from the report alone (see --report-only)\n`,
          );
      }
      try {
        const risk = plan.imageRisk(input.findings, { layers: input.layers, base, top: flags.top });
        const patch = plan.patchPlan(input, { base, ...(oracle ? { oracle } : {}) });
        const doc = plan.planDocument(input, risk, patch, { toolVersion: VERSION, dbBuiltAt });
        const text =
          flags.format === 'json'
            ? `${JSON.stringify(doc, null, 2)}\n`
            : flags.format === 'markdown'
              ? plan.renderPlanMarkdown(doc)
              : plan.renderPlanTable(doc);
        await ctx.emit(text, flags.output);
        if (flags.format !== 'json')
          for (const w of input.warnings) ctx.stderr.write(`warning: ${w.input}: ${w.message}\n`);
        if (flags.exitCode && patch.steps.length) process.exitCode = flags.exitCode;
      } finally {
        close();
      }
    });
  program.addCommand(cmd);
}
