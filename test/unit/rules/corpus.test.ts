/**
 * Every awesome-compose project through the rules, against a reviewed golden file. A change
 * in the output fails the test; run with UPDATE_GOLDEN=1 to rewrite the file, then review the
 * diff line by line: each finding must be right for that real project.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/engine';
import { createNodeHost } from '../../../server/src/host/nodeHost';
import { AWESOME, REPO_ROOT } from '../../support/paths';

const GOLDEN = path.join(REPO_ROOT, 'test/golden/awesome-compose.findings.txt');

/** `project/file:line:col severity code message`, one line per finding, projects in name order. */
function corpusFindings(): string {
  const lines: string[] = [];
  for (const name of fs.readdirSync(AWESOME).sort()) {
    const dir = path.join(AWESOME, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const r = analyze({ files: [], workingDirectory: dir }, createNodeHost({}));
    for (const d of r.diagnostics) {
      const where = `${name}/${path.relative(dir, d.location.file).split(path.sep).join('/')}`;
      const { line, character } = d.location.range.start;
      lines.push(`${where}:${line + 1}:${character + 1} ${d.severity} ${d.code} ${d.message}`);
    }
  }
  return lines.join('\n') + '\n';
}

test('awesome-compose findings match the reviewed golden file', () => {
  const actual = corpusFindings();
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
    fs.writeFileSync(GOLDEN, actual);
  }
  assert.equal(actual, fs.readFileSync(GOLDEN, 'utf8'));
});
