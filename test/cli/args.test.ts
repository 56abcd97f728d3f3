import { reportEdges } from '../../shared/src/reach';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReachabilityReport } from '../../shared/src/report';
import { main, parseArgs, VERSION, type CliEngine, type CliIO } from '../../server/src/cli/main';
import { ProjectNotFoundError, type AnalysisSettings, type LoadOptions } from '../../server/src/engine/index';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { SEED } from '../support/paths';
import { finding, loc, report, shopReport } from '../support/reports';

const CWD = '/srv/shop';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The options `analyze` was called with, when it was. */
  options?: LoadOptions;
  /** The settings `analyze` was called with, when it was. */
  settings?: AnalysisSettings;
}

/** Runs `main` in-process; `analyze` answers with `result` (or throws it when it is an Error). */
async function run(
  argv: string[],
  result: ReachabilityReport | Error = report(),
  env: Record<string, string> = {},
): Promise<Run> {
  const out: Run = { code: -1, stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd: CWD,
    env,
    isTTY: false,
  };
  const engine: Partial<CliEngine> = {
    analyze(options, _host, settings) {
      out.options = options;
      out.settings = settings;
      if (result instanceof Error) throw result;
      return result;
    },
  };
  out.code = await main(argv, io, engine);
  return out;
}

/** Asserts a usage error: exit 2, the message on the first stderr line, a short usage after it, no analysis. */
async function assertUsageError(argv: string[], message: string): Promise<void> {
  const r = await run(argv);
  assert.equal(r.code, 2, r.stderr);
  const [first, ...rest] = r.stderr.split('\n');
  assert.equal(first, `compose-reachability: ${message}`);
  assert.match(rest.join('\n'), /^Usage: compose-reachability check\|matrix /);
  assert.equal(r.stdout, '');
  assert.equal(r.options, undefined);
}

describe('usage errors exit 2 with one clear line and a short usage', () => {
  test('no command', () => assertUsageError([], 'missing command: check or matrix'));
  test('unknown command', () =>
    assertUsageError(['lint'], "unknown command 'lint' (expected check, matrix, fix, lsp or help)"));
  test('unknown option', () => assertUsageError(['check', '--verbose'], "unknown option '--verbose'"));
  test('unknown option with a value', () =>
    assertUsageError(['check', '--color=always'], "unknown option '--color'"));
  test('missing value at the end', () => assertUsageError(['check', '-f'], "option '-f' needs a value"));
  test('missing value before another option', () =>
    assertUsageError(['check', '--file', '--format', 'json'], "option '--file' needs a value"));
  test('empty value', () => assertUsageError(['check', '--format='], "option '--format' needs a value"));
  test('unknown format for check', () =>
    assertUsageError(
      ['check', '--format', 'xml'],
      "unknown format 'xml' for check (expected text, json, sarif or markdown)",
    ));
  test('a check format matrix does not have', () =>
    assertUsageError(
      ['matrix', '--format=sarif'],
      "unknown format 'sarif' for matrix (expected text, markdown or json)",
    ));
  test('an extra argument', () =>
    assertUsageError(['check', 'compose.yaml'], "unexpected argument 'compose.yaml'"));
});

describe('help and version', () => {
  for (const argv of [['--help'], ['-h'], ['help'], ['help', 'check'], ['check', '--help']]) {
    test(`${argv.join(' ')} prints the help on stdout and exits 0`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^compose-reachability \d+\.\d+\.\d+: who can reach whom/);
      for (const word of [
        'check',
        'matrix',
        '--file',
        '--project-directory',
        '--project-name',
        '--env-file',
        '--profile',
        '--format',
        'sarif',
        'Exit status',
      ]) {
        assert.ok(r.stdout.includes(word), word);
      }
      assert.equal(r.options, undefined);
    });
  }

  test('--version prints the version', async () => {
    const r = await run(['--version']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${VERSION}\n`, '']);
  });

  test('the version is package.json’s', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(VERSION, pkg.version);
  });
});

describe('parseArgs', () => {
  test('reads every option, short, long and with =, before or after the command', () => {
    assert.deepEqual(
      parseArgs([
        '-f',
        'a.yaml',
        'check',
        '--file',
        'b.yaml',
        '--file=c.yaml',
        '--project-directory',
        'proj',
        '-p',
        'name',
        '--env-file=.env.local',
        '--env-file',
        '.env.ci',
        '--profile',
        'debug',
        '--profile=tools',
        '--format=sarif',
      ]),
      {
        kind: 'run',
        command: 'check',
        format: 'sarif',
        project: {
          files: ['a.yaml', 'b.yaml', 'c.yaml'],
          projectDirectory: 'proj',
          projectName: 'name',
          envFiles: ['.env.local', '.env.ci'],
          profiles: ['debug', 'tools'],
        },
        settings: {},
      },
    );
  });

  test('defaults to text; the last single-valued option wins', () => {
    assert.deepEqual(parseArgs(['matrix', '--project-name', 'a', '-p', 'b']), {
      kind: 'run',
      command: 'matrix',
      format: 'text',
      project: { files: [], projectName: 'b', envFiles: [], profiles: [] },
      settings: {},
    });
  });

  test('takes - as a value (stdin, as docker compose spells it)', () => {
    const parsed = parseArgs(['check', '-f', '-']);
    assert.ok(parsed.kind === 'run');
    assert.deepEqual(parsed.project.files, ['-']);
  });
});

describe('rule options', () => {
  test('--rule, --public-image and --data-image become the analysis settings', async () => {
    const r = await run([
      'check',
      '--rule',
      'flat-network=off',
      '--rule=public-reaches-data=error',
      '--rule',
      'flat-network=hint',
      '--public-image',
      'myproxy',
      '--data-image=mydb',
      '--data-image',
      'ghcr.io/acme/ledger',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.settings, {
      rules: { 'flat-network': 'hint', 'public-reaches-data': 'error' },
      tiers: { publicImages: ['myproxy'], dataImages: ['mydb', 'ghcr.io/acme/ledger'] },
    });
  });

  test('no rule options: empty settings (the file and the defaults decide)', async () => {
    assert.deepEqual((await run(['matrix'])).settings, {});
  });

  test('load error codes can be set too', () => {
    const parsed = parseArgs(['check', '--rule', 'invalid-compose=warning']);
    assert.ok(parsed.kind === 'run');
    assert.deepEqual(parsed.settings, { rules: { 'invalid-compose': 'warning' } });
  });

  test('bad --rule values are usage errors', async () => {
    await assertUsageError(
      ['check', '--rule', 'flat-network'],
      "option '--rule' needs CODE=LEVEL, got 'flat-network'",
    );
    await assertUsageError(['check', '--rule', 'flat-netwrok=off'], "unknown rule 'flat-netwrok' in --rule");
    await assertUsageError(['check', '--rule', 'toString=off'], "unknown rule 'toString' in --rule");
    await assertUsageError(
      ['check', '--rule', 'flat-network=loud'],
      "unknown level 'loud' for rule flat-network (expected off, error, warning, information or hint)",
    );
    await assertUsageError(['check', '--data-image'], "option '--data-image' needs a value");
  });

  test('the help lists them', async () => {
    const r = await run(['--help']);
    for (const word of ['--rule CODE=LEVEL', '--public-image NAME', '--data-image NAME']) {
      assert.ok(r.stdout.includes(word), word);
    }
  });

  test('through the real engine: the seed flat example, with and without flags', async () => {
    const flat = path.join(SEED, 'flat/compose.yaml');
    const io = (): CliIO & { out: () => string } => {
      let stdout = '';
      return {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        cwd: path.dirname(flat),
        env: {},
        isTTY: false,
        out: () => stdout,
      };
    };
    const plain = io();
    assert.equal(await main(['check', '-f', flat], plain), 0);
    assert.match(
      plain.out(),
      /^compose\.yaml:3:3 warning public-reaches-data web \(public\) can reach database/m,
    );
    assert.match(plain.out(), /^compose\.yaml:7:3 warning flat-network /m);

    const strict = io();
    assert.equal(
      await main(
        ['check', '-f', flat, '--rule', 'public-reaches-data=error', '--rule', 'flat-network=off'],
        strict,
      ),
      1,
    );
    assert.doesNotMatch(strict.out(), /flat-network/);
    assert.match(strict.out(), /error public-reaches-data/);

    // `myapi` declared a data store: web now reaches two data services.
    const tiers = io();
    await main(['check', '-f', flat, '--data-image', 'myapi', '--format', 'json'], tiers);
    const report = JSON.parse(tiers.out()) as ReachabilityReport;
    assert.deepEqual(
      report.diagnostics
        .filter((d) => d.code === 'public-reaches-data')
        .map((d) => (d.data as { to: string[] }).to),
      [['api', 'database']],
    );
  });
});

describe('main', () => {
  test('passes the options to the engine, paths resolved against the working directory', async () => {
    const r = await run([
      'check',
      '-f',
      'compose.yaml',
      '-f',
      '/etc/other.yaml',
      '--project-directory',
      '..',
      '-p',
      'x',
      '--env-file',
      'ci.env',
      '--profile',
      'debug',
    ]);
    assert.deepEqual(r.options, {
      files: ['/srv/shop/compose.yaml', '/etc/other.yaml'],
      workingDirectory: CWD,
      projectDirectory: '/srv',
      projectName: 'x',
      envFiles: ['/srv/shop/ci.env'],
      profiles: ['debug'],
    });
  });

  test('leaves env files and profiles to the engine’s defaults when not given', async () => {
    const r = await run(['check']);
    assert.deepEqual(r.options, { files: [], workingDirectory: CWD });
  });

  test('check exits 0 without error findings, warnings included', async () => {
    const r = await run(['check'], report({ diagnostics: [finding('x', 'warning', 'careful', loc(0, 0))] }));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'compose.yaml:1:1 warning x careful\n\n1 warning in 1 file\n');
    assert.equal(r.stderr, '');
  });

  test('check exits 1 with an error finding, in every format', async () => {
    const bad = report({ diagnostics: [finding('invalid-yaml', 'error', 'bad', loc(0, 0))] });
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const r = await run(['check', '--format', format], bad);
      assert.equal(r.code, 1, format);
      assert.ok(r.stdout.length > 0, format);
    }
  });

  test('check --format json writes the report', async () => {
    const r = await run(['check', '--format=json'], shopReport());
    const edges = reportEdges(shopReport());
    assert.equal(edges.length, 8);
    assert.deepEqual(JSON.parse(r.stdout), { ...shopReport(), edges });
  });

  test('matrix writes the matrix and exits 0', async () => {
    const r = await run(['matrix'], shopReport());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^shop: who can reach whom/);
    assert.equal(r.stderr, '');
  });

  test('matrix warns on stderr and exits 1 when the project has errors', async () => {
    const r = await run(
      ['matrix', '--format', 'json'],
      shopReport({ diagnostics: [finding('invalid-yaml', 'error', 'bad', loc(0, 0))] }),
    );
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).project, 'shop');
    assert.equal(
      r.stderr,
      "compose-reachability: 1 error in the project; the matrix may be incomplete (run 'compose-reachability check' to see it)\n",
    );
  });

  test('no project: one line with the engine’s message, exit 2', async () => {
    const r = await run(
      ['check', '-f', '/nonexistent.yaml'],
      new ProjectNotFoundError('no such file: /nonexistent.yaml', '/nonexistent.yaml'),
    );
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [2, '', 'compose-reachability: no such file: /nonexistent.yaml\n'],
    );
  });

  test('an unexpected exception: one line naming the file, no stack, exit 2', async () => {
    const r = await run(['check', '-f', 'compose.yaml', '-f', '/etc/x.yaml'], new TypeError('boom\nmore'));
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'compose-reachability: internal error while analysing compose.yaml, /etc/x.yaml: boom more ' +
        '(set COMPOSE_REACHABILITY_DEBUG=1 for details)\n',
    );
  });

  test('an unexpected exception during discovery names the directory', async () => {
    const r = await run(['matrix'], new Error('boom'));
    assert.equal(r.stderr.split('\n').length, 2);
    assert.match(r.stderr, /while analysing the compose project in \/srv\/shop: boom/);
  });

  test('COMPOSE_REACHABILITY_DEBUG adds the stack', async () => {
    const r = await run(['check'], new Error('boom'), { COMPOSE_REACHABILITY_DEBUG: '1' });
    assert.equal(r.code, 2);
    const [first, ...rest] = r.stderr.split('\n');
    assert.equal(
      first,
      'compose-reachability: internal error while analysing the compose project in /srv/shop: boom',
    );
    assert.match(rest.join('\n'), /^Error: boom\n\s+at /);
  });

  test('a thrown non-Error is reported the same way', async () => {
    let stderr = '';
    const io: CliIO = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: CWD,
      env: {},
      isTTY: false,
    };
    const code = await main(['check'], io, {
      analyze: () => {
        throw 'weird';
      },
    });
    assert.equal(code, 2);
    assert.match(stderr, /: weird \(set COMPOSE_REACHABILITY_DEBUG=1 for details\)\n$/);
  });
});

describe('createNodeHost', () => {
  test('reads files, and never throws for missing ones or directories', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-host-'));
    try {
      const file = path.join(dir, 'compose.yaml');
      fs.writeFileSync(file, 'services: {}\n');
      const host = createNodeHost({ A: '1' });
      assert.equal(host.readFile(file), 'services: {}\n');
      assert.equal(host.fileExists(file), true);
      assert.equal(host.readFile(path.join(dir, 'missing.yaml')), undefined);
      assert.equal(host.fileExists(path.join(dir, 'missing.yaml')), false);
      assert.equal(host.readFile(dir), undefined);
      assert.equal(host.fileExists(dir), false);
      assert.equal(host.fileExists(path.join(file, 'below-a-file')), false);
      assert.deepEqual(host.env, { A: '1' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('uses process.env by default', () => {
    assert.equal(createNodeHost().env, process.env);
  });
});

describe('lsp', () => {
  test('parses with or without --stdio, the flag every language client passes', () => {
    assert.deepEqual(parseArgs(['lsp', '--stdio']), { kind: 'lsp' });
    assert.deepEqual(parseArgs(['--stdio', 'lsp']), { kind: 'lsp' });
    assert.deepEqual(parseArgs(['lsp']), { kind: 'lsp' });
  });

  test('project options do not apply; --stdio applies to lsp only', async () => {
    await assertUsageError(['lsp', '-f', 'compose.yaml'], "option '-f' does not apply to lsp");
    await assertUsageError(['lsp', '--stdio', '--format=json'], "option '--format' does not apply to lsp");
    await assertUsageError(['check', '--stdio'], "option '--stdio' applies to lsp only");
  });

  test('starts the language server, writes nothing itself, exits 0 once it listens', async () => {
    let started = 0;
    const out = { stdout: '', stderr: '' };
    const code = await main(
      ['lsp', '--stdio'],
      {
        stdout: { write: (s: string) => (out.stdout += s) },
        stderr: { write: (s: string) => (out.stderr += s) },
        cwd: CWD,
        env: {},
        isTTY: false,
      },
      { serve: () => void started++ },
    );
    assert.deepEqual([code, started, out], [0, 1, { stdout: '', stderr: '' }]);
  });

  test('a server that cannot start: one line, exit 2', async () => {
    let stderr = '';
    const code = await main(
      ['lsp'],
      {
        stdout: { write: () => true },
        stderr: { write: (s: string) => (stderr += s) },
        cwd: CWD,
        env: {},
        isTTY: false,
      },
      {
        serve: () => {
          throw new Error('no stdin');
        },
      },
    );
    assert.equal(code, 2);
    assert.equal(stderr, 'compose-reachability: cannot start the language server: no stdin\n');
  });

  test('the help names it', async () => {
    assert.match((await run(['--help'])).stdout, /compose-reachability lsp \[--stdio\]/);
  });
});
