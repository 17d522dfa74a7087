import { npmPurl, parseInstalledPackageJson } from '../../ecosystems/npm/index.js';
import type { Package } from '../../core/types.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

const MARK = 'node_modules/';
const SUFFIX = '/package.json';

/**
 * True for `…/node_modules/<name>/package.json` and `…/node_modules/@scope/<name>/package.json`:
 * the manifest of an installed package, not of a file nested deeper inside one (test fixtures,
 * `lib/package.json` markers). Plain string scanning: it runs for every tar entry.
 */
export function isInstalledPackageJson(path: string): boolean {
  if (!path.endsWith(SUFFIX)) return false;
  const i = path.lastIndexOf(MARK);
  if (i < 0 || (i > 0 && path.charCodeAt(i - 1) !== 47)) return false;
  const rest = path.slice(i + MARK.length, path.length - SUFFIX.length);
  if (rest.length === 0 || rest.charCodeAt(0) === 46) return false; // `.bin`, `.package-lock.json` dirs
  const slash = rest.indexOf('/');
  if (rest.charCodeAt(0) === 64) return slash > 1 && rest.indexOf('/', slash + 1) < 0; // @scope/name
  return slash < 0;
}

/** Installed npm packages in images and root filesystems. */
export const npmAnalyzer: Analyzer = {
  id: 'npm',
  version: 1,
  kind: 'lang',
  required(path: string, size: number): boolean {
    return size < 4 * 1024 * 1024 && isInstalledPackageJson(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const parsed = parseInstalledPackageJson(file.content.toString('utf8'));
    const packages: Omit<Package, 'layer'>[] = parsed.packages.map((p) => ({
      name: p.name,
      version: p.version,
      ecosystem: 'npm',
      type: 'lang',
      purl: npmPurl(p.name, p.version),
      location: file.path,
      ...(p.license ? { licenses: [p.license] } : {}),
    }));
    const warnings = parsed.problems.map((message) => ({ code: 'NPM_MALFORMED', message, input: file.path }));
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default npmAnalyzer;
