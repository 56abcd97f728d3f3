import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activate,
  closeAll,
  codeOf,
  copyExample,
  describe,
  open,
  rangeText,
  waitForDiagnostics,
  writeProject,
} from './helpers';

/** The range of the `nth` occurrence of `token` in the document (0-based), as the server must report it. */
function rangeOf(document: vscode.TextDocument, token: string, nth = 0): vscode.Range {
  const text = document.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(token, at + 1);
    assert.ok(at >= 0, `"${token}" (#${i}) is not in ${document.uri.fsPath}`);
  }
  return new vscode.Range(document.positionAt(at), document.positionAt(at + token.length));
}

/** The range of a service's key (`web` in `  web:`). */
function keyRange(document: vscode.TextDocument, key: string): vscode.Range {
  for (let line = 0; line < document.lineCount; line++) {
    const m = new RegExp(`^(\\s+)${key}:`).exec(document.lineAt(line).text);
    if (m) return new vscode.Range(line, m[1]!.length, line, m[1]!.length + key.length);
  }
  throw new Error(`no key ${key} in ${document.uri.fsPath}`);
}

suite('diagnostics and quick fixes', () => {
  suiteSetup(activate);
  teardown(closeAll);

  test('a load error is a squiggle on the exact token: undefined network', async () => {
    const uri = await writeProject('undefined-network', {
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: nginx',
        '    networks: [front, missing]',
        'networks:',
        '  front: {}',
        '',
      ].join('\n'),
    });
    const editor = await open(uri);
    const diagnostics = await waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => codeOf(d) === 'undefined-network'),
      'an undefined-network error',
    );
    const d = diagnostics.find((x) => codeOf(x) === 'undefined-network')!;
    assert.equal(rangeText(d.range), rangeText(rangeOf(editor.document, 'missing')), describe([d]));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /missing/);
  });

  test('flat example: public-reaches-data on web, gone after the split-into-tiers quick fix', async () => {
    const uri = await copyExample('flat', 'flat');
    const editor = await open(uri);
    const document = editor.document;

    const diagnostics = await waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => codeOf(d) === 'public-reaches-data'),
      'the public-reaches-data warning',
    );
    const finding = diagnostics.find((d) => codeOf(d) === 'public-reaches-data')!;
    // web lists no networks, so the finding sits on its key: `web` in `  web:`.
    assert.equal(rangeText(finding.range), rangeText(keyRange(document, 'web')), describe([finding]));
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(finding.message, /web.*database/);

    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        finding.range,
      )) ?? [];
    const split = actions.find((a) => /^Split default: .*; web loses database$/.test(a.title) && a.edit);
    assert.ok(
      split?.edit,
      `no split-into-tiers quick fix among: ${actions.map((a) => JSON.stringify(a.title)).join(', ') || '(no code actions)'}`,
    );
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(split.edit), `applying "${split.title}" failed`);
    assert.notEqual(document.getText(), before, 'the quick fix changed nothing');

    const after = await waitForDiagnostics(
      uri,
      (ds) => !ds.some((d) => codeOf(d) === 'public-reaches-data' || codeOf(d) === 'flat-network'),
      'public-reaches-data and flat-network to go away',
    );
    assert.ok(
      !after.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      `the fix introduced errors: ${describe(after)}\n${document.getText()}`,
    );
  });
});
