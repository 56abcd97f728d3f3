import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes } from '../../../server/src/engine/fixes';
import { dedent } from '../../support/dedent';
import { applied, fixesOf, fixText, project, ROOT } from '../../support/fixes';

describe('published data ports', () => {
  test('bind to 127.0.0.1 in each port’s own syntax; comments and quotes stay', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          db:
            image: postgres:16
            ports:
              - "5432:5432"          # psql from the host
              - 0.0.0.0:5433:5433
              - "[::]:5434:5434"
              - 5435
              - target: 5436
                published: 5436
              - target: 5437
                published: "5437"
                host_ip: 0.0.0.0
                protocol: tcp
              - "\${PG_PORT:-5438}:5438"
              - '6000-6001:6000-6001/udp'
            networks: [back]
          cache:
            image: redis
            ports: ["6379:6379"]
        networks:
          back:
      `,
    });
    assert.deepEqual(
      fixesOf(a, 'data-port-published').map((f) => [f.title, f.isPreferred]),
      [
        ['Bind port 5432 to 127.0.0.1', true],
        ['Stop publishing port 5432', false],
      ],
    );
    const r = applyFixes(a, { only: ['data-port-published'] });
    assert.equal(r.applied.length, 9);
    assert.equal(
      r.texts.get(`${ROOT}/compose.yaml`),
      dedent`
        services:
          db:
            image: postgres:16
            ports:
              - "127.0.0.1:5432:5432"          # psql from the host
              - 127.0.0.1:5433:5433
              - "[::1]:5434:5434"
              - "127.0.0.1::5435"
              - target: 5436
                published: 5436
                host_ip: 127.0.0.1
              - target: 5437
                published: "5437"
                host_ip: 127.0.0.1
                protocol: tcp
              - "127.0.0.1:\${PG_PORT:-5438}:5438"
              - '127.0.0.1:6000-6001:6000-6001/udp'
            networks: [back]
          cache:
            image: redis
            ports: ["127.0.0.1:6379:6379"]
        networks:
          back:
      `,
    );
    assert.deepEqual(r.final.report.diagnostics, []);
  });

  test('stop publishing: the item goes with its line, the last one with its key', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          cache:
            image: redis
            ports: ["6379:6379"]
            command: redis-server
          db:
            image: mysql
            ports:
              - 3306:3306
              - 33060:33060 # x protocol
      `,
    });
    assert.equal(
      fixText(a, 'data-port-published', 'Stop publishing port 6379'),
      dedent`
        services:
          cache:
            image: redis
            command: redis-server
          db:
            image: mysql
            ports:
              - 3306:3306
              - 33060:33060 # x protocol
      `,
    );
    const db = fixesOf(a, 'data-port-published', 2).find((f) => f.title === 'Stop publishing port 33060')!;
    assert.equal(
      applied(a, db.edits)['compose.yaml'],
      dedent`
        services:
          cache:
            image: redis
            ports: ["6379:6379"]
            command: redis-server
          db:
            image: mysql
            ports:
              - 3306:3306
      `,
    );
  });

  test('a port written in an override file is fixed there', () => {
    const a = project({
      'compose.yaml': 'services:\n  db:\n    image: postgres\n',
      'compose.override.yaml': 'services:\n  db:\n    ports:\n      - 5432:5432\n',
    });
    const [bind] = fixesOf(a, 'data-port-published');
    assert.deepEqual(applied(a, bind!.edits), {
      'compose.override.yaml': 'services:\n  db:\n    ports:\n      - 127.0.0.1:5432:5432\n',
    });
  });

  test('a public service reaching a data service only through its port gets the same fixes', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            networks: [front]
          db:
            image: postgres
            networks: [back]
            ports:
              - "5432:5432"
        networks:
          front:
          back:
      `,
    });
    assert.deepEqual(
      fixesOf(a, 'public-reaches-data').map((f) => f.title),
      ['Bind port 5432 to 127.0.0.1', 'Stop publishing port 5432'],
    );
  });

  test('an address that comes from a variable is not guessed at', () => {
    const a = project({
      'compose.yaml': 'services:\n  db:\n    image: postgres\n    ports:\n      - "${BIND}:5432:5432"\n',
      '.env': 'BIND=0.0.0.0\n',
    });
    assert.deepEqual(
      fixesOf(a, 'data-port-published').map((f) => f.title),
      ['Stop publishing port 5432'],
    );
  });
});
