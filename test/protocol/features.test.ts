/**
 * Hover, the report request and notification, settings and code actions, with the real
 * server over stdio.
 */
import { describe, test } from 'node:test';
import { URI } from 'vscode-uri';
import assert from 'node:assert/strict';
import { CodeActionKind, type MarkupContent, type TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReportChangedNotification } from '../../shared/src/protocol';
import { dedent } from '../support/dedent';
import { positionOf, rangeOf, reportChanged, session, uriOf } from './client';

const SHOP = dedent`
  services:
    web:
      image: nginx
      ports:
        - "80:80"
      networks: [front, backend]
      depends_on: [api]
    api:
      image: myapi
      networks: [backend]
    prometheus:
      image: prom/prometheus
      networks: [backend]
  networks:
    front: {}
    backend:
      internal: true
`;

const hoverText = (h: { contents: unknown } | null): string | undefined =>
  (h?.contents as MarkupContent | undefined)?.value;

describe('hover', () => {
  test('on a service key: tier, whom it reaches and how, exposure, egress, needs', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': SHOP });
    const file = at('compose.yaml');
    await client.open(file);
    await client.diagnostics(file, { version: 1 });
    const hover = await client.hover(file, positionOf(SHOP, 'web:'));
    assert.deepEqual(hover?.range, rangeOf(SHOP, 'web'));
    // The tier is the rules' to decide; the rest is the graph's.
    const [summary, blank, title, need, ...rest] = (hoverText(hover) ?? '').split('\n');
    assert.match(
      summary ?? '',
      /^web( — public \(.+\))? · reaches api, prometheus via backend · exposed on 0\.0\.0\.0:80 · egress · needs api$/,
    );
    // Each need links to the token that names the peer: the editor opens it.
    assert.deepEqual([blank, title, rest], ['', 'Needs, and where they are named:', []]);
    const uri = `${URI.file(file).toString()}#L7,18`;
    assert.equal(need, `- api: depends_on [compose.yaml:7](${uri})`);
  });

  test('on a network key and on a service network entry: members, internal, docker name', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': SHOP });
    const file = at('compose.yaml');
    await client.open(file);
    await client.diagnostics(file, { version: 1 });
    const project = (await client.report(file))!.project;
    const expected = `backend — internal network · members api, prometheus, web · docker name ${project}_backend`;

    const declared = await client.hover(file, positionOf(SHOP, 'backend:'));
    assert.equal(hoverText(declared), expected);
    assert.deepEqual(declared?.range, rangeOf(SHOP, 'backend', 3));

    const inList = await client.hover(file, positionOf(SHOP, 'backend]'));
    assert.equal(hoverText(inList), expected);
  });

  test('elsewhere: nothing', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': SHOP });
    const file = at('compose.yaml');
    await client.open(file);
    await client.diagnostics(file, { version: 1 });
    assert.equal(await client.hover(file, positionOf(SHOP, 'nginx')), null);
    assert.equal(await client.hover(file, positionOf(SHOP, 'services')), null);
  });
});

describe('the report', () => {
  test('the report request returns the project of a document, even before the first publish', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': SHOP });
    const file = at('compose.yaml');
    await client.open(file);
    const report = await client.report(file);
    assert.equal(report?.schemaVersion, 1);
    assert.deepEqual(report.files, [file]);
    assert.deepEqual(report.services.map((s) => s.name).sort(), ['api', 'prometheus', 'web']);
    assert.equal(await client.report(at('unknown.yaml')), null);
  });

  test('reportChanged follows an edit, with the URIs of the project', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': SHOP });
    const file = at('compose.yaml');
    await client.open(file);
    const first = await client.waitFor<ReportChangedNotification.Params>(reportChanged.method, () => true);
    // Only the URIs: the report is asked for by whoever shows it.
    assert.deepEqual(first, { uris: [uriOf(file)] });

    const mark = client.mark();
    await client.edit(file, rangeOf(SHOP, 'prometheus:'), 'metrics:');
    const changed = await client.waitFor<ReportChangedNotification.Params>(
      reportChanged.method,
      () => true,
      mark,
    );
    assert.deepEqual(changed, { uris: [uriOf(file)] });
    const report = await client.report(file);
    assert.deepEqual(report?.services.map((s) => s.name).sort(), ['api', 'metrics', 'web']);
  });
});

describe('settings', () => {
  test('workspace/configuration per project; a configuration change analyses again', async (t) => {
    const { client, at } = await session(
      t,
      { 'compose.yaml': SHOP },
      {
        entry: { kind: 'hooked', hooks: { echoSettings: true, debounceMs: 0 } },
        settings: { rules: { 'flat-network': 'error', bogus: 'loud' }, tiers: { publicImages: ['edge', 3] } },
      },
    );
    const file = at('compose.yaml');
    const echoed = (p: { diagnostics: Array<{ code?: unknown; message: unknown }> }): unknown =>
      JSON.parse(String(p.diagnostics.find((d) => d.code === 'test-settings')?.message ?? 'null'));
    await client.open(file);
    const first = await client.diagnostics(file, { version: 1 });
    assert.deepEqual(echoed(first), {
      rules: { 'flat-network': 'error' },
      tiers: { publicImages: ['edge'] },
    });
    assert.deepEqual(client.configurationRequests, [
      { scopeUri: uriOf(file), section: 'composeReachability' },
    ]);

    const mark = client.mark();
    await client.configurationChanged({ tiers: { dataImages: ['vault'] } });
    const second = await client.diagnostics(file, { since: mark });
    assert.equal(second.version, 1);
    assert.deepEqual(echoed(second), { tiers: { dataImages: ['vault'] } });
  });

  test('settings that change while an analysis waits for the old ones: the old ones are never used', async (t) => {
    const { client, at } = await session(
      t,
      { 'compose.yaml': SHOP },
      {
        entry: { kind: 'hooked', hooks: { echoSettings: true, debounceMs: 0 } },
        settings: { rules: { 'flat-network': 'error' } },
      },
    );
    const file = at('compose.yaml');
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    const asked = client.configurationAsked();
    await client.open(file);
    await asked;
    await client.configurationChanged({ rules: { 'flat-network': 'off' } });
    await client.hover(file, { line: 0, character: 0 });
    release();
    const published = await client.diagnostics(file, { version: 1 });
    assert.equal(
      published.diagnostics.find((d) => d.code === 'test-settings')?.message,
      JSON.stringify({ rules: { 'flat-network': 'off' } }),
    );
    assert.equal(client.published(file).length, 1);
  });

  test('a client without workspace/configuration pushes its settings', async (t) => {
    const { client, at } = await session(
      t,
      { 'compose.yaml': SHOP },
      {
        entry: { kind: 'hooked', hooks: { echoSettings: true, debounceMs: 0 } },
        capabilities: { workspace: { configuration: false } },
      },
    );
    const file = at('compose.yaml');
    await client.configurationChanged({ rules: { 'unused-network': 'off' } });
    await client.open(file);
    const published = await client.diagnostics(file, { version: 1 });
    assert.equal(
      published.diagnostics.find((d) => d.code === 'test-settings')?.message,
      JSON.stringify({ rules: { 'unused-network': 'off' } }),
    );
    assert.deepEqual(client.configurationRequests, []);
  });
});

describe('code actions', () => {
  const BROKEN = dedent`
    services:
      web:
        image: nginx
        networks:
          - frontend
          - backend
    networks:
      backend: {}
  `;

  test("a provider's fixes become quick fixes; applied, they give the expected text", async (t) => {
    const { client, at } = await session(
      t,
      { 'compose.yaml': BROKEN },
      { entry: { kind: 'hooked', hooks: { stubFixes: true, debounceMs: 0 } } },
    );
    const file = at('compose.yaml');
    await client.open(file);
    const published = await client.diagnostics(file, { version: 1 });
    const diagnostic = published.diagnostics.find((d) => d.code === 'undefined-network')!;
    assert.deepEqual(diagnostic.range, rangeOf(BROKEN, 'frontend'));

    const actions = await client.codeActions(file, diagnostic.range, [diagnostic]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false, a.diagnostics]),
      [
        ['Declare network frontend', CodeActionKind.QuickFix, true, [diagnostic]],
        ['Use network backend', CodeActionKind.QuickFix, false, [diagnostic]],
      ],
    );
    const apply = (i: number): string => {
      const edits: TextEdit[] = actions[i]!.edit!.changes![uriOf(file)]!;
      return TextDocument.applyEdits(TextDocument.create(uriOf(file), 'yaml', 1, BROKEN), edits);
    };
    assert.equal(apply(0), BROKEN + 'networks:\n  frontend: {}\n');
    assert.equal(apply(1), BROKEN.replace('- frontend', '- backend'));
  });

  test('diagnostics that are not ours, or out of date, get no fixes', async (t) => {
    const { client, at } = await session(
      t,
      { 'compose.yaml': BROKEN },
      { entry: { kind: 'hooked', hooks: { stubFixes: true, debounceMs: 0 } } },
    );
    const file = at('compose.yaml');
    await client.open(file);
    const published = await client.diagnostics(file, { version: 1 });
    const ours = published.diagnostics.find((d) => d.code === 'undefined-network')!;
    const foreign = { ...ours, source: 'yaml' };
    assert.deepEqual(await client.codeActions(file, ours.range, [foreign]), []);

    // Edited and not analysed yet (the analysis waits for its settings): the edit may have
    // moved the text under any finding, so no fix is offered until the analysis catches up.
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    const asked = client.configurationAsked();
    await client.configurationChanged({});
    await asked;
    const end = positionOf(BROKEN + '#', '#');
    const v2 = await client.edit(file, { start: end, end }, '# x\n');
    assert.deepEqual(await client.codeActions(file, ours.range, [ours]), []);
    release();
    await client.diagnostics(file, { version: v2 });
    assert.equal((await client.codeActions(file, ours.range, [ours])).length, 2);
  });
});
