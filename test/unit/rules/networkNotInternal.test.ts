import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'network-not-internal';

describe('network-not-internal', () => {
  test('a data network whose members keep egress elsewhere: information on its declaration', () => {
    const r = analyzeYaml(dedent`
      services:
        frontend:
          build: frontend
          ports: [3000:3000]
          networks: [react-express]
        backend:
          build: backend
          networks: [express-mongo, react-express]
          depends_on: [mongo]
        mongo:
          image: mongo:4.2.0
          networks: [express-mongo]
      networks:
        react-express:
        express-mongo:
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'information',
        text: 'express-mongo',
        message:
          "network 'express-mongo' carries data service mongo but is not internal: its members have a route out of " +
          "the host, and none needs it; backend keeps egress through 'react-express'.",
      },
    ]);
    const f = only(r, CODE);
    assert.equal(f.location.range.start.line, 14);
    assert.deepEqual(relatedOf(r, f), ['mongo — mongo is data: image mongo:4.2.0 is a data store (mongo)']);
    assert.deepEqual(f.data, {
      rule: CODE,
      network: 'express-mongo',
      implicit: false,
      dataServices: ['mongo'],
      internalWritten: false,
    });
  });

  test('`internal: false` written: on the value', () => {
    const r = analyzeYaml(dedent`
      services:
        db1:
          image: postgres
          networks: [db]
        db2:
          image: postgres
          networks: [db]
      networks:
        db:
          internal: false
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'false');
    assert.match(
      f.message,
      /^network 'db' carries data services db1 and db2 but is not internal: .* none needs it\.$/,
    );
    assert.equal((f.data as { internalWritten: boolean }).internalWritten, true);
  });

  test('the implicit default carrying only data: on the first data service', () => {
    const r = analyzeYaml('services:\n  cache:\n    image: memcached\n  db:\n    image: postgres\n');
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'cache');
    assert.equal((f.data as { implicit: boolean }).implicit, true);
  });

  test('not when a member needs the network for egress or for its ports', () => {
    // spring-postgres: the public backend has no other network.
    const alone = analyzeYaml(dedent`
      services:
        backend:
          build: backend
          ports: [8080:8080]
          networks: [spring-postgres]
        db:
          image: postgres
          networks: [spring-postgres]
      networks:
        spring-postgres:
    `);
    assert.deepEqual(shown(alone, CODE), []);
    // nextcloud-redis-mariadb: both of nc's networks carry data; closing either is not a one-line fix.
    const both = analyzeYaml(dedent`
      services:
        nc:
          image: nextcloud:apache
          ports: [80:80]
          networks: [redisnet, dbnet]
          environment: [REDIS_HOST=redis, MYSQL_HOST=db]
        redis:
          image: redis:alpine
          networks: [redisnet]
        db:
          image: mariadb:10.5
          networks: [dbnet]
      networks:
        dbnet:
        redisnet:
    `);
    assert.deepEqual(shown(both, CODE), []);
    // A data service that publishes a port (even on loopback) needs a non-internal network for it.
    const published = analyzeYaml(dedent`
      services:
        db:
          image: postgres
          networks: [back]
          ports: ["127.0.0.1:5432:5432"]
      networks:
        back:
    `);
    assert.deepEqual(shown(published, CODE), []);
  });

  test('not for internal, external or data-free networks', () => {
    const r = analyzeYaml(dedent`
      services:
        db:
          image: postgres
          networks: [back, shared]
        api:
          build: .
          networks: [front]
      networks:
        back:
          internal: true
        shared:
          external: true
        front:
    `);
    assert.deepEqual(shown(r, CODE), []);
  });
});
