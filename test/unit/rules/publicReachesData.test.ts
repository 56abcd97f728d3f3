import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFindingData } from '../../../shared/src/findingData';
import { dedent } from '../../support/dedent';
import { analyzeYaml, codesAt, only, relatedOf, shown } from '../../support/rules';

const CODE = 'public-reaches-data';

describe('public-reaches-data', () => {
  test('on the implicit default: on the public service key, naming both ends and the network', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          depends_on: [api]
        api:
          image: myapi
          environment:
            DB_HOST: db
        db:
          image: postgres:16
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: 'web',
        message:
          "web (public) can reach db (data) directly via network 'default' (web lists no networks), but declares no " +
          'need for it; web needs api there, so move db instead.',
      },
    ]);
    const f = only(r, CODE);
    assert.deepEqual(relatedOf(r, f), ['db — db is data: image postgres:16 is a data store (postgres)']);
    assert.deepEqual(f.data, {
      rule: CODE,
      via: 'network',
      from: 'web',
      to: ['db'],
      network: 'default',
      membership: 'implicit-default',
      breaks: ['api'],
      alsoViaPorts: [],
    });
    assert.ok(isFindingData(f.data, CODE));
  });

  test('on an explicit network: on the entry in the public service list, the declaration related', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          ports: ["80:80"]
          networks: [front, back]
        db:
          image: mariadb:10.6
          networks:
            back: {}
        app:
          build: .
          networks: [back]
          environment:
            DATABASE_URL: mysql://u:p@db:3306/x
      networks:
        front:
        back:
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'back');
    assert.equal(f.location.range.start.line, 4);
    assert.equal(
      f.message,
      "web (public) can reach db (data) directly via network 'back', but declares no need for it.",
    );
    assert.deepEqual(relatedOf(r, f), [
      'db — db is data: image mariadb:10.6 is a data store (mariadb)',
      "back — db joins network 'back' here",
      "back — network 'back' is declared here",
    ]);
    assert.deepEqual(f.data, {
      rule: CODE,
      via: 'network',
      from: 'web',
      to: ['db'],
      network: 'back',
      membership: 'entry',
      breaks: [],
      alsoViaPorts: [],
    });
  });

  test('one finding per shared network', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: caddy
          networks: [a, b]
        cache:
          image: redis
          networks: [a, b]
      networks: { a: {}, b: {} }
    `);
    assert.deepEqual(
      shown(r, CODE).map((s) => s.text),
      ['a', 'b'],
    );
  });

  test('through a published port only: on the data service port token', () => {
    const r = analyzeYaml(dedent`
      services:
        frontend:
          image: nginx
          networks: [client]
          ports: ["3000:3000"]
        backend:
          build: backend
          networks: [client, server]
          environment:
            PG_HOST: db
        db:
          image: postgres:12-alpine
          networks: [server]
          ports:
            - 5432:5432
      networks:
        client: {}
        server: {}
    `);
    const f = only(r, CODE);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: '5432:5432',
        message:
          'frontend (public) can reach db (data) via host port 5432, published on all interfaces, but declares no need for it.',
      },
    ]);
    assert.deepEqual(relatedOf(r, f), [
      'frontend — frontend is public: image nginx is a web server or proxy (nginx)',
    ]);
    assert.deepEqual(f.data, {
      rule: CODE,
      via: 'published-port',
      from: ['frontend'],
      to: 'db',
      port: { hostIp: '', published: '5432', target: '5432', protocol: 'tcp' },
    });
  });

  test('a direct path and a published port: the network finding mentions the port', () => {
    const r = analyzeYaml(dedent`
      services:
        proxy:
          image: traefik:v3
        cache:
          image: valkey/valkey
          ports: ["6379:6379"]
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'proxy');
    assert.deepEqual(relatedOf(r, f), [
      'cache — cache is data: image valkey/valkey is a data store (valkey)',
      '"6379:6379" — proxy can also reach cache through host port 6379',
    ]);
    assert.deepEqual((f.data as { alsoViaPorts: unknown }).alsoViaPorts, [
      { service: 'cache', hostIp: '', published: '6379', target: '6379', protocol: 'tcp' },
    ]);
  });

  test('one finding per token: every data service on the network, every public service through the port', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          networks: [front, back]
        admin:
          image: caddy
          networks: [front]
        db:
          image: postgres
          networks: [back]
          ports: ["5432:5432"]
        cache:
          image: redis
          networks: [back]
        worker:
          build: .
          networks: [back]
          environment: [DB_HOST=db, REDIS_HOST=cache]
      networks: { front: {}, back: {} }
    `);
    assert.deepEqual(
      shown(r, CODE).map((s) => [s.text, s.message]),
      [
        [
          'back',
          "web (public) can reach db and cache (data) directly via network 'back', but declares no need for them.",
        ],
        [
          '"5432:5432"',
          'admin (public) can reach db (data) via host port 5432, published on all interfaces, but declares no need for it.',
        ],
      ],
    );
    const r2 = analyzeYaml(dedent`
      services:
        a:
          image: nginx
          networks: [front]
        b:
          image: haproxy
          networks: [front]
        db:
          image: postgres
          networks: [back]
          ports: ["5432:5432"]
        api:
          build: .
          networks: [back]
          depends_on: [db]
      networks: { front: {}, back: {} }
    `);
    assert.deepEqual(
      shown(r2, CODE).map((s) => [s.text, s.message]),
      [
        [
          '"5432:5432"',
          'a and b (public) can reach db (data) via host port 5432, published on all interfaces, but declare no need for it.',
        ],
      ],
    );
    assert.deepEqual((only(r2, CODE).data as { from: string[] }).from, ['a', 'b']);
  });

  test('a shared namespace: on the network_mode that joins them', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          network_mode: "service:db"
        db:
          image: postgres
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: '"service:db"',
        message:
          'web (public) shares a network namespace with db (data) and can reach it on localhost, but declares no need for it.',
      },
    ]);
  });

  test('inherited networks (network_mode: service:x): on the network_mode', () => {
    const r = analyzeYaml(dedent`
      services:
        vpn:
          image: gluetun
        web:
          image: nginx
          network_mode: service:vpn
        db:
          image: postgres
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'service:vpn');
    assert.match(f.message, /via network 'default' \(through the namespace of vpn\)/);
    assert.equal((f.data as { membership: string }).membership, 'namespace');
  });

  describe('no finding when the reach is needed or cannot be judged', () => {
    test('the public service needs the data service (wordpress → mysql)', () => {
      const r = analyzeYaml(dedent`
        services:
          db:
            image: mariadb:10.6.4-focal
          wordpress:
            image: wordpress:latest
            ports: [80:80]
            environment:
              - WORDPRESS_DB_HOST=db
      `);
      assert.deepEqual(codesAt(r), []);
    });

    test('depends_on and links count as needs', () => {
      for (const need of ['depends_on: [db]', 'links: ["db:database"]']) {
        const r = analyzeYaml(`services:\n  web:\n    image: nginx\n    ${need}\n  db:\n    image: redis\n`);
        assert.deepEqual(codesAt(r), [], need);
      }
    });

    test('a public app with no declared dependencies and a data store nobody declares', () => {
      // aspnet-mssql, sparkjava-mysql, spring-postgres: the app's connection string lives in its code.
      const r = analyzeYaml(dedent`
        services:
          backend:
            build: backend
            ports: [8080:8080]
          db:
            image: postgres
      `);
      assert.deepEqual(shown(r, CODE), []);
    });

    test('a data store whose users are declared: a public app not among them may still use it', () => {
      // Its host may come from a config file or an image default: other users prove nothing.
      const r = analyzeYaml(dedent`
        services:
          site:
            build: site
            ports: [8080:8080]
          worker:
            build: worker
            environment:
              REDIS_URL: redis://cache:6379/0
          cache:
            image: redis
      `);
      assert.deepEqual(shown(r, CODE), []);
    });

    test('a public front that declares the app it calls, which uses the data store', () => {
      // nginx-nodejs-redis: nginx (built from source) fronts web1, which reaches redis.
      const r = analyzeYaml(dedent`
        services:
          redis:
            image: redislabs/redismod
          web1:
            build: ./web
            ports: ['81:5000']
          nginx:
            build: ./nginx
            ports: ['80:80']
            depends_on: [web1]
      `);
      assert.deepEqual(
        shown(r, CODE).map((s) => `${s.text}: ${s.message.split(' can ')[0]}`),
        ['nginx: nginx (public)'],
      );
    });

    test('no path: separate networks', () => {
      const r = analyzeYaml(dedent`
        services:
          web:
            image: nginx
            networks: [front]
          db:
            image: postgres
            networks: [back]
        networks: { front: {}, back: {} }
      `);
      assert.deepEqual(shown(r, CODE), []);
    });

    test('a loopback-bound data port is not reachable from containers', () => {
      const r = analyzeYaml(dedent`
        services:
          web:
            image: nginx
            networks: [front]
          db:
            image: postgres
            networks: [back]
            ports: ["127.0.0.1:5432:5432"]
        networks: { front: {}, back: {} }
      `);
      // Nothing else either: the port needs `back` open, so network-not-internal stays quiet.
      assert.deepEqual(codesAt(r), []);
    });

    test('app and data services are not public', () => {
      const r = analyzeYaml('services:\n  api:\n    build: .\n  db:\n    image: postgres\n');
      assert.deepEqual(shown(r, CODE), []);
    });
  });

  test('thousands of pairs stay bounded: names and related locations past the first are counted', () => {
    const services = [
      ...Array.from({ length: 3 }, (_, i) => `  web${i}:\n    image: nginx\n`),
      ...Array.from({ length: 30 }, (_, i) => `  db${i}:\n    image: postgres\n`),
    ];
    const r = analyzeYaml(`services:\n${services.join('')}`);
    const findings = r.diagnostics.filter((d) => d.code === CODE);
    assert.equal(findings.length, 3);
    for (const f of findings) {
      assert.match(f.message, /can reach db0, db1, .*, db10 and 19 more \(data\)/);
      assert.equal(f.related?.length, 20);
      assert.equal(f.related?.at(-1)?.message, '… and 11 more data services');
      // The data still names every pair, for the matrix.
      assert.equal((f.data as { to: string[] }).to.length, 30);
    }
  });
});
