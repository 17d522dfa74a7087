import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';

const DIR = new URL('../fixtures/versions/nuget/', import.meta.url).pathname;
const scheme = versionScheme('NuGet')!;

type Arg = string | number | boolean | null | undefined;

/** The arguments of one `[InlineData(...)]`: C# string/number/bool/null literals (others: undefined). */
function args(src: string): Arg[] {
  const out: Arg[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?[0-9]+)|(true|false)|(null)|(new [^{]*\{[^}]*\}))\s*(?:,|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) out.push(m[1].replace(/\\(.)/g, '$1'));
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3] === 'true');
    else if (m[4] !== undefined) out.push(null);
    else out.push(undefined);
  }
  return out;
}

/** Every theory of a C# test file: method name -> rows of InlineData arguments. */
function theories(file: string): Map<string, Arg[][]> {
  const out = new Map<string, Arg[][]>();
  let rows: Arg[][] = [];
  for (const line of readFileSync(DIR + file, 'utf8').split('\n')) {
    const data = /^\s*\[InlineData\((.*)\)\]\s*$/.exec(line);
    if (data) rows.push(args(data[1]!));
    const method = /^\s*public (?:static )?void (\w+)\(/.exec(line);
    if (method) {
      if (rows.length) out.set(method[1]!, rows);
      rows = [];
    }
  }
  return out;
}

type Check = (row: Arg[]) => void;

const str = (x: Arg): string => {
  assert.equal(typeof x, 'string');
  return x as string;
};
const valid: Check = (r) => assert.ok(scheme.isValid(str(r.filter((x) => typeof x === 'string').at(-1))));
const invalid: Check = (r) => assert.equal(scheme.isValid(str(r[0])), false);
const equal: Check = (r) => assert.equal(scheme.compare(str(r[0]), str(r[1])), 0);
const less: Check = (r) => {
  assert.equal(scheme.compare(str(r[0]), str(r[1])), -1);
  assert.equal(scheme.compare(str(r[1]), str(r[0])), 1);
};
const notEqual: Check = (r) => assert.notEqual(scheme.compare(str(r[0]), str(r[1])), 0);
const withRelease: Check = (r) =>
  assert.equal(scheme.compare(str(r[0]), r[2] ? `${str(r[1])}-${str(r[2])}` : str(r[1])), 0);

/** What each theory asserts, in bulwark's terms (theories about formatting or SemanticVersion are not listed). */
const CHECKS: Record<string, Record<string, Check>> = {
  'NuGetVersionTest.cs': {
    NuGetVersionParseStrict: valid,
    StringConstructorParsesValuesCorrectly: withRelease,
    ParseThrowsIfStringIsNotAValidSemVer: invalid,
    ParseReadsLegacyStyleVersionNumbers: equal,
    ParseReadsSemverAndHybridSemverVersionNumbers: withRelease,
    ParseIgnoresLeadingAndTrailingWhitespace: withRelease,
    SemVerLessThanAndGreaterThanOperatorsWorks: less,
    SemVerEqualsOperatorWorks: equal,
    ToStringReturnsOriginalValueForNonSemVer2: valid,
    ToStringReturnsNormalizedForSemVer2: (r) => {
      equal([r[0], r[1]]);
      equal([r[0], r[2]]);
    },
    NuGetVersionKeepsOriginalVersionString: valid,
    TryParseHandlesValidVersionPatterns: (r) => equal([r[0], r.slice(1).join('.')]),
  },
  'VersionComparerTests.cs': {
    VersionComparisonDefaultEqual: equal,
    VersionComparisonDefaultEqualWithNuGetVersion: equal,
    VersionComparisonDefaultNotEqualWithNuGetVersion: notEqual,
    VersionComparisonDefaultLess: less,
  },
  'VersionParsingTests.cs': {
    VersionLength: (r) => equal([r[0], '2.0.0']),
    FullVersionParsing: valid,
    SpecialVersionParsing: valid,
    ReleaseLabelParsing: valid,
    IsPrereleaseParsing: valid,
    MetadataParsing: valid,
    HasMetadataParsing: valid,
    // only the numbers are asserted there
    VersionParsing: (r) => equal([str(r[3]).replace(/[-+].*$/, ''), r.slice(0, 3).join('.')]),
  },
};

describe("NuGet versions against NuGet.Versioning's own test theories (NuGet.Client)", () => {
  for (const [file, checks] of Object.entries(CHECKS)) {
    const found = theories(file);
    it(`${file}: every listed theory exists and every row agrees`, () => {
      const bad: string[] = [];
      let rows = 0;
      for (const [method, check] of Object.entries(checks)) {
        const data = found.get(method);
        assert.ok(data, `theory ${method} not found in ${file}`);
        for (const row of data) {
          rows++;
          try {
            check(row);
          } catch (e) {
            bad.push(`${method}${JSON.stringify(row)}: ${(e as Error).message.split('\n')[0]}`);
          }
        }
      }
      assert.ok(rows > 10, `only ${rows} rows in ${file}`);
      assert.deepEqual(bad, []);
    });
  }
});
