import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { dedent } from '../support/dedent';
import { memoryHost } from '../support/memoryHost';

const COMPOSE = dedent`
  services:
    postgres:
      image: postgres
      environment:
        DB: \${POSTGRES_DB}
      networks: ["\${NET}"]
`;

test('a value the compose file spells out is not masked; one only the environment holds is', () => {
  const host = memoryHost({ 'compose.yaml': COMPOSE, '.env': 'POSTGRES_DB=postgres\nNET=private_net\n' });
  const report = analyze({ files: [], workingDirectory: host.root }, host);
  // Still lazy after masking: the keystroke path does not build what nobody reads.
  assert.equal(typeof Object.getOwnPropertyDescriptor(report, 'services')?.get, 'function');
  assert.deepEqual(
    report.diagnostics.map((d) => d.message),
    [
      'service postgres refers to undefined network ${NET}.',
      "network '${NET}' carries data service postgres but is not internal: its members have a route out of the host, and none needs it.",
    ],
  );
  assert.deepEqual(
    report.services.map((s) => [s.name, s.networks.map((n) => n.network)]),
    [['postgres', ['${NET}']]],
  );
  assert.deepEqual(report.networks.map((n) => n.key).sort(), ['${NET}']);
});
