import { BulwarkError } from '../core/errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** `linux/arm64/v8` -> parts; USAGE error for anything else. */
export function parsePlatform(s: string): Platform {
  const parts = s.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new BulwarkError('USAGE', `platform must be os/arch[/variant], got ${JSON.stringify(s)}`, {
      input: s,
    });
  }
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
}

export function formatPlatform(p: Partial<Platform>): string {
  return [p.os ?? 'unknown', p.architecture ?? 'unknown', ...(p.variant ? [p.variant] : [])].join('/');
}

export function hostPlatform(nodeArch: string = process.arch): Platform {
  return { os: 'linux', architecture: NODE_ARCH[nodeArch] ?? nodeArch };
}

// Same rules as the registry client: arm64 images often omit the variant (v8 is the only one).
function matches(want: Platform, have: Partial<Platform>): boolean {
  if (want.os !== have.os || want.architecture !== have.architecture) return false;
  if (!want.variant) return true;
  if (want.architecture === 'arm64' && want.variant === 'v8') return !have.variant || have.variant === 'v8';
  return want.variant === have.variant;
}

function find<T>(list: { c: T; p: Partial<Platform> | undefined }[], want: Platform): T | undefined {
  const exact = list.find(({ p }) => p && matches(want, p) && (p.variant ?? '') === (want.variant ?? ''));
  return (exact ?? list.find(({ p }) => p && matches(want, p)))?.c;
}

/**
 * Picks one entry of an index: the requested platform exactly; without a request linux/amd64,
 * then the host's platform, then the only candidate there is. Ambiguity is UNSUPPORTED, never a guess.
 */
export function selectPlatform<T>(
  candidates: readonly T[],
  platformOf: (c: T) => Partial<Platform> | undefined,
  requested: string | undefined,
  input: string,
): T {
  const withPlatform = candidates.map((c) => ({ c, p: platformOf(c) }));
  const available = withPlatform.map(({ p }) => (p ? formatPlatform(p) : 'unknown')).join(', ');
  if (requested) {
    const want = parsePlatform(requested);
    const hit = find(withPlatform, want);
    if (hit !== undefined) return hit;
    throw new BulwarkError(
      'UNSUPPORTED',
      `no image for platform ${requested} (available: ${available || 'none'})`,
      {
        input,
      },
    );
  }
  for (const want of [{ os: 'linux', architecture: 'amd64' }, hostPlatform()]) {
    const hit = find(withPlatform, want);
    if (hit !== undefined) return hit;
  }
  if (candidates.length === 1) return candidates[0]!;
  throw new BulwarkError(
    'UNSUPPORTED',
    candidates.length === 0
      ? 'the index lists no images'
      : `several images and none for linux/amd64 or this host; choose one with a platform (available: ${available})`,
    { input },
  );
}
