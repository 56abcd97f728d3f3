import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { imagePath, imageRepository } from '../../../server/src/engine/rules/tiers';
import { dedent } from '../../support/dedent';
import { analyzeYaml } from '../../support/rules';

const tiersOf = (r: ReturnType<typeof analyzeYaml>): Record<string, string> =>
  Object.fromEntries(r.services.map((s) => [s.name, `${s.tier?.tier}: ${s.tier?.reason}`]));

describe('tiers', () => {
  test('image names whatever the registry, namespace, tag or digest', () => {
    assert.equal(imageRepository('docker.io/library/postgres:16-alpine'), 'postgres');
    assert.equal(imageRepository('bitnami/redis@sha256:0123'), 'redis');
    assert.equal(imageRepository('localhost:5000/team/mysql:8'), 'mysql');
    assert.equal(imagePath('mcr.microsoft.com/mssql/server:2022-latest'), 'mssql/server');
    assert.equal(imagePath('library/nginx'), 'nginx');
    assert.equal(imagePath('ghcr.io/org/app'), 'org/app');
  });

  test('data images, web server images, published ports, the rest app; the reason in the report', () => {
    const r = analyzeYaml(dedent`
      services:
        db:
          image: bitnami/postgresql:16
          ports: ["5432:5432"]
        mssql:
          image: mcr.microsoft.com/mssql/server:2022-latest
        proxy:
          image: nginx:1.27
        api:
          build: .
          ports: ["8080:8080"]
        local:
          build: .
          ports: ["127.0.0.1:9000:9000"]
        ui:
          image: rediscommander/redis-commander
        hidden:
          build: .
          networks: [back]
          ports: ["80:80"]
      networks:
        back: { internal: true }
    `);
    assert.deepEqual(tiersOf(r), {
      db: 'data: image bitnami/postgresql:16 is a data store (postgres)',
      mssql: 'data: image mcr.microsoft.com/mssql/server:2022-latest is a data store (mssql/server)',
      proxy: 'public: image nginx:1.27 is a web server or proxy (nginx)',
      api: 'public: publishes port 8080 on all interfaces',
      local: 'app: neither a data store nor exposed',
      ui: 'app: neither a data store nor exposed',
      hidden: 'app: neither a data store nor exposed',
    });
  });

  test('x-reachability.tier overrides; a bad value is invalid-compose on the value', () => {
    const r = analyzeYaml(dedent`
      services:
        edge:
          build: .
          x-reachability: { tier: public }
        cache:
          image: redis
          x-reachability:
            tier: app
        odd:
          image: x
          x-reachability:
            tier: frontend
            level: 3
    `);
    assert.deepEqual(tiersOf(r), {
      edge: 'public: set by x-reachability.tier',
      cache: 'app: set by x-reachability.tier',
      odd: 'app: neither a data store nor exposed',
    });
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code}@${r.textAt(d.location)}: ${d.message}`),
      [
        'invalid-compose@frontend: service odd: `x-reachability`.tier must be public, app or data.',
        'invalid-compose@level: service odd: `x-reachability`: unknown key `level` (expected tier).',
      ],
    );
  });

  test('extra images from settings and from the file, by repository name or namespaced path', () => {
    const yaml = dedent`
      x-reachability:
        tiers:
          data: [ledger-db, ghcr.io/team/ledger]
      services:
        gw:
          image: corp/edge-gateway:2
        ledger:
          image: registry.local/ops/ledger-db:1
        team:
          image: ghcr.io/team/ledger:3
        other:
          image: other/ledger
    `;
    const r = analyzeYaml(yaml, { tiers: { publicImages: ['edge-gateway'] } });
    assert.deepEqual(tiersOf(r), {
      gw: 'public: image corp/edge-gateway:2 is a web server or proxy (edge-gateway)',
      ledger: 'data: image registry.local/ops/ledger-db:1 is a data store (ledger-db)',
      team: 'data: image ghcr.io/team/ledger:3 is a data store (team/ledger)',
      other: 'app: neither a data store nor exposed',
    });
  });
  test('a data store by its configuration when the image says nothing, with the clues as the reason', () => {
    const r = analyzeYaml(dedent`
      services:
        search:
          build: ./elasticsearch
          environment:
            discovery.type: single-node
        pg:
          image: registry.corp/ops/pg-custom:16
          volumes: [pgdata:/var/lib/postgresql/data]
        pooler:
          image: corp/pooler
          ports: ["6432:5432"]
        mongo2:
          image: corp/mongo-fork
          volumes:
            - type: volume
              source: m
              target: /data/db
        checked:
          image: corp/sql
          healthcheck:
            test: ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]
        db:
          build: ./db
        named:
          image: corp/x
          environment: [POSTGRES_PASSWORD=secret]
        postgres:
          image: corp/x
          environment: [POSTGRES_PASSWORD=secret]
      volumes: { pgdata: {}, m: {} }
    `);
    assert.deepEqual(tiersOf(r), {
      search: 'data: data store by its variable discovery.type and its build from elasticsearch',
      pg: 'data: data store by its volume at /var/lib/postgresql/data and its name',
      pooler: 'data: data store by port 5432 (PostgreSQL)',
      mongo2: 'data: data store by its volume at /data/db',
      checked: 'data: data store by its healthcheck (mysqladmin ping)',
      db: 'data: data store by its build from db and its name',
      named: 'app: neither a data store nor exposed',
      postgres: 'data: data store by its variable POSTGRES_PASSWORD and its name',
    });
  });

  test('clients of a store are not stores: shared variables, another host, copied expose, admin UIs', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: ./api
          environment:
            POSTGRES_USER: app
            POSTGRES_PASSWORD: secret
            POSTGRES_DB: app
        worker:
          image: corp/worker
          environment:
            MYSQL_ROOT_PASSWORD: secret
            MYSQL_HOST: mysql
        migrate:
          image: corp/migrate
          environment:
            DATABASE_URL: postgres://u:p@db:5432/app
            POSTGRES_PASSWORD: secret
          healthcheck:
            test: pg_isready -h db
        front:
          build: ./front
          expose: ["3306"]
        ui:
          image: phpmyadmin
          environment: [MYSQL_ROOT_PASSWORD=secret]
          expose: ["3306"]
        pgadmin:
          image: dpage/pgadmin4
          volumes: [x:/var/lib/pgadmin]
          environment: [POSTGRES_PASSWORD=secret]
      volumes: { x: {} }
    `);
    assert.deepEqual(tiersOf(r), {
      api: 'app: neither a data store nor exposed',
      worker: 'app: neither a data store nor exposed',
      migrate: 'app: neither a data store nor exposed',
      front: 'app: neither a data store nor exposed',
      ui: 'app: neither a data store nor exposed',
      pgadmin: 'app: neither a data store nor exposed',
    });
  });

  test('the image still decides first; a web server build directory is public evidence below ports', () => {
    const r = analyzeYaml(dedent`
      services:
        cache:
          image: redis:7
          volumes: [d:/data]
        proxy:
          image: nginx
          volumes: [d:/var/lib/mysql]
        edge:
          build: ./nginx
        edge2:
          build:
            context: .
            dockerfile: caddy.Dockerfile
        web:
          build: ./nginx
          ports: ["80:80"]
      volumes: { d: {} }
    `);
    assert.deepEqual(tiersOf(r), {
      cache: 'data: image redis:7 is a data store (redis)',
      proxy: 'public: image nginx is a web server or proxy (nginx)',
      edge: 'public: built from nginx (nginx), a web server or proxy',
      edge2: 'public: built from caddy (caddy), a web server or proxy',
      web: 'public: publishes port 80 on all interfaces',
    });
  });
});
