import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/engine';
import type { ReachabilityReport } from '../../../shared/src/report';
import { dedent } from '../../support/dedent';
import { memoryHost } from '../../support/memoryHost';

function run(files: Record<string, string>): { r: ReachabilityReport; texts: Record<string, string> } {
  const host = memoryHost(files);
  return { r: analyze({ files: [], workingDirectory: host.root }, host), texts: files };
}

/** `from -> target source name @file:token` for every need of the sources asked, the token read back from its file. */
function needs(
  files: Record<string, string>,
  sources = ['command', 'entrypoint', 'healthcheck', 'config-file', 'label', 'host-gateway'],
): string[] {
  const { r, texts } = run(files);
  const out: string[] = [];
  for (const s of r.services) {
    for (const n of s.needs) {
      if (!sources.includes(n.source)) continue;
      const rel = n.location.file.replace('/project/', '');
      const lines = (texts[rel] ?? '').split('\n');
      const { start, end } = n.location.range;
      assert.equal(start.line, end.line);
      const token = (lines[start.line] ?? '').slice(start.character, end.character);
      out.push(`${s.name} -> ${n.target} ${n.source} ${n.name} @${rel}:${token}`);
    }
  }
  return out;
}

describe('needs from commands', () => {
  test('command, entrypoint and healthcheck in string and list forms, resolved through aliases', () => {
    const compose = dedent`
      services:
        app:
          image: app
          entrypoint: ["wait-for-it", "database:5432", "--"]
          command: sh -c "until nc -z cache 6379; do sleep 1; done; exec app --api-url=http://api:8080"
          healthcheck:
            test: ["CMD-SHELL", "curl -f http://app:80/ && pg_isready -h database"]
        db:
          image: postgres
          networks:
            default:
              aliases: [database]
        cache: { image: redis }
        api: { image: api, command: "api --listen-addr=api:8080" }
    `;
    assert.deepEqual(needs({ 'compose.yaml': compose }), [
      'app -> cache command cache @compose.yaml:cache',
      'app -> api command api @compose.yaml:api',
      'app -> db entrypoint database @compose.yaml:database',
      'app -> db healthcheck database @compose.yaml:database',
    ]);
  });

  test('unknown names, bare words and prose give nothing', () => {
    const compose = dedent`
      services:
        app:
          image: app
          command: ["sh", "-c", "echo db is up; wait-for-it elsewhere:5432; psql -U db"]
        db: { image: postgres }
    `;
    assert.deepEqual(needs({ 'compose.yaml': compose }), []);
  });

  test('an escaped scalar points at the whole scalar', () => {
    const compose =
      'services:\n  app:\n    image: app\n    command: "wait-for-it\\t db:5432"\n  db: { image: postgres }\n';
    assert.deepEqual(needs({ 'compose.yaml': compose }), [
      'app -> db command db @compose.yaml:"wait-for-it\\t db:5432"',
    ]);
  });
});

describe('needs from mounted configuration files', () => {
  const compose = dedent`
    services:
      proxy:
        image: nginx
        volumes:
          - ./nginx.conf:/etc/nginx/nginx.conf:ro
          - type: bind
            source: ./conf.d
            target: /etc/nginx/conf.d
          - /etc/outside.conf:/etc/x.conf
          - ../up.conf:/etc/up.conf
      prometheus:
        image: prom/prometheus
        configs:
          - source: prom
            target: /etc/prometheus/prometheus.yml
      web: { image: web }
      api: { image: api }
      node: { image: node-exporter }
    configs:
      prom:
        file: ./prometheus.yml
  `;
  const files = {
    'compose.yaml': compose,
    'nginx.conf':
      'http {\n  # proxy_pass http://api:80;\n  server { location / { proxy_pass http://web:80; } }\n}\n',
    'conf.d/api.conf': 'server { location /api { proxy_pass http://api:3000; } }\n',
    'conf.d/notes.txt': 'proxy_pass http://node:80;\n',
    '/etc/outside.conf': 'server { location / { proxy_pass http://api:80; } }\n',
    '../up.conf': 'server { location / { proxy_pass http://node:80; } }\n',
    'prometheus.yml':
      "scrape_configs:\n  - static_configs:\n      - targets: ['node:9100', 'unknown:9100']\n",
  };

  test('bind mounts (short and long, files and directories) and configs files; nothing outside the project', () => {
    assert.deepEqual(needs(files), [
      'proxy -> web config-file web @nginx.conf:web',
      'proxy -> api config-file api @conf.d/api.conf:api',
      'prometheus -> node config-file node @prometheus.yml:node',
    ]);
  });

  test('a mounted file that does not exist is no evidence', () => {
    const rest: Record<string, string> = { ...files };
    delete rest['nginx.conf'];
    assert.deepEqual(
      needs(rest).filter((n) => n.includes('nginx.conf')),
      [],
    );
  });
});

/** A dedented fixture indented by two spaces (a service to put under `services:`). */
function indent(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(strings, ...values).replace(/^(?=.)/gm, '  ');
}

describe('needs from labels', () => {
  const backend = indent`
    whoami:
      image: traefik/whoami
      labels:
        - "traefik.enable=true"
        - "traefik.http.routers.who.rule=Host(\`x\`)"
  `;
  test('the one Traefik of the project needs the services its labels route to', () => {
    const compose = `services:\n  proxy:\n    image: traefik:v3.0\n${backend}  off:\n    image: x\n    labels: { traefik.enable: "false", traefik.http.routers.o.rule: "Host(\`o\`)" }\n`;
    assert.deepEqual(needs({ 'compose.yaml': compose }), [
      'proxy -> whoami label whoami @compose.yaml:traefik.http.routers.who.rule',
    ]);
  });

  test('two proxies and no network label: no need', () => {
    const compose = `services:\n  p1:\n    image: traefik\n  p2:\n    image: traefik\n${backend}`;
    assert.deepEqual(needs({ 'compose.yaml': compose }), []);
  });
});

describe('needs through the host gateway', () => {
  test('host.docker.internal:PORT and host-gateway extra hosts reach the service publishing PORT', () => {
    const compose = dedent`
      services:
        app:
          image: app
          extra_hosts: ["dockerhost:host-gateway"]
          environment:
            API_URL: http://host.docker.internal:8080/v1
            OTHER: dockerhost:5433
            NOPE: host.docker.internal:9999
        api:
          image: api
          ports: ["8080:80"]
        db:
          image: postgres
          ports: ["5432-5433:5432"]
    `;
    assert.deepEqual(needs({ 'compose.yaml': compose }), [
      'app -> api host-gateway 8080 @compose.yaml:host.docker.internal',
      'app -> db host-gateway 5433 @compose.yaml:dockerhost',
    ]);
  });
});

describe('what the new needs ask of reachability', () => {
  test('a host-gateway need is met by the published port, with no shared network', () => {
    const compose = dedent`
      services:
        app:
          image: app
          networks: [a]
          environment:
            API_URL: http://host.docker.internal:8080
        api:
          image: api
          networks: [b]
          ports: ["8080:80"]
      networks:
        a: {}
        b: {}
    `;
    const { r } = run({ 'compose.yaml': compose });
    assert.deepEqual(
      r.services.find((s) => s.name === 'app')?.needs.map((n) => `${n.source}:${n.target}`),
      ['host-gateway:api'],
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'unreachable-dependency'),
      [],
    );
  });

  test('a command need on a service with no shared network is unreachable', () => {
    const compose = dedent`
      services:
        app:
          image: app
          networks: [a]
          command: wait-for-it db:5432 -- app
        db:
          image: postgres
          networks: [b]
      networks:
        a: {}
        b: {}
    `;
    const { r } = run({ 'compose.yaml': compose });
    const f = r.diagnostics.filter((d) => d.code === 'unreachable-dependency');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /its command names 'db'/);
  });
});
