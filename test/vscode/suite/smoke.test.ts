import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from '../screenshots';
import { lastGeneration, renderWhere } from './helpers';

const EXTENSION_ID = 'compose-reachability.compose-reachability';
const SHOW_MATRIX = 'composeReachability.showMatrix';
const COMPOSE_FILES = '**/{compose,docker-compose}*.{yml,yaml}';

suite('smoke', () => {
  test('activates on a compose file and registers the matrix command', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);

    const [composeFile] = await vscode.workspace.findFiles(COMPOSE_FILES, '**/node_modules/**', 1);
    assert.ok(composeFile, `the test workspace has no file matching ${COMPOSE_FILES}`);
    const document = await vscode.workspace.openTextDocument(composeFile);
    await vscode.window.showTextDocument(document);

    // activate() resolves at once if the onLanguage event already did the job, so the manifest is
    // what proves that opening this document is enough on its own to activate the extension.
    const activationEvents: string[] = extension.packageJSON.activationEvents ?? [];
    assert.ok(
      activationEvents.includes(`onLanguage:${document.languageId}`),
      `opening ${vscode.workspace.asRelativePath(composeFile)} (language ${document.languageId}) ` +
        `triggers none of its activation events: ${activationEvents.join(', ') || '(none)'}`,
    );
    await extension.activate();
    assert.equal(extension.isActive, true);

    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(SHOW_MATRIX), `${SHOW_MATRIX} is not registered`);

    const after = await lastGeneration();
    await vscode.commands.executeCommand(SHOW_MATRIX);
    // The webview says what it rendered; the picture is taken once it has the project's matrix.
    await renderWhere(after, (r) => r.snapshot.services.length > 0, 'the matrix shows services');
    await screenshot('smoke-show-matrix', { waitForSelector: 'iframe.webview.ready' });
  });
});
