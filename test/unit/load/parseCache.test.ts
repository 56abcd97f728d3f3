/**
 * The parse cache gives the tree a whole parse gives, offsets and all, whatever the edit: it
 * may only be faster. Random edits of realistic files, typed one character at a time as in an
 * editor, each checked against a fresh whole parse.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FindingSink } from '../../../server/src/engine/diagnostics';
import { parseYaml, type ParsedYaml, type ScalarRewriter } from '../../../server/src/engine/load/parse';
import { ParseCache, type Lookup } from '../../../server/src/engine/load/parseCache';
import { generateProject } from '../../support/generateProject';
import { dedent } from '../../support/dedent';

const FILE = '/project/compose.yaml';

/** Interpolation as the loader does it, enough to see values and errors move. */
const makeRewrite =
  (env: Lookup, sink: FindingSink): ScalarRewriter =>
  (value, span) => {
    const m = /\$\{(\w+)(?::-([^}]*))?\}/.exec(value);
    if (!m) return value;
    const got = env(m[1]!) ?? m[2];
    if (got === undefined) sink.error('invalid-compose', `${m[1]} is not set`, span);
    return value.replace(m[0], got ?? '');
  };

function whole(text: string, env: Lookup): { root: unknown; findings: unknown } {
  const sink = new FindingSink();
  const parsed = parseYaml(FILE, text, makeRewrite(env, sink), sink);
  return { root: parsed.root, findings: sink.findings };
}

function cached(cache: ParseCache, text: string, env: Lookup): { root: unknown; findings: unknown } {
  const sink = new FindingSink();
  const parsed = cache.parse(FILE, text, env, makeRewrite, sink);
  return { root: parsed.root, findings: sink.findings };
}

/** Parses `text`, then each replacement in turn, each checked against a whole parse. */
function typeInto(cache: ParseCache, text: string, ...replacements: Array<[string, string]>): void {
  cached(cache, text, env);
  for (const [from, to] of replacements) {
    text = text.replace(from, to);
    assert.deepEqual(cached(cache, text, env), whole(text, env), `${from} -> ${to}`);
  }
}

/**
 * The seed of the random-edit runs whose count of incremental parses is checked: that count
 * depends on the edits drawn (95 to 171 over ten seeds), and a check must not fail by chance.
 */
const SEED = 6;

const SAMPLE = generateProject(12).files['compose.yaml']!;
const env: Lookup = (name) => ({ LOG_LEVEL: 'debug' })[name];

/** Characters people type, and ones that break YAML. */
const CHARS = [
  'a',
  '-',
  ' ',
  '\n',
  ':',
  '"',
  "'",
  '#',
  '&',
  '*',
  '[',
  '{',
  '$',
  '\t',
  '|',
  '  ',
  '\n  x:',
  '\n    ',
];

const edit = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.array(fc.constantFrom(...CHARS), { maxLength: 3 }).map((xs) => xs.join('')),
});

/** Deep nesting: a service whose value is `depth` mappings one in another. */
function nested(depth: number): string {
  let out = '';
  for (let i = 0; i < depth; i++) out += `${'  '.repeat(i + 2)}k${i}:\n`;
  return out + `${'  '.repeat(depth + 2)}leaf: 1\n`;
}

/**
 * Files an attacker or a careless editor writes: the shapes the incremental path must decline
 * or read exactly as a whole parse does.
 */
const HOSTILE = [
  // A root mapping indented one space.
  ' services:\n   web:\n     image: x\n   db:\n     image: y\n   end:\n     image: z\n networks:\n   n:\n',
  // Tabs in values and in indentation.
  'services:\n  web:\n    image:\tx\n  db:\n    command: ["a",\t"b"]\n  end:\n    image: z\n',
  // Flow collections spanning lines.
  'services:\n  web:\n    ports: [\n      "80:80",\n      "443:443"]\n  db:\n    environment: {A: 1,\n      B: 2}\n  end:\n    image: z\n',
  // Anchors and aliases, across services and at the top level.
  'x-a: &a\n  image: x\nservices:\n  web:\n    <<: *a\n  db: &db\n    image: y\n  c:\n    <<: *db\n  end:\n    labels: *a\nx-b: *db\n',
  // Document markers.
  '---\nservices:\n  web:\n    image: x\n  db:\n    image: y\n  end:\n    image: z\n...\n',
  // CR-only and CRLF line endings.
  SAMPLE.replace(/\n/g, '\r'),
  SAMPLE.replace(/\n/g, '\r\n'),
  // Deep nesting.
  `services:\n  web:\n${nested(40)}  db:\n    image: y\n  end:\n    image: z\n`,
  // Plain, for edits that make it hostile.
  SAMPLE,
];

/** Characters and fragments that break the shapes the incremental path relies on. */
const HOSTILE_CHARS = [
  ...CHARS,
  '\r',
  '\r\n',
  '\n ',
  '\nx-top:',
  '\n services:',
  '\nnetworks:\n  n:',
  '---',
  '\n---\n',
  '\n...\n',
  '%YAML 1.2',
  '&a ',
  '*a',
  '<<: *a',
  ']',
  '}',
  ',',
  '? ',
  '!!str ',
  '!reset ',
  '\ufeff',
  '\u2028',
  '\0',
];

const hostileEdit = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.array(fc.constantFrom(...HOSTILE_CHARS), { maxLength: 2 }).map((xs) => xs.join('')),
});

describe('ParseCache', () => {
  test('random edits: the same tree and findings as a whole parse', () => {
    const stats = { incremental: 0, full: 0 };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const cache = new ParseCache();
        let text = SAMPLE;
        assert.deepEqual(cached(cache, text, env), whole(text, env));
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
          assert.deepEqual(cached(cache, text, env), whole(text, env), JSON.stringify(e));
        }
        stats.incremental += cache.stats.incremental;
        stats.full += cache.stats.full;
      }),
      { numRuns: 150, seed: SEED },
    );
    // Many of these edits break the YAML (the whole file is parsed until it is fixed), but the
    // fast path must be taken and checked often.
    assert.ok(stats.incremental > 80, JSON.stringify(stats));
  });

  test('random edits, a file parsed in full block by block: the same tree as a whole parse', () => {
    const stats = { inBlocks: 0, full: 0 };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 0, maxLength: 8 }), (edits) => {
        let text = SAMPLE;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        // A new cache: its first parse of the text is a full one, block by block when it can.
        const cache = new ParseCache(0);
        assert.deepEqual(cached(cache, text, env), whole(text, env), text);
        stats.inBlocks += cache.stats.inBlocks;
        stats.full += cache.stats.full;
      }),
      { numRuns: 400, seed: 2026 },
    );
    // Most of these texts are broken YAML (parsed whole), but many must split.
    assert.ok(stats.inBlocks > 50, JSON.stringify(stats));
  });

  test('a file parsed block by block: anchors across blocks, then edits', () => {
    const cache = new ParseCache(0);
    const text = dedent`
      x-log: &log
        driver: json-file
      name: demo
      services:
        # the front
        web:
          image: nginx
          logging: *log
          labels: &labels
            tier: front
        api: &api
          image: acme/api
          labels: *labels
        worker:
          <<: *api
          command: work
      networks:
        back:
      x-end: *log
    `;
    assert.deepEqual(cached(cache, text, env), whole(text, env));
    assert.deepEqual(cache.stats, { full: 1, inBlocks: 1, incremental: 0, reused: 0 });
    // The anchors a later edit resolves against are the whole parse's, once each, sizes and all.
    const anchors = (parsed: ParsedYaml): unknown =>
      parsed.anchors.map((a) => [a.name, a.start, a.size, a.value]);
    const sink = new FindingSink();
    assert.deepEqual(
      anchors(new ParseCache(0).parse(FILE, text, env, makeRewrite, sink)),
      anchors(parseYaml(FILE, text, makeRewrite(env, sink), sink)),
    );
    const typed = text.replace('command: work', 'command: works');
    assert.deepEqual(cached(cache, typed, env), whole(typed, env));
    assert.equal(cache.stats.incremental, 1);
  });

  test('typing letters: mostly one service parsed, always the same tree', () => {
    const stats = { incremental: 0, edits: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), letter: fc.constantFrom('a', 'b', '') }), {
          minLength: 1,
          maxLength: 20,
        }),
        (edits) => {
          const cache = new ParseCache();
          let text = SAMPLE;
          cached(cache, text, env);
          for (const e of edits) {
            const at = e.at % text.length;
            // A letter typed, or the one before the cursor deleted, where letters already are.
            if (!/[a-z]/.test(text[at]!)) continue;
            text = text.slice(0, at) + e.letter + text.slice(e.letter ? at : at + 1);
            assert.deepEqual(cached(cache, text, env), whole(text, env), JSON.stringify(e));
            stats.edits++;
          }
          stats.incremental += cache.stats.incremental;
        },
      ),
      { numRuns: 100, seed: 2026 },
    );
    assert.ok(stats.incremental > stats.edits / 2, JSON.stringify(stats));
  });

  test('an edit inside one service parses that service only; elsewhere, the whole file', () => {
    const cache = new ParseCache();
    const text = dedent`
      x-log: &log
        driver: json-file
      services:
        web:
          image: nginx
          logging: *log
        api:
          image: acme/api
        db:
          image: postgres
      networks:
        back:
    `;
    cached(cache, text, env);
    const typed = text.replace('acme/api', 'acme/apix');
    assert.deepEqual(cached(cache, typed, env), whole(typed, env));
    assert.deepEqual(cache.stats, { full: 1, inBlocks: 0, incremental: 1, reused: 0 });
    // The same text again: reused as it is.
    cached(cache, typed, env);
    assert.equal(cache.stats.reused, 1);
    // The alias resolves to the anchor before the block when that service is the edited one.
    const web = typed.replace('image: nginx', 'image: caddy');
    assert.deepEqual(cached(cache, web, env), whole(web, env));
    assert.equal(cache.stats.incremental, 2);
    // Top-level networks after services: parsed with the last service, not the whole file.
    const nets = web.replace('back:', 'backend:');
    assert.deepEqual(cached(cache, nets, env), whole(nets, env));
    assert.deepEqual(cache.stats, { full: 1, inBlocks: 0, incremental: 3, reused: 1 });
    // The anchor before services: the whole file.
    const log = nets.replace('json-file', 'local');
    assert.deepEqual(cached(cache, log, env), whole(log, env));
    assert.equal(cache.stats.full, 2);
  });

  test('the last service and what follows it: parsed from that service on', () => {
    const cache = new ParseCache();
    const text = dedent`
      services:
        web:
          image: nginx
        db:
          image: postgres
          # trailing comment of db
      # a comment before networks
      networks:
        back:
    `;
    cached(cache, text, env);
    const steps = [
      text.replace('postgres', 'postgres:16'),
      // A new service typed at the end, one line at a time.
      text.replace('# a comment', '  cache:\n    image: redis\n# a comment'),
      text.replace('  back:', '  back:\n    internal: true'),
      // A top-level key after services, then a service key that clashes with one before.
      text + 'volumes:\n  data:\n',
      text.replace('# a comment', '  web:\n    image: x\n# a comment'),
    ];
    for (const step of steps) {
      assert.deepEqual(cached(cache, step, env), whole(step, env));
      assert.deepEqual(cached(cache, text, env), whole(text, env));
    }
    // Parsed whole: the clash (a YAML error in the file) and the way back from it, and the
    // new service's removal, which starts at its key.
    assert.deepEqual(cache.stats, { full: 4, inBlocks: 0, incremental: 7, reused: 0 });
  });

  test('an alias in the edited service names the anchor before it, not a later one of the same name', () => {
    const cache = new ParseCache();
    const text = dedent`
      x-one: &log
        driver: one
      services:
        web:
          logging: *log
        api:
          image: acme/api
      x-two: &log
        driver: two
    `;
    cached(cache, text, env);
    const typed = text.replace('logging: *log', 'logging: *log\n    image: caddy');
    const got = cached(cache, typed, env);
    assert.equal(cache.stats.incremental, 1);
    assert.deepEqual(got, whole(typed, env));
  });

  test('a map merged away by `<<` keeps its offsets for a later alias to it', () => {
    // The anchored map is in no entry of the tree, only in the file's anchors: an edit before
    // it moves it, then an alias typed in a later service resolves to it.
    const cache = new ParseCache();
    const text = dedent`
      services:
        web:
          image: nginx
        api:
          <<: &base
            image: acme/api
        db:
          image: postgres
        cache:
          image: redis
        end:
          image: x
    `;
    typeInto(cache, text, ['nginx', 'nginxx'], ['image: redis', 'image: redis\n    labels: *base']);
    assert.equal(cache.stats.incremental, 2);
  });

  test('a node aliased twice after the edit moves once', () => {
    // The walk that moves what follows the edit meets the anchored map three times.
    const cache = new ParseCache();
    const text = dedent`
      services:
        web:
          image: nginx
        api:
          labels: &labels
            tier: back
        worker:
          labels: *labels
          <<: *labels
        end:
          image: x
    `;
    typeInto(cache, text, ['nginx', 'nginx:1.27']);
    assert.equal(cache.stats.incremental, 1);
  });

  test('a re-parsed service keeps none of the text of its keystroke alive', () => {
    // Each edited service keeps its nodes until it is edited again; were they views into the
    // text of their keystroke, 60 edits of a 200 KB file would keep 60 copies of it.
    const gc = collector();
    const cache = new ParseCache();
    let text = generateProject(500).files['compose.yaml']!;
    cached(cache, text, env);
    const images = [...text.matchAll(/^ {4}image: .*$/gm)].map((m) => m.index + m[0].length);
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    for (let i = 0; i < 60; i++) {
      // One character appended to the image of a different service each time; every image
      // line moves by one for each edit before it.
      const at = images[i * 5]! + i;
      text = text.slice(0, at) + 'x' + text.slice(at);
      cached(cache, text, env);
    }
    assert.equal(cache.stats.incremental, 60);
    const grown = heap() - before;
    assert.ok(grown < 4 * text.length, `the heap grew by ${grown} bytes`);
  });

  test('a root mapping indented one space, then a new top-level key: the YAML error a whole parse gives', () => {
    // The tail of the file was parsed under a `services:` line at column 0, where a key at
    // column 0 is a sibling; in the file it ends the mapping indented one space, an error.
    const cache = new ParseCache();
    const text = ' services:\n   web:\n     image: x\n   db:\n     image: y\n';
    cached(cache, text, env);
    for (const step of [text + 'networks:\n  n:\n', text.replace('image: y', 'image: y\nx-a: 1')]) {
      const got = cached(cache, step, env);
      assert.notDeepEqual(whole(step, env).findings, [], 'a whole parse rejects it');
      assert.deepEqual(got, whole(step, env));
    }
  });

  test('hostile shapes, random edits: every incremental result is a whole parse', () => {
    const stats = { incremental: 0, inBlocks: 0, full: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...HOSTILE),
        fc.array(hostileEdit, { minLength: 1, maxLength: 10 }),
        (start, edits) => {
          const cache = new ParseCache();
          let text = start;
          assert.deepEqual(cached(cache, text, env), whole(text, env));
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
            assert.deepEqual(cached(cache, text, env), whole(text, env), JSON.stringify({ start, text }));
          }
          // The full parse done block by block, of the last text, is held to the same.
          const blocks = new ParseCache(0);
          assert.deepEqual(cached(blocks, text, env), whole(text, env), JSON.stringify({ start, text }));
          stats.incremental += cache.stats.incremental;
          stats.inBlocks += blocks.stats.inBlocks;
          stats.full += cache.stats.full;
        },
      ),
      { numRuns: 400, seed: SEED },
    );
    // Most edits break these files, but the fast paths must still be taken, or nothing is
    // checked (seeds 1 to 10: 123 to 172 incremental parses, 24 to 44 in blocks).
    assert.ok(stats.incremental > 80 && stats.inBlocks > 15, JSON.stringify(stats));
  });

  test('a changed environment parses again', () => {
    const cache = new ParseCache();
    const text = 'services:\n  a:\n    image: ${IMAGE}\n  b:\n    image: x\n';
    const one: Lookup = (n) => (n === 'IMAGE' ? 'one' : undefined);
    const two: Lookup = (n) => (n === 'IMAGE' ? 'two' : undefined);
    cached(cache, text, one);
    assert.deepEqual(cached(cache, text, two), whole(text, two));
    assert.equal(cache.stats.full, 2);
  });
});

/** `gc()`, exposed at run time: the suite runs without --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
