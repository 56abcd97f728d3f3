import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProject, ProjectNotFoundError, type LoadOptions } from '../../../server/src/engine';
import type { ReadProblem } from '../../../server/src/engine/host';
import { memoryHost } from '../../support/memoryHost';
import { analyzeFiles, findingsAt, networksOf, reachPairs } from '../../support/analyze';
import { dedent } from '../../support/dedent';

describe('discovery', () => {
  test('compose.yaml wins over docker-compose.yml, and its override is merged', () => {
    const r = analyzeFiles({
      'compose.yaml': 'services:\n  a:\n    image: x\n',
      'compose.override.yaml': 'services:\n  a:\n    networks: [n]\nnetworks:\n  n:\n',
      'docker-compose.yml': 'services:\n  other:\n    image: x\n',
    });
    assert.deepEqual(r.files, ['/project/compose.yaml', '/project/compose.override.yaml']);
    assert.deepEqual(networksOf(r), { a: ['n'] });
  });

  test('falls back to docker-compose.yml and searches parent directories', () => {
    const r = analyzeFiles(
      { 'docker-compose.yml': 'services:\n  a:\n    image: x\n' },
      { workingDirectory: '/project/sub/dir' },
    );
    assert.deepEqual(r.files, ['/project/docker-compose.yml']);
    assert.equal(r.project, 'project');
  });

  test('no compose file is a ProjectNotFoundError, not a finding', () => {
    assert.throws(() => analyzeFiles({ 'README.md': '' }), ProjectNotFoundError);
    assert.throws(() => analyzeFiles({}, { files: ['missing.yaml'] }), /missing\.yaml: no such file/);
  });

  test('-f files merge in order', () => {
    const r = analyzeFiles(
      {
        'base.yaml': 'services:\n  a:\n    image: one\n',
        'prod.yaml': 'services:\n  a:\n    image: two\n',
      },
      { files: ['base.yaml', 'prod.yaml'] },
    );
    assert.equal(r.services[0]?.image, 'two');
  });
});

describe('project name', () => {
  test('directory base name, normalised', () => {
    const r = analyzeFiles({ 'compose.yaml': 'services: {}\n' }, { projectDirectory: '/srv/My_App.v2' });
    assert.equal(r.project, 'my_appv2');
  });
  test('top-level name < COMPOSE_PROJECT_NAME < -p', () => {
    const files = { 'compose.yaml': 'name: Written\nservices: {}\n' };
    assert.equal(analyzeFiles(files).project, 'written');
    assert.equal(analyzeFiles(files, { env: { COMPOSE_PROJECT_NAME: 'fromenv' } }).project, 'fromenv');
    assert.equal(
      analyzeFiles(files, { env: { COMPOSE_PROJECT_NAME: 'fromenv' }, projectName: 'cli' }).project,
      'cli',
    );
  });
  test('network docker names use it', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        name: shop
        services:
          a: { image: x, networks: [n, named, ext] }
        networks:
          n:
          named: { name: exact-name }
          ext: { external: true }
      `,
    });
    assert.deepEqual(
      r.networks.map((n) => n.dockerName),
      ['shop_n', 'exact-name', 'ext'],
    );
  });
});

describe('merge rules', () => {
  const base = dedent`
    services:
      web:
        image: nginx
        ports:
          - "80:80"
        networks:
          - front
    networks:
      front:
      back:
  `;

  test('networks union by key, ports append and de-duplicate, scalars replace', () => {
    const r = analyzeFiles({
      'compose.yaml': base,
      'compose.override.yaml': dedent`
        services:
          web:
            image: nginx:1.27
            ports:
              - 80:80
              - "443:443"
            networks:
              back:
                aliases: [www]
      `,
    });
    const web = r.services[0]!;
    assert.equal(web.image, 'nginx:1.27');
    assert.deepEqual(
      web.networks.map((n) => [n.network, n.aliases]),
      [
        ['front', []],
        ['back', ['www']],
      ],
    );
    assert.deepEqual(
      web.ports.map((p) => `${p.published}:${p.target}`),
      ['80:80', '443:443'],
    );
    // The port kept is the first file's: its location is there.
    assert.equal(web.ports[0]?.location.file, '/project/compose.yaml');
    assert.equal(web.networks[1]?.location?.file, '/project/compose.override.yaml');
  });

  test('!reset removes and !override replaces', () => {
    const r = analyzeFiles({
      'compose.yaml': base,
      'compose.override.yaml': dedent`
        services:
          web:
            ports: !reset []
            networks: !override
              - back
      `,
    });
    const web = r.services[0]!;
    assert.deepEqual(web.ports, []);
    assert.deepEqual(
      web.networks.map((n) => n.network),
      ['back'],
    );
  });
});

describe('anchors, aliases and merge keys', () => {
  test('<< merges (list form too) and locations point at the anchor', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        x-net: &net
          networks:
            - back
        x-ports: &ports
          ports:
            - "127.0.0.1:5432:5432"
        services:
          db:
            <<: [*net, *ports]
            image: postgres
          api:
            <<: *net
            image: api
            networks: [front]
        networks:
          front:
          back:
      `,
    });
    assert.deepEqual(networksOf(r), { db: ['back'], api: ['front'] });
    const db = r.services.find((s) => s.name === 'db')!;
    assert.equal(r.textAt(db.networks[0]?.location), 'back');
    assert.equal(db.networks[0]?.location?.range.start.line, 2);
    assert.equal(r.textAt(db.ports[0]?.location), '"127.0.0.1:5432:5432"');
    assert.deepEqual(r.diagnostics, []);
  });

  test('a key written twice in one mapping is a YAML error on the second one', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          web:
            image: nginx
          web:
            image: caddy
      `,
    });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.message, d.location.range.start.line]),
      [['invalid-yaml', 'Map keys must be unique', 3]],
    );
    assert.equal(r.textAt(r.diagnostics[0]!.location), 'web');
  });

  test('an alias bomb is refused with a finding, not expanded', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = analyzeFiles({ 'compose.yaml': `x-bomb:\n  ${levels.join('\n  ')}\nservices: {}\n` });
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.code, 'invalid-yaml');
    assert.match(r.diagnostics[0]!.message, /alias bomb/);
  });
});

describe('interpolation', () => {
  const file = dedent`
    services:
      web:
        image: \${IMAGE:-nginx}
        networks:
          - \${NET}
    networks:
      front:
  `;
  test('.env supplies values, the process environment wins', () => {
    const r = analyzeFiles(
      { 'compose.yaml': file, '.env': 'NET=front\nIMAGE=from-dotenv\n' },
      // The report masks values from variables unless asked.
      { env: { IMAGE: 'from-env' }, settings: { showValues: true } },
    );
    assert.equal(r.services[0]?.image, 'from-env');
    assert.deepEqual(networksOf(r), { web: ['front'] });
    assert.deepEqual(r.diagnostics, []);
  });
  test('--env-file replaces .env', () => {
    const r = analyzeFiles(
      { 'compose.yaml': file, '.env': 'NET=wrong\n', 'prod.env': 'NET=front\n' },
      { envFiles: ['prod.env'] },
    );
    assert.deepEqual(networksOf(r), { web: ['front'] });
  });
  test('a required variable that is missing is an error on its expression', () => {
    const r = analyzeFiles({ 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n' });
    assert.deepEqual(findingsAt(r), ['invalid-compose@${TAG:?set TAG}']);
    assert.match(r.diagnostics[0]!.message, /TAG/);
  });
  test('keys are never interpolated; $$ is a literal dollar', () => {
    const r = analyzeFiles({
      'compose.yaml': 'services:\n  web:\n    image: x\n    environment:\n      ${KEY}: "$$HOME"\n',
      '.env': 'KEY=nope\n',
    });
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('include', () => {
  test('included services and networks join the project, with their own locations', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        include:
          - db/compose.yaml
        services:
          api:
            image: api
            networks: [data]
            depends_on: [db]
      `,
      'db/compose.yaml': dedent`
        services:
          db:
            image: postgres
            networks: [data]
        networks:
          data:
            internal: true
      `,
    });
    assert.deepEqual(r.files, ['/project/compose.yaml', '/project/db/compose.yaml']);
    assert.deepEqual(reachPairs(r), ['api->db', 'db->api']);
    const db = r.services.find((s) => s.name === 'db')!;
    assert.equal(db.location.file, '/project/db/compose.yaml');
    assert.deepEqual(r.diagnostics, []);
  });

  test('cycles, missing files and conflicts are findings on the include entry', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        include:
          - a.yaml
          - missing.yaml
        services:
          a: { image: x }
      `,
      'a.yaml': 'include:\n  - compose.yaml\nservices:\n  a: { image: y }\n',
    });
    assert.deepEqual(findingsAt(r).sort(), [
      'include-cycle@compose.yaml',
      'invalid-compose@a',
      'missing-file@missing.yaml',
    ]);
  });
});

describe('extends', () => {
  test('same file and other file; locations stay where written', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        services:
          base:
            image: api
            networks: [back]
          api:
            extends: base
            ports: ["8080:80"]
          worker:
            extends:
              file: common.yaml
              service: worker
        networks:
          back:
      `,
      'common.yaml': 'services:\n  worker:\n    image: worker\n    networks: [back]\n',
    });
    assert.deepEqual(networksOf(r), { base: ['back'], api: ['back'], worker: ['back'] });
    const worker = r.services.find((s) => s.name === 'worker')!;
    assert.equal(worker.networks[0]?.location?.file, '/project/common.yaml');
    assert.equal(worker.location.file, '/project/compose.yaml');
  });

  test('an extends cycle is a finding', () => {
    const r = analyzeFiles({
      'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n',
    });
    assert.ok(
      r.diagnostics.some((d) => d.code === 'include-cycle'),
      JSON.stringify(r.diagnostics),
    );
  });
});

describe('profiles', () => {
  const files = {
    'compose.yaml': dedent`
      services:
        app: { image: app }
        debug: { image: busybox, profiles: [debug] }
    `,
  };
  test('inactive services are reported as such and take no part in the graph', () => {
    const r = analyzeFiles(files);
    assert.deepEqual(
      r.services.map((s) => [s.name, s.active]),
      [
        ['app', true],
        ['debug', false],
      ],
    );
    assert.deepEqual(reachPairs(r), []);
    assert.deepEqual(r.networks.find((n) => n.key === 'default')?.members, ['app']);
  });
  test('--profile and COMPOSE_PROFILES activate them', () => {
    assert.deepEqual(reachPairs(analyzeFiles(files, { profiles: ['debug'] })), ['app->debug', 'debug->app']);
    assert.deepEqual(reachPairs(analyzeFiles(files, { env: { COMPOSE_PROFILES: 'x,debug' } })), [
      'app->debug',
      'debug->app',
    ]);
  });
});

describe('env files that cannot be read say why', () => {
  const compose = 'services:\n  a:\n    image: ${IMAGE:-x}\n';
  const run = (
    files: Record<string, string>,
    problems: Record<string, ReadProblem>,
    options: Partial<LoadOptions> = {},
  ): string[] => {
    const host = memoryHost(files, {}, '/project', problems);
    const a = analyzeProject({ files: [], workingDirectory: '/project', ...options }, host);
    return a.findings.map((f) => `${f.code} ${f.span.file}: ${f.message}`);
  };

  test('a directory as .env is reported, not ignored', () => {
    assert.deepEqual(run({ 'compose.yaml': compose }, { '.env': 'not-a-file' }), [
      'env-file-not-read /project/.env: env file /project/.env is not a regular file (a directory, FIFO, socket or device); its variables are not used for interpolation.',
    ]);
  });

  test('an unreadable .env is not "not found"', () => {
    const [m] = run({ 'compose.yaml': compose }, { '.env': 'unreadable' });
    assert.match(m!, /env file \/project\/\.env cannot be read \(permission denied/);
  });

  test('an --env-file that is a directory stops the analysis with the reason', () => {
    assert.throws(
      () => run({ 'compose.yaml': compose }, { conf: 'not-a-file' }, { envFiles: ['conf'] }),
      /env file \/project\/conf is not a regular file/,
    );
  });

  test('an include env_file outside the project is read: the compose file names it', () => {
    const host = memoryHost(
      {
        'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: /elsewhere/vars.env\n',
        'sub/compose.yaml': 'services:\n  a:\n    image: ${IMAGE}\n',
        '/elsewhere/vars.env': 'IMAGE=nginx\n',
      },
      {},
    );
    const a = analyzeProject({ files: [], workingDirectory: '/project' }, host);
    assert.deepEqual(
      a.findings.map((f) => f.message),
      [],
    );
    assert.equal(a.model.services.get('a')?.image, 'nginx');
  });

  test('an include env_file in /proc is refused, at its place in the compose file', () => {
    const host = memoryHost({
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: /proc/self/environ\n',
      'sub/compose.yaml': 'services:\n  a:\n    image: x\n',
    });
    const a = analyzeProject({ files: [], workingDirectory: '/project' }, host);
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${host.readFile(f.span.file)!.slice(f.span.start, f.span.end)}`),
      ['env-file-not-read /proc/self/environ'],
    );
  });
});
