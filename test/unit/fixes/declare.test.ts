import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { applied, fixesOf, fixText, project } from '../../support/fixes';

const TYPO = dedent`
  services:
    web:
      image: nginx
      networks:
        - frontend
        - backnd
    api:
      image: acme/api
      networks:
        backend:
        jobs:
          aliases: [api-jobs]
  networks:
    frontend:
    backend:
    legacy: # not used since 2023
      driver: bridge
`;

describe('network declarations', () => {
  test('a reference one typo away from a declared network: use that one (preferred), or declare it', () => {
    const a = project({ 'compose.yaml': TYPO });
    assert.deepEqual(
      fixesOf(a, 'undefined-network').map((f) => [f.title, f.isPreferred]),
      [
        ['Change to network backend (declared)', true],
        ['Declare network backnd', false],
      ],
    );
    assert.equal(fixText(a, 'undefined-network'), TYPO.replace('- backnd', '- backend'));
  });

  test('declare: a new entry after the last declaration, in the file that refers to it', () => {
    const a = project({ 'compose.yaml': TYPO });
    const jobs = fixesOf(a, 'undefined-network', 1);
    assert.deepEqual(
      jobs.map((f) => f.title),
      ['Declare network jobs'],
    );
    assert.equal(applied(a, jobs[0]!.edits)['compose.yaml'], TYPO + '  jobs:\n');

    const b = project({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    networks: [front]\n',
      'compose.override.yaml': 'services:\n  web:\n    networks: [debug]\nnetworks: {front: {}}\n',
    });
    assert.deepEqual(
      fixesOf(b, 'undefined-network').map((f) => f.title),
      ['Declare network debug'],
    );
    assert.deepEqual(applied(b, fixesOf(b, 'undefined-network')[0]!.edits), {
      'compose.override.yaml': 'services:\n  web:\n    networks: [debug]\nnetworks: {front: {}, debug: {}}\n',
    });
  });

  test('declare in a file without top-level networks: the key is created', () => {
    const a = project({
      'compose.yaml':
        '# app\nservices:\n    web:\n        image: nginx\n        networks: [edge]\nvolumes:\n    data:\n',
    });
    assert.equal(
      fixText(a, 'undefined-network'),
      '# app\nservices:\n    web:\n        image: nginx\n        networks: [edge]\nvolumes:\n    data:\nnetworks:\n    edge:\n',
    );
  });

  test('remove an unused network with its lines; the last one takes the key with it', () => {
    const a = project({ 'compose.yaml': TYPO });
    assert.equal(
      fixText(a, 'unused-network'),
      TYPO.replace('  legacy: # not used since 2023\n    driver: bridge\n', ''),
    );
    const b = project({
      'compose.yaml': 'services:\n  web:\n    image: nginx\nnetworks:\n  old: {}\nvolumes: {}\n',
    });
    assert.equal(fixText(b, 'unused-network'), 'services:\n  web:\n    image: nginx\nvolumes: {}\n');
  });

  test('a network declared in the main file and an override is removed from both', () => {
    const a = project({
      'compose.yaml': 'services:\n  web:\n    image: nginx\nnetworks:\n  old:\n  other:\n',
      'compose.override.yaml': 'networks:\n  old:\n    driver: bridge\n',
    });
    const [remove] = fixesOf(a, 'unused-network');
    assert.deepEqual(applied(a, remove!.edits), {
      'compose.yaml': 'services:\n  web:\n    image: nginx\nnetworks:\n  other:\n',
      'compose.override.yaml': '',
    });
  });
});
