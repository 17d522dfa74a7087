/**
 * What a language lockfile or installed-metadata parser returns. Parsers are pure functions over
 * text: malformed input yields `problems`, never exceptions, so one bad file costs only itself.
 */
export interface LangPackage {
  /** name as the file writes it (display); matching normalises it per ecosystem */
  name: string;
  version: string;
  purl: string;
  /** only needed to develop or test the project (lockfile dev groups) */
  dev?: boolean;
  licenses?: string[];
  /** purls of the packages this one depends on, resolved within the same file, sorted */
  dependsOn?: string[];
  metadata?: Record<string, string | number | boolean>;
}

export interface LangParseResult {
  packages: LangPackage[];
  problems: string[];
}

/** Sorts by purl and drops exact duplicates (the same package locked under several specs). */
export function finishPackages(packages: LangPackage[]): LangPackage[] {
  const byPurl = new Map<string, LangPackage>();
  for (const p of packages) {
    const seen = byPurl.get(p.purl);
    if (!seen) {
      byPurl.set(p.purl, p);
      continue;
    }
    // a package reachable from production code is not dev-only, whichever entry said otherwise
    if (seen.dev && !p.dev) delete seen.dev;
    if (p.dependsOn?.length)
      seen.dependsOn = [...new Set([...(seen.dependsOn ?? []), ...p.dependsOn])].sort();
  }
  return [...byPurl.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** Strips a UTF-8 byte order mark, which editors on Windows like to write. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
