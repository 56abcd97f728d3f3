import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix } from '../../shared/src/matrix';
import { reportEdges } from '../../shared/src/reach';
import type { ReachabilityReport } from '../../shared/src/report';
import { README_URL } from '../../shared/src/links';
import { ISOLATION_RULES, RULES } from '../../shared/src/rules';
import { formatJson } from '../../server/src/cli/formats/json';
import { formatMarkdown } from '../../server/src/cli/formats/markdown';
import {
  cellLabel,
  formatMatrixJson,
  formatMatrixMarkdown,
  formatMatrixText,
} from '../../shared/src/matrixFormat';
import { buildSarif, formatSarif, sarifLevel } from '../../server/src/cli/formats/sarif';
import { formatText, summarize } from '../../server/src/cli/formats/text';
import { main, type CliIO } from '../../server/src/cli/main';
import { dedent } from '../support/dedent';
import {
  COMPOSE_FILE,
  PROJECT_DIR,
  finding,
  loc,
  port,
  report,
  service,
  shopReport,
  via,
} from '../support/reports';

const OVERRIDE = `${PROJECT_DIR}/dev/override.yaml`;
const OUTSIDE = '/srv/common.yaml';

/** Three files, four findings of every kind of path, written out of order on purpose. */
function findingsReport(): ReachabilityReport {
  return shopReport({
    files: [COMPOSE_FILE, OVERRIDE, OUTSIDE],
    diagnostics: [
      finding('invalid-compose', 'warning', 'ports | must be a list', loc(3, 4, 3, OVERRIDE)),
      finding(
        'undefined-network',
        'error',
        'Service `api` joins network `bak`, which is not declared.',
        loc(14, 8, 3),
        [{ location: loc(30, 2, 5), message: 'Networks are declared here.' }],
      ),
      finding('missing-file', 'error', 'Cannot read ../common.yaml.', loc(0, 9, 13, OUTSIDE)),
      finding('unused-network', 'hint', 'Network `old` is not used.', loc(2, 0, 3)),
    ],
  });
}

const ESC = '\x1b';

describe('text format', () => {
  test('prints path:line:col severity code message, sorted, then a summary', () => {
    assert.equal(
      formatText(findingsReport(), { cwd: PROJECT_DIR, color: false }),
      dedent`
        /srv/common.yaml:1:10 error missing-file Cannot read ../common.yaml.
        compose.yaml:3:1 hint unused-network Network \`old\` is not used.
        compose.yaml:15:9 error undefined-network Service \`api\` joins network \`bak\`, which is not declared.
          ↳ compose.yaml:31:3 Networks are declared here.
        dev/override.yaml:4:5 warning invalid-compose ports | must be a list

        2 errors, 1 warning, 1 hint in 3 files
      `,
    );
  });

  test('shows paths outside the working directory as they are', () => {
    const out = formatText(findingsReport(), { cwd: `${PROJECT_DIR}/dev`, color: false });
    assert.match(out, /^override\.yaml:4:5 warning/m);
    assert.match(out, /^\/srv\/shop\/compose\.yaml:15:9 error/m);
  });

  test('says so when there is nothing to report', () => {
    assert.equal(formatText(report(), { cwd: PROJECT_DIR, color: false }), 'No findings in 1 file\n');
  });

  test('keeps each finding on one line', () => {
    const r = report({ diagnostics: [finding('x', 'information', 'first\n  second', loc(0, 0))] });
    assert.equal(
      formatText(r, { cwd: PROJECT_DIR, color: false }),
      'compose.yaml:1:1 info x first second\n\n1 info in 1 file\n',
    );
  });

  test('colours severities and the summary, and only that, when asked', () => {
    const plain = formatText(findingsReport(), { cwd: PROJECT_DIR, color: false });
    const coloured = formatText(findingsReport(), { cwd: PROJECT_DIR, color: true });
    assert.ok(!plain.includes(ESC));
    assert.ok(coloured.includes(`${ESC}[31merror${ESC}[0m`));
    assert.ok(coloured.includes(`${ESC}[33mwarning${ESC}[0m`));
    // eslint-disable-next-line no-control-regex
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  });

  test('summarize counts severities and files', () => {
    const f = (severity: 'error' | 'warning' | 'information' | 'hint') =>
      finding('x', severity, 'm', loc(0, 0));
    assert.equal(summarize([], 0), 'No findings in 0 files');
    assert.equal(summarize([f('error')], 1), '1 error in 1 file');
    assert.equal(
      summarize([f('warning'), f('warning'), f('information'), f('information')], 2),
      '2 warnings, 2 infos in 2 files',
    );
  });
});

describe('text colours through main', () => {
  async function runCheck(isTTY: boolean, env: Record<string, string> = {}): Promise<string> {
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      cwd: PROJECT_DIR,
      env,
      isTTY,
    };
    await main(['check'], io, { analyze: () => findingsReport() });
    return stdout;
  }

  test('no ANSI codes when stdout is not a terminal', async () => {
    assert.ok(!(await runCheck(false)).includes(ESC));
  });

  test('colours on a terminal', async () => {
    assert.ok((await runCheck(true)).includes(ESC));
  });

  test('no colours on a terminal when NO_COLOR is set', async () => {
    assert.ok(!(await runCheck(true, { NO_COLOR: '1' })).includes(ESC));
  });
});

describe('json format', () => {
  test('is the report, pretty printed', () => {
    const r = findingsReport();
    const out = formatJson(r);
    assert.deepEqual(JSON.parse(out), { ...r, edges: reportEdges(r) });
    assert.ok(out.startsWith('{\n  "schemaVersion": 1,\n'));
    assert.ok(out.endsWith('}\n'));
  });
});

describe('sarif format', () => {
  const log = buildSarif(findingsReport(), { version: '9.8.7' });
  const run = log.runs[0];

  test('is one SARIF 2.1.0 run of compose-reachability', () => {
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    assert.equal(run.tool.driver.name, 'compose-reachability');
    assert.equal(run.tool.driver.version, '9.8.7');
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///srv/shop/' } });
  });

  test('describes every rule, with its level mapped to SARIF', () => {
    const rules = run.tool.driver.rules;
    for (const meta of Object.values(RULES)) {
      const rule = rules.find((r) => r.id === meta.code);
      assert.ok(rule, meta.code);
      assert.equal(rule.shortDescription.text, meta.short);
      assert.equal(rule.fullDescription.text, meta.full);
      assert.ok(rule.help.text.includes(meta.help));
      assert.ok(rule.help.markdown.includes(meta.help));
      assert.equal(rule.defaultConfiguration.level, sarifLevel(meta.defaultSeverity));
    }
  });

  test('links every isolation rule to its README section', () => {
    for (const code of Object.keys(ISOLATION_RULES)) {
      const rule = run.tool.driver.rules.find((r) => r.id === code);
      assert.ok(rule, code);
      assert.match(rule.helpUri ?? '', new RegExp(`/README\\.md#rule-${code}$`));
    }
    assert.equal(run.tool.driver.rules.find((r) => r.id === 'invalid-yaml')?.helpUri, undefined);
  });

  test('maps error and warning to themselves, information and hint to note', () => {
    assert.equal(sarifLevel('error'), 'error');
    assert.equal(sarifLevel('warning'), 'warning');
    assert.equal(sarifLevel('information'), 'note');
    assert.equal(sarifLevel('hint'), 'note');
  });

  test('gives results in text order, each pointing at its rule', () => {
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level, r.message.text]),
      [
        ['missing-file', 'error', 'Cannot read ../common.yaml.'],
        ['unused-network', 'note', 'Network `old` is not used.'],
        ['undefined-network', 'error', 'Service `api` joins network `bak`, which is not declared.'],
        ['invalid-compose', 'warning', 'ports | must be a list'],
      ],
    );
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId);
  });

  test('adds a rule for a code the rule table lacks', () => {
    const rule = run.tool.driver.rules.find((r) => r.id === 'unused-network');
    assert.ok(rule);
    assert.equal(rule.defaultConfiguration.level, 'note');
  });

  test('locates results relative to %SRCROOT% with 1-based regions', () => {
    const undefinedNetwork = run.results[2]!;
    assert.deepEqual(undefinedNetwork.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'compose.yaml', uriBaseId: '%SRCROOT%' },
          // loc(14, 8, 3): line 14, characters [8, 11), zero-based.
          region: { startLine: 15, startColumn: 9, endLine: 15, endColumn: 12 },
        },
      },
    ]);
    assert.deepEqual(run.results[3]!.locations[0]!.physicalLocation.artifactLocation, {
      uri: 'dev/override.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });

  test('uses an absolute file URI for a file outside the project directory', () => {
    assert.deepEqual(run.results[0]!.locations[0]!.physicalLocation.artifactLocation, {
      uri: 'file:///srv/common.yaml',
    });
  });

  test('percent-encodes relative paths', () => {
    const r = report({
      diagnostics: [finding('x', 'error', 'm', loc(0, 0, 1, `${PROJECT_DIR}/my dir/a#b.yaml`))],
    });
    const uri = buildSarif(r, { version: '1' }).runs[0].results[0]!.locations[0]!.physicalLocation
      .artifactLocation.uri;
    assert.equal(uri, 'my%20dir/a%23b.yaml');
  });

  test('carries related locations with their messages', () => {
    assert.deepEqual(run.results[2]!.relatedLocations, [
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'compose.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 31, startColumn: 3, endLine: 31, endColumn: 8 },
        },
        message: { text: 'Networks are declared here.' },
      },
    ]);
    assert.equal(run.results[0]!.relatedLocations, undefined);
  });

  test('formatSarif is the log as JSON', () => {
    assert.deepEqual(JSON.parse(formatSarif(findingsReport(), { version: '9.8.7' })), log);
  });
});

describe('markdown format', () => {
  test('is a heading and a table of findings', () => {
    assert.equal(
      formatMarkdown(findingsReport(), { cwd: PROJECT_DIR }),
      dedent`
        ### Compose Reachability: \`shop\`

        | Severity | Rule | Location | Message |
        | --- | --- | --- | --- |
        | ❌ error | \`missing-file\` | \`/srv/common.yaml:1\` | Cannot read ../common.yaml. |
        | 💡 hint | [\`unused-network\`](${README_URL}#rule-unused-network) | \`compose.yaml:3\` | Network \`old\` is not used. |
        | ❌ error | \`undefined-network\` | \`compose.yaml:15\` | Service \`api\` joins network \`bak\`, which is not declared. |
        | ⚠️ warning | \`invalid-compose\` | \`dev/override.yaml:4\` | ports \\| must be a list |

        **2 errors, 1 warning, 1 hint in 3 files**
      `,
    );
  });

  test('says "No findings" when there are none', () => {
    assert.equal(
      formatMarkdown(report(), { cwd: PROJECT_DIR }),
      '### Compose Reachability: `shop`\n\n✅ No findings in 1 file\n',
    );
  });
});

describe('matrix formats', () => {
  test('cellLabel names networks, then ns and port; · for none', () => {
    assert.equal(cellLabel(null), '·');
    assert.equal(cellLabel([]), '·');
    assert.equal(cellLabel([via.net('b'), via.net('a'), via.net('b')]), 'a,b');
    assert.equal(cellLabel([via.port(port('80:80')), via.ns(), via.port(port('443:443'))]), 'ns,port');
  });

  test('text: an aligned grid, a legend, ports and egress, inactive services', () => {
    assert.equal(
      formatMatrixText(buildMatrix(shopReport())),
      dedent`
        shop: who can reach whom (row → column)

                        proxy       api    worker  db
        public  proxy   -           front  ·       ·
        app     api     front,port  -      back    back
                worker  ·           back   -       back
        data    db      ·           back   back    -

        Cells: the networks both services are on; ns = same network namespace;
               port = a port published on the host; · = cannot connect.

        SERVICE  TIER    EGRESS  PORTS
        proxy    public  yes     0.0.0.0:80->80/tcp, 127.0.0.1:8081->8081/tcp (host only)
        api      app     yes     -
        worker   app     no      -
        db       data    no      5432/tcp (not published)

        Not running (profiles not enabled): debug (debug)
      `,
    );
  });

  test('text: numbers the columns when the names make the grid too wide', () => {
    const out = formatMatrixText(buildMatrix(shopReport()), { maxWidth: 40 });
    assert.equal(
      out.split('\n').slice(2, 7).join('\n') + '\n',
      dedent`
                          1           2      3     4
        public  1 proxy   -           front  ·     ·
        app     2 api     front,port  -      back  back
                3 worker  ·           back   -     back
        data    4 db      ·           back   back  -
      `,
    );
  });

  test('text: long service names switch to numbered columns at the default width', () => {
    const names = ['payments-gateway', 'notification-dispatcher', 'inventory-service', 'search-indexer'];
    const out = formatMatrixText(buildMatrix(report({ services: names.map((n) => service(n)) })));
    const grid = out.split('\n').slice(2, 7);
    assert.ok(
      grid.every((line) => line.length <= 80),
      out,
    );
    // Every one reaches every other over `default`: the cells say so, and the numbers head them.
    assert.equal(grid[0]!.trim(), '1        2        3        4');
  });

  test('text: host mode and an empty project', () => {
    const host = report({ services: [service('h', { attachment: { kind: 'host' }, networks: [] })] });
    assert.match(
      formatMatrixText(buildMatrix(host)),
      /^h +app +yes +every listening port \(network_mode: host\)$/m,
    );
    assert.equal(
      formatMatrixText(buildMatrix(report())),
      'shop: who can reach whom (row → column)\n\nNo active services.\n',
    );
  });

  test('markdown: the grid and the ports as tables', () => {
    assert.equal(
      formatMatrixMarkdown(buildMatrix(shopReport())),
      dedent`
        ### Reachability matrix: \`shop\`

        | from ↓ to → | proxy | api | worker | db |
        | --- | --- | --- | --- | --- |
        | **proxy** (public) | - | front | · | · |
        | **api** (app) | front,port | - | back | back |
        | **worker** (app) | · | back | - | back |
        | **db** (data) | · | back | back | - |

        Cells: the networks both services are on; \`ns\` = same network namespace; \`port\` = a port published on the host; · = cannot connect.

        | Service | Tier | Egress | Ports |
        | --- | --- | --- | --- |
        | proxy | public | yes | \`0.0.0.0:80->80/tcp\`, \`127.0.0.1:8081->8081/tcp\` (host only) |
        | api | app | yes | - |
        | worker | app | no | - |
        | db | data | no | \`5432/tcp\` (not published) |

        Not running (profiles not enabled): \`debug\` (debug)
      `,
    );
  });

  test('json: the Matrix, pretty printed', () => {
    const m = buildMatrix(shopReport());
    const out = formatMatrixJson(m);
    const { cell, reachCount, ...data } = m;
    const cells = m.services.map((_, i) => m.services.map((_, j) => cell(i, j)));
    assert.deepEqual(JSON.parse(out), { ...data, cells });
    assert.equal(reachCount(0), 1);
    assert.deepEqual(cells[0]![1], [via.net('front')]);
    assert.ok(out.startsWith('{\n  "project": "shop",\n'));
  });
});
