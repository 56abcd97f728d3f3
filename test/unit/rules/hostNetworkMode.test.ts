import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from '../../support/dedent';
import { analyzeYaml, only, relatedOf, shown } from '../../support/rules';

const CODE = 'host-network-mode';

describe('host-network-mode', () => {
  test('on the network_mode value', () => {
    const r = analyzeYaml(dedent`
      services:
        plex:
          image: linuxserver/plex
          container_name: plex
          network_mode: host
    `);
    assert.deepEqual(shown(r, CODE), [
      {
        code: CODE,
        severity: 'warning',
        text: 'host',
        message:
          "plex uses network_mode: host: it shares the host's network stack and bypasses every network boundary " +
          '(whatever it listens on is open on the host, and it reaches every port bound there, loopback included).',
      },
    ]);
    assert.deepEqual(only(r, CODE).data, { rule: CODE, service: 'plex', hasPorts: false });
  });

  test('says that its ports are ignored', () => {
    const r = analyzeYaml(
      'services:\n  web:\n    image: x\n    network_mode: "host"\n    ports: ["80:80"]\n',
    );
    const f = only(r, CODE);
    assert.equal(r.textAt(f.location), '"host"');
    assert.match(f.message, /; its `ports` are ignored\.$/);
    assert.deepEqual(relatedOf(r, f), ['ports — ignored in host mode: web listens on the host directly']);
  });

  test('not for other modes, nor for a service whose profile is off', () => {
    const r = analyzeYaml(dedent`
      services:
        a:
          image: x
          network_mode: none
        b:
          image: x
          network_mode: bridge
        debug:
          image: x
          network_mode: host
          profiles: [debug]
    `);
    assert.deepEqual(shown(r, CODE), []);
  });
});
