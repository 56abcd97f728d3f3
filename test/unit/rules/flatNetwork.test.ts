import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'flat-network';

describe('flat-network', () => {
  test('the implicit default: one finding on the first data service key, naming the services by tier', () => {
    const r = analyzeYaml(dedent`
      services:
        proxy:
          image: nginx
          ports: ["80:80"]
          depends_on: [backend]
        backend:
          build: backend
          depends_on: [db]
        db:
          image: mariadb:10-focal
        cache:
          image: redis
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: 'db',
        message:
          "network 'default' carries public (proxy), app (backend) and data (db and cache) services together: " +
          'the public tier can reach the data tier directly.',
      },
    ]);
    const f = only(r, CODE);
    assert.deepEqual(relatedOf(r, f), [
      'proxy — proxy is public: image nginx is a web server or proxy (nginx)',
      'backend — backend is app: neither a data store nor exposed',
      'db — db is data: image mariadb:10-focal is a data store (mariadb)',
      'cache — cache is data: image redis is a data store (redis)',
    ]);
    assert.deepEqual(f.data, {
      rule: CODE,
      network: 'default',
      implicit: true,
      members: { public: ['proxy'], app: ['backend'], data: ['db', 'cache'] },
    });
  });

  test('a declared network: on its declaration; member entries are related', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          networks: [backend]
        api:
          image: myapi
          networks: [backend]
        db:
          image: postgres
          networks: [backend]
      networks:
        backend:
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'backend');
    assert.equal(f.location.range.start.line, 11);
    assert.deepEqual(
      relatedOf(r, f).map((l) => l.split(' — ')[0]),
      ['backend', 'backend', 'backend'],
    );
    assert.equal((f.data as { implicit: boolean }).implicit, false);
  });

  test('not without all three tiers', () => {
    // wasmedge-mysql-nginx: two public services and a database, no app tier to put between them.
    const r = analyzeYaml(dedent`
      services:
        frontend:
          image: nginx:alpine
          ports: [8090:80]
        backend:
          image: demo-microservice
          ports: [8080:8080]
          environment:
            DATABASE_URL: mysql://root:pw@db:3306/mysql
        db:
          image: mariadb:10.9
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('not when every public member uses every data store on it (nothing to isolate)', () => {
    const r = analyzeYaml(dedent`
      services:
        nextcloud:
          image: nextcloud:apache
          ports: [80:80]
          environment: [MYSQL_HOST=db, REDIS_HOST=redis]
        cron:
          image: nextcloud:apache
          entrypoint: /cron.sh
          depends_on: [db, redis]
        db:
          image: mariadb
        redis:
          image: redis
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('not when the evidence is missing (a public app, an app, a store nobody declares)', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          build: web
          ports: [8000:8000]
        worker:
          build: worker
        db:
          image: postgres
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('the tiered fix clears it', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          networks: [frontend, backend]
          depends_on: [api]
        api:
          image: myapi
          networks: [backend, database]
          environment:
            DB_HOST: postgres
        postgres:
          image: postgres
          networks: [database]
      networks:
        frontend:
        backend:
        database:
    `);
    assert.deepEqual(shown(r, CODE), []);
    assert.deepEqual(shown(r, 'public-reaches-data'), []);
  });
});
