import { compareDigits } from '../scheme.js';

/** PHP's version_compare(), which Composer applies to normalised versions. */

const LONG_MAX = '9223372036854775807';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);

/** php_canonicalize_version: `-_+` become `.`, a `.` goes between digit and non-digit runs. */
export function phpCanonicalize(v: string): string {
  if (v === '') return '';
  let out = v[0]!;
  let lp = v[0]!;
  const isdig = (x: string): boolean => isDigit(x) && x !== '.';
  const isndig = (x: string): boolean => !isDigit(x) && x !== '.';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    const dot = (): void => {
      if (!out.endsWith('.')) out += '.';
    };
    if (c === '-' || c === '_' || c === '+') dot();
    else if ((isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c))) {
      dot();
      out += c;
    } else if (!isAlnum(c)) dot();
    else out += c;
    lp = c;
  }
  return out;
}

const SPECIAL: Array<[string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialOrder(form: string): number {
  for (const [name, order] of SPECIAL) if (form.startsWith(name)) return order;
  return -1;
}

function strtol(s: string): string {
  const m = /^[0-9]+/.exec(s)![0];
  return compareDigits(m, LONG_MAX) > 0 ? LONG_MAX : m;
}

export function phpVersionCompare(v1: string, v2: string): number {
  if (v1 === '' || v2 === '') return v1 === v2 ? 0 : v1 === '' ? -1 : 1;
  const a = v1.startsWith('#') ? v1 : phpCanonicalize(v1);
  const b = v2.startsWith('#') ? v2 : phpCanonicalize(v2);
  let p1 = 0;
  let p2 = 0;
  let n1: number = 0;
  let n2: number = 0;
  let compare = 0;
  const token = (s: string, from: number, end: number): string => s.slice(from, end < 0 ? s.length : end);
  while (p1 < a.length && p2 < b.length && n1 >= 0 && n2 >= 0) {
    n1 = a.indexOf('.', p1);
    n2 = b.indexOf('.', p2);
    const t1 = token(a, p1, n1);
    const t2 = token(b, p2, n2);
    if (isDigit(t1[0]) && isDigit(t2[0])) compare = compareDigits(strtol(t1), strtol(t2));
    else if (!isDigit(t1[0]) && !isDigit(t2[0])) compare = Math.sign(specialOrder(t1) - specialOrder(t2));
    else if (isDigit(t1[0])) compare = Math.sign(specialOrder('#N#') - specialOrder(t2));
    else compare = Math.sign(specialOrder(t1) - specialOrder('#N#'));
    if (compare !== 0) break;
    if (n1 >= 0) p1 = n1 + 1;
    if (n2 >= 0) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 >= 0) {
      const rest = a.slice(p1);
      compare = isDigit(rest[0]) ? 1 : phpVersionCompare(rest, '#N#');
    } else if (n2 >= 0) {
      const rest = b.slice(p2);
      compare = isDigit(rest[0]) ? -1 : phpVersionCompare('#N#', rest);
    }
  }
  return compare;
}
