import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SECRET_RULES, scanSecrets } from '../../src/secrets/index.js';

/**
 * gitleaks' own samples (test/fixtures/gitleaks/samples.json, made by
 * scripts/gitleaks-samples/main.ts) run through bulwark's scanner. Per gitleaks rule: which of its
 * true positives some bulwark rule reports (and which rules), and how many of its false-positive
 * samples get any finding. A false-positive sample that is, word for word, a true positive of
 * another gitleaks rule (gitleaks lists Cloudflare's API keys as negatives of its global-key rule)
 * only counts when a rule other than that one's reports it. A true positive of a gitleaks rule
 * that bulwark answers with generic rules only (`generic-api-key`) also counts as found by its
 * alias when a specific rule reports it: bulwark's generic rules give way to specific ones by
 * design (`genericToken=CLOJARS_...` is a Clojars token).
 *
 * Run alone for the full table: node --import tsx test/secrets/gitleaks-conformance.ts [--all]
 */
export interface Sample {
  text: string;
  path?: string;
}
export interface GitleaksRule {
  id: string;
  function: string;
  tps: Sample[];
  fps: Sample[];
}

export interface RuleOutcome {
  id: string;
  tps: number;
  /** true positives some bulwark rule reports */
  found: number;
  /** true positives a bulwark rule aliased to this gitleaks id reports */
  foundByAlias: number;
  /** bulwark rules that reported its true positives, with counts */
  by: Record<string, number>;
  missed: string[];
  /** true positives no rule aliased to this gitleaks id reports */
  missedByAlias: string[];
  fps: number;
  reported: number;
  noisy: { text: string; rules: string[] }[];
}

export interface Conformance {
  commit: string;
  rules: RuleOutcome[];
  totals: {
    rules: number;
    /** gitleaks rules with true positives, every one found by a rule aliased to it */
    reached: number;
    /** gitleaks rules with no sample at all */
    withoutSamples: number;
    tps: number;
    found: number;
    fps: number;
    reported: number;
  };
}

const FIXTURE = fileURLToPath(new URL('../fixtures/gitleaks/samples.json', import.meta.url));

export function loadGitleaksSamples(): { commit: string; rules: GitleaksRule[] } {
  const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    source: { commit: string };
    rules: {
      id: string;
      function: string;
      tps: { b64: string; path?: string }[];
      fps: { b64: string; path?: string }[];
    }[];
  };
  const dec = (s: { b64: string; path?: string }): Sample => ({
    text: Buffer.from(s.b64, 'base64').toString('utf8'),
    ...(s.path ? { path: s.path } : {}),
  });
  return {
    commit: doc.source.commit,
    rules: doc.rules.map((r) => ({
      id: r.id,
      function: r.function,
      tps: r.tps.map(dec),
      fps: r.fps.map(dec),
    })),
  };
}

export function measureGitleaks(): Conformance {
  const { commit, rules } = loadGitleaksSamples();
  const aliasesOf = new Map(SECRET_RULES.map((s) => [`secrets/${s.id}`, s.aliases]));
  const generic = new Set(SECRET_RULES.filter((s) => s.generic).map((s) => `secrets/${s.id}`));
  // exact text -> gitleaks rules that call it a true positive
  const tpOf = new Map<string, Set<string>>();
  for (const r of rules)
    for (const s of r.tps) {
      const set = tpOf.get(s.text) ?? new Set<string>();
      set.add(`gitleaks:${r.id}`);
      tpOf.set(s.text, set);
    }
  const scan = (s: Sample) =>
    scanSecrets(s.text, s.path ? { path: s.path } : {}).findings.map((f) => f.ruleId);
  const out: RuleOutcome[] = [];
  for (const r of rules) {
    const alias = `gitleaks:${r.id}`;
    const answeredBy = SECRET_RULES.filter((s) => s.aliases.includes(alias));
    const genericOnly = answeredBy.length > 0 && answeredBy.every((s) => s.generic);
    const o: RuleOutcome = {
      id: r.id,
      tps: r.tps.length,
      found: 0,
      foundByAlias: 0,
      by: {},
      missed: [],
      missedByAlias: [],
      fps: r.fps.length,
      reported: 0,
      noisy: [],
    };
    for (const s of r.tps) {
      const ids = scan(s);
      if (ids.length) o.found++;
      else o.missed.push(s.text);
      if (ids.some((id) => aliasesOf.get(id)?.includes(alias) || (genericOnly && !generic.has(id))))
        o.foundByAlias++;
      else o.missedByAlias.push(s.text);
      for (const id of new Set(ids)) o.by[id] = (o.by[id] ?? 0) + 1;
    }
    for (const s of r.fps) {
      const legit = tpOf.get(s.text);
      const ids = scan(s).filter((id) => !aliasesOf.get(id)?.some((a) => legit?.has(a)));
      if (ids.length) {
        o.reported++;
        o.noisy.push({ text: s.text, rules: [...new Set(ids)] });
      }
    }
    out.push(o);
  }
  const sum = (f: (o: RuleOutcome) => number) => out.reduce((a, o) => a + f(o), 0);
  return {
    commit,
    rules: out,
    totals: {
      rules: out.length,
      reached: out.filter((o) => o.tps > 0 && o.foundByAlias === o.tps).length,
      withoutSamples: out.filter((o) => o.tps === 0).length,
      tps: sum((o) => o.tps),
      found: sum((o) => o.found),
      fps: sum((o) => o.fps),
      reported: sum((o) => o.reported),
    },
  };
}

export function conformanceSummary(c: Conformance): string {
  const t = c.totals;
  return (
    `gitleaks ${c.commit.slice(0, 12)}: ${t.reached} of ${t.rules - t.withoutSamples} rule types with samples reached ` +
    `(every true positive found by a rule aliased to it; ${t.withoutSamples} have no samples), ` +
    `true positives found ${t.found}/${t.tps}, false positives reported ${t.reported}/${t.fps} ` +
    `(${((100 * t.reported) / t.fps).toFixed(1)}%)`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const c = measureGitleaks();
  const all = process.argv.includes('--all');
  for (const o of c.rules) {
    const ok = o.tps > 0 && o.foundByAlias === o.tps && o.reported === 0;
    if (ok && !all) continue;
    const by = Object.entries(o.by)
      .map(([k, v]) => `${k.replace('secrets/', '')}:${v}`)
      .join(' ');
    console.log(
      `${o.id.padEnd(44)} tp ${o.found}/${o.tps} alias ${o.foundByAlias} fp ${o.reported}/${o.fps}  ${by}`,
    );
    if (process.argv.includes('-v')) {
      for (const m of o.missed.slice(0, 3)) console.log(`    MISS ${JSON.stringify(m).slice(0, 160)}`);
      for (const n of o.noisy)
        console.log(`    FP ${n.rules.join(',')} ${JSON.stringify(n.text).slice(0, 160)}`);
    }
  }
  console.log(conformanceSummary(c));
}
