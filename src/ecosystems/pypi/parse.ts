/**
 * Python package metadata: installed `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (RFC 822
 * headers), and the lockfiles `requirements.txt` (pinned lines), `poetry.lock`, `Pipfile.lock` and
 * `uv.lock`. Names keep the spelling the file uses; purls and graph lookups use PEP 503 names.
 */
import { PackageURL } from 'packageurl-js';
import {
  finishPackages,
  isRecord,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
  MAX_ENTRIES,
} from '../lang-types.js';
import { packageTables, readToml, str } from '../lang-toml.js';
import { normalizePypiName } from './version.js';

// PEP 508 names: letters, digits, `.`, `_`, `-`, starting and ending alphanumeric
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const MAX_VERSION = 256;

export function pypiPurl(name: string, version: string, qualifiers?: Record<string, string>): string {
  return new PackageURL(
    'pypi',
    undefined,
    normalizePypiName(name),
    version,
    qualifiers,
    undefined,
  ).toString();
}

function pkg(
  name: string,
  version: string,
  extra: Partial<LangPackage> = {},
  qualifiers?: Record<string, string>,
): LangPackage {
  return { name, version, purl: pypiPurl(name, version, qualifiers), ...extra };
}

/**
 * The purl spec's `vcs_url` (`git+<transport>://host/path@revision`) for a git source, so a
 * package built from a fork or a branch is told apart from the release of the same version.
 */
function gitVcsUrl(url: string, revision: string | undefined): string {
  const scp = /^([^@/:\s]+@)?([^/:\s]+):(?!\/\/)(.+)$/.exec(url);
  let out = scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}` : url;
  if (!out.startsWith('git+')) out = `git+${out}`;
  return revision ? `${out}@${revision}` : out;
}

const MAX_META = 2048;
/** Source fields kept as metadata, each bounded: they come from the file as written. */
function sourceMeta(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const s = str(v);
    if (s !== undefined) out[k] = s.slice(0, MAX_META);
  }
  return out;
}

const usable = (name: string | undefined, version: string | undefined): boolean =>
  !!name &&
  !!version &&
  name.length <= 200 &&
  NAME.test(name) &&
  version.length <= MAX_VERSION &&
  !/\s/.test(version);

/** RFC 822 style headers up to the first blank line; repeated headers keep every value. */
export function parseHeaders(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const raw of stripBom(text).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = out.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    out.set(key, values);
    last = values;
  }
  return out;
}

/**
 * Licences in order of precision: the SPDX `License-Expression` (metadata 2.4), a short `License`
 * field (long ones are the licence text itself), else the `License ::` classifiers' last segment.
 */
function licensesOf(h: Map<string, string[]>): string[] {
  const expr = h.get('license-expression')?.[0];
  if (expr) return [expr];
  const lic = h.get('license')?.[0]?.trim();
  if (lic && lic.toUpperCase() !== 'UNKNOWN' && !lic.includes('\n') && lic.length <= 100) return [lic];
  const fromClassifiers = (h.get('classifier') ?? [])
    .filter((c) => c.startsWith('License ::'))
    .map((c) => c.split('::').pop()!.trim())
    .filter((c) => c && c !== 'OSI Approved');
  return [...new Set(fromClassifiers)];
}

/** One installed distribution's `METADATA` or `PKG-INFO`. */
export function parsePythonMetadata(text: string): LangParseResult {
  const h = parseHeaders(text);
  const name = h.get('name')?.[0];
  const version = h.get('version')?.[0];
  if (!usable(name, version)) return { packages: [], problems: ['metadata has no usable Name or Version'] };
  const licenses = licensesOf(h);
  return { packages: [pkg(name!, version!, licenses.length ? { licenses } : {})], problems: [] };
}

/**
 * `name[extras] == version` with options (`--hash=...`) and markers (`; ...`) cut off, or undefined
 * for anything else (ranges, URLs, wildcards). Scanned by hand: regexes with adjacent optional
 * whitespace backtrack quadratically on hostile lines.
 */
function exactPin(line: string): { name: string; version: string } | undefined {
  let spec = line.split(';')[0]!;
  const opt = spec.search(/\s--/);
  if (opt >= 0) spec = spec.slice(0, opt);
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec)?.[0];
  if (!name) return undefined;
  let rest = spec.slice(name.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    rest = rest.slice(close + 1).trimStart();
  }
  // a specifier list (`>= 1.25, == 1.26.18`) pins when exactly one of its clauses is `==`/`===`
  let version: string | undefined;
  for (const clause of rest.split(',')) {
    const c = clause.trim();
    if (!/^[<>=!~]/.test(c)) return undefined;
    if (!c.startsWith('==')) continue;
    if (version !== undefined) return undefined;
    version = c.slice(c.startsWith('===') ? 3 : 2).trim();
  }
  if (!version || /[\s;*]/.test(version) || !usable(name, version)) return undefined;
  return { name, version };
}

/**
 * `requirements.txt`: only exact pins (`==`, `===`) name a version. Continuations, comments,
 * `--hash` options, environment markers and extras are handled; `-r`/`-c` includes are not
 * followed (the included files are scanned on their own when they are named requirements*.txt).
 */
export function parseRequirements(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const packages: LangPackage[] = [];
  const logical = stripBom(input).replace(/\r\n/g, '\n').replace(/\\\n/g, ' ').split('\n');
  for (const raw of logical) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('-')) {
      const inc = /^(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)/.exec(line);
      if (inc) problems.push(`include ${JSON.stringify(inc[1]!.slice(0, 200))} not followed`);
      continue;
    }
    const pin = exactPin(line);
    if (pin) packages.push(pkg(pin.name, pin.version));
    if (packages.length >= MAX_ENTRIES) {
      problems.push(`more than ${MAX_ENTRIES} requirements: the rest is not read`);
      break;
    }
  }
  return { packages: finishPackages(packages), problems };
}

function byNormalName(pkgs: LangPackage[]): Map<string, LangPackage[]> {
  const out = new Map<string, LangPackage[]>();
  for (const p of pkgs) {
    const k = normalizePypiName(p.name);
    const list = out.get(k);
    if (list) list.push(p);
    else out.set(k, [p]);
  }
  return out;
}

/**
 * A poetry.lock `[package.source]`: `legacy` (a private index), `url`, `file` (an archive) and
 * `git` are installed releases and keep their source as metadata (git ones with a `vcs_url`
 * qualifier); `directory` is the project's own or a sibling's source tree, not a release.
 */
function poetrySource(t: Record<string, unknown>): {
  local: boolean;
  metadata?: Record<string, string>;
  qualifiers?: Record<string, string>;
} {
  if (!isRecord(t.source)) return { local: false };
  const s = t.source;
  const type = str(s.type);
  if (type === undefined) return { local: false };
  if (type === 'directory') return { local: true };
  const metadata = sourceMeta({
    source: type,
    url: s.url,
    reference: s.reference,
    resolved_reference: s.resolved_reference,
    subdirectory: s.subdirectory,
  });
  const url = str(s.url);
  if (type === 'git' && url)
    return { local: false, metadata, qualifiers: { vcs_url: gitVcsUrl(url, str(s.resolved_reference)) } };
  return { local: false, metadata };
}

/**
 * `poetry.lock` (lock-version 1.x and 2.x): `category = "dev"` (old) or groups without `main`
 * (Poetry 2) -> dev; `optional = true` (installed only through one of the project's extras) is
 * kept as `metadata.optional`.
 */
export function parsePoetryLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readToml(stripBom(input), problems);
  if (!doc) return { packages: [], problems };
  const found: { p: LangPackage; deps: string[] }[] = [];
  for (const t of packageTables(doc, problems)) {
    const name = str(t.name);
    const version = str(t.version);
    const source = poetrySource(t);
    if (source.local) continue;
    if (!usable(name, version)) {
      problems.push(
        `package ${JSON.stringify(String(name ?? '').slice(0, 100))} has no usable name or version`,
      );
      continue;
    }
    const groups = Array.isArray(t.groups) ? t.groups.map(String) : undefined;
    const dev =
      t.category === 'dev' || (groups !== undefined && groups.length > 0 && !groups.includes('main'));
    const metadata = { ...source.metadata, ...(t.optional === true ? { optional: true } : {}) };
    found.push({
      p: pkg(
        name!,
        version!,
        { ...(dev ? { dev: true } : {}), ...(Object.keys(metadata).length ? { metadata } : {}) },
        source.qualifiers,
      ),
      deps: isRecord(t.dependencies) ? Object.keys(t.dependencies) : [],
    });
  }
  const index = byNormalName(found.map((f) => f.p));
  for (const { p, deps } of found) {
    const purls = deps.flatMap((d) => (index.get(normalizePypiName(d)) ?? []).map((x) => x.purl));
    if (purls.length) p.dependsOn = [...new Set(purls)].sort();
  }
  return { packages: finishPackages(found.map((f) => f.p)), problems };
}

/**
 * A Pipfile.lock entry installed from elsewhere than an index (`file` URL or archive, `path`,
 * `git`), which pipenv records with a version only when it is not editable.
 */
function pipfileSource(raw: Record<string, unknown>): {
  metadata?: Record<string, string>;
  qualifiers?: Record<string, string>;
} {
  const git = str(raw.git);
  if (git)
    return {
      metadata: sourceMeta({ source: 'git', url: git, ref: raw.ref, subdirectory: raw.subdirectory }),
      qualifiers: { vcs_url: gitVcsUrl(git, str(raw.ref)) },
    };
  for (const key of ['file', 'path'] as const)
    if (str(raw[key])) return { metadata: sourceMeta({ source: key, url: raw[key] }) };
  return {};
}

/**
 * `Pipfile.lock`: `default` and `develop` (dev) sections of `name: {version: "==1.2.3"}`; a package
 * in both is production, as `pipenv install` (without `--dev`) installs it.
 */
export function parsePipfileLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  let doc: unknown;
  try {
    doc = JSON.parse(stripBom(input));
  } catch (e) {
    return { packages: [], problems: [`invalid JSON: ${(e as Error).message}`] };
  }
  if (!isRecord(doc)) return { packages: [], problems: ['not a Pipfile.lock object'] };
  const packages: LangPackage[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    const deps = doc[section];
    if (!isRecord(deps)) continue;
    for (const [name, raw] of Object.entries(deps)) {
      const v = isRecord(raw) ? str(raw.version) : undefined;
      if (!v) continue; // editable, path and VCS entries have no version
      const version = v.replace(/^===?/, '');
      if (!usable(name, version)) {
        problems.push(`entry ${JSON.stringify(name.slice(0, 100))} has no usable version`);
        continue;
      }
      const { metadata, qualifiers } = pipfileSource(raw as Record<string, unknown>);
      packages.push(
        pkg(name, version, { ...(dev ? { dev: true } : {}), ...(metadata ? { metadata } : {}) }, qualifiers),
      );
    }
  }
  return { packages: finishPackages(packages), problems };
}

interface UvDep {
  name: string;
  version?: string;
  extras: string[];
}

function uvDeps(v: unknown): UvDep[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((d) => {
    const name = str(d.name);
    if (!name) return [];
    const version = str(d.version);
    const extras = Array.isArray(d.extra) ? d.extra.map(String) : [];
    return [{ name, ...(version ? { version } : {}), extras }];
  });
}

/**
 * `uv.lock`: `[[package]]` tables with `source = { registry | git | url | editable | virtual |
 * directory | path }`. The project itself (editable/virtual) and local paths are not listed;
 * dev-only is what the project's dependencies and optional dependencies cannot reach.
 */
export function parseUvLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readToml(stripBom(input), problems);
  if (!doc) return { packages: [], problems };
  interface Entry {
    p?: LangPackage;
    norm: string;
    version?: string;
    deps: UvDep[];
    optional: Record<string, UvDep[]>;
    local: boolean;
  }
  const entries: Entry[] = [];
  for (const t of packageTables(doc, problems)) {
    const name = str(t.name);
    const version = str(t.version);
    const source = isRecord(t.source) ? t.source : {};
    const local = ['editable', 'virtual', 'directory', 'path'].some((k) => k in source);
    if (!name) {
      problems.push('package without a name');
      continue;
    }
    const optional: Record<string, UvDep[]> = {};
    if (isRecord(t['optional-dependencies']))
      for (const [k, v] of Object.entries(t['optional-dependencies'])) optional[k] = uvDeps(v);
    const entry: Entry = {
      norm: normalizePypiName(name),
      ...(version ? { version } : {}),
      deps: uvDeps(t.dependencies),
      optional,
      local,
    };
    if (!local) {
      if (usable(name, version)) entry.p = pkg(name, version!);
      else problems.push(`package ${JSON.stringify(name.slice(0, 100))} has no usable version`);
    }
    entries.push(entry);
  }
  const byNorm = new Map<string, Entry[]>();
  for (const e of entries) {
    const list = byNorm.get(e.norm);
    if (list) list.push(e);
    else byNorm.set(e.norm, [e]);
  }
  const find = (d: UvDep): Entry[] =>
    (byNorm.get(normalizePypiName(d.name)) ?? []).filter((e) => !d.version || e.version === d.version);
  for (const e of entries) {
    if (!e.p) continue;
    const purls = e.deps.flatMap(find).flatMap((x) => (x.p ? [x.p.purl] : []));
    if (purls.length) e.p.dependsOn = [...new Set(purls)].sort();
  }
  const roots = entries.filter((e) => e.local);
  if (roots.length) {
    const reached = new Set<Entry>();
    const queue: UvDep[] = roots.flatMap((r) => [...r.deps, ...Object.values(r.optional).flat()]);
    while (queue.length) {
      const d = queue.pop()!;
      for (const e of find(d)) {
        const fresh = !reached.has(e);
        reached.add(e);
        if (fresh) queue.push(...e.deps);
        for (const x of d.extras) queue.push(...(e.optional[x] ?? []));
      }
    }
    for (const e of entries) if (e.p && !reached.has(e)) e.p.dev = true;
  }
  return { packages: finishPackages(entries.flatMap((e) => (e.p ? [e.p] : []))), problems };
}
