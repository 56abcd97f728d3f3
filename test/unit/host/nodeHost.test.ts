import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/src/engine';
import { createNodeHost, readRegularFile } from '../../../server/src/host/nodeHost';

describe('nodeHost reads regular files only, checked before reading', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-host-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a regular file is read', () => {
    fs.writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
    assert.deepEqual(readRegularFile(path.join(dir, 'a.env')), { text: 'A=1\n' });
  });

  test('missing, directory, device and pseudo files each say why', () => {
    assert.deepEqual(readRegularFile(path.join(dir, 'nope')), { problem: 'missing' });
    assert.deepEqual(readRegularFile(dir), { problem: 'not-a-file' });
    assert.deepEqual(readRegularFile('/dev/zero'), { problem: 'special' });
    assert.deepEqual(readRegularFile('/proc/self/environ'), { problem: 'special' });
  });

  test('a symlink into /proc or /dev is refused as well', () => {
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'environ'));
    fs.symlinkSync('/dev/urandom', path.join(dir, 'random'));
    assert.deepEqual(readRegularFile(path.join(dir, 'environ')), { problem: 'special' });
    assert.deepEqual(readRegularFile(path.join(dir, 'random')), { problem: 'special' });
  });

  test('a FIFO is refused without waiting for a writer', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(readRegularFile(fifo), { problem: 'not-a-file' });
    assert.equal(createNodeHost({}).readFile(fifo), undefined);
  });

  test('the size cap is checked before reading', () => {
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(100));
    assert.deepEqual(readRegularFile(path.join(dir, 'big'), { maxBytes: 99 }), { problem: 'too-large' });
    assert.deepEqual(readRegularFile(path.join(dir, 'big'), { maxBytes: 100 }), { text: 'x'.repeat(100) });
  });

  test('`within` refuses a file that resolves outside the directory', () => {
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(dir, 'private.key'), 'KEY=S3CRET\n');
    fs.symlinkSync(path.join(dir, 'private.key'), path.join(project, '.env'));
    fs.writeFileSync(path.join(project, 'own.env'), 'A=1\n');
    assert.deepEqual(readRegularFile(path.join(project, '.env'), { within: project }), {
      problem: 'outside',
    });
    assert.deepEqual(readRegularFile(path.join(project, 'own.env'), { within: project }), { text: 'A=1\n' });
  });

  test('a file that exists but cannot be read is not reported as missing', () => {
    // Tests run as root, which reads any mode; a symlink loop (ELOOP) is an error other than
    // "no such file" that root meets too.
    const a = path.join(dir, 'loop-a');
    const b = path.join(dir, 'loop-b');
    fs.symlinkSync(b, a);
    fs.symlinkSync(a, b);
    assert.deepEqual(readRegularFile(a), { problem: 'unreadable' });
    assert.deepEqual(readRegularFile(path.join(dir, 'nothing-here')), { problem: 'missing' });
  });

  test('a project whose include, env_file and .env name devices and FIFOs finishes, with reasons', () => {
    const project = path.join(dir, 'hostile');
    fs.mkdirSync(project);
    execFileSync('mkfifo', [path.join(project, 'fifo.yaml')]);
    fs.mkdirSync(path.join(project, '.env'));
    fs.writeFileSync(
      path.join(project, 'compose.yaml'),
      [
        'include:',
        '  - path: fifo.yaml',
        '  - path: /dev/zero',
        'services:',
        '  app:',
        '    image: x',
        '    env_file: [/dev/urandom]',
        '    extends: { file: /proc/self/environ, service: x }',
        '',
      ].join('\n'),
    );
    const a = analyzeProject({ files: [], workingDirectory: project }, createNodeHost({}));
    const messages = a.findings.map((f) => `${f.code}: ${f.message}`);
    assert.ok(
      messages.some((m) => /^missing-file: Included file .*fifo\.yaml is not a regular file/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /^missing-file: Included file \/dev\/zero is in a kernel pseudo/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        /^missing-file: File \/proc\/self\/environ named by extends is in a kernel/.test(m),
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        /^env-file-not-read: service app: env file \/dev\/urandom .*kernel pseudo/.test(m),
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /^env-file-not-read: env file .*\.env is not a regular file/.test(m)),
      messages.join('\n'),
    );
  });
});
