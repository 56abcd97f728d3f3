import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReachabilityReport } from '../../../shared/src/report';
import { analyze } from '../../../server/src/engine';
import { createNodeHost } from '../../../server/src/host/nodeHost';
import { dedent } from '../../support/dedent';
import { applyFixes } from '../../../server/src/engine/fixes';
import { applied, fixesOf, fixText, project } from '../../support/fixes';
import { SEED } from '../../support/paths';
import { reportEdges } from '../../../shared/src/reach';

/** Undirected "x–y" pairs of service edges through networks. */
function links(r: ReachabilityReport): string[] {
  const out = new Set<string>();
  for (const e of reportEdges(r)) {
    if (e.from < e.to && e.via.some((v) => v.kind === 'network' || v.kind === 'namespace'))
      out.add(`${e.from}–${e.to}`);
  }
  return [...out].sort();
}

describe('split into tiered networks', () => {
  test("the seed's flat example becomes the seed's tiers: web loses the database, api keeps it", () => {
    const text = fs.readFileSync(path.join(SEED, 'flat/compose.yaml'), 'utf8');
    const a = project({ 'compose.yaml': text });
    const [split] = fixesOf(a, 'flat-network');
    assert.equal(
      split?.title,
      'Split default: database to internal network data with the app tier; web loses database',
    );
    assert.equal(split?.isPreferred, true);
    const fixed = applied(a, split!.edits)['compose.yaml']!;
    assert.equal(
      fixed,
      dedent`
        # All services share the default network: web can reach database directly.
        services:
          web:
            image: nginx
            networks:
              - backend
          api:
            image: myapi
            networks:
              - backend
              - data
          database:
            image: postgres
            networks:
              - data
        networks:
          backend:
          data:
            internal: true
      `,
    );
    // The same graph as the seed's tiered example: web–api, api–database, web cannot reach the database.
    const after = project({ 'compose.yaml': fixed }).report;
    const tiered = analyze({ files: [], workingDirectory: path.join(SEED, 'tiered') }, createNodeHost({}));
    const rename = (l: string): string => l.replace('postgres', 'database');
    assert.deepEqual(links(after), links(tiered).map(rename).sort());
    assert.deepEqual(links(after), ['api–database', 'api–web']);
    assert.deepEqual(after.diagnostics, []);
  });

  test('4-space indentation, comments everywhere; every app keeps every data store', () => {
    const a = project({
      'compose.yaml': dedent`
        # Shop: everything on one network
        services:
            # the edge
            proxy:
                image: nginx:1.27   # pinned
                ports:
                    - "80:80"
                depends_on:
                    - api

            api:
                image: registry.example.com/shop/api:2.1
                environment:
                    DATABASE_URL: postgres://db:5432/shop   # the database
                    REDIS_HOST: cache

            # data
            db:
                image: postgres:16
            cache:
                image: redis:7
            metrics:
                image: prom/statsd
      `,
    });
    assert.equal(
      fixText(a, 'flat-network'),
      dedent`
        # Shop: everything on one network
        services:
            # the edge
            proxy:
                image: nginx:1.27   # pinned
                ports:
                    - "80:80"
                depends_on:
                    - api
                networks:
                    - backend

            api:
                image: registry.example.com/shop/api:2.1
                environment:
                    DATABASE_URL: postgres://db:5432/shop   # the database
                    REDIS_HOST: cache
                networks:
                    - backend
                    - data

            # data
            db:
                image: postgres:16
                networks:
                    - data
            cache:
                image: redis:7
                networks:
                    - data
            metrics:
                image: prom/statsd
                networks:
                    - backend
                    - data
        networks:
            backend:
            data:
                internal: true
      `,
    );
  });

  test('flow lists; a sidecar in a database’s namespace and a service behind a profile move with their peers', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          proxy:
            image: traefik:v3
            ports: ["443:443"]
            network_mode: bridge
          web:
            image: nginx
            depends_on: [shop, blog]
          shop:
            image: acme/shop
            environment:
              DB_HOST: shopdb
          blog:
            image: wordpress
            environment:
              WORDPRESS_DB_HOST: blogdb:3306
          shopdb:
            image: postgres
          blogdb:
            image: mariadb
          exporter:
            image: prom/postgres-exporter
            network_mode: service:shopdb
          debug:
            image: busybox
            profiles: [debug]
            depends_on: [shopdb]
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(
      fix.title,
      'Split default: data stores to internal network data with the app tier; web loses shopdb, blogdb',
    );
    assert.equal(
      applied(a, fix.edits)['compose.yaml'],
      dedent`
        services:
          proxy:
            image: traefik:v3
            ports: ["443:443"]
            network_mode: bridge
          web:
            image: nginx
            depends_on: [shop, blog]
            networks: [backend]
          shop:
            image: acme/shop
            environment:
              DB_HOST: shopdb
            networks: [backend, data]
          blog:
            image: wordpress
            environment:
              WORDPRESS_DB_HOST: blogdb:3306
            networks: [backend, data]
          shopdb:
            image: postgres
            networks: [data]
          blogdb:
            image: mariadb
            networks: [data]
          exporter:
            image: prom/postgres-exporter
            network_mode: service:shopdb
          debug:
            image: busybox
            profiles: [debug]
            depends_on: [shopdb]
            networks: [backend, data]
        networks:
          backend:
          data:
            internal: true
      `,
    );
  });

  test('networks from a merge key: explicit lists override it; a declared network keeps its role and settings', () => {
    const a = project({
      'compose.yaml': dedent`
        x-defaults: &defaults
          restart: unless-stopped
          networks:
          - shared
        services:
          web:
            <<: *defaults
            image: caddy
            ports:
            - 443:443
            depends_on:
            - app
          app:
            <<: *defaults
            image: ghcr.io/acme/app
            environment:
            - DB=db
          db: {image: mariadb, <<: *defaults}
        networks:
          shared: {}
      `,
    });
    assert.equal(
      fixText(a, 'flat-network'),
      dedent`
        x-defaults: &defaults
          restart: unless-stopped
          networks:
          - shared
        services:
          web:
            <<: *defaults
            image: caddy
            ports:
            - 443:443
            depends_on:
            - app
            networks:
            - shared
          app:
            <<: *defaults
            image: ghcr.io/acme/app
            environment:
            - DB=db
            networks:
            - shared
            - data
          db: {image: mariadb, <<: *defaults, networks: [data]}
        networks:
          shared: {}
          data: {internal: true}
      `,
    );
  });

  test('an explicit default entry is renamed, so its aliases follow to the peers’ network', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            ports:
              - "8080:80"
            networks:
              default:
                aliases: [www]
          api:
            image: node:20
            depends_on:
              db:
                condition: service_healthy
          db:
            image: postgres
            networks:
              - default
      `,
      'compose.override.yaml': dedent`
        services:
          db:
            ports:
              - 127.0.0.1:5432:5432
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(
      fix.title,
      'Split default: db to network data with the app tier; web loses db; data not internal, so db keeps its published ports',
    );
    assert.deepEqual(applied(a, fix.edits), {
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            ports:
              - "8080:80"
            networks:
              backend:
                aliases: [www]
          api:
            image: node:20
            depends_on:
              db:
                condition: service_healthy
            networks:
              - backend
              - data
          db:
            image: postgres
            networks:
              - data
        networks:
          backend:
          data:
      `,
    });
  });

  test('an override file listing the network too loses its entry; an external network stays the back tier', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            ports:
              - "80:80"
            networks:
              - edge
          api:
            image: acme/api
            networks:
              - edge
            depends_on:
              - db
          db:
            image: postgres
            networks:
              - edge
        networks:
          edge:
            external: true
            name: shared-edge
      `,
      'compose.override.yaml': dedent`
        services:
          db:
            networks:
              - edge
            labels: [tier=data]
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(fix.title, 'Split edge: db to internal network data with the app tier; web loses db');
    assert.deepEqual(applied(a, fix.edits), {
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            ports:
              - "80:80"
            networks:
              - edge
          api:
            image: acme/api
            networks:
              - edge
              - data
            depends_on:
              - db
          db:
            image: postgres
            networks:
              - data
        networks:
          edge:
            external: true
            name: shared-edge
          data:
            internal: true
      `,
      'compose.override.yaml': dedent`
        services:
          db:
            labels: [tier=data]
      `,
    });
  });

  test('a service left with nothing in an override file becomes `{}`, not null', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            ports: ["80:80"]
            networks: [edge]
          api:
            image: acme/api
            networks: [edge]
            depends_on: [db]
          db:
            image: postgres
            networks: [edge]
        networks:
          edge:
      `,
      'compose.override.yaml': dedent`
        services:
          db:
            networks:
              - edge   # also here
          web:
            ports:
              - 8080:80
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(
      applied(a, fix.edits)['compose.override.yaml'],
      'services:\n  db: {}\n  web:\n    ports:\n      - 8080:80\n',
    );
  });

  test('names never collide with declared networks; an internal network gives internal tiers', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          lb:
            image: haproxy
            ports: ["80:80"]
          app:
            image: acme/app
            environment: [CACHE=cache]
          cache:
            image: valkey/valkey
        networks:
          default: {internal: true}
          data: {}
          backend:
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(
      fix.title,
      'Split default: cache to internal network data-net with the app tier; lb loses cache',
    );
    assert.match(
      applied(a, fix.edits)['compose.yaml']!,
      /\n {2}backend-net: \{internal: true\}\n {2}data-net: \{internal: true\}\n$/,
    );
  });

  test('a public app publishing a port keeps a data store nobody declares; the proxy loses it', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          redis:
            image: redis
          web1:
            build: ./web
            ports:
              - '81:5000'
          nginx:
            image: nginx
            ports:
              - '80:80'
            depends_on:
              - web1
      `,
    });
    assert.equal(
      fixText(a, 'public-reaches-data'),
      dedent`
        services:
          redis:
            image: redis
            networks:
              - data
          web1:
            build: ./web
            ports:
              - '81:5000'
            networks:
              - frontend
              - data
          nginx:
            image: nginx
            ports:
              - '80:80'
            depends_on:
              - web1
            networks:
              - frontend
        networks:
          frontend:
          data:
            internal: true
      `,
    );
  });

  test('services split across an include boundary get no split (each file is validated alone)', () => {
    const a = project({
      'compose.yaml': dedent`
        include:
          - backend/compose.yaml
        services:
          web:
            image: nginx
            ports: ["80:80"]
      `,
      'backend/compose.yaml': dedent`
        services:
          api:
            image: acme/api
            environment:
              - DB_HOST=db
          db:
            image: postgres
      `,
    });
    assert.deepEqual(fixesOf(a, 'flat-network'), []);
  });

  test('services all in one included file: the new networks are declared there', () => {
    const a = project({
      'compose.yaml': 'include:\n  - stack.yaml\n',
      'stack.yaml': dedent`
        services:
          web:
            image: nginx
            depends_on: [api]
          api:
            image: acme/api
          db:
            image: postgres
      `,
    });
    const fix = fixesOf(a, 'flat-network')[0]!;
    assert.equal(
      applied(a, fix.edits)['stack.yaml'],
      dedent`
        services:
          web:
            image: nginx
            depends_on: [api]
            networks: [backend]
          api:
            image: acme/api
            networks: [backend, data]
          db:
            image: postgres
            networks: [data]
        networks:
          backend:
          data:
            internal: true
      `,
    );
  });

  describe('never cuts what it cannot prove unneeded', () => {
    const STACK = dedent`
      services:
        proxy:
          image: nginx
          ports: ["80:80"]
        api:
          image: acme/api
          environment:
            DB_HOST: db
        worker:
          image: acme/worker
          environment:
            REDIS_URL: redis://cache:6379
        db:
          image: postgres
        cache:
          image: redis
    `;

    test('preferred: every app keeps every store, though worker is known to use only cache', () => {
      const a = project({ 'compose.yaml': STACK });
      const [preferred] = fixesOf(a, 'flat-network');
      assert.equal(
        preferred?.title,
        'Split default: data stores to internal network data with the app tier; proxy loses db, cache',
      );
      assert.deepEqual(
        preferred?.reach?.removed.map((l) => `${l.a}–${l.b}`),
        ['cache–proxy', 'db–proxy'],
      );
      assert.deepEqual(preferred?.reach?.added, []);
    });

    test('least privilege: a second, not preferred action that names every link it removes', () => {
      const a = project({ 'compose.yaml': STACK });
      const fixes = fixesOf(a, 'flat-network');
      const least = fixes.find((f) => f.fix === 'split-least-privilege');
      assert.equal(
        least?.title,
        'Split default with least privilege, a network per data store; proxy loses db, cache; worker loses db; api loses cache; db loses cache',
      );
      assert.equal(least?.isPreferred, false);
      assert.deepEqual(
        least?.reach?.removed.map((l) => `${l.a}–${l.b}`),
        ['api–cache', 'cache–db', 'cache–proxy', 'db–proxy', 'db–worker'],
      );
      // `fix` applies it only when asked.
      assert.equal(applyFixes(a).applied[0]?.fix, 'split-tiers');
      assert.equal(applyFixes(a, { leastPrivilege: true }).applied[0]?.fix, 'split-least-privilege');
    });

    test('a store with a static address stays where its subnet is: no split', () => {
      const a = project({
        'compose.yaml': dedent`
          services:
            web:
              image: nginx
              networks: [lan]
            db:
              image: postgres
              networks:
                lan:
                  ipv4_address: 172.28.0.5
          networks:
            lan:
              ipam:
                config:
                  - subnet: 172.28.0.0/16
        `,
      });
      assert.deepEqual(
        fixesOf(a, 'public-reaches-data').filter((f) => f.fix.startsWith('split')),
        [],
      );
    });

    test('an app with a static address keeps it on its network and joins the data network', () => {
      const a = project({
        'compose.yaml': dedent`
          services:
            web:
              image: nginx
              networks: [lan]
            app:
              image: acme/app
              networks:
                lan:
                  ipv4_address: 172.28.0.5
            db:
              image: postgres
              networks: [lan]
          networks:
            lan:
              ipam:
                config:
                  - subnet: 172.28.0.0/16
        `,
      });
      const text = fixText(a, 'flat-network');
      assert.match(text, /\n {4}networks:\n {6}lan:\n {8}ipv4_address: 172\.28\.0\.5\n {6}data:\n/);
    });

    test('new networks are declared in the file whose services use them, not only in the base file', () => {
      const a = project({
        'compose.yaml': dedent`
          services:
            web:
              image: nginx
              ports: ["80:80"]
        `,
        'compose.override.yaml': dedent`
          services:
            api:
              image: acme/api
            db:
              image: postgres
        `,
      });
      const out = applied(a, fixesOf(a, 'flat-network').find((f) => f.isPreferred)!.edits);
      assert.match(
        out['compose.override.yaml']!,
        /\nnetworks:\n {2}backend:\n {2}data:\n {4}internal: true\n$/,
      );
      assert.match(out['compose.yaml']!, /\nnetworks:\n {2}backend:\n$/);
    });
  });

  test("networks given by an alias become the service's own list; the anchor stays for the others", () => {
    const a = project({
      'compose.yaml': dedent`
        x-proxied: &proxied
          - egress
          - default
        services:
          proxy:
            image: ubuntu/squid
            networks: *proxied
          api:
            image: acme/api
            networks: *proxied
            environment:
              DB_HOST: db
          db:
            image: postgres
        networks:
          egress:
            internal: true
      `,
    });
    assert.equal(
      fixText(a, 'public-reaches-data'),
      dedent`
        x-proxied: &proxied
          - egress
          - default
        services:
          proxy:
            image: ubuntu/squid
            networks: [egress, backend]
          api:
            image: acme/api
            networks: [egress, backend, data]
            environment:
              DB_HOST: db
          db:
            image: postgres
            networks:
              - data
        networks:
          egress:
            internal: true
          backend:
          data:
            internal: true
      `,
    );
  });
});
