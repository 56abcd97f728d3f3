/**
 * Issue 16's hostile shapes at small sizes: what makes each of them cheap (each file loaded
 * once, each service resolved once, budgets and depth limits that end in a finding). The
 * sizes of the issue are benchmarks (test/bench/hostile.ts), not timed here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProject } from '../../../server/src/engine';
import { analyzeFiles, sliceRange } from '../../support/analyze';
import { dedent } from '../../support/dedent';
import {
  dotenvDoubling,
  extendsChain,
  includeFanout,
  interpolationNesting,
  yamlNesting,
} from '../../support/hostileShapes';
import { parseDotEnv } from '../../../server/src/engine/load/dotenv';
import { memoryHost } from '../../support/memoryHost';

describe('include fan-out', () => {
  test('a file included along 2^k paths is loaded once: its findings are reported once', () => {
    const shape = includeFanout(12);
    shape.files['f12.yaml'] = 'services:\n  s12:\n    image: "${TAG:?TAG is needed}"\n';
    const r = analyzeFiles(shape.files);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code}@${d.location?.file}`),
      ['invalid-compose@/project/f12.yaml'],
    );
    assert.deepEqual(
      r.services.map((s) => s.name).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
      Array.from({ length: 13 }, (_, k) => `s${k}`),
    );
  });

  test('each file is read once', () => {
    const host = memoryHost(includeFanout(10).files);
    const reads = new Map<string, number>();
    const count = (p: string): void => void reads.set(p, (reads.get(p) ?? 0) + 1);
    const readFile = host.readFile;
    host.readFile = (p) => {
      const text = readFile(p);
      if (text !== undefined) count(p);
      return text;
    };
    // The engine reads through tryRead when the host has it.
    const tryRead = host.tryRead?.bind(host);
    if (tryRead)
      host.tryRead = (p, o) => {
        const r = tryRead(p, o);
        if ('text' in r) count(p);
        return r;
      };
    analyzeProject({ files: [], workingDirectory: host.root }, host);
    assert.equal(reads.size, 11);
    for (const [file, n] of reads) assert.equal(n, 1, file);
  });

  test('a resource imported twice is a conflict only when the two definitions differ, as in compose-go', () => {
    const r = analyzeFiles({
      'compose.yaml': dedent`
        include:
          - a.yaml
          - b.yaml
        services:
          app: { image: app }
      `,
      'a.yaml': 'include:\n  - common.yaml\nservices:\n  x: { image: one }\n',
      'b.yaml': 'include:\n  - common.yaml\nservices:\n  x: { image: two }\n',
      'common.yaml': 'services:\n  db: { image: postgres, networks: [data] }\nnetworks:\n  data: {}\n',
    });
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'invalid-compose').map((d) => [d.code, d.message]),
      [['invalid-compose', 'services x is defined both here and in an included file.']],
    );
  });
});

describe('extends', () => {
  test('a service in a chain is resolved once: a broken base is reported once, not per service', () => {
    const shape = extendsChain(200);
    const text = shape.files['compose.yaml']!.replace('    image: busybox\n', '    extends: nowhere\n');
    const r = analyzeFiles({ 'compose.yaml': text });
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ['Cannot extend service nowhere: it is not defined.'],
    );
  });

  test('a file named by every service’s extends.file is loaded once', () => {
    const lines = ['services:'];
    for (let i = 0; i < 50; i++) lines.push(`  s${i}:`, '    extends: { file: common.yaml, service: base }');
    const r = analyzeFiles({
      'compose.yaml': lines.join('\n') + '\n',
      'common.yaml': 'services:\n  base:\n    image: "${TAG:?TAG is needed}"\n',
    });
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code}@${d.location?.file}`),
      ['invalid-compose@/project/common.yaml'],
    );
    assert.equal(r.services.length, 50);
  });

  test('an extends cycle is reported once and every service still resolves', () => {
    const r = analyzeFiles({
      'compose.yaml':
        'services:\n  a:\n    extends: b\n    image: a\n  b:\n    extends: a\n  c:\n    extends: a\n',
    });
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'include-cycle').length,
      1,
      JSON.stringify(r.diagnostics),
    );
    assert.deepEqual(
      r.services.map((s) => [s.name, s.image]),
      [
        ['a', 'a'],
        ['b', undefined],
        ['c', 'a'],
      ],
    );
  });
});

describe('deep nesting', () => {
  const TOO_DEEP = 'Collections nest more than 256 levels deep; the file was not loaded.';

  test('block YAML past the limit is a finding at the collection that goes past it', () => {
    const shape = yamlNesting(300);
    const r = analyzeFiles(shape.files);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.message, d.location?.file]),
      [['invalid-yaml', TOO_DEEP, '/project/compose.yaml']],
    );
    // The root, `services` and `a` are levels 1-3; the mapping of the first `k:` (line 4) is
    // level 4, so level 257 starts 253 lines below it.
    assert.equal(r.diagnostics[0]!.location!.range.start.line, 4 + 253);
  });

  test('nesting deeper than the YAML library can take is the same finding, not an internal error', () => {
    const r = analyzeFiles(yamlNesting(1500).files);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.message, d.location?.file]),
      [['invalid-yaml', TOO_DEEP, '/project/compose.yaml']],
    );
  });

  test('flow collections count too', () => {
    const r = analyzeFiles({
      'compose.yaml': `services:\n  a:\n    x-deep: ${'['.repeat(400)}${']'.repeat(400)}\n`,
    });
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      [TOO_DEEP],
    );
  });

  test('nesting within the limit loads', () => {
    const r = analyzeFiles(yamlNesting(200).files);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.services[0]?.image, 'busybox');
  });

  test('interpolation nested past its limit is a finding at the level past it', () => {
    const shape = interpolationNesting(2000);
    const r = analyzeFiles(shape.files);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.message, d.location?.file]),
      [
        [
          'invalid-compose',
          'interpolation nests more than 64 levels deep; the value was not interpolated',
          '/project/compose.yaml',
        ],
      ],
    );
    const text = shape.files['compose.yaml']!;
    assert.equal(sliceRange(text, r.diagnostics[0]!.location!), '${');
    assert.equal(
      r.diagnostics[0]!.location!.range.start.character,
      '    image: "'.length + 65 * '${A:-'.length,
    );
  });

  test('interpolation nested within the limit is interpolated', () => {
    const r = analyzeFiles(interpolationNesting(60).files);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.services[0]?.image, 'x');
  });
});

describe('.env sizes', () => {
  test('doubling stops at the expansion budget, naming the variable and its line, never the value', () => {
    const text = dotenvDoubling(27).files['.env']!;
    const r = parseDotEnv(text, () => undefined);
    assert.deepEqual(r.issues, [
      {
        line: 15,
        character: 0,
        message:
          'variable V15 expands to more than the 100000 characters this file may define in all; it is left unset',
      },
    ]);
    assert.equal(r.vars.get('V14')?.length, 2 ** 15);
    assert.equal(r.vars.has('V15'), false);
    // What follows refers to an unset variable: empty, and within the budget.
    assert.equal(r.vars.get('V26'), '');
  });

  test('the budget is for expansion: a large value written out is within it', () => {
    const big = 'a'.repeat(300_000);
    const r = parseDotEnv(`A=${big}\nB="${big}"\nC=\${A}\n`, () => undefined);
    assert.deepEqual(r.issues, []);
    assert.equal(r.vars.get('C')?.length, 300_000);
  });

  test('a long quoted value with escapes reads as before, issues mapped through the escapes', () => {
    const chunk = 'x\\"y\\n'.repeat(100_000); // x\"y\n in the file
    const text = `A="${chunk}\${MISSING:?}"\nB='it\\'s'\n`;
    const r = parseDotEnv(text, () => undefined);
    assert.equal(r.vars.get('A'), 'x"y\n'.repeat(100_000));
    assert.equal(r.vars.get('B'), "it's");
    assert.deepEqual(r.issues, [
      { line: 0, character: 3 + chunk.length, message: 'required variable MISSING is missing a value' },
    ]);
  });
});
