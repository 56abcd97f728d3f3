/**
 * Commands the VS Code test suite drives the matrix with. Registered only when the extension
 * host runs tests (ExtensionMode.Test: launched with --extensionTestsPath), so users never see
 * them; names start with `_` so they stay out of the command palette in any case.
 */
import * as vscode from 'vscode';
import type { TestAction } from '../webview/messages';
import { MatrixPanel, type CopyEvent, type RenderEvent } from './matrixPanel';

export const TEST_COMMANDS = {
  /** `(options?: { after?: number; timeoutMs?: number }) => RenderEvent`: the first render newer than `after`. */
  snapshot: 'composeReachability._test.matrixSnapshot',
  /** `(action: TestAction) => void`: makes the webview act as if the user did it. */
  action: 'composeReachability._test.matrixAction',
  /** `() => { document, visible, viewColumn, lastGeneration } | undefined`. */
  panel: 'composeReachability._test.matrixPanel',
  /** `(options?: { after?: number; timeoutMs?: number }) => CopyEvent`: the first copy newer than `after`. */
  copied: 'composeReachability._test.matrixCopied',
} as const;

/** The first event newer than `after`: the last one if it already is, else the next one, within a bound. */
function waitNewer<T>(
  what: string,
  event: vscode.Event<T>,
  last: () => T | undefined,
  number: (e: T) => number,
  options: { after?: number; timeoutMs?: number },
): Promise<T> {
  const after = options.after ?? -1;
  const current = last();
  if (current !== undefined && number(current) > after) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      listener.dispose();
      const now = last();
      reject(
        new Error(
          `no ${what} after #${after} within ${timeoutMs} ms (last: ${now === undefined ? 'none' : `#${number(now)}`}; ` +
            `panel: ${MatrixPanel.current ? 'open' : 'none'})`,
        ),
      );
    }, timeoutMs);
    const listener = event((e) => {
      if (number(e) <= after) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e);
    });
  });
}

export function registerTestCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      TEST_COMMANDS.snapshot,
      (options: { after?: number; timeoutMs?: number } = {}): Promise<RenderEvent> =>
        waitNewer(
          'matrix render',
          MatrixPanel.onDidRender,
          () => MatrixPanel.lastRender,
          (e) => e.generation,
          options,
        ),
    ),
    vscode.commands.registerCommand(
      TEST_COMMANDS.copied,
      (options: { after?: number; timeoutMs?: number } = {}): Promise<CopyEvent> =>
        waitNewer(
          'copy as Markdown',
          MatrixPanel.onDidCopy,
          () => MatrixPanel.lastCopy,
          (e) => e.count,
          options,
        ),
    ),
    vscode.commands.registerCommand(TEST_COMMANDS.action, async (action: TestAction) => {
      const panel = MatrixPanel.current;
      if (!panel) throw new Error('no matrix panel is open');
      if (!(await panel.postTestAction(action)))
        throw new Error('the matrix webview did not take the message');
    }),
    vscode.commands.registerCommand(TEST_COMMANDS.panel, () => {
      const panel = MatrixPanel.current;
      return panel
        ? {
            document: panel.document?.toString(),
            visible: panel.visible,
            viewColumn: panel.viewColumn,
            lastGeneration: MatrixPanel.lastRender?.generation ?? 0,
          }
        : undefined;
    }),
  ];
}
