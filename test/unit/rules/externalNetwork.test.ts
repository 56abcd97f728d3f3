import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'external-network';

describe('external-network', () => {
  test('on the entry in the service list, once per service', () => {
    const r = analyzeYaml(dedent`
      services:
        app:
          image: myapp
          networks:
            - proxy
            - default
        worker:
          image: myapp
          network_mode: service:app
      networks:
        proxy:
          external: true
          name: traefik_proxy
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'information',
        text: 'proxy',
        message:
          "app joins external network 'proxy' (Docker name 'traefik_proxy'): containers of other projects on it can " +
          'reach app, and this file cannot tell which.',
      },
    ]);
    const f = only(r, CODE);
    assert.deepEqual(relatedOf(r, f), ["true — network 'proxy' is external"]);
    assert.deepEqual(f.data, {
      rule: CODE,
      service: 'app',
      network: 'proxy',
      dockerName: 'traefik_proxy',
      defaultBridge: false,
    });
  });

  test('an external default: on the service key', () => {
    const r = analyzeYaml(
      'services:\n  a:\n    image: x\nnetworks:\n  default:\n    external: true\n    name: shared\n',
    );
    assert.equal(r.textAt(only(r, CODE).location), 'a');
  });

  test("network_mode: bridge joins Docker's default bridge", () => {
    const r = analyzeYaml('services:\n  a:\n    image: x\n    network_mode: bridge\n');
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), 'bridge');
    assert.match(f.message, /^a uses network_mode: bridge: it joins Docker's default bridge/);
    assert.equal((f.data as { defaultBridge: boolean }).defaultBridge, true);
  });

  test('not for networks of the project', () => {
    const r = analyzeYaml(
      'services:\n  a:\n    image: x\n    networks: [n]\nnetworks:\n  n:\n    name: fixed\n',
    );
    assert.deepEqual(shown(r, CODE), []);
  });
});
