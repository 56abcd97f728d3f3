import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisSettings } from '../../../server/src/engine/host';
import { analyzeFiles } from '../../support/analyze';
import { dedent } from '../../support/dedent';
import { analyzeYaml, codesAt, shown } from '../../support/rules';

/** The seed's flat example: public-reaches-data on `web`, flat-network on `database`. */
const FLAT = dedent`
  services:
    web:
      image: nginx
    api:
      image: myapi
    database:
      image: postgres
`;

const levels = (yaml: string, settings?: AnalysisSettings): string[] =>
  analyzeYaml(yaml, settings).diagnostics.map((d) => `${d.code}:${d.severity}`);

describe('rule levels', () => {
  test('defaults', () => {
    assert.deepEqual(levels(FLAT), ['public-reaches-data:warning', 'flat-network:warning']);
  });

  test('settings turn a rule off or change its severity', () => {
    assert.deepEqual(levels(FLAT, { rules: { 'flat-network': 'off', 'public-reaches-data': 'error' } }), [
      'public-reaches-data:error',
    ]);
  });

  test('a setting of the wrong kind (from JSON) is ignored', () => {
    const bogus = { rules: { 'flat-network': 'loud' } } as unknown as AnalysisSettings;
    assert.deepEqual(levels(FLAT, bogus), ['public-reaches-data:warning', 'flat-network:warning']);
  });

  test('the file block sets levels', () => {
    const yaml = `x-reachability:\n  rules:\n    flat-network: off\n    public-reaches-data: hint\n${FLAT}`;
    assert.deepEqual(levels(yaml), ['public-reaches-data:hint']);
  });

  test('settings win over the file block, which wins over the defaults', () => {
    const yaml = `x-reachability:\n  rules: { flat-network: off, public-reaches-data: error }\n${FLAT}`;
    assert.deepEqual(levels(yaml, { rules: { 'flat-network': 'information' } }), [
      'public-reaches-data:error',
      'flat-network:information',
    ]);
  });

  test('load errors can be re-levelled too', () => {
    const yaml = 'services:\n  web:\n    image: x\n    imgae: typo\n';
    assert.deepEqual(levels(yaml, { rules: { 'invalid-compose': 'warning' } }), ['invalid-compose:warning']);
  });

  test('an uncertain finding stays at information whatever the level, and can go lower', () => {
    const yaml =
      'services:\n  a:\n    image: x\n    network_mode: container:vpn\n    depends_on: [b]\n  b:\n    image: y\n';
    assert.deepEqual(levels(yaml), ['unreachable-dependency:information']);
    assert.deepEqual(levels(yaml, { rules: { 'unreachable-dependency': 'hint' } }), [
      'unreachable-dependency:hint',
    ]);
  });

  test('the file block can live in an override file, merged like any key', () => {
    const r = analyzeFiles({
      'compose.yaml': `x-reachability:\n  rules: { flat-network: off }\n${FLAT}`,
      'compose.override.yaml': 'x-reachability:\n  rules: { public-reaches-data: information }\n',
    });
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code}:${d.severity}`),
      ['public-reaches-data:information'],
    );
  });
});

describe('the x-reachability block: bad values are invalid-compose on the value', () => {
  const bad = (block: string): string[] => {
    const r = analyzeYaml(`x-reachability:\n${block}${FLAT}`);
    return shown(r, 'invalid-compose').map((s) => `${s.text}: ${s.message}`);
  };

  test('an unknown rule, a bad level', () => {
    assert.deepEqual(bad('  rules:\n    flat-netwrok: off\n    public-reaches-data: loud\n'), [
      'flat-netwrok: `x-reachability`.rules: unknown rule `flat-netwrok`.',
      'loud: `x-reachability`.rules.public-reaches-data must be off, error, warning, information or hint.',
    ]);
  });

  test('unknown keys and wrong shapes', () => {
    assert.deepEqual(bad('  rule: {}\n'), [
      'rule: `x-reachability`: unknown key `rule` (expected rules or tiers).',
    ]);
    assert.deepEqual(bad('  rules: [flat-network]\n'), [
      '[flat-network]: `x-reachability`.rules must be a mapping of rule codes to levels.',
    ]);
    assert.deepEqual(bad('  tiers:\n    public: [myproxy, 3]\n    app: [x]\n'), [
      '3: `x-reachability`.tiers.public must be a list of image names.',
      'app: `x-reachability`.tiers: unknown key `app` (expected public or data).',
    ]);
    assert.deepEqual(
      shown(analyzeYaml(`x-reachability: strict\n${FLAT}`), 'invalid-compose').map((s) => s.text),
      ['strict'],
    );
  });

  test('a bad value is ignored, the rest of the block applies', () => {
    const r = analyzeYaml(
      `x-reachability:\n  rules:\n    flat-network: off\n    public-reaches-data: loud\n${FLAT}`,
    );
    assert.deepEqual(codesAt(r), ['invalid-compose@loud', 'public-reaches-data@web']);
  });

  test('tiers from the block: a single image without a list', () => {
    const r = analyzeYaml(`x-reachability:\n  tiers:\n    public: myapi\n${FLAT}`);
    assert.equal(r.services.find((s) => s.name === 'api')?.tier?.tier, 'public');
  });
});

describe('inline suppression', () => {
  const yaml = (comment: string): string => dedent`
    services:
      ${comment}
      web:
        image: nginx
      api:
        image: myapi
      database:
        image: postgres
  `;

  test('on the line above, naming the code', () => {
    assert.deepEqual(codesAt(analyzeYaml(yaml('# compose-reachability-ignore public-reaches-data'))), [
      'flat-network@database',
    ]);
  });

  test('another code is not suppressed', () => {
    assert.deepEqual(codesAt(analyzeYaml(yaml('# compose-reachability-ignore flat-network'))), [
      'public-reaches-data@web',
      'flat-network@database',
    ]);
  });

  test('no code: every finding there', () => {
    assert.deepEqual(codesAt(analyzeYaml(yaml('# compose-reachability-ignore'))), ['flat-network@database']);
  });

  test('on the same line, several codes, comma or space separated, with a reason after --', () => {
    const r = analyzeYaml(dedent`
      services:
        web: # compose-reachability-ignore host-network-mode, public-reaches-data -- the proxy is trusted
          image: nginx
        api:
          image: myapi
        database: # compose-reachability-ignore flat-network unused-network
          image: postgres
    `);
    assert.deepEqual(codesAt(r), []);
  });

  test('comment lines stacked above count; a blank line or code in between ends them', () => {
    const stacked = dedent`
      services:
        # compose-reachability-ignore public-reaches-data
        # the proxy only serves static files
        web:
          image: nginx
        api:
          image: myapi
        # compose-reachability-ignore flat-network

        database:
          image: postgres
    `;
    assert.deepEqual(codesAt(analyzeYaml(stacked)), ['flat-network@database']);
  });

  test('on a port token; text inside a quoted value is not a comment', () => {
    const r = analyzeYaml(dedent`
      services:
        db:
          image: redis
          ports:
            - "6379:6379" # compose-reachability-ignore data-port-published
            - "6380:6380"
        cache:
          image: redis
          ports: ["6381:6381", 'it''s # compose-reachability-ignore']
    `);
    assert.deepEqual(codesAt(r), [
      "invalid-compose@'it''s # compose-reachability-ignore'",
      'data-port-published@"6380:6380"',
      'data-port-published@"6381:6381"',
    ]);
  });
});
