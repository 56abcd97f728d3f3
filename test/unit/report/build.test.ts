/**
 * The report's services and networks are built when first read, and are then plain data in
 * the report's usual key order: JSON, the CLI formats and the protocol see one shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/engine';
import { memoryHost } from '../../support/memoryHost';
import { dedent } from '../../support/dedent';

const COMPOSE = dedent`
  services:
    web:
      image: nginx
      networks: [front]
    db:
      image: postgres
      networks: [front]
  networks:
    front:
`;

test('services and networks are built on first read, then are plain data in key order', () => {
  const host = memoryHost({ 'compose.yaml': COMPOSE });
  const report = analyze({ files: [], workingDirectory: host.root }, host);

  // Not built yet: a getter stands in their place.
  assert.equal(typeof Object.getOwnPropertyDescriptor(report, 'services')?.get, 'function');
  assert.equal(typeof Object.getOwnPropertyDescriptor(report, 'networks')?.get, 'function');

  const services = report.services;
  assert.deepEqual(
    services.map((s) => [s.name, s.networks.map((m) => m.network)]),
    [
      ['web', ['front']],
      ['db', ['front']],
    ],
  );
  // Built once: the same array from then on, held as a value.
  assert.equal(report.services, services);
  const own = Object.getOwnPropertyDescriptor(report, 'services');
  assert.equal(own?.value, services);
  assert.equal(own?.enumerable, true);

  const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), [
    'schemaVersion',
    'project',
    'projectDirectory',
    'files',
    'services',
    'networks',
    'diagnostics',
  ]);
  assert.deepEqual(json.networks, JSON.parse(JSON.stringify(report.networks)));
  assert.deepEqual(
    report.networks.map((n) => [n.key, n.members]),
    [['front', ['web', 'db']]],
  );
});
