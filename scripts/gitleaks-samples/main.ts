/**
 * Extracts gitleaks' own true- and false-positive samples, per rule, as data:
 *
 *   node --import tsx scripts/gitleaks-samples/main.ts <gitleaks git dir> [commit] > test/fixtures/gitleaks/samples.json
 *
 * It reads `cmd/generate/config/main.go` (the list of rule functions gitleaks builds its default
 * configuration from), `cmd/generate/config/rules/*.go` and `cmd/generate/config/utils/*.go` with
 * `git show`, and evaluates each rule function with a small Go interpreter (go.ts, interp.ts)
 * until it reaches `utils.Validate(rule, tps, fps)`: the helpers that build samples
 * (`utils.GenerateSampleSecrets`, `utils.AlphaNumeric`, `fmt.Sprintf`, base64, ...) are evaluated
 * from their source; `secrets.NewSecret(regex)`, which draws a random string matching a regex,
 * draws from the same character classes and lengths with a generator seeded by the rule
 * function's name (regen.ts), so the output is the same on every run.
 *
 * Samples are stored base64-encoded: they are secret-shaped strings (some are the literal
 * "gitleaks:allow" examples of their repository), kept as test data, never as plain text that a
 * push-protection scanner would stop.
 */
import { execFileSync } from 'node:child_process';
import { parseGo, type GoFile } from './go.js';
import { Interpreter, type Validated } from './interp.js';
import { Rng, seedOf } from './regen.js';

const [gitDir, commit = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  process.stderr.write('usage: main.ts <gitleaks git dir> [commit]\n');
  process.exit(2);
}
const git = (...args: string[]) =>
  execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const sha = git('rev-parse', commit).trim();
const show = (path: string) => git('show', `${sha}:${path}`);
const list = (dir: string) =>
  git('ls-tree', '--name-only', `${sha}:${dir}`)
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => `${dir}/${f}`);

const CONFIG = 'cmd/generate/config';
const files: GoFile[] = [];
const fileOf = new Map<string, string>();
for (const path of [...list(`${CONFIG}/rules`), ...list(`${CONFIG}/utils`)]) {
  let f: GoFile;
  try {
    f = parseGo(show(path));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  files.push(f);
  for (const fn of f.funcs) if (f.pkg === 'rules') fileOf.set(fn.name, path);
}
const interp = new Interpreter(files);

// the rules gitleaks' default configuration is made of, in its order
const main = show(`${CONFIG}/main.go`);
const ruleFuncs = [...main.matchAll(/\brules\.([A-Za-z0-9_]+)\(\)/g)].map((m) => m[1]!);

const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const rules = ruleFuncs.map((name) => {
  interp.rng = new Rng(seedOf(name));
  let v: Validated;
  try {
    v = interp.call('rules', name) as Validated;
  } catch (e) {
    throw new Error(`${name} (${fileOf.get(name)}): ${(e as Error).stack}`);
  }
  // a rule function without samples returns its rule alone (`return &r`)
  if (v && (v as unknown as Record<string, unknown>).__struct === 'config.Rule')
    v = { rule: v as unknown as Record<string, unknown>, tps: [], fps: [] };
  if (!v?.rule) throw new Error(`${name}: returned ${String(v)}`);
  const r = v.rule;
  const id = r.RuleID as string;
  if (!id) throw new Error(`${name}: no RuleID`);
  const sample = (s: { text: string; path?: string }) =>
    s.path ? { path: s.path, b64: enc(s.text) } : { b64: enc(s.text) };
  return {
    id,
    function: name,
    file: fileOf.get(name),
    keywords: (r.Keywords as string[] | undefined) ?? [],
    ...(typeof r.Entropy === 'number' ? { entropy: r.Entropy } : {}),
    ...(r.Path ? { path: (r.Path as { source: string }).source } : {}),
    tps: v.tps.map(sample),
    fps: v.fps.map(sample),
  };
});

const out = {
  source: {
    repository: 'https://github.com/gitleaks/gitleaks',
    commit: sha,
    paths: [`${CONFIG}/main.go`, `${CONFIG}/rules/*.go`, `${CONFIG}/utils/*.go`],
    licence: 'MIT',
  },
  encoding: 'each sample text is base64 (UTF-8)',
  rules,
};
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
process.stderr.write(
  `${rules.length} rules, ${rules.reduce((a, r) => a + r.tps.length, 0)} true positives, ${rules.reduce((a, r) => a + r.fps.length, 0)} false positives\n`,
);
