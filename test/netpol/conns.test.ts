import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_CONNS,
  connString,
  connsOf,
  contains,
  intersect,
  isAll,
  isEmpty,
  NO_CONNS,
  subtract,
  union,
} from '../../src/netpol/conns.js';

describe('netpol connection sets', () => {
  it('spells sets as netpol-analyzer does, protocols sorted and ranges merged', () => {
    assert.equal(connString(ALL_CONNS), 'All Connections');
    assert.equal(connString(NO_CONNS), 'No Connections');
    const c = union(union(connsOf('UDP', 53, 53), connsOf('TCP', 8080, 8080)), connsOf('TCP', 8081, 8090));
    assert.equal(connString(c), 'TCP 8080-8090,UDP 53');
    assert.equal(
      connString(subtract(ALL_CONNS, connsOf('UDP', 5353, 5353))),
      'SCTP 1-65535,TCP 1-65535,UDP 1-5352,5354-65535',
    );
  });

  it('intersects, subtracts and compares', () => {
    const a = connsOf('TCP', 80, 90);
    const b = union(connsOf('TCP', 85, 100), connsOf('UDP'));
    assert.equal(connString(intersect(a, b)), 'TCP 85-90');
    assert.ok(isEmpty(intersect(a, connsOf('SCTP'))));
    assert.ok(isAll(union(union(connsOf('TCP'), connsOf('UDP')), connsOf('SCTP'))));
    assert.ok(contains(b, connsOf('TCP', 86, 87)));
    assert.ok(!contains(a, b));
  });
});
