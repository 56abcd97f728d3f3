import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, shown } from '../../support/rules';

const CODE = 'data-port-published';

describe('data-port-published', () => {
  test('a port without a host IP: on the port string', () => {
    const r = analyzeYaml(dedent`
      services:
        postgres:
          image: postgres:latest
          ports:
            - "5432:5432"
            - "127.0.0.1:5433:5432"
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: '"5432:5432"',
        message:
          'postgres (data) publishes port 5432 on all interfaces: it is reachable from outside the host and from ' +
          'every container with a route out.',
      },
    ]);
    assert.deepEqual(only(r, CODE).data, {
      rule: CODE,
      service: 'postgres',
      hostIp: '',
      published: '5432',
      target: '5432',
      protocol: 'tcp',
      syntax: 'short',
    });
  });

  test('a non-loopback address, the long syntax, an ephemeral port, UDP', () => {
    const r = analyzeYaml(dedent`
      services:
        broker:
          image: eclipse-mosquitto
          ports:
            - 192.168.1.5:1883:1883
            - target: 9001
              published: "9001"
              host_ip: 0.0.0.0
            - "8883"
            - 1884:1884/udp
    `);
    assert.deepEqual(
      shown(r, CODE).map((s) => s.message.split(':')[0]),
      [
        'broker (data) publishes port 1883 on 192.168.1.5',
        'broker (data) publishes port 9001 on all interfaces',
        'broker (data) publishes container port 8883 on an ephemeral host port on all interfaces',
        'broker (data) publishes port 1884/udp on all interfaces',
      ],
    );
    assert.equal(
      shown(r, CODE)[1]!.text,
      'target: 9001\n        published: "9001"\n        host_ip: 0.0.0.0',
    );
  });

  test('not for loopback ports, app services, or ports Docker does not publish', () => {
    const r = analyzeYaml(dedent`
      services:
        db:
          image: postgres
          ports: ["127.0.0.1:5432:5432", "[::1]:5433:5432"]
        api:
          build: .
          ports: ["8080:8080"]
        hidden:
          image: redis
          networks: [back]
          ports: ["6379:6379"]
        host:
          image: mysql
          network_mode: host
      networks:
        back:
          internal: true
    `);
    assert.deepEqual(shown(r, CODE), []);
  });

  test('a data image is data even when it publishes a port', () => {
    const r = analyzeYaml(
      'services:\n  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0\n    ports: ["9200:9200"]\n',
    );
    assert.equal(r.services[0]?.tier?.tier, 'data');
    assert.equal(shown(r, CODE).length, 1);
  });
});
