/**
 * An editor's analyses keep what an edit did not touch (the parse cache's trees, and the
 * canonical forms, service models and host mentions built from their nodes); the report must
 * be the one a fresh analysis of the same text gives, whatever the edit and wherever it moves
 * the services after it. Random edits of realistic projects, each checked against a fresh one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeProject, ParseCache, type LoadOptions } from '../../server/src/engine/index';
import type { ReachabilityReport } from '../../shared/src/report';
import { dedent } from '../support/dedent';
import { generateProject } from '../support/generateProject';
import { memoryHost } from '../support/memoryHost';

/** Profiles, extends, links, aliases, network_mode, container names, ports and URLs: what the memos read. */
const RICH = dedent`
  name: shop
  x-env: &env
    LOG_LEVEL: info
  services:
    proxy:
      image: nginx:1.27
      ports:
        - "127.0.0.1:8080:80"
        - 8443:443
      networks: [front]
      depends_on: [web]
    web:
      image: acme/web
      container_name: shop-web
      environment:
        <<: *env
        API_URL: http://api:8000/v1
        CACHE: redis://cache:6379
      networks:
        front:
        back:
          aliases: [www]
    api:
      extends: base
      environment:
        - DATABASE_URL=postgres://u:p@db:5432/shop
        - PEER=shop-web:80
      links:
        - db:database
      networks: [back]
    base:
      image: acme/api
      profiles: [tools]
      networks: [back]
    sidecar:
      image: envoyproxy/envoy
      network_mode: service:api
    db:
      image: postgres:16
      ports: ["5432:5432"]
      networks: [data, back]
    cache:
      image: redis:7
      profiles: [cache]
      networks: [back]
  networks:
    front:
    back:
    data:
      internal: true
`;

const OVERRIDE = dedent`
  services:
    web:
      ports: ["3000:3000"]
    db:
      environment:
        POSTGRES_PASSWORD: secret
`;

/** What the report shows, as data: positions included, so a span left behind by a move shows. */
function shown(report: ReachabilityReport): unknown {
  return JSON.parse(
    JSON.stringify({ diagnostics: report.diagnostics, services: report.services, networks: report.networks }),
  );
}

/** Characters people type, and ones that break YAML or move whole lines. */
const CHARS = [
  'a',
  'b',
  '-',
  ' ',
  '\n',
  ':',
  '"',
  '#',
  '&',
  '*',
  '[',
  '$',
  '  ',
  '\n  x:',
  '\n    ',
  ',',
  '.',
];

const edit = fc.record({
  file: fc.constantFrom('compose.yaml', 'compose.yaml', 'compose.yaml', 'compose.override.yaml'),
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.array(fc.constantFrom(...CHARS), { maxLength: 3 }).map((xs) => xs.join('')),
  profiles: fc.constantFrom<string[]>([], [], ['tools'], ['cache', 'tools']),
});

/**
 * The seed of the random edits: how many parses were incremental depends on the edits drawn
 * (98 to 160 over ten seeds), and that check must not fail by chance.
 */
const SEED = 6;

function check(start: Record<string, string>, runs: number): { incremental: number } {
  let incremental = 0;
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), (edits) => {
      const files = { ...start };
      const host = memoryHost(files);
      const cache = new ParseCache(0);
      const analyse = (options: LoadOptions, withCache: boolean): unknown =>
        shown(analyzeProject(options, host, {}, withCache ? cache : undefined).report);
      let options: LoadOptions = { files: [], workingDirectory: '/project' };
      assert.deepEqual(analyse(options, true), analyse(options, false));
      for (const e of edits) {
        const text = files[e.file]!;
        const at = e.at % (text.length + 1);
        files[e.file] = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        Object.assign(host, memoryHost(files));
        options = { ...options, profiles: e.profiles };
        assert.deepEqual(analyse(options, true), analyse(options, false), JSON.stringify(e));
      }
      incremental += cache.stats.incremental;
    }),
    { numRuns: runs, seed: SEED },
  );
  return { incremental };
}

describe('incremental analysis', () => {
  test('random edits of a generated project: the report of a fresh analysis', () => {
    const generated = generateProject(12).files;
    const { incremental } = check(generated, 150);
    // Many edits break the YAML, but the cached and moved nodes must be exercised often.
    assert.ok(incremental > 80, `incremental parses: ${incremental}`);
  });

  test('random edits of a project with profiles, extends, links and aliases: the report of a fresh analysis', () => {
    const { incremental } = check({ 'compose.yaml': RICH, 'compose.override.yaml': OVERRIDE }, 150);
    assert.ok(incremental > 80, `incremental parses: ${incremental}`);
  });

  test('a service keeps its model while an edit before it moves it, and its spans move with it', () => {
    const files = { 'compose.yaml': RICH };
    const host = memoryHost(files);
    const cache = new ParseCache(0);
    // `tools` turns on api (it extends base, which has the profile).
    const options: LoadOptions = { files: [], workingDirectory: '/project', profiles: ['tools'] };
    const before = analyzeProject(options, host, {}, cache);
    // A longer image name for the proxy: every service after it moves by three characters.
    files['compose.yaml'] = RICH.replace('nginx:1.27', 'nginx:1.27.3');
    Object.assign(host, memoryHost(files));
    const after = analyzeProject(options, host, {}, cache);
    assert.equal(cache.stats.incremental, 1);
    assert.equal(after.model.services.get('db'), before.model.services.get('db'));
    assert.notEqual(after.model.services.get('proxy'), before.model.services.get('proxy'));
    assert.deepEqual(shown(after.report), shown(analyzeProject(options, host, {}).report));
    // A host cut out of a URL, on a service that moved: the need points at the name still.
    const web = after.report.services.find((s) => s.name === 'web')!;
    const need = web.needs.find((n) => n.target === 'api')!.location.range;
    const line = files['compose.yaml'].split('\n')[need.start.line]!;
    assert.equal(line.slice(need.start.character, need.end.character), 'api');
    assert.equal(after.model.services.get('web'), before.model.services.get('web'));
  });
});
