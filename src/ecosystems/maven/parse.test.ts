import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { javaAnalyzer } from '../../inventory/analyzers/java.js';
import { pomProperties, writeZip } from './__fixtures__/zip-writer.js';
import { fileSource } from './zip.js';
import {
  isJavaArchiveName,
  parseArchiveFileName,
  parseJavaArchive,
  parseManifest,
  parseProperties,
} from './parse.js';

const REPO = '/usr/share/maven-repo';
const COMMONS_IO = `${REPO}/commons-io/commons-io/2.11.0/commons-io-2.11.0.jar`;
const GUAVA = `${REPO}/com/google/guava/guava/31.1-jre/guava-31.1-jre.jar`;

function unzipP(jar: string, entry: string): string {
  return execFileSync('unzip', ['-p', jar, entry], { encoding: 'utf8' });
}

function coords(r: {
  packages: { groupId: string; artifactId: string; version: string; location: string }[];
}) {
  return r.packages.map((p) => `${p.location} ${p.groupId}:${p.artifactId}@${p.version}`);
}

describe('Java archives from Debian maven-repo', () => {
  it('reads pom.properties exactly as unzip -p shows it', () => {
    for (const [jar, entry] of [
      [COMMONS_IO, 'META-INF/maven/commons-io/commons-io/pom.properties'],
      [GUAVA, 'META-INF/maven/com.google.guava/guava/pom.properties'],
    ] as const) {
      const props = parseProperties(unzipP(jar, entry));
      const r = parseJavaArchive(readFileSync(jar), 'x.jar');
      assert.deepEqual(r.problems, []);
      assert.equal(r.packages.length, 1, jar);
      const p = r.packages[0]!;
      assert.equal(p.source, 'pom.properties');
      assert.equal(p.groupId, props.get('groupId'));
      assert.equal(p.artifactId, props.get('artifactId'));
      assert.equal(p.version, props.get('version'));
    }
  });

  it('analyzer output: OSV Maven names and purls', () => {
    const content = readFileSync(GUAVA);
    const out = javaAnalyzer.analyze(
      { path: 'app/lib/guava-31.1-jre.jar', content, size: content.length, mode: 0o644 },
      { maxBytes: 64 << 20 },
    );
    assert.deepEqual(out, {
      packages: [
        {
          name: 'com.google.guava:guava',
          version: '31.1-jre',
          ecosystem: 'Maven',
          type: 'lang',
          purl: 'pkg:maven/com.google.guava/guava@31.1-jre',
          location: 'app/lib/guava-31.1-jre.jar',
          metadata: { source: 'pom.properties' },
        },
      ],
    });
  });
});

describe('fat jars built with jar and zip', () => {
  let dir = '';
  let fat = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-java-'));
    const stage = path.join(dir, 'stage');
    // a manifest-only library made by the real `jar` tool
    mkdirSync(path.join(dir, 'mf'), { recursive: true });
    writeFileSync(path.join(dir, 'mf', 'A.txt'), 'a');
    writeFileSync(
      path.join(dir, 'manifest.txt'),
      'Implementation-Title: widgets\nImplementation-Version: 4.5.6\nImplementation-Vendor-Id: org.example\n',
    );
    execFileSync('jar', [
      'cfm',
      path.join(dir, 'widgets.jar'),
      path.join(dir, 'manifest.txt'),
      '-C',
      path.join(dir, 'mf'),
      'A.txt',
    ]);
    // an archive with no metadata: only its file name tells
    execFileSync('zip', ['-qj', path.join(dir, 'plain-lib-0.9.1.jar'), path.join(dir, 'mf', 'A.txt')]);
    // a jar inside a jar inside the fat jar (deflated this time)
    mkdirSync(path.join(stage, 'inner', 'lib'), { recursive: true });
    copyFileSync(
      path.join(dir, 'plain-lib-0.9.1.jar'),
      path.join(stage, 'inner', 'lib', 'plain-lib-0.9.1.jar'),
    );
    execFileSync('zip', ['-qr', path.join(dir, 'wrapper-1.0.jar'), 'lib'], {
      cwd: path.join(stage, 'inner'),
    });

    const lib = path.join(stage, 'fat', 'BOOT-INF', 'lib');
    mkdirSync(lib, { recursive: true });
    copyFileSync(COMMONS_IO, path.join(lib, 'commons-io-2.11.0.jar'));
    copyFileSync(GUAVA, path.join(lib, 'guava-31.1-jre.jar'));
    copyFileSync(path.join(dir, 'widgets.jar'), path.join(lib, 'widgets.jar'));
    copyFileSync(path.join(dir, 'wrapper-1.0.jar'), path.join(lib, 'wrapper-1.0.jar'));
    const pom = path.join(stage, 'fat', 'META-INF', 'maven', 'com.acme', 'app');
    mkdirSync(pom, { recursive: true });
    writeFileSync(path.join(pom, 'pom.properties'), pomProperties('com.acme', 'app', '2.0.0'));
    fat = path.join(dir, 'app.jar');
    // Spring Boot stores nested jars uncompressed (-0): they are read in place, never copied
    execFileSync('zip', ['-qr0', fat, 'META-INF', 'BOOT-INF'], { cwd: path.join(stage, 'fat') });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the outer artifact and every nested one with outer.jar!/inner.jar locations', () => {
    const r = parseJavaArchive(readFileSync(fat), 'app.jar');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(coords(r).sort(), [
      'app.jar com.acme:app@2.0.0',
      'app.jar!/BOOT-INF/lib/commons-io-2.11.0.jar commons-io:commons-io@2.11.0',
      'app.jar!/BOOT-INF/lib/guava-31.1-jre.jar com.google.guava:guava@31.1-jre',
      'app.jar!/BOOT-INF/lib/widgets.jar org.example:widgets@4.5.6',
      'app.jar!/BOOT-INF/lib/wrapper-1.0.jar wrapper:wrapper@1.0',
      'app.jar!/BOOT-INF/lib/wrapper-1.0.jar!/lib/plain-lib-0.9.1.jar plain-lib:plain-lib@0.9.1',
    ]);
    const sources = Object.fromEntries(r.packages.map((p) => [p.artifactId, p.source]));
    assert.equal(sources.widgets, 'manifest');
    assert.equal(sources['plain-lib'], 'filename');
    assert.equal(r.packages.find((p) => p.artifactId === 'plain-lib')?.groupIdGuessed, true);
  });

  it('reads the same artifacts from a file by offset as from a buffer', () => {
    const fd = openSync(fat, 'r');
    try {
      const fromFile = parseJavaArchive(fileSource(fd, fstatSync(fd).size), 'app.jar');
      assert.deepEqual(fromFile, parseJavaArchive(readFileSync(fat), 'app.jar'));
      assert.equal(fromFile.packages.length, 6);
    } finally {
      closeSync(fd);
    }
  });

  it('reads a jar behind a prepended launch script (offsets relative to the zip)', () => {
    const script = Buffer.from('#!/bin/bash\nexec java -jar "$0" "$@"\n'.repeat(20));
    const r = parseJavaArchive(Buffer.concat([script, readFileSync(fat)]), 'app.jar');
    assert.deepEqual(r.problems, []);
    assert.equal(r.packages.length, 6);
  });
});

describe('zip64 archives', () => {
  it('reads sizes, offsets and counts from zip64 extra fields and end records', () => {
    const inner = writeZip(
      [{ name: 'META-INF/maven/z/inner/pom.properties', data: pomProperties('z', 'inner', '2') }],
      undefined,
      true,
    );
    const jar = writeZip(
      [
        { name: 'META-INF/maven/z/z64/pom.properties', data: pomProperties('z', 'z64', '6.4') },
        { name: 'lib/inner.jar', data: inner, method: 0 },
      ],
      undefined,
      true,
    );
    const r = parseJavaArchive(jar, 'z.jar');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(coords(r), ['z.jar z:z64@6.4', 'z.jar!/lib/inner.jar z:inner@2']);
  });
});

describe('hostile Java archives', () => {
  it('refuses a zip bomb by its ratio without inflating it', () => {
    const zeros = Buffer.alloc(32 * 1024 * 1024);
    const bomb = writeZip([
      { name: 'META-INF/maven/a/b/pom.properties', data: pomProperties('a', 'b', '1') },
      { name: 'BOOT-INF/lib/bomb.jar', data: zeros },
    ]);
    assert.ok(bomb.length < 100_000);
    const r = parseJavaArchive(bomb, 'bomb.jar');
    assert.deepEqual(coords(r), ['bomb.jar a:b@1']);
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.input]),
      [['LIMIT_EXCEEDED', 'bomb.jar!/BOOT-INF/lib/bomb.jar']],
    );
  });

  it('stops an entry that inflates beyond the size it declares', () => {
    const inner = writeZip([{ name: 'x.txt', data: Buffer.alloc(100_000, 1) }]);
    const lying = writeZip([{ name: 'lib/inner-1.0.jar', data: inner, declaredSize: 100 }]);
    const r = parseJavaArchive(lying, 'lying.jar');
    assert.equal(r.problems[0]?.code, 'LIMIT_EXCEEDED');
    assert.deepEqual(r.packages, []);
  });

  it('bounds nesting depth and keeps what it found above the limit', () => {
    let jar = writeZip([
      { name: 'META-INF/maven/d/level6/pom.properties', data: pomProperties('d', 'level6', '6') },
    ]);
    for (let level = 5; level >= 0; level--) {
      jar = writeZip([
        {
          name: `META-INF/maven/d/level${level}/pom.properties`,
          data: pomProperties('d', `level${level}`, `${level}`),
        },
        { name: `lib/level${level + 1}.jar`, data: jar, method: 0 },
      ]);
    }
    const r = parseJavaArchive(jar, 'deep.jar');
    assert.deepEqual(
      r.packages.map((p) => p.artifactId),
      ['level0', 'level1', 'level2', 'level3', 'level4'],
    );
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'LIMIT_EXCEEDED');
    assert.match(r.problems[0]!.input, /level4\.jar!\/lib\/level5\.jar$/);
  });

  it('bounds the number of nested archives when many entries point at the same bytes', () => {
    const inner = writeZip([
      { name: 'META-INF/maven/q/q/pom.properties', data: pomProperties('q', 'q', '1') },
    ]);
    const entries = Array.from({ length: 50 }, (_, i) => ({
      name: `lib/q${i}.jar`,
      data: inner,
      method: 0 as const,
    }));
    const r = parseJavaArchive(writeZip(entries), 'many.jar', { maxArchives: 10 });
    assert.equal(r.packages.length, 10);
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['LIMIT_EXCEEDED'],
    );
  });

  it('reports truncated, corrupt and non-zip archives, continuing with their siblings', () => {
    const good = writeZip([
      { name: 'META-INF/maven/g/ok/pom.properties', data: pomProperties('g', 'ok', '1') },
    ]);
    const truncated = good.subarray(0, good.length - 30);
    const corruptData = Buffer.from(
      writeZip([{ name: 'META-INF/maven/g/bad/pom.properties', data: Buffer.alloc(2000, 65) }]),
    );
    // an invalid deflate block header at the start of the entry's data
    const body = 30 + 'META-INF/maven/g/bad/pom.properties'.length;
    corruptData.fill(0xff, body, body + 4);
    const outer = writeZip([
      { name: 'lib/truncated-1.jar', data: truncated, method: 0 },
      { name: 'lib/text-2.jar', data: Buffer.from('not a zip at all'), method: 0 },
      { name: 'lib/corrupt-3.jar', data: corruptData, method: 0 },
      { name: 'lib/ok.jar', data: good, method: 0 },
    ]);
    const r = parseJavaArchive(outer, 'outer.jar');
    assert.ok(coords(r).includes('outer.jar!/lib/ok.jar g:ok@1'));
    const byInput = new Map(r.problems.map((p) => [p.input, p.code]));
    assert.equal(byInput.get('outer.jar!/lib/truncated-1.jar'), 'MALFORMED_INPUT');
    assert.equal(byInput.get('outer.jar!/lib/text-2.jar'), 'MALFORMED_INPUT');
    assert.ok([...byInput.keys()].some((k) => k.startsWith('outer.jar!/lib/corrupt-3.jar')));
    // a broken nested archive still gets its file-name identity
    assert.ok(coords(r).includes('outer.jar!/lib/corrupt-3.jar corrupt:corrupt@3'));
  });

  it('turns problems into analyzer warnings naming the file', () => {
    const out = javaAnalyzer.analyze(
      { path: 'opt/app/broken.jar', content: Buffer.from('PK garbage'), size: 10, mode: 0o644 },
      { maxBytes: 64 << 20 },
    );
    assert.deepEqual(out.packages, []);
    assert.equal(out.warnings?.[0]?.code, 'JAVA_MALFORMED_INPUT');
    assert.equal(out.warnings?.[0]?.input, 'opt/app/broken.jar');
  });
});

describe('Java metadata parsing', () => {
  it('gates on archive extensions in any case, without regexes', () => {
    for (const n of ['a.jar', 'x/b.WAR', 'c.ear', 'd.Par']) assert.equal(isJavaArchiveName(n), true, n);
    for (const n of ['a.jar.sha1', 'jar', '.jar', 'x.tar', 'x/y.car', 'a.zip'])
      assert.equal(isJavaArchiveName(n), false, n);
    assert.equal(javaAnalyzer.required('usr/share/java/x.jar', 1000), true);
    // read by offset, so archives above maxAnalyzedFileBytes are wanted, up to the random-access bound
    assert.equal(javaAnalyzer.required('usr/share/java/x.jar', 1 << 30), true);
    assert.equal(javaAnalyzer.required('usr/share/java/x.jar', 2 ** 31 + 1), false);
  });

  it('joins manifest continuation lines and stops at the first section', () => {
    const m = parseManifest(
      'Manifest-Version: 1.0\r\nBundle-SymbolicName: org.apache.commons.very-long-na\r\n me;singleton:=true\r\nBundle-Version: 1.2\r\n\r\nName: x/\r\nBundle-Version: 9\r\n',
    );
    assert.equal(m.get('bundle-symbolicname'), 'org.apache.commons.very-long-name;singleton:=true');
    assert.equal(m.get('bundle-version'), '1.2');
  });

  for (const [file, want] of [
    ['commons-io-2.11.0.jar', { artifactId: 'commons-io', version: '2.11.0' }],
    ['guava-31.1-jre.jar', { artifactId: 'guava', version: '31.1-jre' }],
    ['lib/spring-core-6.1.0-SNAPSHOT.jar', { artifactId: 'spring-core', version: '6.1.0-SNAPSHOT' }],
    ['aopalliance.jar', { artifactId: 'aopalliance' }],
  ] as const) {
    it(`file name ${file}`, () => assert.deepEqual(parseArchiveFileName(file), want));
  }
});
