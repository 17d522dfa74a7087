import { compareDigits, compareStrings, defineScheme } from '../scheme.js';

/**
 * Maven's ComparableVersion (maven-artifact 3.8): a version is a list of items; `-` and the switch
 * from letters to digits open a nested list; qualifiers have a fixed order.
 */
/**
 * `int` items keep their digits (ASCII, no leading zeros) and Maven's item class `r`: IntItem (0),
 * LongItem (1) or BigIntegerItem (2), chosen by the length of the text after its ASCII zeros; an
 * IntItem sorts below every LongItem whatever the values, as in maven-artifact 3.8.
 */
export type Item = { t: 'int'; v: string; r: number } | { t: 'str'; v: string } | { t: 'list'; v: Item[] };

const ZERO: Item = { t: 'int', v: '0', r: 0 };

/** Java's Character.isDigit on one UTF-16 unit: Unicode decimal digits of the BMP. */
const JAVA_DIGIT = /\p{Nd}/u;
function isJavaDigit(c: string): boolean {
  return (c >= '0' && c <= '9') || (c > '\x7f' && JAVA_DIGIT.test(c) && c.length === 1);
}

/** The ASCII digit for a Unicode decimal digit: those come in runs of ten starting at zero. */
function asciiDigit(c: string): string {
  if (c <= '9') return c;
  let k = 0;
  let code = c.charCodeAt(0);
  while (k < 9 && JAVA_DIGIT.test(String.fromCharCode(code - 1))) {
    k++;
    code--;
  }
  return String(k);
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  return { t: 'str', v: Object.hasOwn(ALIASES, v) ? ALIASES[v]! : v };
}

function parseItem(isDigit: boolean, buf: string): Item {
  if (isDigit) {
    // Java strips ASCII zeros only, then picks the item class by length; Integer.parseInt and
    // BigInteger read any Unicode decimal digit.
    const java = buf.replace(/^0+(?=.)/, '');
    const r = java.length <= 9 ? 0 : java.length <= 18 ? 1 : 2;
    const ascii = /^[0-9]*$/.test(java) ? java : Array.from(java, asciiDigit).join('');
    const stripped = ascii.replace(/^0+/, '');
    return { t: 'int', v: stripped === '' ? '0' : stripped, r };
  }
  return stringItem(buf, false);
}

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function isNull(item: Item): boolean {
  if (item.t === 'int') return item.v === '0';
  if (item.t === 'str') return comparableQualifier(item.v) === RELEASE_INDEX;
  return item.v.length === 0;
}

/** Drops trailing null items (0, "", empty lists) until a non-list item that is not null. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.t !== 'list') break;
  }
}

export function parseMavenVersion(version: string): Item[] {
  const v = version.toLowerCase();
  const items: Item[] = [];
  let list = items;
  const stack: Item[][] = [items];
  const push = (): void => {
    const next: Item[] = [];
    list.push({ t: 'list', v: next });
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.' || c === '-') {
      list.push(i === start ? ZERO : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
      if (c === '-') push();
    } else if (isJavaDigit(c)) {
      if (!isDigit && i > start) {
        // `1.0.0.X1` < `1.0.0-X2`: a qualifier directly followed by digits opens a list.
        if (list.length > 0) push();
        list.push(stringItem(v.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, v.slice(start, i)));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (v.length > start) {
    if (!isDigit && list.length > 0) push();
    list.push(parseItem(isDigit, v.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return items;
}

function compareWithNull(item: Item): number {
  if (item.t === 'int') return item.v === '0' ? 0 : 1;
  if (item.t === 'str') return compareStrings(comparableQualifier(item.v), RELEASE_INDEX);
  for (const x of item.v) {
    const r = compareWithNull(x);
    if (r !== 0) return r;
  }
  return 0;
}

export function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareWithNull(b);
  if (b === undefined) return compareWithNull(a);
  switch (a.t) {
    case 'int':
      if (b.t === 'int') return a.r !== b.r ? a.r - b.r : compareDigits(a.v, b.v);
      return 1;
    case 'str':
      if (b.t === 'int' || b.t === 'list') return -1;
      return compareStrings(comparableQualifier(a.v), comparableQualifier(b.v));
    case 'list': {
      if (b.t === 'int') return -1;
      if (b.t === 'str') return 1;
      const n = Math.max(a.v.length, b.v.length);
      for (let i = 0; i < n; i++) {
        const r = compareItems(a.v[i], b.v[i]);
        if (r !== 0) return r;
      }
      return 0;
    }
  }
}

/**
 * Maven's ComparableVersion takes any string (the empty string is `0`, spaces and non-ASCII
 * letters are qualifier text, `١` is the number 1), and so does bulwark.
 */
function parse(v: string): Item | undefined {
  return { t: 'list', v: parseMavenVersion(v) };
}

export const mavenScheme = defineScheme('maven', parse, (a, b) => compareItems(a, b));
