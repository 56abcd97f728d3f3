/**
 * The fast path reads a file exactly as yaml and convertDocument do, or declines it: same nodes,
 * values, spans and interpolation calls. Checked on every real compose file we have, on
 * hand-written corners of YAML, and on random documents (with random typing damage) built from
 * the constructs compose files use and the ones the fast path must leave to yaml.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { dedent } from '../../support/dedent';
import { viaFast, viaYaml } from '../../support/fastParseOracle';
import { generateProject } from '../../support/generateProject';
import { AWESOME, filesUnder, FIXTURES, REPO_ROOT, SEED } from '../../support/paths';

const FILE = '/project/compose.yaml';

/** Asserts the fast path agrees with yaml on `text`; returns whether it took the text. */
function agrees(text: string, file = FILE): boolean {
  const fast = viaFast(file, text);
  if (!fast) return false;
  const slow = viaYaml(file, text);
  assert.deepEqual(slow.findings, [], `the fast path took a text yaml rejects:\n${text}`);
  assert.deepEqual(fast.root, slow.root, `different trees for:\n${text}`);
  assert.deepEqual(fast.calls, slow.calls, `different interpolation calls for:\n${text}`);
  return true;
}

const composeFiles = (dir: string): string[] => filesUnder(dir, /\.ya?ml$/);

describe('fast path: real files', () => {
  const files = [
    ...composeFiles(AWESOME),
    ...composeFiles(SEED),
    ...composeFiles(path.join(REPO_ROOT, 'examples')),
    ...composeFiles(FIXTURES),
  ];

  test('every compose file of the corpus, the examples and the fixtures is taken and read as yaml reads it', () => {
    const declined = files.filter((f) => !agrees(fs.readFileSync(f, 'utf8'), f));
    // The one fixture that is broken YAML on purpose is yaml's to report.
    assert.deepEqual(
      declined.map((f) => path.relative(REPO_ROOT, f)),
      ['test/fixtures/cli/bad-yaml/compose.yaml'],
    );
    assert.ok(files.length > 50);
  });

  test('generated projects of every benchmark size are taken', () => {
    for (const count of [10, 120, 500]) {
      for (const [name, text] of Object.entries(generateProject(count).files)) {
        assert.ok(agrees(text, `/project/${name}`), `gen-${count} ${name}`);
      }
    }
  });
});

describe('fast path: corners it takes', () => {
  const cases: Record<string, string> = {
    'typed plain scalars and keys': dedent`
      a: 1
      b: -1
      c: 0x1F
      d: 0o17
      e: 1e3
      f: .5
      g: .inf
      h: 1.10
      i: true
      j: False
      k: null
      l: ~
      m: -foo
      n: --flag=x
      o: :x
      p: ?y
      80: port
      true: yes
      ~: nothing
      1.0: one
    `,
    'quoted scalars with escapes and quotes': dedent`
      a: "tab\\there \\u00e9 \\x41 \\"q\\" \\\\ \\/ \\U0001F600"
      b: 'it''s'
      c: ""
      d: ''
      "quoted key": 1
      'single key': 2
      "<<": not a merge
    `,
    'comments everywhere, at every indent': dedent`
      # leading
      services:   # after a key

        # before a service
        web:
          image: nginx # after a value
            # more indented than the key
          # at the key's column
        # at the service's column
      # at the top
          # deep again
        db:
          image: postgres
          networks:
            - back
            # after an item, deeper
          # after the list
      # last
    `,
    'empty values, with and without comments': dedent`
      a:
      b:   # comment
      c:
        # comment below
      d:
        -
        -   # empty item
        - x
      e:
    `,
    'an empty value with a comment ends its mapping': dedent`
      networks:
        front:
        back:
          # a comment to the end of the file
    `,
    'block scalars': dedent`
      a: |
        line 1
          indented
        # not a comment

        line 3
      b: |-
        stripped


      c: |+
        kept


      d: >
        folded
        into one
      e: >-
        folded, stripped
      f: |  # header comment
        x
      g:
        - |
          in a list
        - >+
          folded kept

      h: end
    `,
    'flow sequences': dedent`
      a: [x, "y", 'z', 1, true, host:8080, -c]
      b: []
      c: {}
      d: [ spaced , items ]
      e: [x]  # comment
    `,
    'anchors, aliases and merges': dedent`
      x-base: &base
        restart: always
        logging: &log
          driver: json
      x-more: &more
        restart: never
        extra: 1
      services:
        a:
          <<: *base
          image: a
        b:
          <<: [*more, *base]
          logging: *log
        c:
          labels: &labels [one, two]
          tags: *labels
          name: &name plain
          again: *name
    `,
    'tags compose reads': dedent`
      services:
        a:
          ports: !reset []
          environment: !override
            A: 1
          command: !reset
          image: !override nginx
    `,
    'sequences: indentless, nested, compact mappings': dedent`
      a:
      - x
      - y
      b:
        - k: v
          l: w
        -   m: n
        - o:
            - p
      c: [1]
    `,
    'interpolation in values, not keys': dedent`
      \${KEY}: "\${VALUE}"
      image: \${IMAGE:-nginx}
      list: ["\${A}", '\${B}']
      block: |
        \${C}
    `,
    'a file of comments only': '# nothing here\n\n   # still nothing\n',
    'no line break at the end': 'a: 1\nb: [x]',
    'a top level indented': '  a: 1\n  b: 2\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assert.ok(agrees(text), `declined:\n${text}`);
    });
  }
});

describe('fast path: what it leaves to yaml', () => {
  const cases: Record<string, string> = {
    'a tab': 'a:\t1\n',
    'CRLF line ends': 'a: 1\r\nb: 2\r\n',
    'a document marker': '---\na: 1\n',
    'a flow mapping': 'a: {b: 1}\n',
    'a multi-line plain scalar': 'a: one\n  two\n',
    'a multi-line quoted scalar': 'a: "one\n  two"\n',
    'an explicit key': '? a\n: 1\n',
    'a duplicate key': 'a: 1\na: 2\n',
    'an unknown alias': 'a: *nowhere\n',
    'an alias inside its own anchor': 'a: &x\n  b: *x\n',
    'a merge of a scalar': 'a: &x 1\nb:\n  <<: *x\n',
    'a nested mapping on one line': 'a: b: c\n',
    'an other tag': 'a: !!str 1\n',
    'a tag on a typed scalar': 'a: !reset 1\n',
    'an anchored key': '&k a: 1\n',
    'a sequence in a sequence item': '- - a\n',
    'bad indentation': 'a:\n    b: 1\n  c: 2\n',
    'a block scalar with an indentation digit': 'a: |2\n   x\n',
    'folded text with a more-indented line': 'a: >\n  x\n    y\n',
    'a block scalar at the end without a line break': 'a: |\n  x',
    'a comment without a space before it': 'a: "x"#c\n',
    'an unclosed flow sequence': 'a: [x,\n  y]\n',
    'an alias bomb': [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 6 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`;
        return `l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]`;
      }),
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assert.equal(viaFast(FILE, text), undefined);
    });
  }
});

/** A small deterministic random source for the document generator. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const PLAIN = [
  'nginx',
  'a b',
  'x:y',
  'a#b',
  '${VAR}',
  '$$x',
  '80:80',
  '1',
  '-1',
  '0x10',
  '1e3',
  '.5',
  'true',
  'Off',
  'null',
  '~',
  '-x',
  ':x',
  '1.10',
  'é',
];
const QUOTED = ['"q"', '"a\\tb"', '"\\u00e9"', "'s''q'", '""', "''", '"${X:-y}"', '"x # y"', "'a: b'"];
const KEYS = ['image', 'ports', 'a-b', 'x.y', '80', 'true', '"quoted"', "'single'", 'k'];

/** A random YAML document of compose-like constructs, some of which the fast path declines. */
function randomDocument(seed: number): string {
  const r = rng(seed);
  const anchors: string[] = [];
  const lines: string[] = [];
  const pad = (n: number): string => ' '.repeat(n);
  const comment = (indent: number): void => {
    if (r.chance(0.15)) lines.push(`${pad(Math.max(0, indent + r.int(5) - 2))}# c`);
    if (r.chance(0.1)) lines.push(r.chance(0.5) ? '' : pad(r.int(6)));
  };
  const tail = (): string => (r.chance(0.15) ? '  # t' : '') + (r.chance(0.05) ? '  ' : '');
  const inline = (): string => {
    const k = r.int(14);
    if (k < 5) return r.pick(PLAIN);
    if (k < 8) return r.pick(QUOTED);
    if (k === 8)
      return `[${Array.from({ length: r.int(4) }, () => r.pick([...PLAIN.slice(0, 8), ...QUOTED.slice(0, 3)])).join(', ')}]`;
    if (k === 9 && anchors.length > 0) return `*${r.pick(anchors)}`;
    if (k === 10) return r.pick(['{}', '[]', '!reset []', '!override x', '!reset', '{a: 1}']);
    if (k === 11) return `&s${anchors.push(`s${anchors.length}`) - 1} ${r.pick(PLAIN)}`;
    return '';
  };
  const block = (indent: number, depth: number, prefix: string): void => {
    // prefix: what goes before the first line (`key:` or `-`), at `indent`.
    const k = depth > 3 ? 0 : r.int(10);
    if (k < 5) {
      lines.push(
        `${pad(indent)}${prefix}${prefix && ' '}${inline()}${tail()}`.replace(/ +$/, (m) =>
          r.chance(0.2) ? m : '',
        ),
      );
      return;
    }
    const props = r.chance(0.2) ? ` &m${anchors.length}` : r.chance(0.1) ? ' !override' : '';
    if (props.startsWith(' &')) anchors.push(`m${anchors.length}`);
    if (k < 7) {
      const style = r.pick(['|', '|-', '|+', '>', '>-', '|2']);
      lines.push(`${pad(indent)}${prefix} ${style}${tail()}`);
      const inner = indent + 2 + r.int(2);
      for (let i = 0, n = 1 + r.int(3); i < n; i++) {
        lines.push(
          r.chance(0.15)
            ? ''
            : `${pad(inner + (r.chance(0.1) ? 2 : 0))}${r.pick(['text', '# hash', '${V}', 'a: b'])}`,
        );
      }
      if (r.chance(0.3)) lines.push('');
      return;
    }
    lines.push(`${pad(indent)}${prefix}${props}${tail()}`);
    comment(indent);
    const inner = indent + (r.chance(0.2) && prefix.endsWith(':') ? 0 : 2);
    const seq = r.chance(0.4) || inner === indent;
    for (let i = 0, n = 1 + r.int(3); i < n; i++) {
      if (seq) {
        if (r.chance(0.2)) {
          const key = r.pick(KEYS);
          lines.push(`${pad(inner)}- ${key}: ${r.pick(PLAIN)}${tail()}`);
          if (r.chance(0.5)) lines.push(`${pad(inner + 2)}${key}x: ${r.pick(QUOTED)}`);
        } else {
          block(inner, depth + 1, '-');
        }
      } else if (r.chance(0.12) && anchors.some((a) => a.startsWith('m'))) {
        const maps = anchors.filter((a) => a.startsWith('m'));
        lines.push(
          `${pad(inner)}<<: ${r.chance(0.5) ? `*${r.pick(maps)}` : `[*${r.pick(maps)}, *${r.pick(maps)}]`}`,
        );
      } else {
        block(inner, depth + 1, `${r.pick(KEYS)}${i}:`);
      }
      comment(inner);
    }
  };
  if (r.chance(0.2)) lines.push('# head');
  for (let i = 0, n = 1 + r.int(4); i < n; i++) {
    block(0, 0, `top${i}:`);
    comment(0);
  }
  return lines.join('\n') + (r.chance(0.8) ? '\n' : '');
}

/** Typing damage: characters inserted or deleted at random offsets. */
function damage(text: string, seed: number): string {
  const r = rng(seed);
  let out = text;
  for (let i = 0, n = r.int(4); i < n; i++) {
    const at = r.int(out.length + 1);
    out = r.chance(0.5)
      ? out.slice(0, at) +
        r.pick([' ', '\n', '-', ':', '#', '"', "'", '&', '*', '|', '[', ']', 'a', '  ']) +
        out.slice(at)
      : out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

describe('fast path: random documents', () => {
  test('random documents are read as yaml reads them, or declined', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        if (agrees(randomDocument(seed))) taken++;
      }),
      { numRuns: 3000 },
    );
    // Most of the constructs generated are on the fast path; a path declining nearly everything
    // would pass the comparison and be useless.
    assert.ok(taken > 600, `taken ${taken} of 3000`);
  });

  test('damaged documents and damaged real files are read as yaml reads them, or declined', () => {
    const real = composeFiles(AWESOME).map((f) => fs.readFileSync(f, 'utf8'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.nat(), (seed, which) => {
        const base = seed % 2 === 0 ? randomDocument(seed) : real[which % real.length]!;
        agrees(damage(base, seed));
      }),
      { numRuns: 3000 },
    );
  });
});
