import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes } from '../../../server/src/engine/fixes';
import { dedent } from '../../support/dedent';
import { applied, fixesOf, fixText, project, ROOT } from '../../support/fixes';

const SHOP = dedent`
  services:
    web:
      image: nginx
      ports: ["80:80"]
      networks: [front]
      depends_on: [api]
    api:
      image: acme/api
      networks: [back]
      environment:
        DATABASE_URL: postgres://db/app
    queue:
      image: rabbitmq
      networks: [back]
    db:
      image: postgres
      networks: [data]
  networks:
    front:
    back:
    data:
      internal: true
`;

describe('connect services', () => {
  test('join a network of the target when that keeps public and data apart', () => {
    const a = project({ 'compose.yaml': SHOP });
    const api = fixesOf(a, 'unreachable-dependency', 1);
    assert.deepEqual(
      api.map((f) => [f.title, f.isPreferred]),
      [
        ['Connect api to db: join network data', true],
        ['Connect api to db: new internal network db-net', false],
      ],
    );
    assert.equal(
      applied(a, api[0]!.edits)['compose.yaml'],
      SHOP.replace('networks: [back]\n    environment', 'networks: [back, data]\n    environment'),
    );
  });

  test('otherwise a new internal network for the two: web never joins the network of the queue', () => {
    const a = project({ 'compose.yaml': SHOP });
    const web = fixesOf(a, 'unreachable-dependency', 0);
    assert.deepEqual(
      web.map((f) => [f.title, f.isPreferred]),
      [['Connect web to api: new internal network api-net', true]],
    );
    const r = applyFixes(a);
    assert.equal(
      r.texts.get(`${ROOT}/compose.yaml`),
      dedent`
        services:
          web:
            image: nginx
            ports: ["80:80"]
            networks: [front, api-net]
            depends_on: [api]
          api:
            image: acme/api
            networks: [back, api-net, data]
            environment:
              DATABASE_URL: postgres://db/app
          queue:
            image: rabbitmq
            networks: [back]
          db:
            image: postgres
            networks: [data]
        networks:
          front:
          back:
          data:
            internal: true
          api-net:
            internal: true
      `,
    );
    assert.deepEqual(
      r.final.report.diagnostics.map((d) => d.code),
      [],
    );
  });

  test('a target on the implicit default network: the dependant lists default explicitly', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          worker:
            image: acme/worker
            networks:
              - jobs
            depends_on:
              - api
          api:
            image: acme/api
        networks:
          jobs:
      `,
    });
    assert.match(fixText(a, 'unreachable-dependency'), /networks:\n {6}- jobs\n {6}- default\n/);
  });
});
