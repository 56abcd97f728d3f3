/**
 * A service's environment as Docker resolves it: `env_file` in each of its forms, relative
 * paths as compose resolves them, pass-through entries, and the findings when a file is
 * missing or not read.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProject, ParseCache } from '../../../server/src/engine/index';
import { ENV_FILE_MAX_CHARS } from '../../../server/src/engine/load/project';
import type { EnvVar } from '../../../server/src/engine/model/types';
import { dedent } from '../../support/dedent';
import { memoryHost } from '../../support/memoryHost';

function analyse(files: Record<string, string>, env: Record<string, string> = {}, compose: string[] = []) {
  const host = memoryHost(files, env);
  return analyzeProject({ files: compose, workingDirectory: '/project' }, host);
}

/** `KEY=value file@text-of-value-span` of a service's environment. */
function envOf(a: ReturnType<typeof analyse>, service: string): string[] {
  const at = (v: EnvVar): string =>
    `${v.valueSpan.file}@${a.model.texts.get(v.valueSpan.file)!.slice(v.valueSpan.start, v.valueSpan.end)}`;
  return a.model.services
    .get(service)!
    .environment.map((v) => `${v.key}=${v.value}${v.source ? ` [${v.source}]` : ''} ${at(v)}`);
}

/** `code severity file@text: message` of the findings. */
function findings(a: ReturnType<typeof analyse>): string[] {
  return a.findings.map(
    (f) =>
      `${f.code} ${f.severity} ${f.span.file}@${a.model.texts.get(f.span.file)!.slice(f.span.start, f.span.end)}: ${f.message}`,
  );
}

const service = (envFile: string): string => dedent`
  services:
    app:
      image: acme/app
      ${envFile}
`;

describe('env_file forms', () => {
  test('a string', () => {
    const a = analyse({ 'compose.yaml': service('env_file: app.env'), 'app.env': 'A=1\nB="two"\n' });
    assert.deepEqual(envOf(a, 'app'), [
      'A=1 [env_file] /project/app.env@1',
      'B=two [env_file] /project/app.env@"two"',
    ]);
    assert.deepEqual(findings(a), []);
  });

  test('a list: a later file wins over an earlier one', () => {
    const a = analyse({
      'compose.yaml': service('env_file: [a.env, b.env]'),
      'a.env': 'A=from-a\nB=from-a\n',
      'b.env': 'B=from-b\n',
    });
    assert.deepEqual(envOf(a, 'app'), [
      'A=from-a [env_file] /project/a.env@from-a',
      'B=from-b [env_file] /project/b.env@from-b',
    ]);
  });

  test('the long form, with required: false for a file that is not there', () => {
    const a = analyse({
      'compose.yaml': service(dedent`
        env_file:
              - path: ./base.env
                required: true
              - path: ./local.env
                required: false
      `),
      'base.env': 'A=1\n',
    });
    assert.deepEqual(envOf(a, 'app'), ['A=1 [env_file] /project/base.env@1']);
    assert.deepEqual(findings(a), []);
  });

  test('environment: wins over every env file', () => {
    const a = analyse({
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            env_file: app.env
            environment:
              A: inline
      `,
      'app.env': 'A=file\nB=file\n',
    });
    assert.deepEqual(envOf(a, 'app'), [
      'A=inline /project/compose.yaml@inline',
      'B=file [env_file] /project/app.env@file',
    ]);
  });

  test('values are interpolated against the project environment, then the service entries', () => {
    const a = analyse(
      {
        'compose.yaml': dedent`
          services:
            app:
              image: acme/app
              env_file: app.env
              environment:
                PORT: "5432"
        `,
        'app.env': 'URL=postgres://${HOST}:${PORT}/x\n',
      },
      { HOST: 'db' },
    );
    assert.deepEqual(
      envOf(a, 'app')[1],
      'URL=postgres://db:5432/x [env_file] /project/app.env@postgres://${HOST}:${PORT}/x',
    );
  });

  test('format: raw takes each line verbatim', () => {
    const a = analyse({
      'compose.yaml': service('env_file: { path: raw.env, format: raw }'),
      'raw.env': '# comment\n  A="quoted" # not a comment\nB=$HOME\n',
    });
    assert.deepEqual(envOf(a, 'app'), [
      'A="quoted" # not a comment [env_file] /project/raw.env@"quoted" # not a comment',
      'B=$HOME [env_file] /project/raw.env@$HOME',
    ]);
  });
});

describe('env_file paths', () => {
  test('relative to the project directory, for an override file in another directory too', () => {
    const a = analyse(
      {
        'compose.yaml': service('image: x'),
        'ops/override.yaml': service('env_file: app.env'),
        'app.env': 'A=project-dir\n',
        'ops/app.env': 'A=file-dir\n',
      },
      {},
      ['compose.yaml', 'ops/override.yaml'],
    );
    assert.deepEqual(envOf(a, 'app'), ['A=project-dir [env_file] /project/app.env@project-dir']);
  });

  test('relative to the included project, and to the file an extends names', () => {
    const a = analyse({
      'compose.yaml': dedent`
        include:
          - sub/compose.yaml
        services:
          web:
            extends: { file: base/common.yaml, service: common }
      `,
      'sub/compose.yaml': dedent`
        services:
          worker:
            image: acme/worker
            env_file: worker.env
      `,
      'sub/worker.env': 'W=sub\n',
      'base/common.yaml': dedent`
        services:
          common:
            image: acme/web
            env_file: common.env
      `,
      'base/common.env': 'C=base\n',
    });
    assert.deepEqual(envOf(a, 'worker'), ['W=sub [env_file] /project/sub/worker.env@sub']);
    assert.deepEqual(envOf(a, 'web'), ['C=base [env_file] /project/base/common.env@base']);
    assert.deepEqual(findings(a), []);
  });
});

describe('env_file findings', () => {
  test('a missing required file: an error on its entry, naming the file', () => {
    const a = analyse({ 'compose.yaml': service('env_file: [ok.env, ./missing.env]'), 'ok.env': 'A=1\n' });
    assert.deepEqual(findings(a), [
      'missing-file error /project/compose.yaml@./missing.env: service app: env file ./missing.env not found (/project/missing.env); docker compose refuses the project. Create it, or mark it `required: false`.',
    ]);
    assert.deepEqual(envOf(a, 'app'), ['A=1 [env_file] /project/ok.env@1']);
  });

  test('a file over the size cap is not read, with a warning', () => {
    const a = analyse({
      'compose.yaml': service('env_file: big.env'),
      'big.env': 'A=' + 'x'.repeat(ENV_FILE_MAX_CHARS),
    });
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.severity}`),
      ['env-file-not-read warning'],
    );
    assert.match(a.findings[0]!.message, /big\.env is larger than 1 MiB/);
    assert.deepEqual(envOf(a, 'app'), []);
  });

  test('kernel pseudo files are not read', () => {
    const host = memoryHost({ 'compose.yaml': service('env_file: /proc/self/environ') });
    const read: string[] = [];
    const spy = {
      ...host,
      readFile: (p: string) => (read.push(p), host.readFile(p)),
      // A real host says yes: the files of /proc are regular files.
      fileExists: (p: string) => p === '/proc/self/environ' || host.fileExists(p),
    };
    const a = analyzeProject({ files: [], workingDirectory: '/project' }, spy);
    assert.ok(!read.includes('/proc/self/environ'), read.join());
    assert.match(a.findings[0]!.message, /kernel pseudo file system/);
  });

  test('a syntax error: at its place in the env file, without the line in the message', () => {
    const a = analyse({ 'compose.yaml': service('env_file: bad.env'), 'bad.env': 'A=1\nB="secret\n' });
    assert.deepEqual(findings(a), [
      'invalid-compose error /project/bad.env@: service app: env file bad.env, line 2: unterminated quoted value; docker compose refuses the project.',
    ]);
    assert.ok(!a.findings[0]!.message.includes('secret'));
  });

  test('a long form without a path, and an unknown format', () => {
    const a = analyse({
      'compose.yaml': service('env_file: [{ required: false }, { path: a.env, format: yaml }]'),
    });
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['invalid-compose', 'invalid-compose'],
    );
  });
});

describe('pass-through entries', () => {
  test('take the value of the process environment, placed on the key', () => {
    const a = analyse({ 'compose.yaml': service('environment: [DB_HOST]') }, { DB_HOST: 'db' });
    assert.deepEqual(envOf(a, 'app'), ['DB_HOST=db /project/compose.yaml@DB_HOST']);
  });

  test('take the value of .env, placed on the value there; unset ones stay null', () => {
    const a = analyse({
      'compose.yaml': service('environment: { DB_HOST: null, OTHER: }'),
      '.env': 'DB_HOST="db"\n',
    });
    assert.deepEqual(envOf(a, 'app'), [
      'DB_HOST=db /project/.env@"db"',
      'OTHER=null /project/compose.yaml@OTHER',
    ]);
  });
});

describe('a service model is built again when what it read outside its node changed', () => {
  test('an edited env file, through the same parse cache', () => {
    const files: Record<string, string> = {
      'compose.yaml': dedent`
        services:
          app:
            image: acme/app
            env_file: app.env
          db:
            image: postgres:16
          cache:
            image: redis:7
      `,
      'app.env': 'DB_HOST=db\n',
    };
    const host = memoryHost(files);
    const cache = new ParseCache(0);
    const options = { files: [], workingDirectory: '/project' };
    const targets = (): string[] =>
      analyzeProject(options, host, {}, cache)
        .report.services.find((s) => s.name === 'app')!
        .needs.map((n) => `${n.target}@${n.location.range.start.line}:${n.location.range.start.character}`);
    assert.deepEqual(targets(), ['db@0:8']);
    Object.assign(host, memoryHost({ ...files, 'app.env': '# moved\nDB_HOST=cache\n' }));
    assert.deepEqual(targets(), ['cache@1:8']);
    Object.assign(host, memoryHost({ ...files, 'app.env': '# moved\nDB_HOST=cache\n' }));
    const again = analyzeProject(options, host, {}, cache);
    assert.deepEqual(again.findings, []);
    Object.assign(host, memoryHost({ 'compose.yaml': files['compose.yaml']! }));
    assert.deepEqual(
      analyzeProject(options, host, {}, cache).findings.map((f) => f.code),
      ['missing-file'],
    );
  });

  test('a changed .env value or process environment for a pass-through entry', () => {
    const compose = dedent`
      services:
        app:
          image: acme/app
          environment: [DB_HOST]
        db:
          image: postgres:16
        cache:
          image: redis:7
    `;
    const host = memoryHost({ 'compose.yaml': compose, '.env': 'DB_HOST=db\n' });
    const cache = new ParseCache(0);
    const options = { files: [], workingDirectory: '/project' };
    const need = (): string => {
      const r = analyzeProject(options, host, {}, cache).report;
      const n = r.services.find((s) => s.name === 'app')!.needs[0];
      return n ? `${n.target} ${n.location.file}` : 'none';
    };
    assert.equal(need(), 'db /project/.env');
    Object.assign(host, memoryHost({ 'compose.yaml': compose, '.env': 'DB_HOST=cache\n' }));
    assert.equal(need(), 'cache /project/.env');
    Object.assign(
      host,
      memoryHost({ 'compose.yaml': compose, '.env': 'DB_HOST=cache\n' }, { DB_HOST: 'db' }),
    );
    assert.equal(need(), 'db /project/compose.yaml');
  });
});
