/**
 * The shipped command (dist/cli.js, the esbuild bundle) as CI runs it: a real process on
 * real files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReachabilityReport } from '../../shared/src/report';
import { AWESOME, FIXTURES, REPO_ROOT, SEED } from '../support/paths';
import { startClient } from '../protocol/client';

const CLI = path.join(REPO_ROOT, 'dist/cli.js');

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('compose-reachability as a process', () => {
  test('every awesome-compose project gives a JSON report', () => {
    for (const name of fs.readdirSync(AWESOME).sort()) {
      const r = run(path.join(AWESOME, name), 'check', '--format', 'json');
      assert.notEqual(r.code, 2, `${name}: ${r.stderr}`);
      assert.equal(r.stderr.includes('    at '), false, `${name} printed a stack trace`);
      const report = JSON.parse(r.stdout) as ReachabilityReport;
      assert.equal(report.schemaVersion, 1);
      assert.ok(report.services.length > 0, name);
      assert.ok(
        report.diagnostics.every((d) => d.severity !== 'error'),
        `${name}: ${JSON.stringify(report.diagnostics)}`,
      );
    }
  });

  test('the seed examples through -f and --project-directory', () => {
    const r = run(REPO_ROOT, 'matrix', '-f', path.join(SEED, 'tiered/compose.yaml'), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as { services: Array<{ name: string }> };
    assert.deepEqual(m.services.map((s) => s.name).sort(), ['api', 'postgres', 'web']);
  });

  test('malformed YAML: exit 1, the finding at file:line:col', () => {
    const r = run(path.join(FIXTURES, 'cli/bad-yaml'), 'check');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^compose\.yaml:\d+:\d+ error invalid-yaml Flow sequence/m);
  });

  test('an undefined network: exit 1, on the list entry', () => {
    const r = run(path.join(FIXTURES, 'cli/undefined-network'), 'check');
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^compose\.yaml:5:9 error undefined-network service web refers to undefined network frontend\.$/m,
    );
  });

  test('no project: exit 2 with one clear line', () => {
    const r = run(path.join(FIXTURES, 'cli'), 'check', '-f', 'nope.yaml');
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /nope\.yaml/);
  });

  test('lsp --stdio: a language server, ended by shutdown + exit with code 0', async () => {
    const dir = path.join(FIXTURES, 'cli/undefined-network');
    const client = await startClient(dir, { entry: { kind: 'cli', script: CLI } });
    await client.open(path.join(dir, 'compose.yaml'));
    const published = await client.diagnostics(path.join(dir, 'compose.yaml'), { version: 1 });
    assert.deepEqual(
      published.diagnostics.filter((d) => d.code === 'undefined-network').map((d) => d.range.start),
      [{ line: 4, character: 8 }],
    );
    assert.equal(await client.stop(), 0);
  });

  test('a usage error: exit 2', () => {
    const r = run(REPO_ROOT, 'check', '--format', 'xml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /xml/);
  });
});

describe("the command's code cache", () => {
  /** The launcher, the command and its cache in a directory of their own, to change freely. */
  function copyOfCommand(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-cli-'));
    for (const f of ['cli.js', 'cli-main.js', 'cli-main.cache'])
      fs.copyFileSync(path.join(REPO_ROOT, 'dist', f), path.join(dir, f));
    return dir;
  }

  test('the build writes it for the bundle beside it', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'dist/cli-main.js'));
    const cache = fs.readFileSync(path.join(REPO_ROOT, 'dist/cli-main.cache'));
    // The source it was made for, byte for byte, then V8's data (see server/src/cli/launch.ts).
    assert.ok(cache.subarray(0, source.length).equals(source));
    assert.ok(cache.length > source.length, 'no V8 data after the source');
  });

  test('a cache made for another bundle of the same length is not used', () => {
    const dir = copyOfCommand();
    try {
      const main = path.join(dir, 'cli-main.js');
      const text = fs.readFileSync(main, 'utf8');
      const edited = text.replaceAll('who can reach whom', 'WHO CAN REACH WHOM');
      assert.notEqual(edited, text);
      fs.writeFileSync(main, edited);
      const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), '--help'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /WHO CAN REACH WHOM/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
