/**
 * RubyGems metadata: installed `specifications/*.gemspec` files (the Ruby that `gem install`
 * writes, read with line-anchored patterns and never evaluated) and Bundler's `Gemfile.lock`.
 */
import { PackageURL } from 'packageurl-js';
import {
  finishPackages,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
  MAX_ENTRIES,
} from '../lang-types.js';

// gem names: letters, digits, `.`, `_`, `-` (RubyGems' own rule)
const NAME = /^[A-Za-z0-9._-]+$/;
const VERSION = /^[0-9]+[0-9A-Za-z.-]*$/;

export function gemPurl(name: string, version: string, qualifiers?: Record<string, string>): string {
  return new PackageURL('gem', undefined, name, version, qualifiers, undefined).toString();
}

/** A Ruby string literal at the start of `s`: "x", 'x', %q{x}, %q<x> (with an optional `.freeze`). */
function rubyString(s: string): string | undefined {
  const m = /^(?:"([^"\\]*)"|'([^'\\]*)'|%q\{([^}]*)\}|%q<([^>]*)>|%q\(([^)]*)\))/.exec(s.trim());
  if (!m) return undefined;
  return m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
}

/** Every string literal in a Ruby array literal `["a".freeze, "b"]`. */
function rubyStrings(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"([^"\\]*)"|'([^'\\]*)'/g)) out.push(m[1] ?? m[2] ?? '');
  return out.filter(Boolean);
}

/**
 * An installed gem's specification. Only the literal assignments `x.name = "..."`,
 * `x.version = "..."` (or `Gem::Version.new("...")`), `x.license(s) = ...` are read: generated
 * gemspecs always write literals, and evaluating Ruby from an image is out of the question.
 */
export function parseGemspec(input: string): LangParseResult {
  let name: string | undefined;
  let version: string | undefined;
  const licenses: string[] = [];
  for (const raw of stripBom(input).split('\n')) {
    const m = /^\s*[a-z_][a-z0-9_]*\.(name|version|licenses?)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    const [, field, value] = m as unknown as [string, string, string];
    if (field === 'name') name ??= rubyString(value);
    else if (field === 'version') {
      const v = value.trim().replace(/^Gem::Version\.new\(\s*/, '');
      version ??= rubyString(v);
    } else for (const l of rubyStrings(value).slice(0, 64)) licenses.push(l);
  }
  if (!name || !version || !NAME.test(name) || !VERSION.test(version))
    return { packages: [], problems: ['gemspec has no literal name or version'] };
  return {
    packages: [
      {
        name,
        version,
        purl: gemPurl(name, version),
        ...(licenses.length ? { licenses: [...new Set(licenses)] } : {}),
      },
    ],
    problems: [],
  };
}

/** Source kinds of a Gemfile.lock section, by its header line. */
const SOURCES: Record<string, string> = { GEM: 'gem', GIT: 'git', PATH: 'path', 'PLUGIN SOURCE': 'plugin' };
/** Section options kept as metadata of the gems a non-GEM section holds. */
const KEPT_OPTIONS = new Set(['remote', 'revision', 'ref', 'branch', 'tag', 'type', 'glob']);

/**
 * The purl spec's `vcs_url` (SPDX's `<tool>+<transport>://host/path@revision`) for a git source;
 * scp-like remotes (`git@host:owner/repo.git`) become `ssh://` URLs.
 */
export function gitVcsUrl(remote: string, revision: string | undefined): string {
  const scp = /^([^@/:\s]+@)?([^/:\s]+):(?!\/\/)(.+)$/.exec(remote);
  let url =
    scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) ? `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}` : remote;
  if (!url.startsWith('git+')) url = `git+${url}`;
  return revision ? `${url}@${revision}` : url;
}

interface Section {
  kind: string;
  options: Record<string, string>;
}

/** Source metadata and purl qualifiers of the gems in a GIT, PATH or PLUGIN SOURCE section. */
function sourceOf(section: Section): {
  metadata?: Record<string, string>;
  qualifiers?: Record<string, string>;
} {
  if (section.kind === 'gem') return {};
  const metadata: Record<string, string> = { source: section.kind };
  for (const [k, v] of Object.entries(section.options)) {
    if (!KEPT_OPTIONS.has(k)) continue;
    // a PATH section's `remote` is a folder relative to the Gemfile, not a server
    metadata[section.kind === 'path' && k === 'remote' ? 'path' : k] = v;
  }
  const remote = section.options.remote;
  const isGit = section.kind === 'git' || (section.kind === 'plugin' && section.options.type === 'git');
  if (isGit && remote)
    return { metadata, qualifiers: { vcs_url: gitVcsUrl(remote, section.options.revision) } };
  return { metadata };
}

/**
 * `Gemfile.lock`: the `specs:` of every source section. GEM sections hold gems from a gem server;
 * GIT, PATH and PLUGIN SOURCE sections hold gems built from a repository, a folder or a plugin
 * source, which are installed all the same: they are listed with their source as metadata
 * (`source`, `remote` or `path`, `revision`, `ref`, `branch`, `tag`), git ones with the purl's
 * `vcs_url` qualifier. A spec line is `    name (version)` or `    name (version-platform)`; its
 * dependencies follow at six spaces.
 */
export function parseGemfileLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const found: { p: LangPackage; deps: string[] }[] = [];
  let section: Section | undefined;
  let inSpecs = false;
  let current: { p: LangPackage; deps: string[] } | undefined;
  const lines = stripBom(input).split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (!line.startsWith(' ')) {
      const kind = SOURCES[line.trim()];
      section = kind ? { kind, options: {} } : undefined;
      inSpecs = false;
      current = undefined;
      continue;
    }
    if (!section) continue;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) {
      const opt = /^ {2}([a-z_]+): (.*)$/.exec(line);
      if (opt) section.options[opt[1]!] = opt[2]!.slice(0, 1000);
      continue;
    }
    const spec = /^ {4}([^ (]+) \(([^)]+)\)$/.exec(line);
    if (spec) {
      // Bundler's own split: the version is everything before the first `-`, the platform after it
      const [name, full] = [spec[1]!, spec[2]!];
      const version = full.split('-')[0]!;
      if (!NAME.test(name) || !VERSION.test(version)) {
        problems.push(`line ${n + 1}: unusable gem ${JSON.stringify(line.trim().slice(0, 100))}`);
        current = undefined;
        continue;
      }
      if (found.length >= MAX_ENTRIES) {
        problems.push(`more than ${MAX_ENTRIES} specs: the rest is not read`);
        break;
      }
      const { metadata, qualifiers } = sourceOf(section);
      current = {
        p: { name, version, purl: gemPurl(name, version, qualifiers), ...(metadata ? { metadata } : {}) },
        deps: [],
      };
      found.push(current);
      continue;
    }
    const dep = /^ {6}([^ (]+)(?: \(.*\))?$/.exec(line);
    if (dep && current) current.deps.push(dep[1]!);
    else if (!dep) problems.push(`line ${n + 1}: not a spec line`);
  }
  const byName = new Map<string, string[]>();
  for (const { p } of found) {
    const list = byName.get(p.name);
    if (list) list.push(p.purl);
    else byName.set(p.name, [p.purl]);
  }
  for (const { p, deps } of found) {
    const purls = deps.flatMap((d) => byName.get(d) ?? []);
    if (purls.length) p.dependsOn = [...new Set(purls)].sort();
  }
  return { packages: finishPackages(found.map((f) => f.p)), problems };
}
