import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  disjointRanges,
  formatRange,
  ipBlockRanges,
  parseCidr,
  parseIp,
  rangeWithin,
} from '../../src/netpol/ip.js';

describe('netpol ip ranges', () => {
  it('parses IPv4 and IPv6 addresses, rejecting malformed ones', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { v: 4, n: 167772161n });
    assert.deepEqual(parseIp('::1'), { v: 6, n: 1n });
    assert.deepEqual(parseIp('::ffff:1.2.3.4'), { v: 6, n: 0xffff01020304n });
    assert.equal(parseIp('1.2.3'), undefined);
    assert.equal(parseIp('256.0.0.1'), undefined);
    assert.equal(parseIp('1:::2'), undefined);
  });

  it('masks host bits of a CIDR and refuses invalid ones with a typed error', () => {
    assert.equal(formatRange(parseCidr('10.1.2.3/8')), '10.0.0.0-10.255.255.255');
    assert.equal(
      formatRange(parseCidr('2001:db8::/32')),
      '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    );
    assert.throws(
      () => parseCidr('10.0.0.0/33'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'MALFORMED_INPUT',
    );
  });

  it('subtracts except blocks', () => {
    const r = ipBlockRanges('10.0.0.0/8', ['10.1.0.0/16']);
    assert.deepEqual(r.map(formatRange), ['10.0.0.0-10.0.255.255', '10.2.0.0-10.255.255.255']);
    assert.ok(rangeWithin(parseCidr('10.3.0.0/16'), r));
    assert.ok(!rangeWithin(parseCidr('10.1.0.0/24'), r));
  });

  it('cuts the IPv4 space where blocks start and end, as netpol-analyzer names external peers', () => {
    assert.deepEqual(disjointRanges([]).map(formatRange), ['0.0.0.0-255.255.255.255']);
    const pieces = disjointRanges([
      ...ipBlockRanges('10.0.0.0/8', ['10.10.0.0/16']),
      parseCidr('10.0.0.0/8'),
    ]);
    assert.deepEqual(pieces.map(formatRange), [
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.9.255.255',
      '10.10.0.0-10.10.255.255',
      '10.11.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
  });
});
