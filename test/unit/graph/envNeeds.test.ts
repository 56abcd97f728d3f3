/**
 * Needs from everything Docker puts into a container's environment: `env_file`s and
 * pass-through entries, each with its evidence on the token a user would change.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../../support/analyze';
import { dedent } from '../../support/dedent';

/** `service -> target (source) file@text` for every need of the report. */
function needs(r: ReturnType<typeof analyzeFiles>): string[] {
  return r.services
    .flatMap((s) =>
      s.needs.map((n) => `${s.name} -> ${n.target} (${n.source}) ${n.location.file}@${r.textAt(n.location)}`),
    )
    .sort();
}

const DB_AND_CACHE = dedent`
  services:
    app:
      image: acme/app
      env_file: ./config/app.env
    db:
      image: postgres:16
    cache:
      image: redis:7
`;

describe('needs from env_file', () => {
  test('a host in an env file is a need with source env_file, placed on the host in the file', () => {
    const r = analyzeFiles({
      'compose.yaml': DB_AND_CACHE,
      'config/app.env': 'DATABASE_URL=postgres://u:p@db:5432/app\nexport PGHOST="cache"\n',
    });
    assert.deepEqual(needs(r), [
      'app -> cache (env_file) /project/config/app.env@cache',
      'app -> db (env_file) /project/config/app.env@db',
    ]);
  });

  test('a value with escapes or interpolation is placed on the whole value', () => {
    const r = analyzeFiles(
      {
        'compose.yaml': DB_AND_CACHE,
        'config/app.env': 'DB_HOST=${DB_NAME}\nREDIS_URL="redis://cache:6379/0\\n"\n',
      },
      { env: { DB_NAME: 'db' } },
    );
    assert.deepEqual(needs(r), [
      'app -> cache (env_file) /project/config/app.env@"redis://cache:6379/0\\n"',
      'app -> db (env_file) /project/config/app.env@${DB_NAME}',
    ]);
  });

  test('environment: wins over env_file, and the later env file over the earlier one', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            env_file: [a.env, b.env]
            environment:
              CACHE_HOST: cache
          db:
            image: postgres:16
          cache:
            image: redis:7
          other:
            image: postgres:16
      `,
      'a.env': 'DB_HOST=other\nCACHE_HOST=other\n',
      'b.env': 'DB_HOST=db\n',
    });
    assert.deepEqual(needs(r), [
      'app -> cache (environment) /project/compose.yaml@cache',
      'app -> db (env_file) /project/b.env@db',
    ]);
  });

  test('format: raw keeps the value verbatim, quotes and all', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            env_file:
              - path: raw.env
                format: raw
          db:
            image: postgres:16
          cache:
            image: redis:7
      `,
      // Raw: `"cache"` is the value with its quotes (not a host), `$X` is not interpolated.
      'raw.env': '  DB_HOST=db\nREDIS_HOST="cache"\n# CACHE_URL=redis://cache\n',
    });
    assert.deepEqual(needs(r), ['app -> db (env_file) /project/raw.env@db']);
  });
});

describe('needs from pass-through entries', () => {
  const COMPOSE = dedent`
    services:
      app:
        image: acme/app
        environment:
          - DB_HOST
      worker:
        image: acme/app
        environment:
          DB_HOST:
      db:
        image: postgres:16
  `;

  test('from the process environment: placed on the key in the compose file', () => {
    const r = analyzeFiles({ 'compose.yaml': COMPOSE }, { env: { DB_HOST: 'db' } });
    assert.deepEqual(needs(r), [
      'app -> db (environment) /project/compose.yaml@DB_HOST',
      'worker -> db (environment) /project/compose.yaml@DB_HOST',
    ]);
  });

  test('from the project .env: placed on the value in .env', () => {
    const r = analyzeFiles({
      'compose.yaml': COMPOSE,
      '.env': '# hosts\nDB_HOST=db\n',
    });
    assert.deepEqual(needs(r), [
      'app -> db (environment) /project/.env@db',
      'worker -> db (environment) /project/.env@db',
    ]);
  });

  test('the process environment wins over .env, and an unset variable is no need', () => {
    const compose = COMPOSE;
    const r = analyzeFiles(
      { 'compose.yaml': compose, '.env': 'DB_HOST=db\n' },
      { env: { DB_HOST: 'elsewhere' } },
    );
    assert.deepEqual(needs(r), []);
    assert.deepEqual(needs(analyzeFiles({ 'compose.yaml': compose })), []);
  });
});
