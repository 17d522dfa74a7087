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

export function gemPurl(name: string, version: string): string {
  return new PackageURL('gem', undefined, name, version, undefined, undefined).toString();
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

/**
 * `Gemfile.lock`: the `specs:` of the GEM sections (gems from a gem server; GIT and PATH sections
 * hold code that was never published under that version). A spec line is `    name (version)` or
 * `    name (version-platform)`; its dependencies follow at six spaces.
 */
export function parseGemfileLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const found: { p: LangPackage; deps: string[] }[] = [];
  let section = '';
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
      section = line.trim();
      inSpecs = false;
      current = undefined;
      continue;
    }
    if (section !== 'GEM') continue;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
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
      current = { p: { name, version, purl: gemPurl(name, version) }, deps: [] };
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
