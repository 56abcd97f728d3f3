import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activate,
  cellLabel,
  closeAll,
  copyExample,
  extension,
  lastGeneration,
  matrixAction,
  open,
  renderWhere,
  SHOW_MATRIX,
  summary,
  TEST_COMMANDS,
  writeProject,
  type RenderEvent,
} from './helpers';

/** Shows the matrix of `uri`'s project and waits for its first render with that project. */
async function showMatrix(uri: vscode.Uri, project: string): Promise<RenderEvent> {
  const after = await lastGeneration();
  await vscode.commands.executeCommand(SHOW_MATRIX, uri);
  return renderWhere(after, (r) => r.snapshot.project === project, `the project is ${project}`);
}

/** Waits for the next editor selection change in `uri` (the reveal of a cell). */
function nextSelection(uri: vscode.Uri, timeoutMs = 15_000): Promise<vscode.TextEditor> {
  return new Promise((resolve, reject) => {
    const done = (editor: vscode.TextEditor): void => {
      clearTimeout(timer);
      a.dispose();
      b.dispose();
      resolve(editor);
    };
    const timer = setTimeout(() => {
      a.dispose();
      b.dispose();
      reject(new Error(`no editor selection change in ${uri.fsPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    const a = vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.uri.toString() === uri.toString()) done(e.textEditor);
    });
    const b = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e && e.document.uri.toString() === uri.toString()) done(e);
    });
  });
}

function tokenRange(document: vscode.TextDocument, line: RegExp, token: string): vscode.Range {
  for (let i = 0; i < document.lineCount; i++) {
    const text = document.lineAt(i).text;
    if (line.test(text)) {
      const at = text.indexOf(token);
      return new vscode.Range(i, at, i, at + token.length);
    }
  }
  throw new Error(`no line matching ${line} in ${document.uri.fsPath}`);
}

suite('reachability matrix', () => {
  suiteSetup(activate);
  teardown(closeAll);

  test('tiered example: services by tier, cells say who reaches whom and how', async () => {
    const uri = await copyExample('tiered', 'tiered-matrix');
    await open(uri);
    const r = await showMatrix(uri, 'tiered-matrix');
    assert.deepEqual(r.snapshot.services, ['web', 'api', 'postgres'], summary(r));
    assert.equal(cellLabel(r, 'web', 'api'), 'web can reach api via backend');
    assert.equal(cellLabel(r, 'api', 'postgres'), 'api can reach postgres via database');
    assert.equal(cellLabel(r, 'web', 'postgres'), 'web cannot reach postgres');
    assert.equal(cellLabel(r, 'web', 'web'), 'web itself');
    assert.equal(cellLabel(r, 'web', '#egress'), 'web can open connections outside Docker');
    assert.equal(cellLabel(r, 'web', '#exposed'), 'web is not exposed outside');
    assert.deepEqual(r.snapshot.columnHeaders, [
      'from ↓  to →',
      'web',
      'api',
      'postgres',
      'Exposed',
      'Egress',
    ]);
    assert.match(r.snapshot.gridLabel ?? '', /Reachability matrix of tiered-matrix/);
    assert.deepEqual(r.snapshot.injected, []);
    assert.equal(r.services, 3);
    assert.ok(r.renderMs >= 0);
  });

  test('findings highlight their cells: public-reaches-data in the flat example', async () => {
    const uri = await copyExample('flat', 'flat-matrix');
    await open(uri);
    const r = await showMatrix(uri, 'flat-matrix');
    const cell = r.snapshot.cells.find((c) => c.from === 'web' && c.to === 'database');
    assert.ok(cell, summary(r));
    assert.equal(cell.finding, true);
    assert.match(cell.label, /^web can reach database via default\. Warning public-reaches-data: /);
    assert.match(cell.title, /public-reaches-data/);
    const flagged = r.snapshot.cells.filter((c) => c.finding).map((c) => `${c.from}→${c.to}`);
    assert.deepEqual(flagged, ['web→database']);
  });

  test('live: follows edits, keeps the selection; Enter and clicks reveal the entry', async () => {
    const uri = await copyExample('tiered', 'tiered-live');
    const editor = await open(uri);
    const document = editor.document;
    let r = await showMatrix(uri, 'tiered-live');

    // Select web → api with a click: it reveals web's `- backend` entry, the link's cause.
    let selected = nextSelection(uri);
    await matrixAction({ kind: 'click', cell: { from: 'web', to: 'api' } });
    let revealed = await selected;
    assert.equal(
      rangeString(revealed.selection),
      rangeString(tokenRange(document, /^\s+- backend/, 'backend')),
      'the click on web → api revealed something else',
    );
    r = await renderWhere(r.generation, (x) => x.snapshot.active?.to === 'api', 'web → api is active');
    assert.deepEqual(pick(r.snapshot.active), { from: 'web', to: 'api' });

    // Arrow keys move the roving focus; the cell keeps tabindex 0 and the keyboard focus.
    await matrixAction({ kind: 'key', key: 'ArrowDown' });
    r = await renderWhere(r.generation, (x) => x.snapshot.active?.from === 'api', 'the focus moved down');
    assert.deepEqual(pick(r.snapshot.active), { from: 'api', to: 'api' });
    await matrixAction({ kind: 'key', key: 'ArrowRight' });
    r = await renderWhere(r.generation, (x) => x.snapshot.active?.to === 'postgres', 'the focus moved right');
    assert.deepEqual(pick(r.snapshot.active), { from: 'api', to: 'postgres' });
    assert.equal(r.snapshot.active?.focused, true, 'the active cell does not have the focus');

    // Enter reveals api's `- database` entry.
    selected = nextSelection(uri);
    await matrixAction({ kind: 'key', key: 'Enter' });
    revealed = await selected;
    assert.equal(
      rangeString(revealed.selection),
      rangeString(tokenRange(document, /^\s+- database/, 'database')),
      'Enter on api → postgres revealed something else',
    );

    // Typing: web joins the database network. The matrix follows without losing the selection.
    const webNetworks = tokenRange(document, /^\s+- backend/, '- backend');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, webNetworks.end, '\n      - database');
    assert.ok(await vscode.workspace.applyEdit(edit));
    r = await renderWhere(
      r.generation,
      (x) => cellLabel(x, 'web', 'postgres')?.startsWith('web can reach postgres') ?? false,
      'web reaches postgres after the edit',
    );
    assert.match(cellLabel(r, 'web', 'postgres')!, /^web can reach postgres via database/);
    assert.deepEqual(pick(r.snapshot.active), { from: 'api', to: 'postgres' }, 'the selection was lost');
  });

  test('state survives hide and show: selection and scroll come back', async () => {
    const uri = await copyExample('microservices', 'micro-state');
    await open(uri, vscode.ViewColumn.One);
    let r = await showMatrix(uri, 'micro-state');
    await matrixAction({ kind: 'key', key: 'End' });
    r = await renderWhere(r.generation, (x) => x.snapshot.active?.to === '#egress', 'End moved to egress');
    const selection = pick(r.snapshot.active);

    const panel = await vscode.commands.executeCommand<{ viewColumn: number; visible: boolean }>(
      TEST_COMMANDS.panel,
    );
    assert.ok(panel?.visible, 'the panel is not visible');
    // Another editor in the panel's group hides it: its webview document is destroyed.
    const other = await writeProject('other-file', { 'notes.txt': 'hides the panel\n' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), {
      viewColumn: panel.viewColumn,
      preview: false,
    });
    const hidden = await vscode.commands.executeCommand<{ visible: boolean }>(TEST_COMMANDS.panel);
    assert.equal(hidden?.visible, false, 'the panel is still visible');

    await vscode.commands.executeCommand(SHOW_MATRIX);
    r = await renderWhere(r.generation, (x) => x.cause === 'restore', 'a restored render');
    assert.deepEqual(pick(r.snapshot.active), selection);
    assert.equal(r.snapshot.project, 'micro-state');
  });

  test('names are text: a service called <img src=x onerror=alert(1)>', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const uri = await writeProject('evil', {
      'compose.yaml': [
        'services:',
        `  "${evil}":`,
        '    image: nginx',
        '    networks: ["<b>net</b>"]',
        '  db:',
        '    image: postgres',
        '    networks: ["<b>net</b>"]',
        'networks:',
        '  "<b>net</b>": {}',
        '',
      ].join('\n'),
    });
    await open(uri);
    const r = await showMatrix(uri, 'evil');
    assert.deepEqual(r.snapshot.services, [evil, 'db']);
    assert.ok(r.snapshot.columnHeaders.includes(evil), r.snapshot.columnHeaders.join(' | '));
    assert.equal(cellLabel(r, evil, 'db')?.startsWith(`${evil} can reach db via <b>net</b>`), true);
    assert.equal(
      r.snapshot.cells.find((c) => c.from === evil && c.to === 'db')?.text.includes('<b>net</b>'),
      true,
    );
    assert.deepEqual(r.snapshot.injected, [], 'markup from the data became elements');
  });

  test("Copy as Markdown puts the CLI's `matrix --format markdown` on the clipboard", async () => {
    const uri = await copyExample('microservices', 'micro-copy');
    await open(uri);
    await showMatrix(uri, 'micro-copy');
    const before = await vscode.commands
      .executeCommand<{ count: number } | undefined>(TEST_COMMANDS.copied, {
        timeoutMs: 1,
      })
      .then(
        (c) => c?.count ?? 0,
        () => 0,
      );
    const copied = vscode.commands.executeCommand<{ count: number; markdown: string }>(TEST_COMMANDS.copied, {
      after: before,
    });
    await matrixAction({ kind: 'copy' });
    const { markdown } = await copied;

    const cli = spawnSync(
      process.execPath,
      [path.join(extension().extensionPath, 'dist', 'cli.js'), 'matrix', '--format', 'markdown'],
      { cwd: path.dirname(uri.fsPath), encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(markdown, cli.stdout);
    assert.equal(await vscode.env.clipboard.readText(), markdown);
  });

  test('200 services: virtualised, first render measured', async function () {
    this.timeout(60_000);
    const uri = await writeProject('big', { 'compose.yaml': bigProject(200) });
    await open(uri);
    const started = Date.now();
    const after = await lastGeneration();
    await vscode.commands.executeCommand(SHOW_MATRIX, uri);
    const r = await renderWhere(
      after,
      (x) => x.snapshot.project === 'big',
      'the big project rendered',
      40_000,
    );
    const endToEnd = Date.now() - started;
    console.log(
      `    [perf] 200 services: first render ${r.renderMs} ms in the webview ` +
        `(matrix ${r.phases?.model ?? '?'} ms, DOM ${r.phases?.dom ?? '?'} ms), ` +
        `${r.sinceStartMs ?? '?'} ms after the webview document started, ${endToEnd} ms from the command; ` +
        `${r.snapshot.renderedRows} rows and ${r.snapshot.renderedCells} cells in the DOM`,
    );
    assert.equal(r.snapshot.services.length, 200);
    assert.ok(r.snapshot.renderedRows < 80, `rendered ${r.snapshot.renderedRows} rows: not virtualised`);
    assert.ok(r.snapshot.renderedCells < 3000, `rendered ${r.snapshot.renderedCells} cells: not virtualised`);
    assert.ok(r.renderMs < 1000, `first render took ${r.renderMs} ms`);

    // Scrolled to the end, the last rows and columns are the ones in the DOM.
    await matrixAction({ kind: 'scroll', top: 1e6, left: 1e6 });
    const scrolled = await renderWhere(r.generation, (x) => x.cause === 'scroll', 'a scroll render');
    const last = scrolled.snapshot.services[199]!;
    assert.ok(
      scrolled.snapshot.cells.some((c) => c.from === last && c.to === last),
      `after scrolling, ${last} × ${last} is not rendered: ${summary(scrolled)}`,
    );
    assert.ok(!scrolled.snapshot.cells.some((c) => c.from === scrolled.snapshot.services[0]));

    // Keyboard navigation reaches the far corner and scrolls it into view.
    await matrixAction({ kind: 'key', key: 'Home', ctrlKey: true });
    const home = await renderWhere(
      scrolled.generation,
      (x) => x.snapshot.active?.to === '#service',
      'Ctrl+Home',
    );
    assert.equal(home.snapshot.active?.from, home.snapshot.services[0]);
    assert.equal(home.snapshot.scrollTop, 0);
  });
});

function pick(
  active: { from: string; to: string } | null | undefined,
): { from: string; to: string } | undefined {
  return active ? { from: active.from, to: active.to } : undefined;
}

function rangeString(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** `n` services in three tiers over a front, a back and per-group data networks. */
function bigProject(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(3, '0');
    if (i % 10 === 0) {
      lines.push(
        `  web-${id}:`,
        '    image: nginx',
        `    ports: ["${8000 + i}:80"]`,
        '    networks: [front]',
      );
    } else if (i % 5 === 0) {
      lines.push(`  db-${id}:`, '    image: postgres', `    networks: [data-${i % 4}]`);
    } else {
      lines.push(`  app-${id}:`, '    image: example/app', `    networks: [front, back, data-${i % 4}]`);
    }
  }
  lines.push('networks:', '  front: {}', '  back: {}');
  for (let k = 0; k < 4; k++) lines.push(`  data-${k}:`, '    internal: true');
  return lines.join('\n') + '\n';
}
