/**
 * The server's modules in-process, on hand-built reports and in-memory files: the hover
 * texts, the diagnostic mapping, settings, file names and the file → project mapping.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import { ruleHelpUrl } from '../../shared/src/links';
import type { Location } from '../../shared/src/report';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { isComposeFileName, isOverrideFileName } from '../../server/src/lsp/documents';
import { hoverAt, networkSummary, serviceSummary } from '../../server/src/lsp/hover';
import { ProjectSet, sameInputs, type Analysis } from '../../server/src/lsp/projects';
import { editorEnvironment } from '../../server/src/lsp/server';
import { toAnalysisSettings } from '../../server/src/lsp/settings';
import { memoryHost } from '../support/memoryHost';
import { COMPOSE_FILE, finding, loc, network, port, service, shopReport } from '../support/reports';

describe('hover texts', () => {
  const shop = shopReport();
  const summary = (name: string): string =>
    serviceSummary(
      shop,
      shop.services.find((s) => s.name === name)!,
    );

  test('a public service: exposed and host-only ports, egress', () => {
    assert.equal(
      summary('proxy'),
      'proxy — public (test: public) · reaches api via front · exposed on 0.0.0.0:80 · host only on 127.0.0.1:8081 · egress',
    );
  });

  test('targets grouped by the ways they are reached', () => {
    assert.equal(
      summary('api'),
      'api — app (test: app) · reaches proxy via front and host port 0.0.0.0:80; db, worker via back · egress',
    );
  });

  test('no egress, no tier, needs, an inactive service, host mode', () => {
    assert.equal(summary('db'), 'db — data (test: data) · reaches api, worker via back · no egress');
    assert.equal(summary('worker'), 'worker · reaches api, db via back · no egress');
    assert.equal(summary('debug'), 'debug · not started: profile debug not enabled');
    const report = shopReport({
      services: [
        service('web', {
          networks: [],
          needs: [
            { target: 'api', source: 'depends_on', name: 'api', location: loc(3, 8) },
            { target: 'api', source: 'environment', name: 'api', location: loc(5, 8) },
          ],
        }),
        service('h', { attachment: { kind: 'host' }, networks: [], ports: [port('9000:9000')] }),
      ],
    });
    assert.equal(serviceSummary(report, report.services[0]!), 'web · reaches nothing · egress · needs api');
    assert.equal(
      serviceSummary(report, report.services[1]!),
      "h · the host's network · reaches nothing · exposed on 0.0.0.0:9000 · egress",
    );
  });

  test('networks', () => {
    assert.equal(
      networkSummary(network('back', { internal: true, members: ['worker', 'api', 'db'] })),
      'back — internal network · members api, db, worker · docker name shop_back',
    );
    assert.equal(
      networkSummary(network('ext', { external: true, dockerName: 'proxy-net' })),
      'ext — network (external) · no members · docker name proxy-net',
    );
  });

  test('hoverAt finds the key under the cursor, quoted or not, and only where the text still says it', () => {
    const report = shopReport({
      services: [service('web', { location: loc(1, 2, 5) })],
      networks: [network('front', { location: loc(8, 2, 5) })],
    });
    const text = (l: Location): string => (l.range.start.line === 1 ? '"web"' : 'front');
    const at = (line: number, character: number) => hoverAt(report, COMPOSE_FILE, { line, character }, text);
    assert.equal((at(1, 4)?.contents as { value: string }).value, 'web · reaches nothing · egress');
    assert.deepEqual(at(1, 7)?.range, loc(1, 2, 5).range);
    assert.match((at(8, 2)?.contents as { value: string }).value, /^front — network/);
    assert.equal(at(1, 8), null);
    assert.equal(at(0, 0), null);
    assert.equal(
      hoverAt(report, COMPOSE_FILE, { line: 1, character: 3 }, () => 'api'),
      null,
      'moved text',
    );
    assert.equal(hoverAt(report, '/elsewhere.yaml', { line: 1, character: 3 }, text), null);
  });
});

describe('diagnostics', () => {
  test('a finding becomes a diagnostic with related information, tags, link and data', () => {
    const f = {
      ...finding('unused-network', 'hint', 'network old is not used.', loc(7, 2, 3), [
        { location: loc(1, 4, 3, '/srv/shop/compose.override.yaml'), message: 'declared here too' },
      ]),
      tags: ['unnecessary' as const],
      data: { network: 'old' },
    };
    assert.deepEqual(
      toDiagnostic(f, (file) => `file://${file}`),
      {
        range: loc(7, 2, 3).range,
        severity: DiagnosticSeverity.Hint,
        code: 'unused-network',
        codeDescription: { href: ruleHelpUrl('unused-network') },
        source: 'compose-reachability',
        message: 'network old is not used.',
        relatedInformation: [
          {
            location: { uri: 'file:///srv/shop/compose.override.yaml', range: loc(1, 4, 3).range },
            message: 'declared here too',
          },
        ],
        tags: [DiagnosticTag.Unnecessary],
        data: { network: 'old' },
      },
    );
    assert.equal(ruleHelpUrl('flat-network').endsWith('README.md#rule-flat-network'), true);
  });
});

describe('settings', () => {
  test('the section becomes AnalysisSettings; what does not fit is left out', () => {
    assert.deepEqual(toAnalysisSettings(undefined), {});
    assert.deepEqual(toAnalysisSettings([]), {});
    assert.deepEqual(
      toAnalysisSettings({
        rules: { 'flat-network': 'off', 'public-reaches-data': 'error', x: 'loud', y: 3 },
        tiers: { publicImages: ['edge', ' ', 7, ' gateway '], dataImages: 'vault' },
        trace: { server: 'verbose' },
      }),
      {
        rules: { 'flat-network': 'off', 'public-reaches-data': 'error' },
        tiers: { publicImages: ['edge', 'gateway'] },
      },
    );
  });

  test("the editor's environment does not choose files", () => {
    assert.deepEqual(editorEnvironment({ COMPOSE_FILE: 'a.yaml', COMPOSE_PATH_SEPARATOR: ';', HOME: '/h' }), {
      HOME: '/h',
    });
  });
});

describe('documents', () => {
  test('compose file names', () => {
    for (const name of [
      'compose.yaml',
      'compose.yml',
      'compose.override.yaml',
      'compose.prod.yml',
      'docker-compose.yml',
      'docker-compose.override.yml',
      'docker-compose-dev.yaml',
    ]) {
      assert.ok(isComposeFileName(`/p/${name}`), name);
    }
    for (const name of ['my-compose.yaml', 'compose.yaml.bak', 'values.yaml', 'compose.json']) {
      assert.ok(!isComposeFileName(`/p/${name}`), name);
    }
    assert.ok(isOverrideFileName('/p/docker-compose.override.yaml'));
    assert.ok(!isOverrideFileName('/p/compose.prod.yaml'));
  });
});

describe('projects', () => {
  const host = memoryHost({
    'compose.yaml': 'services: {}\n',
    'compose.override.yaml': 'services: {}\n',
    'compose.prod.yaml': 'services: {}\n',
    'sub/compose.extra.yaml': 'services: {}\n',
    'db/compose.yaml': 'services: {}\n',
  });

  test('the main file and its override: one project, discovered', () => {
    const projects = new ProjectSet();
    const main = projects.resolve('/project/compose.yaml', host);
    const override = projects.resolve('/project/compose.override.yaml', host);
    assert.equal(main.kind, 'owned');
    assert.equal(override.kind === 'owned' && override.project, main.kind === 'owned' && main.project);
    assert.equal(projects.size, 1);
    assert.deepEqual(main.kind === 'owned' && main.project.options, {
      files: [],
      workingDirectory: '/project',
    });
  });

  test('another compose file beside them: the discovered project is asked first, then the file alone', () => {
    const projects = new ProjectSet();
    const first = projects.resolve('/project/compose.prod.yaml', host);
    assert.equal(first.kind, 'probing');
    // Its report did not list the file.
    const probed = first.kind === 'probing' ? first.project : undefined;
    probed!.state = { kind: 'failed', read: { texts: new Map(), versions: new Map(), probed: new Set() } };
    probed!.dirty = false;
    const second = projects.resolve('/project/compose.prod.yaml', host);
    assert.equal(second.kind, 'owned');
    assert.deepEqual(second.kind === 'owned' && second.project.options, {
      files: ['/project/compose.prod.yaml'],
      workingDirectory: '/project',
    });
  });

  test('discovery looks up the tree; an override without a main file has no project', () => {
    const projects = new ProjectSet();
    const extra = projects.resolve('/project/sub/compose.extra.yaml', host);
    assert.equal(extra.kind === 'probing' && extra.project.main, '/project/compose.yaml');
    const lone = memoryHost({ 'compose.override.yml': 'services: {}\n' }, {}, '/lone');
    assert.deepEqual(projects.resolve('/lone/compose.override.yml', lone), { kind: 'none' });
  });

  test('a file loaded by another project belongs to it rather than to its own', () => {
    const projects = new ProjectSet();
    const own = projects.resolve('/project/db/compose.yaml', host);
    assert.equal(own.kind === 'owned' && own.project.main, '/project/db/compose.yaml');
    const includer = projects.resolve('/project/compose.yaml', host);
    const p = includer.kind === 'owned' ? includer.project : undefined;
    assert.equal(projects.ownerOf('/project/db/compose.yaml'), own.kind === 'owned' && own.project);
    // Its report lists the included file.
    p!.files = new Set([...p!.files, '/project/db/compose.yaml']);
    assert.equal(projects.ownerOf('/project/db/compose.yaml'), p);
  });

  test('two analyses with the same inputs have the same report: no need to compare reports', () => {
    const analysis = (texts: Record<string, string>, probed: string[], settings = {}): Analysis => ({
      report: shopReport(),
      read: { texts: new Map(Object.entries(texts)), versions: new Map(), probed: new Set(probed) },
      settings,
    });
    const a = analysis({ '/p/compose.yaml': 'services: {}\n' }, ['/p/.env']);
    assert.ok(sameInputs(a, analysis({ '/p/compose.yaml': 'services: {}\n' }, ['/p/.env'])));
    assert.ok(!sameInputs(a, analysis({ '/p/compose.yaml': 'services: {} \n' }, ['/p/.env'])));
    assert.ok(!sameInputs(a, analysis({ '/p/compose.yaml': 'services: {}\n' }, [])));
    assert.ok(
      !sameInputs(a, analysis({ '/p/compose.yaml': 'services: {}\n' }, ['/p/.env'], { rules: { x: 'off' } })),
    );
  });
});
