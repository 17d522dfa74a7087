/**
 * What a policy knows about an image: its vulnerability findings (from a bulwark scan report,
 * the server's store or a fresh scan) and whether its signatures verified. The evaluator is pure
 * over these facts; where they come from is the caller's business (CI: report files; admission:
 * a cache filled ahead of time; server: the store).
 */
import type { Severity } from '../core/types.js';
import { exploitChance, probabilityOf } from '../match/risk.js';
import { parseReference } from '../registry/reference.js';

export interface VulnFact {
  id: string;
  aliases: string[];
  severity: Severity;
  /** EPSS probability 0..1, null when unscored */
  epss: number | null;
  kev: boolean;
  fixedVersion: string | null;
  /** advisory publication date (ISO) */
  published: string | null;
  /** when this image first had the finding (server history); wins over `published` for ages */
  firstSeen?: string;
  package: { name: string; version: string; ecosystem: string };
}

export interface SignatureFact {
  verified: boolean;
  /** why not, as the trust commands name it (`no-signatures`, `wrong-key`, ...) */
  reason?: string;
  message: string;
}

export interface ImageFacts {
  /** the reference the facts were gathered for */
  reference: string;
  digest?: string;
  /** undefined when the image was not scanned (a cache miss); [] when scanned clean */
  vulnerabilities?: VulnFact[];
  /** undefined when signatures were not checked */
  signature?: SignatureFact;
  /** where the facts come from: a report file, the server, a cache, a fresh scan */
  source: string;
  scannedAt?: string;
}

/** Looks facts up by the reference as written, its canonical form, or its digest. */
export class FactsIndex {
  private readonly byKey = new Map<string, ImageFacts>();

  add(facts: ImageFacts, names: readonly string[] = []): void {
    for (const n of [facts.reference, ...names]) {
      this.byKey.set(n, facts);
      const c = canonical(n);
      if (c) this.byKey.set(c, facts);
    }
    if (facts.digest) this.byKey.set(facts.digest, facts);
  }

  get(image: string): ImageFacts | undefined {
    const direct = this.byKey.get(image);
    if (direct) return direct;
    const c = canonical(image);
    if (c && this.byKey.has(c)) return this.byKey.get(c);
    const at = image.indexOf('@');
    if (at >= 0) return this.byKey.get(image.slice(at + 1));
    return undefined;
  }

  get size(): number {
    return new Set(this.byKey.values()).size;
  }
}

function canonical(image: string): string | undefined {
  try {
    return parseReference(image).canonical;
  } catch {
    return undefined;
  }
}

/**
 * The probability that at least one of the findings is exploited: 1 − Π(1 − pᵢ), with pᵢ the
 * finding's EPSS score and 1 for a CISA KEV entry (it is being exploited). Findings without an
 * EPSS score count 0.
 */
export function exploitProbability(findings: readonly Pick<VulnFact, 'epss' | 'kev'>[]): number {
  return probabilityOf(findings.map((f) => exploitChance(f.epss, Boolean(f.kev))));
}

interface ReportFinding {
  id?: unknown;
  aliases?: unknown;
  severity?: unknown;
  epss?: { score?: unknown } | null;
  kev?: unknown;
  fixedVersion?: unknown;
  published?: unknown;
  package?: { name?: unknown; version?: unknown; ecosystem?: unknown };
}

const SEVERITY_SET = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The facts of a bulwark scan report (`--format json` of image/rootfs/fs/sbom, kind `scan`). */
export function factsFromReport(report: Record<string, unknown>, source: string): ImageFacts {
  const target = (report.target ?? {}) as Record<string, unknown>;
  const findings = Array.isArray(report.findings) ? (report.findings as ReportFinding[]) : [];
  const vulnerabilities: VulnFact[] = findings.map((f) => ({
    id: str(f.id) ?? '',
    aliases: Array.isArray(f.aliases) ? f.aliases.filter((a): a is string => typeof a === 'string') : [],
    severity: (SEVERITY_SET.has(f.severity as string) ? f.severity : 'UNKNOWN') as Severity,
    epss: typeof f.epss?.score === 'number' ? f.epss.score : null,
    kev: f.kev !== null && f.kev !== undefined && f.kev !== false,
    fixedVersion: str(f.fixedVersion),
    published: str(f.published),
    package: {
      name: str(f.package?.name) ?? '',
      version: str(f.package?.version) ?? '',
      ecosystem: str(f.package?.ecosystem) ?? '',
    },
  }));
  const digest = str(target.digest);
  return {
    reference: str(target.name) ?? source,
    ...(digest ? { digest } : {}),
    vulnerabilities,
    source,
    ...(typeof report.createdAt === 'string' ? { scannedAt: report.createdAt } : {}),
  };
}

/** Other names a report's image goes by (its tags and repo digests), for the index. */
export function reportNames(report: Record<string, unknown>): string[] {
  const target = (report.target ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return [...list(target.repoTags), ...list(target.repoDigests)];
}
