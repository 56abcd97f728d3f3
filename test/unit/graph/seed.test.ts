import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../../server/src/engine';
import { createNodeHost } from '../../../server/src/host/nodeHost';
import type { ReachabilityReport } from '../../../shared/src/report';
import { LOAD_RULES } from '../../../shared/src/rules';
import { reachPairs } from '../../support/analyze';
import { SEED } from '../../support/paths';
import { reportEdges } from '../../../shared/src/reach';

function seed(name: string): ReachabilityReport {
  return analyze({ files: [], workingDirectory: path.join(SEED, name) }, createNodeHost({}));
}

/** Undirected "x–y" pairs of network edges (every network edge goes both ways). */
function links(r: ReachabilityReport): string[] {
  const out = new Set<string>();
  for (const e of reportEdges(r)) if (e.from < e.to) out.add(`${e.from}–${e.to}`);
  return [...out].sort();
}

describe("the seed's examples", () => {
  test('flat: everyone on default, web reaches the database', () => {
    const r = seed('flat');
    assert.deepEqual(links(r), ['api–database', 'api–web', 'database–web']);
    const def = r.networks.find((n) => n.key === 'default')!;
    assert.equal(def.implicit, true);
    assert.equal(def.dockerName, 'flat_default');
    assert.deepEqual(reportEdges(r).find((e) => e.from === 'web' && e.to === 'database')?.via, [
      { kind: 'network', network: 'default' },
    ]);
    // No load errors; the isolation findings are test/unit/rules/seed.test.ts's.
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code in LOAD_RULES),
      [],
    );
  });

  test('tiered: web reaches api, api reaches postgres, web cannot reach postgres', () => {
    const r = seed('tiered');
    assert.deepEqual(links(r), ['api–postgres', 'api–web']);
    assert.ok(!reachPairs(r).includes('web->postgres'));
    assert.deepEqual(
      r.services.map((s) => [s.name, s.needs.map((n) => `${n.source}:${n.target}`)]),
      [
        ['web', ['depends_on:api']],
        ['api', ['environment:postgres']],
        ['postgres', []],
      ],
    );
    assert.deepEqual(
      r.networks.map((n) => n.dockerName),
      ['frontend-network', 'backend-network', 'database-network'],
    );
  });

  test('internal: the cache has no egress, the worker keeps it through public', () => {
    const r = seed('internal');
    assert.deepEqual(
      r.services.map((s) => [s.name, s.egress]),
      [
        ['cache', false],
        ['worker', true],
      ],
    );
    assert.equal(r.networks.find((n) => n.key === 'internal')?.internal, true);
    assert.deepEqual(links(r), ['cache–worker']);
  });

  test('service discovery: only services on a shared network see each other', () => {
    assert.deepEqual(links(seed('service-discovery')), ['api1–api2', 'db1–db2']);
  });

  test('microservices: databases isolated per service, the monitor on all, nginx exposed', () => {
    const r = seed('microservices');
    const pairs = links(r);
    for (const p of [
      'nginx–user-service',
      'order-service–user-service',
      'user-db–user-service',
      'order-db–order-service',
      'order-service–rabbitmq',
      'prometheus–user-db',
      'prometheus–rabbitmq',
    ]) {
      assert.ok(pairs.includes(p), p);
    }
    for (const p of ['nginx–user-db', 'order-db–user-service', 'order-db–user-db', 'rabbitmq–user-service']) {
      assert.ok(!pairs.includes(p), p);
    }
    // nginx publishes 80 on all interfaces: every service with a non-internal network reaches it
    // through the host, those only on internal networks do not.
    const viaPort = reportEdges(r)
      .filter((e) => e.to === 'nginx' && e.via.some((v) => v.kind === 'published-port'))
      .map((e) => e.from)
      .sort();
    assert.deepEqual(viaPort, ['order-service', 'prometheus', 'user-service']);
    assert.equal(r.services.find((s) => s.name === 'user-db')?.egress, false);
  });
});
