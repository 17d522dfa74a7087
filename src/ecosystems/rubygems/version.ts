import { compareDigits, compareStrings, defineScheme } from '../scheme.js';

/** A segment of a Gem::Version: digits (kept as a string, unbounded) or letters. */
type Segment = { num: string } | { str: string };

// Gem::Version::ANCHORED_VERSION_PATTERN, with Ruby's \s.
const PATTERN =
  /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;

/** Canonical segments as RubyGems builds them: `-` means `.pre.`, trailing zeros dropped. */
export function parseGemVersion(v: string): Segment[] | undefined {
  if (!PATTERN.test(v)) return undefined;
  const s = v.trim().replace(/-/g, '.pre.');
  const raw: Segment[] = (s.match(/[0-9]+|[a-z]+/gi) ?? []).map((t) =>
    /^[0-9]/.test(t) ? { num: t } : { str: t },
  );
  // Trailing zeros are dropped separately from the release part and the pre-release part.
  const firstStr = raw.findIndex((x) => 'str' in x);
  const release = firstStr < 0 ? raw : raw.slice(0, firstStr);
  const pre = firstStr < 0 ? [] : raw.slice(firstStr);
  const trim = (xs: Segment[]): Segment[] => {
    let end = xs.length;
    while (end > 0) {
      const last = xs[end - 1]!;
      if ('num' in last && /^0+$/.test(last.num)) end--;
      else break;
    }
    return xs.slice(0, end);
  };
  return [...trim(release), ...trim(pre)];
}

const ZERO: Segment = { num: '0' };

/** Gem::Version#<=>: segment by segment, missing ones are 0, letters sort before numbers. */
export function compareGemVersions(a: Segment[], b: Segment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? ZERO;
    const y = b[i] ?? ZERO;
    if ('num' in x && 'num' in y) {
      const r = compareDigits(x.num, y.num);
      if (r !== 0) return r;
    } else if ('str' in x && 'str' in y) {
      const r = compareStrings(x.str, y.str);
      if (r !== 0) return r;
    } else {
      return 'str' in x ? -1 : 1;
    }
  }
  return 0;
}

export const rubygemsScheme = defineScheme('rubygems', parseGemVersion, compareGemVersions);
