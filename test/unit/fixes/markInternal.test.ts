import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes, fixesFor } from '../../../server/src/engine/fixes';
import type { RawFinding } from '../../../server/src/engine/diagnostics';
import { dedent } from '../../support/dedent';
import { fixesOf, fixText, project, ROOT } from '../../support/fixes';

describe('mark network internal', () => {
  test('the implicit default network gets a declaration of its own', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            networks: [front, default]
            environment:
              DB: db
          db:
            image: postgres
        networks:
          front:
      `,
    });
    assert.deepEqual(
      fixesOf(a, 'network-not-internal').map((f) => [f.title, f.isPreferred]),
      [['Mark network default internal (db loses its only egress)', true]],
    );
    assert.equal(
      fixText(a, 'network-not-internal'),
      dedent`
        services:
          app:
            image: acme/app
            networks: [front, default]
            environment:
              DB: db
          db:
            image: postgres
        networks:
          front:
          default:
            internal: true
      `,
    );
  });

  test('internal: false is set, a flow mapping stays flow, a comment on the line stays', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            networks: [front, back, cachenet]
            environment:
              DB: db
              CACHE: cache
          db:
            image: postgres
            networks: [back]
          cache:
            image: redis
            networks: [cachenet]
        networks:
          front: {}
          back:
            driver: bridge
            internal: false   # TODO
          cachenet: {driver: bridge}
      `,
    });
    const r = applyFixes(a, { only: ['network-not-internal'] });
    assert.equal(
      r.texts.get(`${ROOT}/compose.yaml`),
      dedent`
        services:
          app:
            image: acme/app
            networks: [front, back, cachenet]
            environment:
              DB: db
              CACHE: cache
          db:
            image: postgres
            networks: [back]
          cache:
            image: redis
            networks: [cachenet]
        networks:
          front: {}
          back:
            driver: bridge
            internal: true   # TODO
          cachenet: {driver: bridge, internal: true}
      `,
    );
    assert.deepEqual(r.final.report.diagnostics, []);
  });

  test('a declaration with nothing under it but comments: the key goes right under it', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          cache:
            image: redis
            networks:
              - internal
          worker:
            image: worker
            networks:
              - internal
              - public
            environment:
              REDIS: cache
        networks:
          internal:
            # No connection to host network interfaces (soon)
          public:
            # Regular network connected to host
      `,
    });
    assert.match(
      fixText(a, 'network-not-internal'),
      /\n {2}internal:\n {4}internal: true\n {4}# No connection to host network interfaces \(soon\)\n {2}public:\n/,
    );
  });

  test('when a member would lose its only egress, the title says so and the fix is not preferred', () => {
    const a = project({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            ports: ["8080:8080"]
            networks: [back]
          db:
            image: postgres
            networks: [back]
        networks:
          back:
      `,
    });
    const finding: RawFinding = {
      code: 'network-not-internal',
      severity: 'information',
      message: 'asked for',
      span: a.model.networks.get('back')!.keySpan!,
      data: {
        rule: 'network-not-internal',
        network: 'back',
        implicit: false,
        dataServices: ['db'],
        internalWritten: false,
      },
    };
    const [fix] = fixesFor(a, finding, { verify: false });
    assert.equal(
      fix?.title,
      "Mark network back internal (app and db lose their only egress and app's published ports)",
    );
    assert.equal(fix?.isPreferred, false);
  });
});
