import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'ports-unpublished-internal';

describe('ports-unpublished-internal', () => {
  test('only internal networks: a warning on the ports key', () => {
    const r = analyzeYaml(dedent`
      services:
        api:
          build: .
          networks: [back]
          ports:
            - "8080:80"
      networks:
        back:
          internal: true
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: 'ports',
        message:
          "api lists ports, but it is attached only to internal network 'back': Docker silently does not publish them.",
      },
    ]);
    const f = only(r, CODE);
    assert.deepEqual(relatedOf(r, f), ["true — network 'back' is internal"]);
    assert.deepEqual(f.data, {
      rule: CODE,
      service: 'api',
      networks: ['back'],
      ports: [{ hostIp: '', published: '8080', target: '80', protocol: 'tcp' }],
    });
  });

  test('an internal default network redefined at top level', () => {
    const r = analyzeYaml(dedent`
      services:
        a:
          image: x
          ports: ["80"]
        b:
          image: y
          networks: [one, two]
          ports: ["81:81"]
      networks:
        default:
          internal: true
        one: { internal: true }
        two: { internal: true }
    `);
    assert.deepEqual(
      shown(r, CODE).map((s) => s.message),
      [
        "a lists ports, but it is attached only to internal network 'default': Docker silently does not publish them.",
        "b lists ports, but it is attached only to internal networks 'one' and 'two': Docker silently does not publish them.",
      ],
    );
  });

  test('not when one network is not internal, nor without ports', () => {
    const r = analyzeYaml(dedent`
      services:
        a:
          image: x
          networks: [back, front]
          ports: ["80:80"]
        b:
          image: x
          networks: [back]
      networks:
        back: { internal: true }
        front:
    `);
    assert.deepEqual(shown(r, CODE), []);
  });
});
