// Reference: node-semver (the npm package `semver`, npm's own version logic) with default
// options. Reads "A<TAB>B" lines, prints -1/0/1 per line, or "!" when semver.parse rejects either.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const out = [];
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (line === '') continue;
  const [a, b] = line.split('\t');
  const va = semver.parse(a);
  const vb = semver.parse(b);
  out.push(va === null || vb === null ? '!' : String(semver.compare(va, vb)));
}
process.stdout.write(out.join('\n') + '\n');
