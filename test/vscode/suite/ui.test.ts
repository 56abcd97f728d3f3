import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from '../screenshots';
import {
  activate,
  closeAll,
  codeOf,
  copyExample,
  lastGeneration,
  matrixAction,
  open,
  renderWhere,
  SHOW_MATRIX,
  waitForDiagnostics,
} from './helpers';

// The pictures the README shows (copied from test-artifacts/screenshots/ into docs/images/).
// The side bar is closed so that the editor and the matrix get the room.
suite('ui: screenshots for the docs', () => {
  suiteSetup(async () => {
    await activate();
    await closeAll();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAll();
  });

  test('squiggle on the flat example, with the Problems panel', async () => {
    const uri = await copyExample('flat', 'flat-ui');
    const editor = await open(uri);
    const [finding] = (
      await waitForDiagnostics(
        uri,
        (ds) => ds.some((d) => codeOf(d) === 'public-reaches-data'),
        'the public-reaches-data warning',
      )
    ).filter((d) => codeOf(d) === 'public-reaches-data');
    assert.ok(finding);
    editor.selection = new vscode.Selection(finding.range.start, finding.range.start);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // Earlier suites' projects have findings too: show this file's only.
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile');
    await vscode.window.showTextDocument(editor.document, {
      viewColumn: editor.viewColumn,
      preserveFocus: false,
    });
    await screenshot('vscode-squiggle-problems', {
      waitForSelector: '.markers-panel .monaco-list-row',
    });
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('the flat matrix beside its editor: a click on the flagged cell reveals the finding', async () => {
    await closeAll();
    const uri = await copyExample('flat', 'flat-shot');
    await open(uri);
    const after = await lastGeneration();
    await vscode.commands.executeCommand(SHOW_MATRIX, uri);
    const r = await renderWhere(
      after,
      (x) => x.snapshot.project === 'flat-shot' && x.snapshot.cells.some((c) => c.finding),
      'the flat matrix with its finding',
    );
    await matrixAction({ kind: 'click', cell: { from: 'web', to: 'database' } });
    await renderWhere(r.generation, (x) => x.snapshot.active?.to === 'database', 'web → database selected');
    await screenshot('vscode-matrix-finding', { waitForSelector: 'iframe.webview.ready' });
  });

  test('the microservices matrix, full width', async () => {
    await closeAll();
    const uri = await copyExample('microservices', 'microservices');
    const after = await lastGeneration();
    // No editor open: the panel takes the whole editor area.
    await vscode.commands.executeCommand(SHOW_MATRIX, uri);
    const r = await renderWhere(
      after,
      (x) => x.snapshot.project === 'microservices',
      'the microservices matrix',
    );
    await matrixAction({ kind: 'focus', cell: { from: 'prometheus', to: 'user-db' } });
    await renderWhere(
      r.generation,
      (x) => x.snapshot.active?.to === 'user-db',
      'prometheus → user-db focused',
    );
    await screenshot('vscode-matrix', { waitForSelector: 'iframe.webview.ready' });
  });
});
