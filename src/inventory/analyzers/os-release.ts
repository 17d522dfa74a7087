import type { OsInfo } from '../../core/types.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';
import { osEcosystem } from '../os.js';

type OsFact = Partial<OsInfo> & { family: string };

/** Files that name the OS, most authoritative first (see `mergeOsFacts`). */
export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/lsb-release',
  'etc/redhat-release',
  'etc/centos-release',
  'etc/rocky-release',
  'etc/almalinux-release',
  'etc/fedora-release',
  'etc/system-release',
  'etc/alpine-release',
  'etc/debian_version',
] as const;

const WANTED = new Set<string>(OS_FILES);
const MAX_BYTES = 64 * 1024;

/** os-release `ID` -> bulwark family */
const FAMILIES: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  rhel: 'rhel',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'alma',
  fedora: 'fedora',
  amzn: 'amzn',
};

/** Shell-style `KEY=value` lines as os-release(5) and lsb-release write them. */
export function parseKeyValue(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\([\\"$`])/g, '$1');
    }
    out.set(key, value);
  }
  return out;
}

function withEcosystem(os: OsFact): OsFact {
  return { ...os, ecosystem: osEcosystem(os).ecosystem };
}

function fromOsRelease(text: string): OsFact | undefined {
  const kv = parseKeyValue(text);
  const id = (kv.get('ID') ?? '').toLowerCase();
  if (!id) return undefined;
  // unknown IDs keep their own name: matching an unknown derivative against its parent's feed
  // (ID_LIKE) would report the parent's fixes as the derivative's
  const family = FAMILIES[id] ?? id;
  const os: OsFact = {
    family,
    name: kv.get('NAME') ?? id,
    version: kv.get('VERSION_ID') ?? '',
  };
  const codename = kv.get('VERSION_CODENAME') ?? kv.get('UBUNTU_CODENAME');
  if (codename) os.codename = codename;
  if (!os.codename && family === 'debian') {
    // Debian testing: VERSION="... (trixie)" without VERSION_CODENAME in old images
    const m = /\(([a-z]+)\)/.exec(kv.get('VERSION') ?? kv.get('PRETTY_NAME') ?? '');
    if (m?.[1]) os.codename = m[1];
  }
  if (kv.get('PRETTY_NAME') === 'Distroless') os.distroless = true;
  return withEcosystem(os);
}

function fromLsbRelease(text: string): OsFact | undefined {
  const kv = parseKeyValue(text);
  const id = (kv.get('DISTRIB_ID') ?? '').toLowerCase();
  if (!id) return undefined;
  const os: OsFact = {
    family: FAMILIES[id] ?? id,
    name: kv.get('DISTRIB_ID') ?? id,
    version: kv.get('DISTRIB_RELEASE') ?? '',
  };
  const codename = kv.get('DISTRIB_CODENAME');
  if (codename) os.codename = codename;
  return withEcosystem(os);
}

/** `<Name> release <version> (<codename>)` lines of the Red Hat family and Amazon Linux. */
const RELEASE_NAMES: [prefix: string, family: string, name: string][] = [
  ['red hat enterprise linux', 'rhel', 'Red Hat Enterprise Linux'],
  ['centos', 'centos', 'CentOS Linux'],
  ['rocky linux', 'rocky', 'Rocky Linux'],
  ['almalinux', 'alma', 'AlmaLinux'],
  ['fedora', 'fedora', 'Fedora Linux'],
  ['amazon linux', 'amzn', 'Amazon Linux'],
];

export function parseReleaseLine(text: string): OsFact | undefined {
  const line = (text.split('\n')[0] ?? '').trim();
  const lower = line.toLowerCase();
  const hit = RELEASE_NAMES.find(([p]) => lower.startsWith(p));
  if (!hit) return undefined;
  const m = /release\s+([0-9][0-9A-Za-z._-]*)/i.exec(line);
  const os: OsFact = { family: hit[1], name: hit[2], version: m?.[1] ?? '' };
  const code = /\(([^)]+)\)\s*$/.exec(line);
  if (code?.[1]) os.codename = code[1];
  if (lower.startsWith('centos stream')) os.name = 'CentOS Stream';
  return withEcosystem(os);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

export function detectOs(path: string, text: string): OsFact | undefined {
  switch (path) {
    case 'etc/os-release':
    case 'usr/lib/os-release':
      return fromOsRelease(text);
    case 'etc/lsb-release':
      return fromLsbRelease(text);
    case 'etc/debian_version': {
      const v = firstLine(text);
      return v ? withEcosystem({ family: 'debian', name: 'Debian GNU/Linux', version: v }) : undefined;
    }
    case 'etc/alpine-release': {
      const v = firstLine(text);
      return /^\d/.test(v)
        ? withEcosystem({ family: 'alpine', name: 'Alpine Linux', version: v })
        : undefined;
    }
    default:
      return parseReleaseLine(text);
  }
}

export const osReleaseAnalyzer: Analyzer = {
  id: 'os-release',
  version: 1,
  kind: 'os',
  required(path: string, size: number): boolean {
    return size <= MAX_BYTES && WANTED.has(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    if (file.content.length > MAX_BYTES) {
      return {
        warnings: [{ code: 'OS_RELEASE_TOO_LARGE', message: 'file too large, ignored', input: file.path }],
      };
    }
    const os = detectOs(file.path, file.content.toString('utf8'));
    if (!os) {
      return {
        warnings: [{ code: 'OS_RELEASE_UNRECOGNISED', message: 'no OS identified', input: file.path }],
      };
    }
    return { os };
  },
};

export default osReleaseAnalyzer;
