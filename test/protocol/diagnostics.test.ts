/**
 * Published diagnostics, with the real server over stdio (`compose-reachability lsp --stdio`):
 * what is published, for which files of a project, and never for a version the editor has left.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { ruleHelpUrl } from '../../shared/src/links';
import { LOAD_RULES } from '../../shared/src/rules';
import { URI } from 'vscode-uri';
import { dedent } from '../support/dedent';
import { SEED } from '../support/paths';
import { rangeOf, session, uriOf } from './client';

const UNDEFINED_NETWORK = dedent`
  services:
    web:
      image: nginx
      networks:
        - frontend
`;

/**
 * The load errors among published diagnostics. The isolation rules add their own findings to
 * the same files; these tests are about the server, so they look at the engine's load errors.
 */
const loadErrors = (p: PublishDiagnosticsParams): Diagnostic[] =>
  p.diagnostics.filter((d) => typeof d.code === 'string' && d.code in LOAD_RULES);
/** Messages of the published load errors, for compact assertions. */
const messages = (p: PublishDiagnosticsParams): string[] => loadErrors(p).map((d) => String(d.message));
const hasCode = (code: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === code);

describe('diagnostics', () => {
  test("the seed's flat example: the opened file gets its diagnostics, all ours and none an error", async (t) => {
    const flat = fs.readFileSync(path.join(SEED, 'flat/compose.yaml'), 'utf8');
    const { client, at } = await session(t, { 'compose.yaml': flat });
    await client.open(at('compose.yaml'));
    const published = await client.diagnostics(at('compose.yaml'), { version: 1 });
    assert.ok(published.diagnostics.every((d) => d.source === 'compose-reachability'));
    assert.ok(published.diagnostics.every((d) => d.severity !== DiagnosticSeverity.Error));
  });

  test('a load error: the exact range, severity, code, link and message', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': UNDEFINED_NETWORK });
    await client.open(at('compose.yaml'));
    const published = await client.diagnostics(at('compose.yaml'), { version: 1 });
    assert.equal(published.uri, uriOf(at('compose.yaml')));
    assert.deepEqual(loadErrors(published), [
      {
        range: rangeOf(UNDEFINED_NETWORK, 'frontend'),
        severity: DiagnosticSeverity.Error,
        code: 'undefined-network',
        codeDescription: { href: ruleHelpUrl('undefined-network') },
        source: 'compose-reachability',
        message: 'service web refers to undefined network frontend.',
      },
    ]);
  });

  test('the unsaved text is analysed, not the file on disk', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': 'services: {}\n' });
    await client.open(at('compose.yaml'), UNDEFINED_NETWORK);
    const published = await client.diagnostics(at('compose.yaml'), { version: 1 });
    assert.deepEqual(messages(published), ['service web refers to undefined network frontend.']);
  });

  test("an edit to the override updates the main file's diagnostics", async (t) => {
    const main = dedent`
      services:
        web:
          image: nginx
          networks:
            - backend
    `;
    const { client, at } = await session(t, {
      'compose.yaml': main,
      'compose.override.yaml': 'networks:\n  backend: {}\n',
    });
    await client.open(at('compose.yaml'));
    assert.deepEqual(loadErrors(await client.diagnostics(at('compose.yaml'), { version: 1 })), []);
    await client.open(at('compose.override.yaml'));
    await client.diagnostics(at('compose.override.yaml'), { version: 1 });

    let mark = client.mark();
    await client.change(at('compose.override.yaml'), 'networks:\n  other: {}\n');
    const broken = await client.diagnostics(at('compose.yaml'), {
      since: mark,
      match: hasCode('undefined-network'),
    });
    assert.equal(broken.version, 1, 'the main file did not change: its own version');
    assert.deepEqual(
      loadErrors(broken).map((d) => [d.code, d.range]),
      [['undefined-network', rangeOf(main, 'backend')]],
    );

    mark = client.mark();
    await client.change(at('compose.override.yaml'), 'networks:\n  backend: {}\n');
    assert.deepEqual(loadErrors(await client.diagnostics(at('compose.yaml'), { since: mark })), []);
  });

  test('every file of the project gets its diagnostics, open or not; closing the project clears them', async (t) => {
    const override = dedent`
      services:
        web:
          networks:
            - missing
    `;
    const { client, at } = await session(t, {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'compose.override.yaml': override,
    });
    await client.open(at('compose.yaml'));
    const closedFile = await client.diagnostics(at('compose.override.yaml'));
    assert.equal(closedFile.version, undefined, 'not open: no version');
    assert.deepEqual(
      loadErrors(closedFile).map((d) => [d.code, d.range]),
      [['undefined-network', rangeOf(override, 'missing')]],
    );

    const mark = client.mark();
    await client.close(at('compose.yaml'));
    const cleared = await client.diagnostics(at('compose.override.yaml'), { since: mark });
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('an included file belongs to the project that includes it; its edits update the main file', async (t) => {
    const main = dedent`
      include:
        - db/compose.yaml
      services:
        web:
          image: nginx
    `;
    const { client, at } = await session(t, {
      'compose.yaml': main,
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n',
    });
    // Opened first, the included file is a project of its own ...
    await client.open(at('db/compose.yaml'));
    await client.diagnostics(at('db/compose.yaml'), { version: 1 });
    assert.equal((await client.report(at('db/compose.yaml')))?.files[0], at('db/compose.yaml'));
    // ... until the file that includes it is known.
    await client.open(at('compose.yaml'));
    await client.diagnostics(at('compose.yaml'), { version: 1 });
    assert.equal((await client.report(at('db/compose.yaml')))?.files[0], at('compose.yaml'));

    const mark = client.mark();
    await client.change(
      at('db/compose.yaml'),
      'services:\n  db:\n    image: postgres\n  web:\n    image: x\n',
    );
    const clash = await client.diagnostics(at('compose.yaml'), {
      since: mark,
      match: hasCode('invalid-compose'),
    });
    assert.deepEqual(
      loadErrors(clash).map((d) => [d.message, d.range, d.relatedInformation?.map((r) => r.location.uri)]),
      [
        [
          'services web is defined both here and in an included file.',
          rangeOf(main, 'web'),
          [uriOf(at('db/compose.yaml')), uriOf(at('compose.yaml'))],
        ],
      ],
    );
  });

  test('a burst of edits: one analysis, for the last version only', async (t) => {
    const text = (v: number): string => UNDEFINED_NETWORK.replace('frontend', `net${v}`);
    const { client, at } = await session(t, { 'compose.yaml': text(1) });
    const file = at('compose.yaml');
    await client.open(file, text(1));
    await client.diagnostics(file, { version: 1 });

    const versions = [2, 3, 4, 5, 6];
    await Promise.all(versions.map((v) => client.change(file, text(v))));
    const last = await client.diagnostics(file, { version: 6 });
    assert.deepEqual(messages(last), ['service web refers to undefined network net6.']);

    const all = client.published(file);
    assert.deepEqual(
      all.map((p) => p.version),
      [1, 6],
      'the intermediate versions were superseded before their analysis',
    );
    for (const p of all) {
      assert.deepEqual(messages(p), [`service web refers to undefined network net${p.version}.`]);
    }
  });

  test('a stale version (v10, then v5) is neither applied nor published', async (t) => {
    const text = (v: number): string => UNDEFINED_NETWORK.replace('frontend', `net${v}`);
    const { client, at } = await session(t, { 'compose.yaml': text(1) });
    const file = at('compose.yaml');
    await client.open(file, text(1));
    await client.diagnostics(file, { version: 1 });
    await client.changeAt(file, 10, { text: text(10) });
    await client.diagnostics(file, { version: 10 });

    await client.changeAt(file, 5, { text: text(5) });
    // The report request waits for any pending analysis: had v5 been taken, it is published by now.
    await client.report(file);
    // An edit at v11 lands on the text of v10: v5's text was never applied.
    await client.changeAt(file, 11, {
      text: '# v11\n',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    const v11 = await client.diagnostics(file, { version: 11 });
    assert.deepEqual(messages(v11), ['service web refers to undefined network net10.']);
    assert.deepEqual(
      client.published(file).map((p) => p.version),
      [1, 10, 11],
    );
  });

  test('an edit while an analysis waits for its settings: only the newest version is analysed and published', async (t) => {
    const text = (v: number): string => UNDEFINED_NETWORK.replace('frontend', `net${v}`);
    const { client, at } = await session(t, { 'compose.yaml': text(1) });
    const file = at('compose.yaml');
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    const asked = client.configurationAsked();
    await client.open(file, text(1));
    await asked;
    // The v1 analysis is now waiting for its settings. Version 2 arrives; the hover's answer
    // proves the server has taken it in before v1's settings are released.
    await client.change(file, text(2));
    await client.hover(file, { line: 0, character: 0 });
    release();
    const published = await client.diagnostics(file);
    assert.equal(published.version, 2);
    assert.deepEqual(messages(published), ['service web refers to undefined network net2.']);
    assert.deepEqual(
      client.published(file).map((p) => p.version),
      [2],
    );
  });

  test('a YAML error: one information diagnostic, not the error itself; then back to the findings', async (t) => {
    const { client, at } = await session(t, { 'compose.yaml': UNDEFINED_NETWORK });
    const file = at('compose.yaml');
    await client.open(file);
    await client.diagnostics(file, { version: 1 });

    const broken = UNDEFINED_NETWORK + '    ports: [80:80\n';
    const v2 = await client.change(file, broken);
    const paused = await client.diagnostics(file, { version: v2 });
    assert.equal(paused.diagnostics.length, 1, 'one diagnostic, whatever else the file has');
    const [d] = paused.diagnostics;
    assert.equal(d!.severity, DiagnosticSeverity.Information);
    assert.equal(d!.source, 'compose-reachability');
    assert.equal(d!.message, `Reachability analysis paused: YAML error at line ${d!.range.start.line + 1}`);
    assert.ok(d!.range.start.line >= 5, `the error is in the added line, not at ${d!.range.start.line}`);

    // Hover and the report keep the last good analysis meanwhile.
    const hover = await client.hover(file, rangeOf(broken, 'web').start);
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /^web\b/);
    assert.deepEqual(
      (await client.report(file))?.services.map((s) => s.name),
      ['web'],
    );

    const v3 = await client.change(file, UNDEFINED_NETWORK);
    assert.deepEqual(messages(await client.diagnostics(file, { version: v3 })), [
      'service web refers to undefined network frontend.',
    ]);
  });

  test('while the main file does not parse, an edited override is not given findings of its old text', async (t) => {
    const override = 'services:\n  web:\n    networks: [missing]\n';
    const { client, at } = await session(t, {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'compose.override.yaml': override,
    });
    const main = at('compose.yaml');
    await client.open(main);
    await client.open(at('compose.override.yaml'));
    const before = await client.diagnostics(at('compose.override.yaml'), {
      version: 1,
      match: hasCode('undefined-network'),
    });
    assert.deepEqual(
      loadErrors(before).map((d) => d.range),
      [rangeOf(override, 'missing')],
    );

    const v2 = await client.change(main, 'services:\n  web: [\n');
    await client.diagnostics(main, { version: v2 });
    const edited = '# moved down\n' + override;
    const v2o = await client.change(at('compose.override.yaml'), edited);
    // The report request answers after the analysis of the edit, and after anything it published.
    await client.report(main);
    assert.deepEqual(
      client.published(at('compose.override.yaml')).filter((p) => p.version === v2o),
      [],
      'the last good findings are for version 1: not republished as version 2',
    );

    const v3 = await client.change(main, 'services:\n  web:\n    image: nginx\n');
    await client.diagnostics(main, { version: v3 });
    const after = await client.diagnostics(at('compose.override.yaml'), { version: v2o });
    assert.deepEqual(
      loadErrors(after).map((d) => d.range),
      [rangeOf(edited, 'missing')],
    );
  });

  test('an override file without its main file: no project, no diagnostics', async (t) => {
    const { client, at } = await session(t, { 'compose.override.yaml': UNDEFINED_NETWORK });
    await client.open(at('compose.override.yaml'));
    assert.deepEqual((await client.diagnostics(at('compose.override.yaml'), { version: 1 })).diagnostics, []);
    assert.equal(await client.report(at('compose.override.yaml')), null);
  });

  test('a compose file no project loads is analysed on its own, as with -f', async (t) => {
    const { client, at } = await session(t, {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'compose.prod.yaml': UNDEFINED_NETWORK,
    });
    await client.open(at('compose.prod.yaml'));
    const published = await client.diagnostics(at('compose.prod.yaml'), { version: 1 });
    assert.deepEqual(messages(published), ['service web refers to undefined network frontend.']);
    assert.deepEqual((await client.report(at('compose.prod.yaml')))?.files, [at('compose.prod.yaml')]);
    assert.deepEqual(
      client.published(at('compose.yaml')),
      [],
      'the project looked at on the way shows nothing',
    );
  });

  test('an untitled document with the path it will be saved to: analysed with the project around it', async (t) => {
    const { client, at } = await session(t, {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    networks: [backend]\n',
    });
    const untitled = URI.file(at('compose.override.yaml')).with({ scheme: 'untitled' }).toString();
    await client.open(untitled, 'networks:\n  backend: {}\n  unused: {}\n');
    await client.diagnostics(untitled, { version: 1 });
    assert.deepEqual(
      (await client.report(untitled))?.files,
      [at('compose.yaml'), at('compose.override.yaml')],
      'the unsaved override is part of the project already',
    );
    assert.deepEqual(
      client.published(at('compose.yaml')).flatMap(loadErrors),
      [],
      'backend is declared in the override',
    );
  });

  test('a file saved outside the editor: the projects that read it are analysed again', async (t) => {
    const { client, at } = await session(t, {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    networks: [backend]\n',
      'compose.override.yaml': 'networks:\n  backend: {}\n',
    });
    await client.open(at('compose.yaml'));
    assert.deepEqual(loadErrors(await client.diagnostics(at('compose.yaml'), { version: 1 })), []);
    fs.writeFileSync(at('compose.override.yaml'), 'networks: {}\n');
    const mark = client.mark();
    await client.filesChanged(at('compose.override.yaml'));
    const published = await client.diagnostics(at('compose.yaml'), { since: mark });
    assert.deepEqual(
      loadErrors(published).map((d) => d.code),
      ['undefined-network'],
    );
  });
});

describe('mounted configuration files', () => {
  test('a mounted nginx.conf changed on disk: the project is analysed again', async (t) => {
    const { client, at } = await session(t, {
      'compose.yaml': dedent`
        services:
          proxy:
            image: nginx
            volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
          api: { image: api }
          web: { image: web }
      `,
      'nginx.conf': 'server { location / { proxy_pass http://api:80; } }\n',
    });
    const file = at('compose.yaml');
    await client.open(file);
    const targets = async (): Promise<string[] | undefined> =>
      (await client.report(file))?.services.find((s) => s.name === 'proxy')?.needs.map((n) => n.target);
    assert.deepEqual(await targets(), ['api']);
    fs.writeFileSync(at('nginx.conf'), 'server { location / { proxy_pass http://web:80; } }\n');
    await client.filesChanged(at('nginx.conf'));
    assert.deepEqual(await targets(), ['web']);
  });
});
