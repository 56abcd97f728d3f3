import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../../support/analyze';
import { dedent } from '../../support/dedent';

/** `code file@exact text` of the findings, for the files they land in. */
function placed(r: ReturnType<typeof analyzeFiles>): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.location.file}@${r.textAt(d.location)}`).sort();
}

describe('findings land on the token in the file that wrote it', () => {
  test('a port added by the override file', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          db:
            image: postgres
      `,
      'compose.override.yaml': dedent`
        services:
          db:
            ports:
              - "5432:5432"
      `,
    });
    assert.deepEqual(placed(r), ['data-port-published /project/compose.override.yaml@"5432:5432"']);
  });

  test('a network entry added by the override file', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
            networks: [front]
          db:
            image: postgres
            networks: [data]
        networks:
          front:
          data:
            internal: true
      `,
      'compose.override.yaml': dedent`
        services:
          web:
            networks:
              - data
      `,
    });
    assert.deepEqual(placed(r), ['public-reaches-data /project/compose.override.yaml@data']);
  });

  test('a service from an included file', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        include:
          - db/compose.yaml
        services:
          api:
            image: api
            networks: [data]
      `,
      'db/compose.yaml': dedent`
        services:
          db:
            image: postgres
            networks: [data]
            ports: ["5432:5432"]
        networks:
          data:
            internal: true
      `,
    });
    // On internal-only networks Docker does not publish the port: that is the finding, in db's file.
    assert.deepEqual(placed(r), ['ports-unpublished-internal /project/db/compose.yaml@ports']);
  });
});
