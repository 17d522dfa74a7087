import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { auditEventSchema, isAuditEvent } from '../../src/audit/index.js';

// The hand-written check on the hot path must accept exactly what the zod schema accepts.
const FIX = path.resolve('test/fixtures/audit');
type Json = Record<string, unknown>;

function fixtureEvents(): Json[] {
  const out: Json[] = [];
  for (const dir of ['falco', 'recorded'])
    for (const name of readdirSync(path.join(FIX, dir))) {
      const text = readFileSync(path.join(FIX, dir, name), 'utf8');
      if (name.endsWith('.json')) out.push(...((JSON.parse(text) as { items: Json[] }).items ?? []));
      else
        for (const l of text.split('\n'))
          try {
            out.push(JSON.parse(l) as Json);
          } catch {
            // Falco's malformed sample
          }
    }
  return out;
}

const FIELDS = [
  'kind',
  'apiVersion',
  'level',
  'auditID',
  'stage',
  'requestURI',
  'verb',
  'user',
  'user.username',
  'user.uid',
  'user.groups',
  'user.groups.0',
  'impersonatedUser',
  'impersonatedUser.username',
  'sourceIPs',
  'sourceIPs.0',
  'userAgent',
  'objectRef',
  'objectRef.resource',
  'objectRef.namespace',
  'objectRef.name',
  'objectRef.subresource',
  'objectRef.apiGroup',
  'objectRef.resourceVersion',
  'responseStatus',
  'responseStatus.code',
  'responseStatus.reason',
  'requestObject',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'annotations',
  'annotations.authorization.k8s.io/decision',
];

const VALUES: unknown[] = [
  undefined,
  null,
  0,
  1.5,
  200,
  -1,
  true,
  '',
  'x',
  'Event',
  'ResponseComplete',
  'Metadata',
  'audit.k8s.io/v1',
  'audit.k8s.io/v2',
  'x'.repeat(64 * 1024),
  'x'.repeat(64 * 1024 + 1),
  [],
  ['a'],
  [1],
  {},
  { username: 'u' },
  { username: 1 },
  Array.from({ length: 1025 }, () => 'ip'),
];

function setPath(o: Json, p: string, v: unknown): void {
  // annotation keys contain dots: the last segment after `annotations.` is one key
  const parts = p.startsWith('annotations.') ? ['annotations', p.slice(12)] : p.split('.');
  let cur: Json = o;
  for (const k of parts.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Json;
  }
  const last = parts.at(-1)!;
  if (v === undefined) delete cur[last];
  else cur[last] = v;
}

describe('isAuditEvent agrees with auditEventSchema', () => {
  const events = fixtureEvents();
  it('on every recorded event', () => {
    assert.ok(events.length > 50);
    for (const e of events)
      assert.equal(isAuditEvent(e), auditEventSchema.safeParse(e).success, String(e.auditID));
  });
  it('on every field set to each of a set of right and wrong values', () => {
    let accepted = 0;
    let rejected = 0;
    for (const base of events.slice(0, 12))
      for (const f of FIELDS)
        for (const v of VALUES) {
          const e = structuredClone(base);
          setPath(e, f, v);
          const want = auditEventSchema.safeParse(e).success;
          assert.equal(isAuditEvent(e), want, `${f} = ${JSON.stringify(v)?.slice(0, 40)}`);
          if (want) accepted++;
          else rejected++;
        }
    // both sides of the boundary were exercised
    assert.ok(accepted > 100 && rejected > 100, `${accepted} accepted, ${rejected} rejected`);
  });
  it('on values that are no object', () => {
    for (const v of [null, [], 'Event', 1, [{ kind: 'Event' }]])
      assert.equal(isAuditEvent(v), auditEventSchema.safeParse(v).success);
  });
});
