import type { RuleFamily } from './types.js';

/**
 * Every rule family, sorted by name, loaded lazily so `bulwark config` on a Dockerfile never
 * loads the Kubernetes rules. A family is the folder `src/checks/rules/<name>/` whose `index.ts`
 * exports `family`; add one line here per family. A contract test checks this list against the
 * folders and every family's rules against its files.
 */
export const FAMILIES: Record<string, () => Promise<RuleFamily>> = {
  compose: async () => (await import('./rules/compose/index.js')).family as RuleFamily,
  dockerfile: async () => (await import('./rules/dockerfile/index.js')).family as RuleFamily,
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
