import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { diffLines, unifiedDiff } from '../../server/src/cli/diff';

/** Applies a unified diff of one file (what `patch` does), strictly: context must match. */
function applyPatch(before: string, patch: string): string {
  const lines = before.split(/(?<=\n)/).filter((l) => l !== '');
  const out: string[] = [];
  let at = 0;
  const body = patch.split('\n').slice(2, -1);
  for (let i = 0; i < body.length; i++) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(body[i]!);
    assert.ok(m, `not a hunk header: ${body[i]}`);
    const start = Number(m[1]) - (m[2] === '0' ? 0 : 1);
    while (at < start) out.push(lines[at++]!);
    for (i++; i < body.length && !body[i]!.startsWith('@@'); i++) {
      const l = body[i]!;
      const noEol = body[i + 1] === '\\ No newline at end of file';
      const text = l.slice(1) + (noEol ? '' : '\n');
      if (noEol) i++;
      if (l[0] === ' ' || l[0] === '-') {
        assert.equal(lines[at], text, 'context or removed line does not match');
        at++;
      }
      if (l[0] === ' ' || l[0] === '+') out.push(text);
    }
    i--;
  }
  while (at < lines.length) out.push(lines[at++]!);
  return out.join('');
}

const line = fc.constantFrom('a\n', 'b\n', 'c\n', 'services:\n', '  web:\n', '', 'x');
const text = fc.array(line, { maxLength: 40 }).map((ls) => ls.join(''));

describe('unified diff', () => {
  test('the edit script reproduces both texts and is as short as a longest common subsequence allows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 25 }),
        fc.array(fc.constantFrom('a', 'b', 'd'), { maxLength: 25 }),
        (a, b) => {
          const ops = diffLines(a, b);
          assert.deepEqual(
            ops.filter((o) => o.kind !== '+').map((o) => o.line),
            a,
          );
          assert.deepEqual(
            ops.filter((o) => o.kind !== '-').map((o) => o.line),
            b,
          );
          const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
          for (let i = a.length - 1; i >= 0; i--) {
            for (let j = b.length - 1; j >= 0; j--) {
              lcs[i]![j] =
                a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
            }
          }
          assert.equal(ops.filter((o) => o.kind !== ' ').length, a.length + b.length - 2 * lcs[0]![0]!);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('applying the diff to the old text gives the new one', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, 'a/f', 'b/f');
        if (a === b) assert.equal(d, '');
        else assert.equal(applyPatch(a, d), b);
      }),
      { numRuns: 2000 },
    );
  });

  test('the format: headers, hunks with three lines of context, a missing final newline marked', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl';
    assert.equal(
      unifiedDiff(before, after, 'a/x.yaml', 'b/x.yaml'),
      [
        '--- a/x.yaml',
        '+++ b/x.yaml',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -9,3 +9,4 @@',
        ' i',
        ' j',
        ' k',
        '+l',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
    assert.equal(unifiedDiff('', 'x\n', 'a/f', 'b/f'), '--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
  });

  test('GNU patch applies it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-'));
    try {
      const before = 'services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n';
      const after =
        'services:\n  web:\n    image: nginx\n    networks: [front]\n  db:\n    image: postgres\nnetworks:\n  front:\n';
      fs.writeFileSync(path.join(dir, 'compose.yaml'), before);
      execFileSync('patch', ['-p1', '--quiet'], {
        cwd: dir,
        input: unifiedDiff(before, after, 'a/compose.yaml', 'b/compose.yaml'),
      });
      assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), after);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
