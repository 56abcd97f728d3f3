import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/engine';
import { createNodeHost } from '../../../server/src/host/nodeHost';
import type { ReachabilityReport } from '../../../shared/src/report';
import { sliceRange } from '../../support/analyze';
import { SEED } from '../../support/paths';

function seed(name: string): ReachabilityReport {
  return analyze({ files: [], workingDirectory: path.join(SEED, name) }, createNodeHost({}));
}

/** `severity code@text: message` of every finding. */
function findings(r: ReachabilityReport): string[] {
  return r.diagnostics.map((d) => {
    const text = sliceRange(fs.readFileSync(d.location.file, 'utf8'), d.location);
    return `${d.severity} ${d.code}@${text}: ${d.message}`;
  });
}

describe("the rules on the seed's examples", () => {
  test('flat: web reaches the database directly, and default is flat', () => {
    assert.deepEqual(findings(seed('flat')), [
      "warning public-reaches-data@web: web (public) can reach database (data) directly via network 'default' " +
        '(web lists no networks), but declares no need for it.',
      "warning flat-network@database: network 'default' carries public (web), app (api) and data (database) " +
        'services together: the public tier can reach the data tier directly.',
    ]);
  });

  test('tiered: no warning; the database network could be internal (information)', () => {
    assert.deepEqual(findings(seed('tiered')), [
      "information network-not-internal@database: network 'database' carries data service postgres but is not " +
        "internal: its members have a route out of the host, and none needs it; api keeps egress through 'backend'.",
    ]);
  });

  test('microservices: nothing at all (the data networks are internal)', () => {
    assert.deepEqual(findings(seed('microservices')), []);
  });

  test('internal: nothing', () => {
    assert.deepEqual(findings(seed('internal')), []);
  });

  test('service discovery: the database network could be internal', () => {
    assert.deepEqual(
      findings(seed('service-discovery')).map((f) => f.split(':')[0]),
      ['information network-not-internal@db-network'],
    );
  });

  test('tiers are in the report with their reasons', () => {
    assert.deepEqual(
      seed('microservices').services.map((s) => `${s.name}: ${s.tier?.tier} (${s.tier?.reason})`),
      [
        'nginx: public (image nginx is a web server or proxy (nginx))',
        'user-service: app (neither a data store nor exposed)',
        'order-service: app (neither a data store nor exposed)',
        'user-db: data (image postgres is a data store (postgres))',
        'order-db: data (image postgres is a data store (postgres))',
        'rabbitmq: data (image rabbitmq:management is a data store (rabbitmq))',
        'prometheus: app (neither a data store nor exposed)',
      ],
    );
  });
});
