import type { Dockerfile, Instruction, Stage } from './types.js';

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
