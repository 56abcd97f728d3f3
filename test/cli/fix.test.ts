import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFilesAtomically } from '../../server/src/cli/fix';
import { main, parseArgs, type CliIO } from '../../server/src/cli/main';
import { dedent } from '../support/dedent';
import { REPO_ROOT, SEED } from '../support/paths';

const FLAT = fs.readFileSync(path.join(SEED, 'flat/compose.yaml'), 'utf8');

/** The seed's flat example split by `fix`, as the README's quick-fix section shows it. */
const FLAT_DIFF = dedent`
  --- a/compose.yaml
  +++ b/compose.yaml
  @@ -2,7 +2,18 @@
   services:
     web:
       image: nginx
  +    networks:
  +      - backend
     api:
       image: myapi
  +    networks:
  +      - backend
  +      - data
     database:
       image: postgres
  +    networks:
  +      - data
  +networks:
  +  backend:
  +  data:
  +    internal: true
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fix-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { code: -1, stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd,
    env: {},
    isTTY: false,
  };
  out.code = await main(argv, io);
  return out;
}

describe('compose-reachability fix', () => {
  test('arguments: dry run by default, --write, --only CODE repeatable', () => {
    const base = { files: [], envFiles: [], profiles: [] };
    assert.deepEqual(parseArgs(['fix']), {
      kind: 'run',
      command: 'fix',
      project: base,
      settings: {},
      fix: { mode: 'dry-run', only: [] },
    });
    assert.deepEqual(
      parseArgs(['fix', '--write', '--only', 'flat-network', '--only=unused-network', '-f', 'a.yaml']),
      {
        kind: 'run',
        command: 'fix',
        project: { ...base, files: ['a.yaml'] },
        settings: {},
        fix: { mode: 'write', only: ['flat-network', 'unused-network'] },
      },
    );
    assert.deepEqual(parseArgs(['fix', '--least-privilege']), {
      kind: 'run',
      command: 'fix',
      project: base,
      settings: {},
      fix: { mode: 'dry-run', only: [], leastPrivilege: true },
    });
  });

  test('argument errors', () => {
    const error = (argv: string[]): string => {
      const p = parseArgs(argv);
      assert.equal(p.kind, 'error');
      return (p as { message: string }).message;
    };
    assert.equal(
      error(['fix', '--dry-run', '--write']),
      "options '--dry-run' and '--write' exclude each other",
    );
    assert.match(
      error(['fix', '--only', 'host-network-mode']),
      /^--only: 'host-network-mode' has no fix \(fixable: flat-network, /,
    );
    assert.equal(error(['check', '--write']), "option '--write' applies to fix only");
    assert.equal(error(['matrix', '--only', 'flat-network']), "option '--only' applies to fix only");
    assert.equal(error(['fix', '--format', 'json']), "option '--format' does not apply to fix");
    assert.equal(error(['check', '--least-privilege']), "option '--least-privilege' applies to fix only");
  });

  test("--dry-run on the seed's flat example: the diff on stdout, what was fixed on stderr, nothing written", async () => {
    const dir = project({ 'compose.yaml': FLAT });
    try {
      const r = await run(['fix', '--dry-run'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, FLAT_DIFF);
      assert.equal(
        r.stderr,
        'compose-reachability: 1 fix in 1 file (dry run: nothing written; --write applies them):\n' +
          '  compose.yaml: public-reaches-data: Split default: database to internal network data with the app tier; web loses database\n' +
          '  links removed: database ↔ web\n',
      );
      assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), FLAT);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--write writes in place, keeps the mode, leaves no temporary file; a second run has nothing to do', async () => {
    const dir = project({ 'compose.yaml': FLAT });
    try {
      fs.chmodSync(path.join(dir, 'compose.yaml'), 0o640);
      const r = await run(['fix', '--write'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Applied 1 fix in 1 file:\n {2}compose\.yaml: public-reaches-data: Split default: database to internal network data/,
      );
      const written = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
      assert.match(written, /\n {2}data:\n {4}internal: true\n$/);
      assert.equal(fs.statSync(path.join(dir, 'compose.yaml')).mode & 0o777, 0o640);
      assert.deepEqual(fs.readdirSync(dir), ['compose.yaml']);
      const again = await run(['fix', '--write'], dir);
      assert.equal(again.code, 0);
      assert.equal(again.stderr, 'compose-reachability: nothing to fix\n');
      assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), written);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--only limits the fixes to those codes; fixes span the override file', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  db:\n    image: postgres\nnetworks:\n  old:\n',
      'compose.override.yaml': 'services:\n  db:\n    ports:\n      - "5432:5432"\n',
    });
    try {
      const r = await run(['fix', '--only', 'data-port-published'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        '--- a/compose.override.yaml\n+++ b/compose.override.yaml\n@@ -1,4 +1,4 @@\n services:\n   db:\n     ports:\n' +
          '-      - "5432:5432"\n+      - "127.0.0.1:5432:5432"\n',
      );
      const all = await run(['fix'], dir);
      assert.match(
        all.stdout,
        /^--- a\/compose\.override\.yaml\n[^]*\n--- a\/compose\.yaml\n[^]*\n-networks:\n- {2}old:\n$/,
      );
      assert.match(all.stderr, /2 fixes in 2 files/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('exit 1 when an error is left that no fix can remove; exit 2 without a project', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    networks: [front\n' });
    try {
      const r = await run(['fix'], dir);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'compose-reachability: nothing to fix\n');
      const none = await run(['fix', '-f', 'nope.yaml'], dir);
      assert.equal(none.code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('atomic writes: a file changed since it was read stops everything, and no temporary file stays', () => {
    const dir = project({ 'a.yaml': 'a\n', 'b.yaml': 'b\n' });
    try {
      const a = path.join(dir, 'a.yaml');
      const b = path.join(dir, 'b.yaml');
      assert.throws(
        () =>
          writeFilesAtomically(
            new Map([
              [a, 'A\n'],
              [b, 'B\n'],
            ]),
            new Map([
              [a, 'a\n'],
              [b, 'b (as read)\n'],
            ]),
          ),
        /b\.yaml changed since it was read/,
      );
      assert.equal(fs.readFileSync(a, 'utf8'), 'a\n');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['a.yaml', 'b.yaml']);
      writeFilesAtomically(new Map([[a, 'A\n']]), new Map([[a, 'a\n']]));
      assert.equal(fs.readFileSync(a, 'utf8'), 'A\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the shipped bundle: fix --dry-run as a process', () => {
    const dir = project({ 'compose.yaml': FLAT });
    try {
      const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'fix', '--dry-run'], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, FLAT_DIFF);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
