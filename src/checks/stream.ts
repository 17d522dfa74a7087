/**
 * Runs a family's rules over a stream of inputs, one at a time, for sources without an end (a
 * followed audit log). Per-input rules run exactly as in `checkParsed`; windowed rules report
 * observations that are counted here per rule and key, and the observation that reaches the rule's
 * threshold within its window becomes the finding. Rules stay pure: the state is this object's.
 */
import {
  checkParsed,
  filterFindings,
  toCheckFinding,
  type CheckOptions,
  type CheckResult,
} from './engine.js';
import type { ParsedInput, Rule, RuleFamily } from './types.js';
import { WindowCounter } from './window.js';

export type StreamCheckResult = Pick<CheckResult, 'findings' | 'suppressed' | 'warnings'>;

export class StreamChecker<Input> {
  private readonly perInput: RuleFamily<Input>;
  private readonly windowed: Rule<Input>[];
  private readonly counters = new Map<string, WindowCounter>();
  private readonly opts: CheckOptions;
  private lastTime = 0;

  constructor(
    private readonly family: RuleFamily<Input>,
    opts: CheckOptions = {},
  ) {
    // fixed once: a stream that runs past midnight keeps one expiry day for the ignore file
    this.opts = { ...opts, today: opts.today ?? new Date().toISOString().slice(0, 10) };
    this.perInput = { ...family, rules: family.rules.filter((r) => !r.window) };
    this.windowed = family.rules.filter((r) => r.window);
  }

  check(p: ParsedInput<Input>, file: string): StreamCheckResult {
    const out = checkParsed({ inputs: [p] }, file, this.perInput, this.opts);
    if (this.windowed.length === 0) return out;
    const raw = [];
    for (const rule of this.windowed) {
      const spec = rule.window!;
      const settings = this.opts.settings?.[rule.meta.id] ?? {};
      let reports;
      try {
        reports = rule.check(p.input, { file, settings });
      } catch (e) {
        out.warnings.push({
          file,
          ruleId: rule.meta.id,
          message: `rule failed: ${e instanceof Error ? e.message : String(e)}`,
        });
        continue;
      }
      if (reports.length === 0) continue;
      const time = spec.time(p.input) ?? this.lastTime;
      this.lastTime = Math.max(this.lastTime, time);
      const threshold = positive(settings.threshold) ?? spec.threshold;
      const windowSeconds = positive(settings.windowSeconds) ?? spec.windowSeconds;
      let counter = this.counters.get(rule.meta.id);
      if (!counter) this.counters.set(rule.meta.id, (counter = new WindowCounter()));
      for (const r of reports) {
        const key = String(r.data?.[spec.keyField] ?? '');
        const count = counter.add(key, time, threshold, windowSeconds * 1000);
        if (count === undefined) continue;
        const data = { ...r.data, count, windowSeconds, threshold };
        raw.push(toCheckFinding(rule.meta, { ...r, data }, file, this.family.target, p.object));
      }
    }
    if (raw.length === 0) return out;
    const kept = filterFindings(raw, file, this.opts);
    return {
      findings: [...out.findings, ...kept.findings],
      suppressed: [...out.suppressed, ...kept.suppressed],
      warnings: out.warnings,
    };
  }
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
