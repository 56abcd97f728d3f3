import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { applyEdits } from '../../../server/src/engine/fixes/edits';
import {
  flowValue,
  scalarLike,
  scalarSource,
  YamlFile,
  type YNode,
  type YPair,
} from '../../../server/src/engine/fixes/yamlEdit';
import { dedent } from '../../support/dedent';

/** The node at a dotted path (`services.web.networks`), by keys and list indices. */
function at(y: YamlFile, dotted: string): YNode {
  let node: YNode | null | undefined = y.doc.contents as YNode;
  for (const part of dotted.split('.')) {
    const items: unknown[] = (node as YAMLMap | YAMLSeq).items;
    if (/^\d+$/.test(part)) node = (items as YNode[])[Number(part)];
    else
      node = ((items as YPair[]).find((p) => String((p.key as Scalar).value) === part)?.value ??
        null) as YNode;
  }
  assert.ok(node, `nothing at ${dotted}`);
  return node;
}

function pairAt(y: YamlFile, dotted: string): YPair {
  const parts = dotted.split('.');
  const key = parts.pop()!;
  const map = (parts.length ? at(y, parts.join('.')) : y.doc.contents) as YAMLMap;
  const p = y.pair(map as YAMLMap<YNode, YNode | null>, key);
  assert.ok(p, `no pair ${dotted}`);
  return p;
}

const run = (text: string, f: (y: YamlFile) => ReturnType<YamlFile['insert']>): string => {
  const y = new YamlFile('/f.yaml', text);
  return applyEdits(text, f(y));
};

describe('YAML edit primitives', () => {
  describe('style of the file', () => {
    test('indentation step and list dashes come from the file', () => {
      const y = new YamlFile('/f', 'services:\n    web:\n        ports:\n        - 80\n');
      assert.deepEqual(y.style, { eol: '\n', step: 4, seqIndent: 0 });
      assert.deepEqual(new YamlFile('/f', 'a:\r\n  - b\r\n').style, { eol: '\r\n', step: 2, seqIndent: 2 });
      assert.deepEqual(new YamlFile('/f', 'a: 1\n').style, { eol: '\n', step: 2, seqIndent: 2 });
    });

    test('scalars are plain when every YAML reads them back as strings', () => {
      assert.equal(scalarSource('backend'), 'backend');
      assert.equal(scalarSource('db-net'), 'db-net');
      assert.equal(scalarSource('127.0.0.1'), '127.0.0.1');
      assert.equal(scalarSource('yes'), '"yes"'); // a boolean to YAML 1.1 (docker-compose v1)
      assert.equal(scalarSource('null'), '"null"');
      assert.equal(scalarSource('8080'), '"8080"');
      assert.equal(scalarSource('1.5'), '"1.5"');
      assert.equal(scalarSource('a b'), '"a b"');
      assert.equal(scalarSource(true), 'true');
    });

    test('a renamed scalar keeps its quotes', () => {
      const y = new YamlFile('/f', `a: ["x", 'y', z]\n`);
      const [dq, sq, plain] = (at(y, 'a') as YAMLSeq<Scalar>).items;
      assert.equal(scalarLike(dq, 'net'), '"net"');
      assert.equal(scalarLike(sq, "it's"), "'it''s'");
      assert.equal(scalarLike(plain, 'net'), 'net');
    });

    test('flow values', () => {
      assert.equal(flowValue(['a', 'b']), '[a, b]');
      assert.equal(flowValue({ map: [['internal', true]] }), '{internal: true}');
      assert.equal(flowValue(null), '{}');
    });
  });

  describe('appending to a list', () => {
    test('block list: a new line at the dashes’ column, after a comment on the last item', () => {
      const text = dedent`
        services:
          web:
            networks:
              - front # public side
              # - debug
            image: nginx
      `;
      assert.equal(
        run(text, (y) => y.appendToSeq(at(y, 'services.web.networks') as YAMLSeq, 'back')),
        dedent`
          services:
            web:
              networks:
                - front # public side
                - back
                # - debug
              image: nginx
        `,
      );
    });

    test('block list with dashes at the key’s column, quoted items: same style', () => {
      const text = 'networks:\n- "a"\n- "b"\n';
      assert.equal(
        run(text, (y) => y.appendToSeq(at(y, 'networks') as YAMLSeq, 'c')),
        'networks:\n- "a"\n- "b"\n- "c"\n',
      );
    });

    test('flow lists, empty or not, stay flow', () => {
      assert.equal(
        run('a: [x, y]\n', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a: [x, y, z]\n',
      );
      assert.equal(
        run('a: [ x ]\n', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a: [ x, z ]\n',
      );
      assert.equal(
        run('a: []\n', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a: [z]\n',
      );
      assert.equal(
        run('a: [\n  x,\n  y,\n]\n', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a: [\n  x,\n  y, z,\n]\n',
      );
    });

    test('a file without a final newline, and one with CRLF line ends', () => {
      assert.equal(
        run('a:\n  - x', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a:\n  - x\n  - z',
      );
      assert.equal(
        run('a:\r\n  - x\r\nb: 1\r\n', (y) => y.appendToSeq(at(y, 'a') as YAMLSeq, 'z')),
        'a:\r\n  - x\r\n  - z\r\nb: 1\r\n',
      );
    });
  });

  describe('adding to a mapping', () => {
    test('block mapping: the entry at the keys’ column, nested values with the file’s step', () => {
      const text = dedent`
        services:
            web:
                image: nginx   # pinned elsewhere
        volumes: {}
      `;
      assert.equal(
        run(text, (y) => y.appendToMap(at(y, 'services.web') as YAMLMap, 'networks', ['front', 'back'])),
        dedent`
          services:
              web:
                  image: nginx   # pinned elsewhere
                  networks:
                      - front
                      - back
          volumes: {}
        `,
      );
      assert.equal(
        run(text, (y) => y.appendToMap(at(y, 'services') as YAMLMap, 'db', { map: [['image', 'postgres']] })),
        dedent`
          services:
              web:
                  image: nginx   # pinned elsewhere
              db:
                  image: postgres
          volumes: {}
        `,
      );
    });

    test('a mapping that is a list item: continuation lines under its first key', () => {
      const text = 'ports:\n  - target: 5432\n    published: 5432\n';
      assert.equal(
        run(text, (y) => y.appendToMap(at(y, 'ports.0') as YAMLMap, 'host_ip', '127.0.0.1')),
        'ports:\n  - target: 5432\n    published: 5432\n    host_ip: 127.0.0.1\n',
      );
    });

    test('flow mappings stay flow', () => {
      assert.equal(
        run('db: {image: postgres}\n', (y) => y.appendToMap(at(y, 'db') as YAMLMap, 'networks', ['a'])),
        'db: {image: postgres, networks: [a]}\n',
      );
      assert.equal(
        run('n: {}\n', (y) => y.appendToMap(at(y, 'n') as YAMLMap, 'internal', true)),
        'n: {internal: true}\n',
      );
    });

    test('an empty value gets a block under the key; a comment on the key’s line stays there', () => {
      const text = 'networks:\n  back: # data\n    # later\n  front:\n';
      assert.equal(
        run(text, (y) => y.fillEmpty(pairAt(y, 'networks.back'), { map: [['internal', true]] })),
        'networks:\n  back: # data\n    internal: true\n    # later\n  front:\n',
      );
      assert.equal(
        run('a: null\nb: 1\n', (y) => y.fillEmpty(pairAt(y, 'a'), { map: [['x', 1]] })),
        'a:\n  x: 1\nb: 1\n',
      );
      assert.equal(
        run('m: {a: }\n', (y) => y.fillEmpty(pairAt(y, 'm.a'), ['x'])),
        'm: {a: [x] }\n',
      );
    });

    test('a top-level key goes after the last one, before a trailing comment block', () => {
      assert.equal(
        run('services:\n  a:\n    image: x\n# end\n', (y) =>
          y.addTopLevel('networks', { map: [['net', null]] }),
        ),
        'services:\n  a:\n    image: x\nnetworks:\n  net:\n# end\n',
      );
      assert.equal(
        run('', (y) => y.addTopLevel('networks', { map: [['net', null]] })),
        'networks:\n  net:\n',
      );
    });
  });

  describe('removing', () => {
    test('a block list item goes with its line and the comment on it', () => {
      const text = 'a:\n  - x   # first\n  # about y\n  - y\n  - z\nb: 1\n';
      assert.equal(
        run(text, (y) => y.removeFromSeq(at(y, 'a') as YAMLSeq, at(y, 'a.0'))),
        'a:\n  # about y\n  - y\n  - z\nb: 1\n',
      );
      assert.equal(
        run(text, (y) => y.removeFromSeq(at(y, 'a') as YAMLSeq, at(y, 'a.2'))),
        'a:\n  - x   # first\n  # about y\n  - y\nb: 1\n',
      );
    });

    test('flow list items take a separating comma with them', () => {
      const rm = (text: string, i: number): string =>
        run(text, (y) => y.removeFromSeq(at(y, 'a') as YAMLSeq, at(y, `a.${i}`)));
      assert.equal(rm('a: [x, y, z]\n', 0), 'a: [y, z]\n');
      assert.equal(rm('a: [x, y, z]\n', 1), 'a: [x, z]\n');
      assert.equal(rm('a: [x, y, z]\n', 2), 'a: [x, y]\n');
      assert.equal(rm('a: [x]\n', 0), 'a: []\n');
    });

    test('a block mapping entry goes with all its lines, comments inside included', () => {
      const text = dedent`
        networks:
          keep:
          gone: # old
            # really old
            driver: bridge
          last:
      `;
      assert.equal(
        run(text, (y) => y.removeFromMap(at(y, 'networks') as YAMLMap, pairAt(y, 'networks.gone'))),
        'networks:\n  keep:\n  last:\n',
      );
    });

    test('the first entry of a list item’s mapping: the next one moves up behind the dash', () => {
      const text = 'p:\n  - target: 80\n    published: 8080\n';
      assert.equal(
        run(text, (y) => y.removeFromMap(at(y, 'p.0') as YAMLMap, pairAt(y, 'p.0.target'))),
        'p:\n  - published: 8080\n',
      );
    });

    test('flow mapping entries', () => {
      assert.equal(
        run('m: {a: 1, b: 2}\n', (y) => y.removeFromMap(at(y, 'm') as YAMLMap, pairAt(y, 'm.b'))),
        'm: {a: 1}\n',
      );
    });
  });

  test('anchored nodes that an alias or a merge key uses are shared; others are not', () => {
    const y = new YamlFile(
      '/f',
      dedent`
        x-base: &base
          networks: [a]
        x-lonely: &lonely
          networks: [b]
        services:
          web:
            <<: *base
            networks: [c]
      `,
    );
    assert.equal(y.isShared(at(y, 'x-base.networks')), true);
    assert.equal(y.isShared(at(y, 'x-lonely.networks')), false);
    assert.equal(y.isShared(at(y, 'services.web.networks')), false);
  });
});
