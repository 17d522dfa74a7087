import { expandVars, type VarLookup } from './expand.js';
import type { Dockerfile, Instruction, Located, Stage } from './types.js';

export interface ImageRef {
  /** registry host when the reference names one (`ghcr.io`, `localhost:5000`) */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference the way the distribution reference grammar does. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  let registry: string | undefined;
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return {
    repository: rest,
    ...(registry ? { registry } : {}),
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** True for FROM values a rule about base images must not judge: scratch, stages, unresolved ARGs. */
export function isExternalImage(stage: Stage): boolean {
  return (
    !stage.fromStage &&
    stage.image.toLowerCase() !== 'scratch' &&
    stage.image !== '' &&
    !stage.image.includes('$')
  );
}

/** The stages whose content ends up in the built image: the last one and the stages it is built FROM. */
export function shippedStages(df: Dockerfile): Stage[] {
  const firstByName = new Map<string, Stage>();
  for (const st of df.stages) if (st.name && !firstByName.has(st.name)) firstByName.set(st.name, st);
  const out: Stage[] = [];
  const seen = new Set<Stage>();
  let s = df.stages.at(-1);
  while (s && !seen.has(s)) {
    out.push(s);
    seen.add(s);
    const cur: Stage = s;
    const base = cur.fromStage ? firstByName.get(cur.image.toLowerCase()) : undefined;
    s = base && base.index < cur.index ? base : undefined;
  }
  return out;
}

/** The instruction itself, or ONBUILD's inner instruction. */
export function effective(ins: Instruction): Instruction | undefined {
  return ins.keyword === 'ONBUILD' ? ins.inner : ins;
}

/** Splits `KEY=value` / legacy `KEY value` forms of ENV, ARG and LABEL into pairs. */
export function keyValues(
  ins: Instruction,
): { key: string; value: string | undefined; line: number; column: number }[] {
  const a = ins.args;
  if (!a.length) return [];
  if (ins.keyword === 'ENV' && !a[0]!.value.includes('=')) {
    const space = ins.text.search(/\s/);
    return [
      {
        key: a[0]!.value,
        value: space < 0 ? '' : ins.text.slice(space).trim(),
        line: a[0]!.line,
        column: a[0]!.column,
      },
    ];
  }
  return a.map((w) => {
    const eq = w.value.indexOf('=');
    return {
      key: eq < 0 ? w.value : w.value.slice(0, eq),
      value: eq < 0 ? undefined : w.value.slice(eq + 1),
      line: w.line,
      column: w.column,
    };
  });
}

/** Variables in scope: this stage's ARGs and ENV, then ENV of the stages it is built FROM. */
export class Scope implements VarLookup {
  readonly args = new Map<string, string | undefined>();
  readonly env = new Map<string, string | undefined>();
  constructor(readonly parent?: Scope) {}

  has(name: string): boolean {
    return this.find(name) !== null;
  }

  get(name: string): string | undefined {
    return this.find(name)?.value;
  }

  private find(name: string): { value: string | undefined } | null {
    if (this.env.has(name)) return { value: this.env.get(name) };
    if (this.args.has(name)) return { value: this.args.get(name) };
    // parents expose ENV only: ARG values do not cross a FROM
    for (let p = this.parent; p; p = p.parent) if (p.env.has(name)) return { value: p.env.get(name) };
    return null;
  }
}

// Deeper FROM-stage chains than this inherit nothing further (hostile files chain thousands).
const MAX_INHERIT_DEPTH = 16;
const scopes = new WeakMap<Dockerfile, Map<Stage, Scope>>();

function globalArgs(df: Dockerfile): Map<string, string | undefined> {
  const globals = new Map<string, string | undefined>();
  for (const ins of df.instructions) {
    if (ins.stage !== -1) break;
    if (ins.keyword === 'ARG')
      for (const kv of keyValues(ins))
        globals.set(
          kv.key,
          kv.value === undefined ? undefined : expandVars(kv.value, globals, df.escape).value,
        );
  }
  return globals;
}

function define(
  ins: Instruction,
  scope: Scope,
  globals: ReadonlyMap<string, string | undefined>,
  escape: string,
): void {
  if (ins.keyword === 'ARG')
    for (const kv of keyValues(ins)) {
      if (kv.value !== undefined) scope.args.set(kv.key, expandVars(kv.value, scope, escape).value);
      else if (!scope.has(kv.key)) scope.args.set(kv.key, globals.get(kv.key));
    }
  else if (ins.keyword === 'ENV')
    for (const kv of keyValues(ins)) scope.env.set(kv.key, expandVars(kv.value ?? '', scope, escape).value);
}

/** The final scope of every stage, computed once per Dockerfile (parents come first). */
function stageScopes(df: Dockerfile): Map<Stage, Scope> {
  const hit = scopes.get(df);
  if (hit) return hit;
  const globals = globalArgs(df);
  const byName = new Map<string, Stage>();
  const out = new Map<Stage, Scope>();
  const depth = new Map<Stage, number>();
  for (const stage of df.stages) {
    const parent = stage.fromStage ? byName.get(stage.image.toLowerCase()) : undefined;
    const d = parent ? (depth.get(parent) ?? 0) + 1 : 0;
    const scope = new Scope(parent && d <= MAX_INHERIT_DEPTH ? out.get(parent) : undefined);
    depth.set(stage, d);
    for (const ins of stage.instructions) define(ins, scope, globals, df.escape);
    out.set(stage, scope);
    if (stage.name && !byName.has(stage.name)) byName.set(stage.name, stage);
  }
  scopes.set(df, out);
  return out;
}

/**
 * Walks a stage's instructions with the variables in scope at each one, the way BuildKit expands
 * them: ENV of the stage it is built FROM, `ARG name` re-importing a global ARG's default,
 * `ARG name=default`, and ENV (whose values may use earlier variables). The scope is live: read it
 * before the next step.
 */
export function* withVars(df: Dockerfile, stage: Stage): Generator<{ ins: Instruction; vars: VarLookup }> {
  const globals = globalArgs(df);
  const final = stageScopes(df).get(stage);
  const scope = new Scope(final?.parent);
  for (const ins of stage.instructions) {
    yield { ins, vars: scope };
    define(ins, scope, globals, df.escape);
  }
}

/** Every EXPOSE word with variables expanded; words that use an unknown variable are left out. */
export function* exposedPorts(df: Dockerfile): Generator<{ ins: Instruction; port: string; word: Located }> {
  for (const stage of df.stages)
    for (const { ins, vars } of withVars(df, stage)) {
      if (ins.keyword !== 'EXPOSE') continue;
      for (const word of ins.args) {
        const e = expandVars(word.value, vars, df.escape);
        if (!e.unresolved) yield { ins, port: e.value, word };
      }
    }
}
