/**
 * The fix properties (see properties.ts) on every project of the corpus and the seed's
 * examples, with every fix of every finding checked one by one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/src/engine';
import { createNodeHost } from '../../../server/src/host/nodeHost';
import { AWESOME, SEED } from '../../support/paths';
import { checkEveryFixOf, checkFixLoop } from './properties';

const projects = [
  ...fs.readdirSync(SEED).map((n) => path.join(SEED, n)),
  ...fs.readdirSync(AWESOME).map((n) => path.join(AWESOME, n)),
].sort();

describe('fixes on the corpus', () => {
  let applied = 0;
  let offered = 0;
  let fixedProjects = 0;
  for (const dir of projects) {
    test(path.relative(path.dirname(path.dirname(dir)), dir), () => {
      const a = analyzeProject({ files: [], workingDirectory: dir }, createNodeHost({}));
      const r = checkFixLoop(a);
      applied += r.applied.length;
      if (r.applied.length > 0) fixedProjects++;
      for (const f of a.findings) offered += checkEveryFixOf(a, f);
    });
  }
  test('the corpus exercises the fixes', (t) => {
    t.diagnostic(
      `${projects.length} projects: ${fixedProjects} fixed, ${applied} fixes applied, ${offered} offered fixes checked`,
    );
    assert.ok(fixedProjects >= 15, `only ${fixedProjects} projects had something to fix`);
  });
});
