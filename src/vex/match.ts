/**
 * Which VEX statement applies to a finding of a local scan. A product that is an image
 * (`pkg:oci/...`) applies only when it is the scanned image: the same manifest digest, or, without
 * a digest, the same repository; a package product, or a package inside the image product, must
 * be the finding's package (a purl without version: every version). The most specific statement
 * wins (a package named > the image as a whole > no product), then the latest timestamp, then the
 * later statement in the later document.
 */
import { isOciPurl, ociTarget, purlBase, purlNoQualifiers, purlVersion } from './purl.js';
import type { VexStatement } from './types.js';

export interface VexTarget {
  /** manifest digests the scanned image has (its own, its repo digests) */
  digests: readonly string[];
  /** its repositories (`docker.io/library/alpine`) */
  repositories: readonly string[];
}

export interface VexFindingRef {
  id: string;
  aliases: readonly string[];
  purl: string;
}

/** A statement with the document it came from, as the scan's policy stage receives it. */
export interface SourcedStatement {
  statement: VexStatement;
  /** the file or URL */
  source: string;
}

function samePackage(want: string, purl: string): boolean {
  if (!purl) return false;
  return purlVersion(want) !== undefined
    ? purlNoQualifiers(want) === purlNoQualifiers(purl)
    : purlBase(want) === purlBase(purl);
}

/** How specifically a statement names this finding; -1: not at all. */
function specificity(s: VexStatement, f: VexFindingRef, t: VexTarget): number {
  const ids = [s.vulnId, ...s.aliases];
  if (!ids.includes(f.id) && !f.aliases.some((a) => ids.includes(a))) return -1;
  if (!s.products.length) return 0;
  let best = -1;
  for (const p of s.products) {
    if (isOciPurl(p.purl)) {
      const it = ociTarget(p.purl);
      const same = it.digest ? t.digests.includes(it.digest) : t.repositories.includes(it.repository);
      if (!same) continue;
      if (!p.packages.length) best = Math.max(best, 1);
      else if (p.packages.some((q) => samePackage(q, f.purl))) best = Math.max(best, 2);
    } else if (samePackage(p.purl, f.purl)) {
      best = Math.max(best, 2);
    }
  }
  return best;
}

export function vexFor(
  statements: readonly SourcedStatement[],
  f: VexFindingRef,
  t: VexTarget,
): SourcedStatement | undefined {
  let best: SourcedStatement | undefined;
  let bestRank = -1;
  let bestTime = '';
  for (const s of statements) {
    const rank = specificity(s.statement, f, t);
    if (rank < 0) continue;
    const time = s.statement.timestamp ?? '';
    if (rank > bestRank || (rank === bestRank && time >= bestTime)) {
      best = s;
      bestRank = rank;
      bestTime = time;
    }
  }
  return best;
}

/** The reason a suppressed finding shows: the statement's status, justification and words. */
export function vexReason(s: SourcedStatement): string {
  const st = s.statement;
  const words = st.impactStatement ?? st.statusNotes ?? st.actionStatement;
  return `VEX ${st.status}${st.justification ? ` (${st.justification})` : ''}${words ? `: ${words}` : ''}`;
}
