import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix, portLabel } from '../../../shared/src/matrix';
import { port, report, service, shopReport, via } from '../../support/reports';

describe('buildMatrix', () => {
  test('orders active services by tier (public, app, data), then by name; no tier counts as app', () => {
    const m = buildMatrix(shopReport());
    assert.deepEqual(
      m.services.map((s) => [s.name, s.tier]),
      [
        ['proxy', 'public'],
        ['api', 'app'],
        ['worker', 'app'],
        ['db', 'data'],
      ],
    );
    assert.deepEqual(m.groups, [
      { tier: 'public', start: 0, count: 1 },
      { tier: 'app', start: 1, count: 2 },
      { tier: 'data', start: 3, count: 1 },
    ]);
  });

  test('keeps the reason of a chosen tier and gives none to a defaulted one', () => {
    const m = buildMatrix(shopReport());
    assert.equal(m.services.find((s) => s.name === 'api')?.tierReason, 'test: app');
    assert.equal(m.services.find((s) => s.name === 'worker')?.tierReason, undefined);
  });

  test('sorts names by code unit, the same in every locale', () => {
    const m = buildMatrix(report({ services: ['b', 'a', 'B', 'a-1'].map((n) => service(n)) }));
    assert.deepEqual(
      m.services.map((s) => s.name),
      ['B', 'a', 'a-1', 'b'],
    );
  });

  test('cell(from, to) is the via list of the pair, null where there is none and on the diagonal', () => {
    const r = shopReport();
    const m = buildMatrix(r);
    const i = (name: string): number => m.services.findIndex((s) => s.name === name);
    const http = r.services.find((s) => s.name === 'proxy')!.ports[0]!;
    assert.deepEqual(m.cell(i('proxy'), i('api')), [via.net('front')]);
    assert.deepEqual(m.cell(i('api'), i('proxy')), [via.net('front'), via.port(http)]);
    assert.deepEqual(m.cell(i('worker'), i('db')), [via.net('back')]);
    assert.equal(m.cell(i('proxy'), i('db')), null);
    assert.equal(m.cell(i('db'), i('proxy')), null);
    for (let k = 0; k < m.services.length; k++) assert.equal(m.cell(k, k), null);
    assert.equal(m.cell(0, m.services.length), null);
  });

  test('reachCount(i) counts the non-empty cells of row i', () => {
    const host = service('h', { attachment: { kind: 'host' }, networks: [], egress: true });
    const m = buildMatrix(shopReport({ services: [...shopReport().services, host] }));
    for (let i = 0; i < m.services.length; i++) {
      const cells = m.services.filter((_, j) => m.cell(i, j) !== null).length;
      assert.equal(m.reachCount(i), cells, m.services[i]!.name);
    }
    // Host mode reaches every published port, loopback ones too.
    assert.equal(m.reachCount(m.services.findIndex((s) => s.name === 'h')), 1);
  });

  test('leaves inactive services out of rows and columns', () => {
    const m = buildMatrix(
      report({
        services: [service('a'), service('b'), service('off', { active: false, profiles: ['x'] })],
      }),
    );
    assert.deepEqual(
      m.services.map((s) => s.name),
      ['a', 'b'],
    );
    assert.deepEqual(m.cell(0, 1), [via.net('default')]);
    assert.equal(m.reachCount(0), 1);
  });

  test('splits effective ports into exposed and host-only; lists ineffective ones apart', () => {
    const m = buildMatrix(shopReport());
    const proxy = m.services.find((s) => s.name === 'proxy')!;
    assert.deepEqual(
      proxy.exposed.map((p) => p.label),
      ['0.0.0.0:80->80/tcp'],
    );
    assert.deepEqual(
      proxy.hostOnly.map((p) => p.label),
      ['127.0.0.1:8081->8081/tcp'],
    );
    assert.deepEqual(proxy.unpublished, []);
    const db = m.services.find((s) => s.name === 'db')!;
    assert.deepEqual(db.exposed, []);
    assert.deepEqual(
      db.unpublished.map((p) => p.label),
      ['5432/tcp'],
    );
    assert.deepEqual(db.unpublished[0]!.location, shopReport().services[0]!.ports[0]!.location);
  });

  test('carries egress and attachment', () => {
    const m = buildMatrix(
      report({
        services: [
          service('h', { attachment: { kind: 'host' }, networks: [], egress: true }),
          service('n', { attachment: { kind: 'none' }, networks: [], egress: false }),
        ],
      }),
    );
    assert.deepEqual(
      m.services.map((s) => [s.name, s.attachment.kind, s.egress]),
      [
        ['h', 'host', true],
        ['n', 'none', false],
      ],
    );
  });

  test('lists inactive services by name with their profiles', () => {
    const m = buildMatrix(
      report({
        services: [
          service('z', { active: false, profiles: ['tools', 'debug'] }),
          service('a', { active: false, profiles: ['debug'] }),
          service('on'),
        ],
      }),
    );
    assert.deepEqual(
      m.inactive.map((s) => [s.name, s.profiles]),
      [
        ['a', ['debug']],
        ['z', ['tools', 'debug']],
      ],
    );
    assert.deepEqual(
      m.services.map((s) => s.name),
      ['on'],
    );
  });

  test('an empty project gives an empty matrix', () => {
    const { cell, reachCount, ...data } = buildMatrix(report());
    assert.deepEqual(data, { project: 'shop', services: [], groups: [], inactive: [] });
    assert.equal(cell(0, 0), null);
    assert.equal(reachCount(0), 0);
  });

  test('is plain JSON but for the cell functions (a webview state can hold it)', () => {
    const m = buildMatrix(shopReport());
    const data = { project: m.project, services: m.services, groups: m.groups, inactive: m.inactive };
    assert.deepEqual(JSON.parse(JSON.stringify(m)), data);
  });
});

describe('portLabel', () => {
  test('shows host address, published port, target and protocol', () => {
    assert.equal(portLabel(port('0.0.0.0:8080:80')), '0.0.0.0:8080->80/tcp');
    assert.equal(portLabel(port('127.0.0.1:53:53/udp')), '127.0.0.1:53->53/udp');
    assert.equal(portLabel(port('9090-9091:8080-8081')), '0.0.0.0:9090-9091->8080-8081/tcp');
  });

  test('shows every interface as 0.0.0.0 and brackets IPv6 addresses', () => {
    assert.equal(portLabel(port('80:80')), '0.0.0.0:80->80/tcp');
    assert.equal(portLabel(port('[::1]:8080:80')), '[::1]:8080->80/tcp');
    assert.equal(portLabel(port('[::]:443:443')), '[::]:443->443/tcp');
  });

  test('marks an ephemeral host port', () => {
    assert.equal(portLabel(port('3000')), '0.0.0.0:(random)->3000/tcp');
  });

  test('shows only the container port when Docker will not publish it', () => {
    assert.equal(portLabel(port('8080:80', { effective: false })), '80/tcp');
  });
});
