import type { CheckTarget, RuleFamily, RuleMeta } from './types.js';

/**
 * Every rule family, sorted by name, loaded lazily so `bulwark config` on a Dockerfile never
 * loads the Kubernetes rules. A family is the folder `src/checks/rules/<name>/` whose `index.ts`
 * exports `family`; add one line here per family. A contract test checks this list against the
 * folders and every family's rules against its files.
 */
export const FAMILIES: Record<string, () => Promise<RuleFamily>> = {
  audit: async () => (await import('./rules/audit/index.js')).family as RuleFamily,
  compose: async () => (await import('./rules/compose/index.js')).family as RuleFamily,
  container: async () => (await import('./rules/container/index.js')).family as RuleFamily,
  daemon: async () => (await import('./rules/daemon/index.js')).family as RuleFamily,
  dockerfile: async () => (await import('./rules/dockerfile/index.js')).family as RuleFamily,
  host: async () => (await import('./rules/host/index.js')).family as RuleFamily,
  'image-config': async () => (await import('./rules/image-config/index.js')).family as RuleFamily,
  kubernetes: async () => (await import('./rules/kubernetes/index.js')).family as RuleFamily,
  netpol: async () => (await import('./rules/netpol/index.js')).family as RuleFamily,
  secrets: async () => (await import('./rules/secrets/index.js')).family as RuleFamily,
};

export async function loadFamilies(names?: readonly string[]): Promise<RuleFamily[]> {
  const wanted = names ?? Object.keys(FAMILIES).sort();
  const out: RuleFamily[] = [];
  for (const n of wanted) {
    const load = FAMILIES[n];
    if (load) out.push(await load());
  }
  return out;
}

/** Every rule's metadata, sorted by id; `target` narrows to families checking that kind of input. */
export async function listRules(target?: string): Promise<{ meta: RuleMeta; target: CheckTarget }[]> {
  const out: { meta: RuleMeta; target: CheckTarget }[] = [];
  for (const f of await loadFamilies())
    for (const r of f.rules)
      if (!target || f.target === target || (r.meta.appliesTo as string[]).includes(target))
        out.push({ meta: r.meta, target: f.target });
  return out.sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}
