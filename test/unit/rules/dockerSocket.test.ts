import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reportEdges, reportReachability } from '../../../shared/src/reach';
import { buildMatrix } from '../../../shared/src/matrix';
import { cellLabel, formatMatrixText } from '../../../shared/src/matrixFormat';
import { dedent } from '../../support/dedent';
import { analyzeYaml, shown } from '../../support/rules';

const PROJECT = dedent`
  services:
    proxy:
      image: traefik:3
      ports: ["80:80"]
      networks: [front]
      volumes:
        - /var/run/docker.sock:/var/run/docker.sock:ro
    agent:
      image: corp/agent
      networks: [ops]
      volumes:
        - type: bind
          source: /run/docker.sock
          target: /var/run/docker.sock
    builder:
      image: docker:cli
      networks: [ops]
      use_api_socket: true
    api:
      build: .
      networks: [front, back]
    db:
      image: postgres:16
      networks: [back]
    logs:
      image: corp/logs
      networks: [ops]
      volumes: ["/var/log:/var/log:ro", "docker.sock.bak:/backup"]
  networks:
    front:
    back: { internal: true }
    ops:
`;

describe('docker-socket', () => {
  test('every syntax, on the mount token; a public socket holder is a warning, others information', () => {
    const r = analyzeYaml(PROJECT);
    assert.deepEqual(shown(r, 'docker-socket'), [
      {
        code: 'docker-socket',
        severity: 'warning',
        text: '/var/run/docker.sock:/var/run/docker.sock:ro',
        message:
          'proxy (public) mounts the Docker socket (read-only does not limit the API): through the Docker API it ' +
          'can reach and control every container on the host and start new ones on any network; it is public, ' +
          'so whoever takes it over controls the host.',
      },
      {
        code: 'docker-socket',
        severity: 'information',
        text: 'type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock',
        message:
          'agent (app) mounts the Docker socket: through the Docker API it can reach and control every ' +
          'container on the host and start new ones on any network.',
      },
      {
        code: 'docker-socket',
        severity: 'information',
        text: 'true',
        message:
          'builder (app) gets the Docker socket through use_api_socket: through the Docker API it can reach ' +
          'and control every container on the host and start new ones on any network.',
      },
    ]);
    const data = r.diagnostics.find((d) => d.code === 'docker-socket')!.data;
    assert.deepEqual(data, {
      rule: 'docker-socket',
      service: 'proxy',
      tier: 'public',
      access: 'mount',
      readOnly: true,
      reaches: 5,
    });
  });

  test('a level set by the user is kept, public or not; off is off', () => {
    const raised = analyzeYaml(PROJECT, { rules: { 'docker-socket': 'error' } });
    assert.deepEqual(
      shown(raised, 'docker-socket').map((f) => f.severity),
      ['error', 'error', 'error'],
    );
    assert.deepEqual(shown(analyzeYaml(PROJECT, { rules: { 'docker-socket': 'off' } }), 'docker-socket'), []);
  });

  test('the report marks the socket and its reach adds docker-api to everyone, after the network ways', () => {
    const r = analyzeYaml(PROJECT);
    const proxy = r.services.find((s) => s.name === 'proxy')!;
    assert.equal(r.textAt(proxy.dockerSocket!), '/var/run/docker.sock:/var/run/docker.sock:ro');
    assert.equal(r.services.find((s) => s.name === 'api')!.dockerSocket, undefined);

    const reach = reportReachability(r);
    assert.deepEqual(reach.vias('proxy', 'api'), [
      { kind: 'network', network: 'front' },
      { kind: 'docker-api' },
    ]);
    assert.deepEqual(reach.vias('proxy', 'db'), [{ kind: 'docker-api' }]);
    assert.deepEqual(reach.vias('db', 'proxy'), []);
    assert.deepEqual(reach.vias('proxy', 'proxy'), []);
    const row = reach.row('proxy');
    assert.deepEqual([...row.keys()].sort(), ['agent', 'api', 'builder', 'db', 'logs']);
    for (const [to, v] of row) assert.deepEqual(v, reach.vias('proxy', to));
    assert.equal(reach.count('proxy'), 5);
    assert.equal(reach.count('logs'), 3); // agent, builder on ops; proxy's port 80
    assert.deepEqual([...reach.row('proxy', (n) => n === 'db')], [['db', [{ kind: 'docker-api' }]]]);

    const edges = reportEdges(r).filter((e) => e.from === 'builder');
    assert.deepEqual(
      edges.map((e) => `${e.to}: ${e.via.map((v) => v.kind).join(',')}`),
      [
        'agent: network,docker-api',
        'logs: network,docker-api',
        'proxy: published-port,docker-api',
        'api: docker-api',
        'db: docker-api',
      ],
    );
  });

  test('the rules do not count the API as a connection: no new isolation findings', () => {
    const r = analyzeYaml(PROJECT);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'public-reaches-data' || d.code === 'unreachable-dependency'),
      [],
    );
  });

  test('the matrix shows docker in the row, and explains it only when someone holds the API', () => {
    const m = buildMatrix(analyzeYaml(PROJECT));
    const i = (n: string): number => m.services.findIndex((s) => s.name === n);
    assert.equal(cellLabel(m.cell(i('proxy'), i('db'))), 'docker');
    assert.equal(cellLabel(m.cell(i('proxy'), i('api'))), 'front,docker');
    assert.equal(cellLabel(m.cell(i('api'), i('proxy'))), 'front,port');
    assert.equal(m.reachCount(i('proxy')), 5);
    assert.ok(m.services[i('proxy')]!.dockerSocket);
    assert.match(formatMatrixText(m), /docker = through the Docker API/);
    const plain = buildMatrix(analyzeYaml('services:\n  a:\n    image: x\n  b:\n    image: y\n'));
    assert.doesNotMatch(formatMatrixText(plain), /Docker API/);
  });
});
