import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, shown } from '../../support/rules';

const CODE = 'unused-network';

describe('unused-network', () => {
  test('a hint tagged unnecessary, on the declaration', () => {
    const r = analyzeYaml(dedent`
      services:
        a:
          image: x
          networks: [used]
      networks:
        used:
        old:
          driver: bridge
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'hint',
        text: 'old',
        message: "network 'old' is declared but no service uses it.",
      },
    ]);
    const f = only(r, CODE);
    assert.deepEqual(f.tags, ['unnecessary']);
    assert.deepEqual(f.data, { rule: CODE, network: 'old' });
  });

  test('a declared default that every service leaves', () => {
    const r = analyzeYaml(
      'services:\n  a:\n    image: x\n    networks: [n]\nnetworks:\n  default:\n    name: mine\n  n:\n',
    );
    assert.equal(r.textAt(only(r, CODE).location), 'default');
  });

  test('used by a service behind an inactive profile, or implicitly, is used', () => {
    const r = analyzeYaml(dedent`
      services:
        a:
          image: x
        debug:
          image: x
          profiles: [debug]
          networks: [tools]
      networks:
        default:
          name: mine
        tools:
    `);
    assert.deepEqual(shown(r, CODE), []);
  });
});
