import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { fixesOf, project } from '../../support/fixes';
import { analyzeFiles } from '../../support/analyze';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'unreachable-dependency';

describe('unreachable-dependency', () => {
  test('depends_on across networks: an error on the depends_on entry', () => {
    const r = analyzeYaml(dedent`
      services:
        web:
          image: nginx
          networks: [front]
          depends_on:
            api:
              condition: service_started
        api:
          build: .
          networks: [back]
      networks:
        front:
        back:
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'error',
        text: 'api',
        message:
          "web needs api (depends_on) but cannot reach it: web is on 'front', api is on 'back', and they share no network.",
      },
    ]);
    const f = only(r, CODE);
    assert.equal(f.location.range.start.line, 5);
    assert.deepEqual(relatedOf(r, f), [
      'api — api is app: neither a data store nor exposed',
      'networks — networks of api',
      'networks — networks of web',
    ]);
    assert.deepEqual(f.data, {
      rule: CODE,
      from: 'web',
      to: 'api',
      needs: [{ source: 'depends_on', name: 'api' }],
      fromNetworks: ['front'],
      toNetworks: ['back'],
      viaPorts: [],
      certain: true,
    });
  });

  test('a host inside an environment URL: on the host; the other needs of the pair are related', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [front]
          environment:
            DATABASE_URL: postgres://app:secret@db:5432/app
          links: [db]
        db:
          image: postgres
          networks: [back]
      networks:
        front:
        back:
    `);
    assert.deepEqual(
      shown(r, CODE).map((s) => [s.text, s.message]),
      [
        [
          'db',
          "api needs db (links: db) but cannot reach it: api is on 'front', db is on 'back', and they share no network.",
        ],
      ],
    );
    const f = only(r, CODE);
    // links come before the environment in needs order; the URL host is related.
    assert.equal(f.location.range.start.line, 6);
    assert.ok(relatedOf(r, f).includes("db — api also needs db here (its environment names 'db')"));
  });

  test('an environment host alone lands on the host inside the value', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [front]
          environment:
            - REDIS_URL=redis://cache:6379/0
        cache:
          image: redis
          networks: [back]
      networks: { front: {}, back: {} }
    `);
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'cache');
    assert.equal(f.location.range.start.character, 26);
    assert.match(f.message, /^api needs cache \(its environment names 'cache'\) but cannot reach it/);
  });

  test('a name needs a shared network: a published port does not resolve it', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [front]
          environment:
            DB_HOST: db
        db:
          image: postgres
          networks: [back]
          ports: ["5432:5432"]
      networks: { front: {}, back: {} }
    `);
    assert.equal(
      only(r, CODE).message,
      "api needs db (its environment names 'db') but cannot reach it: api is on 'front', db is on 'back', and " +
        "they share no network; it could connect only through host port 5432, where the name 'db' does not resolve.",
    );
  });

  test('depends_on is satisfied by any path, a published port included', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [front]
          depends_on: [db]
        db:
          image: postgres
          networks: [back]
          ports: ["5432:5432"]
      networks: { front: {}, back: {} }
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('a job that completes first is not a peer', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [front]
          depends_on:
            migrate:
              condition: service_completed_successfully
        migrate:
          build: .
          networks: [back]
      networks: { front: {}, back: {} }
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('network_mode: none and host', () => {
    const none = analyzeYaml(
      'services:\n  a:\n    image: x\n    network_mode: none\n    depends_on: [b]\n  b:\n    image: y\n',
    );
    assert.equal(
      only(none, CODE).message,
      'a needs b (depends_on) but cannot reach it: a runs with network_mode: none.',
    );
    const host = analyzeYaml(
      'services:\n  a:\n    image: x\n    network_mode: host\n    environment:\n      DB_HOST: b\n  b:\n    image: postgres\n    ports: ["5432:5432"]\n',
    );
    assert.equal(
      only(host, CODE).message,
      "a needs b (its environment names 'b') but cannot reach it: a runs with network_mode: host, where service names " +
        "do not resolve; it could connect only through host port 5432, where the name 'b' does not resolve.",
    );
  });

  test('both on the default bridge: links resolve, plain names do not', () => {
    const base = 'services:\n  a:\n    image: x\n    network_mode: bridge\n';
    const b = '  b:\n    image: y\n    network_mode: bridge\n';
    const env = analyzeYaml(`${base}    environment:\n      B_HOST: b\n${b}`);
    assert.equal(
      only(env, CODE).message,
      "a needs b (its environment names 'b') but cannot reach it: both are on Docker's default bridge, which " +
        'resolves no service names (only links).',
    );
    const link = analyzeYaml(`${base}    links: [b]\n${b}`);
    assert.deepEqual(shown(link, CODE), []);
  });

  test('container: network modes cannot be checked: information, saying so', () => {
    const r = analyzeYaml(dedent`
      services:
        app:
          image: x
          network_mode: container:vpn
          depends_on: [db]
        db:
          image: postgres
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'information',
        text: 'db',
        message:
          'app needs db (depends_on); whether it can reach it cannot be checked: app uses network_mode ' +
          'container:vpn, whose networks are not in this file.',
      },
    ]);
    assert.equal((only(r, CODE).data as { certain: boolean }).certain, false);
  });

  test('a host-mode target reached by depends_on only cannot be checked either', () => {
    const r = analyzeYaml(dedent`
      services:
        app:
          image: x
          depends_on: [plex]
        plex:
          image: linuxserver/plex
          network_mode: host
    `);
    const f = only(r, CODE);
    assert.equal(f.severity, 'information');
    assert.match(
      f.message,
      /plex runs with network_mode: host, and whether app reaches it through the host's address/,
    );
  });

  test('no finding on a shared network, a shared namespace or the corpus-style tiers', () => {
    const r = analyzeYaml(dedent`
      services:
        frontend:
          build: frontend
          networks: [react-express]
          depends_on: [backend]
        backend:
          build: backend
          networks: [express-mongo, react-express]
          depends_on: [mongo]
        mongo:
          image: mongo:4.2.0
          networks: [express-mongo]
        sidecar:
          image: envoy
          network_mode: service:backend
          depends_on: [backend]
      networks:
        react-express:
        express-mongo:
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('depends_on of a host-mode service orders its start: no finding', () => {
    const r = analyzeYaml(dedent`
      services:
        agent:
          image: acme/agent
          network_mode: host
          depends_on: [db]
        db:
          image: postgres
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('a host named in an anchor several services merge: information, and no fix joins the sandbox', () => {
    const yaml = dedent`
      x-env: &env
        SANDBOX_URL: http://sandbox:8194
      services:
        api:
          image: acme/api
          environment: *env
          networks: [default, ssrf]
        worker:
          image: acme/api
          environment: *env
        sandbox:
          image: acme/sandbox
          networks: [ssrf]
      networks:
        ssrf:
          internal: true
    `;
    const r = analyzeYaml(yaml);
    const f = only(r, CODE);
    assert.equal(f.severity, 'information');
    assert.equal(r.textAt(f.location), 'sandbox');
    assert.match(
      f.message,
      /^worker needs sandbox .*written once for several services, and may not be meant for worker\.$/,
    );
    assert.equal((f.data as { certain: boolean }).certain, false);
    assert.deepEqual(fixesOf(project({ 'compose.yaml': yaml }), CODE), []);
  });

  test('a need read from an env_file: on the service key, where the editor shows it; the line is related', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          api:
            image: acme/api
            env_file: api.env
            networks: [front]
          db:
            image: postgres
            networks: [back]
        networks:
          front:
          back:
      `,
      'api.env': 'DB_HOST=db\n',
    });
    const f = only(r, CODE);
    assert.equal(f.location.file.endsWith('compose.yaml'), true);
    assert.equal(r.textAt(f.location), 'api');
    assert.match(f.message, /^api needs db \(its env_file names 'db'\) but cannot reach it/);
    const [evidence] = f.related ?? [];
    assert.equal(evidence?.location.file.endsWith('api.env'), true);
    assert.equal(r.textAt(evidence?.location), 'db');
  });
});
