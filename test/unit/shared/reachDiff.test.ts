import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLinks, reachDiff } from '../../../shared/src/reachDiff';
import { dedent } from '../../support/dedent';
import { analyzeYaml } from '../../support/rules';

describe('reachDiff', () => {
  const before = analyzeYaml(dedent`
    services:
      web:
        image: nginx
        ports: ["80:80"]
      api:
        image: acme/api
      db:
        image: postgres
  `);

  test('links removed and added by a change of networks; published ports do not count', () => {
    const after = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          ports: ["80:80"]
          networks: [backend]
        api:
          image: acme/api
          networks: [backend, data]
        db:
          image: postgres
          networks: [data]
        cache:
          image: redis
          networks: [data]
      networks:
        backend:
        data:
    `);
    const d = reachDiff(before, after);
    assert.equal(describeLinks(d.removed), 'db ↔ web');
    // cache is new: its links are not "added" between services that existed.
    assert.deepEqual(d.added, []);
  });

  test('no change, no difference', () => {
    assert.deepEqual(reachDiff(before, before), { removed: [], added: [] });
  });

  test('a service moved into another namespace: the links it leaves are removed', () => {
    const after = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          ports: ["80:80"]
          networks: [a]
        api:
          image: acme/api
          networks: [b]
        db:
          image: postgres
          network_mode: service:api
      networks:
        a:
        b:
    `);
    const d = reachDiff(before, after);
    assert.equal(describeLinks(d.removed), 'api ↔ web, db ↔ web');
    assert.deepEqual(d.added, []);
  });
});
