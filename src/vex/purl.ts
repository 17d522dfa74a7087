/** The few purl operations VEX needs: comparing without version/qualifiers, and OCI image purls. */

/** A purl without its version, qualifiers and subpath: `pkg:deb/debian/curl`. */
export function purlBase(purl: string): string {
  const cut = purl.search(/[@?#]/);
  return cut < 0 ? purl : purl.slice(0, cut);
}

/** A purl without qualifiers and subpath (keeps the version). */
export function purlNoQualifiers(purl: string): string {
  const cut = purl.search(/[?#]/);
  return cut < 0 ? purl : purl.slice(0, cut);
}

/** The version of a purl (percent-decoded), if it has one. */
export function purlVersion(purl: string): string | undefined {
  const p = purlNoQualifiers(purl);
  const at = p.lastIndexOf('@');
  if (at < 0 || at < p.lastIndexOf('/')) return undefined;
  try {
    return decodeURIComponent(p.slice(at + 1));
  } catch {
    return undefined;
  }
}

export function purlQualifier(purl: string, key: string): string | undefined {
  const q = purl.indexOf('?');
  if (q < 0) return undefined;
  const end = purl.indexOf('#', q);
  for (const kv of purl.slice(q + 1, end < 0 ? undefined : end).split('&')) {
    const eq = kv.indexOf('=');
    if (eq > 0 && kv.slice(0, eq).toLowerCase() === key) {
      try {
        return decodeURIComponent(kv.slice(eq + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function isOciPurl(purl: string): boolean {
  return purl.toLowerCase().startsWith('pkg:oci/');
}

/**
 * The OCI purl of an image: `pkg:oci/<name>@<digest>?repository_url=<repository>` (the digest
 * percent-encoded, as the purl spec's example does), or without a version for the repository.
 */
export function ociPurl(repository: string, digest?: string | null, tag?: string): string {
  const name = repository.split('/').pop() || repository;
  const q = [`repository_url=${encodeURIComponent(repository).replace(/%2F/g, '/')}`];
  if (tag) q.push(`tag=${encodeURIComponent(tag)}`);
  return `pkg:oci/${encodeURIComponent(name)}${digest ? `@${encodeURIComponent(digest)}` : ''}?${q.join('&')}`;
}

/** What an OCI purl names: its repository (repository_url, else its name) and digest. */
export function ociTarget(purl: string): { repository: string; digest?: string } {
  const base = purlBase(purl);
  const name = decodeURIComponent(base.slice('pkg:oci/'.length));
  const repository = purlQualifier(purl, 'repository_url') ?? name;
  const digest = purlVersion(purl);
  return { repository, ...(digest ? { digest } : {}) };
}
