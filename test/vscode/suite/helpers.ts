/**
 * What the extension-host tests share: fixtures written into the test workspace, and bounded
 * waits on editor events (diagnostics, matrix renders). Nothing here sleeps: every wait
 * listens to an event and gives up after a bound with a message saying what it last saw.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CellRef, MatrixSnapshot, RenderInfo, TestAction } from '../../../client/webview/messages';

export type { CellRef, MatrixSnapshot, TestAction };

export const EXTENSION_ID = 'compose-reachability.compose-reachability';
export const SHOW_MATRIX = 'composeReachability.showMatrix';
export const TEST_COMMANDS = {
  snapshot: 'composeReachability._test.matrixSnapshot',
  action: 'composeReachability._test.matrixAction',
  panel: 'composeReachability._test.matrixPanel',
  copied: 'composeReachability._test.matrixCopied',
} as const;

/** A render of the matrix webview as the test commands return it. */
export interface RenderEvent extends RenderInfo {
  generation: number;
  snapshot: MatrixSnapshot;
}

const DEFAULT_WAIT_MS = 20_000;

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export async function activate(): Promise<void> {
  await extension().activate();
}

/** The test workspace's folder on disk (a scratch folder the launcher creates and deletes). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host opened no workspace folder');
  return folder.uri.fsPath;
}

/** Copies `examples/<name>` of the extension into the workspace as `<dest>`; returns its compose.yaml. */
export async function copyExample(name: string, dest: string): Promise<vscode.Uri> {
  const from = path.join(extension().extensionPath, 'examples', name);
  const to = path.join(workspaceDir(), dest);
  await fs.promises.rm(to, { recursive: true, force: true });
  await fs.promises.cp(from, to, { recursive: true });
  return vscode.Uri.file(path.join(to, 'compose.yaml'));
}

/** Writes files into `<workspace>/<dir>`; returns the URI of the first one. */
export async function writeProject(dir: string, files: Record<string, string>): Promise<vscode.Uri> {
  const root = path.join(workspaceDir(), dir);
  await fs.promises.rm(root, { recursive: true, force: true });
  await fs.promises.mkdir(root, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await fs.promises.writeFile(path.join(root, name), text);
  }
  return vscode.Uri.file(path.join(root, Object.keys(files)[0]!));
}

export async function open(uri: vscode.Uri, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { viewColumn: column, preview: false });
}

/** Ours only: other extensions (YAML) may publish diagnostics on the same file. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'compose-reachability');
}

/**
 * Resolves with our diagnostics of `uri` once `predicate` holds for them: checked now, then on
 * every onDidChangeDiagnostics event for that file. Rejects after `timeoutMs` with what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  description: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  const now = ourDiagnostics(uri);
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${description} on ${vscode.workspace.asRelativePath(uri)}; ` +
            `diagnostics now: ${describe(ourDiagnostics(uri))}`,
        ),
      );
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = ourDiagnostics(uri);
      if (!predicate(diagnostics)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(diagnostics);
    });
  });
}

export function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics.map((d) => `${codeOf(d)}@${rangeText(d.range)} "${d.message}"`).join('; ');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** The first matrix render newer than `after` (a generation number; -1 for any). */
export async function nextRender(after: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RenderEvent> {
  const r = await vscode.commands.executeCommand<RenderEvent>(TEST_COMMANDS.snapshot, { after, timeoutMs });
  assert.ok(r?.snapshot, 'the render has no snapshot: is the extension in test mode?');
  return r;
}

/**
 * Renders until one satisfies `predicate` (each await is a real render event, bounded); the
 * deadline covers the whole wait.
 */
export async function renderWhere(
  after: number,
  predicate: (r: RenderEvent) => boolean,
  description: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<RenderEvent> {
  const deadline = Date.now() + timeoutMs;
  let last: RenderEvent | undefined;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      last = await nextRender(last?.generation ?? after, remaining);
    } catch (err) {
      throw new Error(
        `waiting for a matrix render where ${description}: ${err instanceof Error ? err.message : String(err)}; ` +
          `last render: ${last ? summary(last) : 'none'}`,
        { cause: err },
      );
    }
    if (predicate(last)) return last;
  }
  throw new Error(
    `no matrix render where ${description} within ${timeoutMs} ms; last: ${last ? summary(last) : 'none'}`,
  );
}

export async function lastGeneration(): Promise<number> {
  const panel = await vscode.commands.executeCommand<{ lastGeneration: number } | undefined>(
    TEST_COMMANDS.panel,
  );
  return panel?.lastGeneration ?? 0;
}

export async function matrixAction(action: TestAction): Promise<void> {
  await vscode.commands.executeCommand(TEST_COMMANDS.action, action);
}

/** The aria-label of a rendered cell. */
export function cellLabel(r: RenderEvent, from: string, to: string): string | undefined {
  return r.snapshot.cells.find((c) => c.from === from && c.to === to)?.label;
}

export function summary(r: RenderEvent): string {
  const s = r.snapshot;
  return (
    `#${r.generation} ${r.cause} project=${s.project} message=${s.message} services=[${s.services.join(', ')}] ` +
    `active=${JSON.stringify(s.active)} cells=${s.cells.length}: ${s.cells.map((c) => c.label).join(' | ')}`
  );
}

/** Reverts unsaved edits and closes every editor (and the matrix), so each test starts from an empty workbench. */
export async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    // Closing a dirty editor would ask "Save?" in a dialog nobody answers.
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
