import * as vscode from 'vscode';

// A stub until the language client lands: it fixes the command id and the output channel
// name that package.json and the integration tests already depend on.

export const SHOW_MATRIX_COMMAND = 'composeReachability.showMatrix';
export const OUTPUT_CHANNEL_NAME = 'Compose Reachability';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(output);
  output.appendLine(
    `activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
  );

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_MATRIX_COMMAND, () => {
      // Not returned: the message's promise settles only when the user dismisses it, and
      // executeCommand would otherwise hang until then.
      void vscode.window.showInformationMessage('Compose Reachability: the matrix is not implemented yet.');
    }),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
