/**
 * Where `fix --write` may write and how: only under the project directory, through symbolic
 * links, never over read-only files, all files or none, and every byte outside an edit kept.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFilesAtomically } from '../../server/src/cli/fix';
import { main, type CliIO } from '../../server/src/cli/main';
import { dedent } from '../support/dedent';

/** A project whose data store publishes its port: `data-port-published` rewrites one line. */
const PUBLISHED = dedent`
  services:
    db:
      image: postgres
      ports:
        - "5432:5432"
`;

/** Files (relative paths, text or bytes) in a new temporary directory. */
function tree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fix-write-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
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

function withTree(files: Record<string, string | Buffer>, body: (dir: string) => Promise<void> | void) {
  return async () => {
    const dir = tree(files);
    try {
      await body(dir);
    } finally {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe('fix --write: where it writes', () => {
  test(
    'an included file outside the project directory is not written without --allow-outside',
    withTree(
      {
        'p/compose.yaml': 'include:\n  - ../outside/db.yaml\nservices:\n  web:\n    image: nginx\n',
        'outside/db.yaml': PUBLISHED,
      },
      async (dir) => {
        const cwd = path.join(dir, 'p');
        const dry = await run(['fix'], cwd);
        assert.match(
          dry.stderr,
          /--write would write nothing: .*outside[/\\]db\.yaml is outside the project directory/,
        );
        const r = await run(['fix', '--write'], cwd);
        assert.equal(r.code, 2);
        assert.match(
          r.stderr,
          /nothing written: .*outside[/\\]db\.yaml is outside the project directory .*--allow-outside/,
        );
        assert.equal(fs.readFileSync(path.join(dir, 'outside/db.yaml'), 'utf8'), PUBLISHED);
        const allowed = await run(['fix', '--write', '--allow-outside'], cwd);
        assert.equal(allowed.code, 0, allowed.stderr);
        assert.match(fs.readFileSync(path.join(dir, 'outside/db.yaml'), 'utf8'), /"127\.0\.0\.1:5432:5432"/);
      },
    ),
  );

  test(
    'an absolute include path outside the project is refused too',
    withTree({ 'outside/db.yaml': PUBLISHED, 'p/.keep': '' }, async (dir) => {
      const abs = path.join(dir, 'outside/db.yaml');
      fs.writeFileSync(path.join(dir, 'p/compose.yaml'), `include:\n  - ${JSON.stringify(abs)}\n`);
      const r = await run(['fix', '--write'], path.join(dir, 'p'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /outside the project directory/);
      assert.equal(fs.readFileSync(abs, 'utf8'), PUBLISHED);
    }),
  );

  test(
    'a symbolic link to a file outside the project is refused; one inside is written through',
    withTree({ 'p/real.yaml': PUBLISHED, 'shared/compose.yaml': PUBLISHED }, async (dir) => {
      const p = path.join(dir, 'p');
      fs.symlinkSync('real.yaml', path.join(p, 'compose.yaml'));
      const r = await run(['fix', '--write'], p);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.lstatSync(path.join(p, 'compose.yaml')).isSymbolicLink(), 'the link was replaced');
      assert.match(fs.readFileSync(path.join(p, 'real.yaml'), 'utf8'), /127\.0\.0\.1:5432:5432/);
      assert.deepEqual(fs.readdirSync(p).sort(), ['compose.yaml', 'real.yaml']);

      const q = path.join(dir, 'q');
      fs.mkdirSync(q);
      fs.symlinkSync('../shared/compose.yaml', path.join(q, 'compose.yaml'));
      const out = await run(['fix', '--write'], q);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /outside the project directory/);
      assert.equal(fs.readFileSync(path.join(dir, 'shared/compose.yaml'), 'utf8'), PUBLISHED);
      assert.ok(fs.lstatSync(path.join(q, 'compose.yaml')).isSymbolicLink());
    }),
  );

  test(
    'a read-only file is not replaced',
    withTree({ 'compose.yaml': PUBLISHED }, async (dir) => {
      const file = path.join(dir, 'compose.yaml');
      fs.chmodSync(file, 0o444);
      const r = await run(['fix', '--write'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /nothing written: .*compose\.yaml is read-only/);
      assert.equal(fs.readFileSync(file, 'utf8'), PUBLISHED);
      assert.equal(fs.statSync(file).mode & 0o777, 0o444);
      assert.deepEqual(fs.readdirSync(dir), ['compose.yaml']);
    }),
  );
});

describe('writeFilesAtomically', () => {
  test(
    'a rename that fails puts back the files already renamed and leaves no temporary file',
    withTree({ 'a.yaml': 'a\n', 'b.yaml': 'b\n', 'c.yaml': 'c\n' }, (dir) => {
      const [a, b, c] = ['a.yaml', 'b.yaml', 'c.yaml'].map((f) => path.join(dir, f)) as [
        string,
        string,
        string,
      ];
      let renames = 0;
      assert.throws(
        () =>
          writeFilesAtomically(
            new Map([
              [a, 'A\n'],
              [b, 'B\n'],
              [c, 'C\n'],
            ]),
            new Map([
              [a, 'a\n'],
              [b, 'b\n'],
              [c, 'c\n'],
            ]),
            {
              rename: (from, to) => {
                if (++renames === 3) throw new Error('disk on fire');
                fs.renameSync(from, to);
              },
            },
          ),
        /disk on fire; every file restored/,
      );
      assert.equal(renames, 3);
      assert.deepEqual(
        [a, b, c].map((f) => fs.readFileSync(f, 'utf8')),
        ['a\n', 'b\n', 'c\n'],
      );
      assert.deepEqual(fs.readdirSync(dir).sort(), ['a.yaml', 'b.yaml', 'c.yaml']);
    }),
  );
});
