/**
 * The hand-labelled stacks (test/fixtures/stacks) are real Compose projects: docker-compose
 * 1.29 accepts each one as written, and as `fix` leaves it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../../server/src/engine';
import { applyFixes } from '../../server/src/engine/fixes';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { composeConfigQuiet, dockerCompose, tempDir } from '../support/oracle';
import { FIXTURES } from '../support/paths';

const STACKS = path.join(FIXTURES, 'stacks');

test('docker-compose 1.29 accepts every stack, before and after fix', (t) => {
  // CI installs it (scripts/install-test-deps.sh): there a missing oracle is a failure.
  if (!dockerCompose()) {
    assert.ok(!process.env.CI, 'docker-compose is not installed');
    t.skip('docker-compose is not installed');
    return;
  }
  const root = tempDir('stacks-');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dirs: string[] = [];
  for (const name of fs.readdirSync(STACKS).filter((n) => fs.statSync(path.join(STACKS, n)).isDirectory())) {
    const original = path.join(root, name, 'original');
    fs.cpSync(path.join(STACKS, name), original, { recursive: true });
    dirs.push(original);
    const r = applyFixes(analyzeProject({ files: [], workingDirectory: original }, createNodeHost({})));
    if (r.applied.length === 0) continue;
    const fixed = path.join(root, name, 'fixed');
    fs.cpSync(original, fixed, { recursive: true });
    for (const [file, text] of r.texts)
      fs.writeFileSync(path.join(fixed, path.relative(original, file)), text);
    dirs.push(fixed);
  }
  const refused = [...composeConfigQuiet(dirs)]
    .filter(([, v]) => v.code !== 0)
    .map(([d, v]) => `${path.relative(root, d)}: ${v.stderr.trim()}`);
  t.diagnostic(`${dirs.length} projects checked`);
  assert.deepEqual(refused, []);
});
