import { BulwarkError } from '../core/errors.js';
import type { Descriptor } from './schemas.js';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

/** The host as Node names it (`process.platform`, `process.arch`), passed in by the caller. */
export interface HostPlatform {
  platform: string;
  arch: string;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips: 'mips',
  mipsel: 'mipsle',
  loong64: 'loong64',
};

export const DEFAULT_PLATFORM = 'linux/amd64';

export function parsePlatform(s: string): PlatformSpec {
  const parts = s.trim().split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new BulwarkError('USAGE', 'platform must be os/arch[/variant], e.g. linux/arm64/v8', { input: s });
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function formatPlatform(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os ?? 'unknown', p.architecture ?? 'unknown', ...(p.variant ? [p.variant] : [])].join('/');
}

/** Maps Node's host names to OCI platform names; images built for a container host are linux. */
export function hostPlatformSpec(host: HostPlatform): PlatformSpec {
  return { os: 'linux', architecture: NODE_ARCH[host.arch] ?? host.arch };
}

// arm64 images often omit the variant (v8 is the only one), so treat absent and v8 as equal.
function variantMatches(want: PlatformSpec, have: { architecture: string; variant?: string }): boolean {
  if (!want.variant) return true;
  if (want.architecture === 'arm64' && want.variant === 'v8') return !have.variant || have.variant === 'v8';
  return have.variant === want.variant;
}

function matches(want: PlatformSpec, d: Descriptor): boolean {
  const p = d.platform;
  if (!p) return false;
  return p.os === want.os && p.architecture === want.architecture && variantMatches(want, p);
}

/**
 * Picks the index entry for the platform: the one asked for, else linux/amd64 then the host's.
 * UNSUPPORTED (listing what is there) when nothing fits.
 */
export function selectPlatform(
  manifests: Descriptor[],
  opts: { platform?: string; host?: HostPlatform; input: string },
): Descriptor {
  const candidates = opts.platform
    ? [parsePlatform(opts.platform)]
    : [parsePlatform(DEFAULT_PLATFORM), ...(opts.host ? [hostPlatformSpec(opts.host)] : [])];
  for (const want of candidates) {
    const exact = manifests.find(
      (d) => matches(want, d) && (d.platform?.variant ?? '') === (want.variant ?? ''),
    );
    const found = exact ?? manifests.find((d) => matches(want, d));
    if (found) return found;
  }
  const available = [
    ...new Set(
      manifests
        .filter((d) => d.platform && d.platform.os !== 'unknown')
        .map((d) => formatPlatform(d.platform!)),
    ),
  ];
  throw new BulwarkError(
    'UNSUPPORTED',
    `no image for platform ${candidates.map(formatPlatform).join(' or ')}; available: ${available.join(', ') || 'none'}`,
    { input: opts.input },
  );
}
