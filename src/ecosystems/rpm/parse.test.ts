import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicHeader, headerBlob } from '../../../test/inventory/helpers/rpm-header.js';
import { parseRpmHeader, parseSourceRpm, RpmHeaderError, rpmVersionString } from './parse.js';

describe('parseRpmHeader', () => {
  it('reads the tags bulwark needs', () => {
    const h = parseRpmHeader(
      basicHeader('openssl-libs', '3.0.7', '24.el9', [
        { tag: 1003, type: 4, value: 1 },
        { tag: 1022, type: 6, value: 'x86_64' },
        { tag: 1044, type: 6, value: 'openssl-3.0.7-24.el9.src.rpm' },
        { tag: 1014, type: 6, value: 'ASL 2.0' },
        { tag: 1011, type: 6, value: 'Red Hat, Inc.' },
        { tag: 5096, type: 6, value: 'nodejs:18:9030020231120:rhel9' },
      ]),
    );
    assert.deepEqual(h, {
      name: 'openssl-libs',
      version: '3.0.7',
      release: '24.el9',
      epoch: 1,
      arch: 'x86_64',
      sourceRpm: 'openssl-3.0.7-24.el9.src.rpm',
      license: 'ASL 2.0',
      vendor: 'Red Hat, Inc.',
      modularityLabel: 'nodejs:18:9030020231120:rhel9',
    });
    assert.equal(rpmVersionString(h), '1:3.0.7-24.el9');
    assert.equal(rpmVersionString({ version: '1', release: '2' }), '1-2');
  });

  it('rejects hostile blobs with RpmHeaderError', () => {
    const good = basicHeader('a');
    const bad: [string, Buffer][] = [
      ['too short', Buffer.alloc(4)],
      ['zero entries', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])],
      [
        'huge index count',
        Buffer.concat([Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 4]), Buffer.alloc(64)]),
      ],
      ['truncated', good.subarray(0, good.length - 3)],
      [
        'no NAME',
        headerBlob([
          { tag: 1001, type: 6, value: '1' },
          { tag: 1002, type: 6, value: '1' },
        ]),
      ],
      [
        'NAME not a string',
        headerBlob([
          { tag: 1000, type: 4, value: 1 },
          { tag: 1001, type: 6, value: '1' },
          { tag: 1002, type: 6, value: '1' },
        ]),
      ],
      ['EPOCH a string', basicHeader('a', '1', '1', [{ tag: 1003, type: 6, value: 'x' }])],
    ];
    const outOfRange = Buffer.from(good);
    outOfRange.writeUInt32BE(0xfffffff0, 8 + 8); // NAME offset
    bad.push(['offset outside data', outOfRange]);
    const unterminated = Buffer.from(good);
    unterminated[unterminated.length - 1] = 0x41; // last string loses its NUL
    bad.push(['unterminated string', unterminated]);
    for (const [label, blob] of bad) {
      assert.throws(() => parseRpmHeader(blob), RpmHeaderError, label);
    }
  });
});

describe('parseSourceRpm', () => {
  it('splits name, version and release', () => {
    assert.deepEqual(parseSourceRpm('openssl-3.0.7-24.el9.src.rpm'), {
      name: 'openssl',
      version: '3.0.7',
      release: '24.el9',
    });
    assert.deepEqual(parseSourceRpm('python-urllib3-1.26.5-3.el9.src.rpm'), {
      name: 'python-urllib3',
      version: '1.26.5',
      release: '3.el9',
    });
    assert.deepEqual(parseSourceRpm('kernel-5.14.0-362.el9.nosrc.rpm'), {
      name: 'kernel',
      version: '5.14.0',
      release: '362.el9',
    });
    assert.equal(parseSourceRpm('(none)'), undefined);
    assert.equal(parseSourceRpm('x-1.src.rpm'), undefined);
  });
});
