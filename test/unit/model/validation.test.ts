import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOAD_RULES } from '../../../shared/src/rules';
import { analyzeFiles, findingsAt } from '../../support/analyze';
import { dedent } from '../../support/dedent';

/** Load findings of a one-file project as `code@exact text` (the isolation rules have their own tests). */
const check = (yaml: string): string[] =>
  findingsAt(analyzeFiles({ 'compose.yaml': yaml })).filter((f) => f.split('@')[0]! in LOAD_RULES);

describe('load errors land on the token to change', () => {
  test('malformed YAML', () => {
    const r = analyzeFiles({ 'compose.yaml': 'services:\n  web:\n    image: [unclosed\n' });
    assert.equal(r.diagnostics[0]?.code, 'invalid-yaml');
    assert.equal(r.diagnostics[0]?.severity, 'error');
    assert.deepEqual(r.services, []);
  });

  test('a root that is not a mapping', () => {
    assert.deepEqual(check('- just\n- a list\n'), ['invalid-compose@- just\n- a list\n']);
  });

  test('an empty file is an empty project', () => {
    assert.deepEqual(check(''), []);
    assert.deepEqual(check('# only a comment\n'), []);
  });

  test('wrong types', () => {
    assert.deepEqual(check('services:\n  web:\n    image: x\n    networks: 5\n'), ['invalid-compose@5']);
    assert.deepEqual(check('services: [a, b]\n'), ['invalid-compose@[a, b]']);
    assert.deepEqual(check('services:\n  web: 3\n'), ['invalid-compose@3']);
    assert.deepEqual(check('services:\n  web:\n    ports: "80:80"\n'), ['invalid-compose@"80:80"']);
    assert.deepEqual(check('services:\n  web:\n    image: x\nnetworks:\n  n:\n    internal: maybe\n'), [
      'invalid-compose@maybe',
    ]);
  });

  test('ports as objects with junk', () => {
    const found = check(
      'services:\n  web:\n    ports:\n      - { target: 80, junk: 1 }\n      - { published: 80 }\n',
    );
    assert.equal(found.length, 2, found.join('\n'));
    assert.ok(found.every((f) => f.startsWith('invalid-compose@')));
  });

  test('unknown keys, but x- extensions are fine', () => {
    assert.deepEqual(
      check(dedent`
        x-common: &c { restart: always }
        services:
          web:
            image: x
            x-note: fine
            imgae: typo
        nets: {}
      `),
      ['invalid-compose@nets', 'invalid-compose@imgae'],
    );
  });

  test('undefined network, on the list entry', () => {
    assert.deepEqual(check('services:\n  web:\n    networks:\n      - frontend\n'), [
      'undefined-network@frontend',
    ]);
    assert.deepEqual(check('services:\n  web:\n    networks: [default]\n'), []);
  });

  test('network_mode with networks', () => {
    assert.deepEqual(check('services:\n  web:\n    network_mode: host\n    networks: [default]\n'), [
      'network-mode-conflict@host',
    ]);
  });

  test('service:x naming a missing service', () => {
    assert.deepEqual(check('services:\n  web:\n    network_mode: "service:vpn"\n'), [
      'unknown-namespace-service@"service:vpn"',
    ]);
  });

  test('depends_on a missing service', () => {
    assert.deepEqual(check('services:\n  web:\n    depends_on: [db]\n'), ['invalid-compose@db']);
  });

  test('a huge file loads', () => {
    const services = Array.from(
      { length: 3000 },
      (_, i) => `  s${i}:\n    image: app\n    networks: [n${i % 10}]\n`,
    ).join('');
    const nets = Array.from({ length: 10 }, (_, i) => `  n${i}:\n`).join('');
    const r = analyzeFiles({ 'compose.yaml': `services:\n${services}networks:\n${nets}` });
    assert.equal(r.services.length, 3000);
    assert.deepEqual(r.diagnostics, []);
  });
});
