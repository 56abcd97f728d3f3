/**
 * The extension: a thin client. It starts the language server (everything smart lives there),
 * and shows the server's report in the matrix webview.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  NotificationType,
  RequestType,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { ReportChangedNotification, ReportRequest, SERVER_NODE_OPTIONS } from '../../shared/src/protocol';
import type { MatrixViewState } from '../webview/messages';
import { COMPOSE_FILE_GLOB, COMPOSE_LANGUAGES, isComposeDocument, isComposeUri } from './composeFiles';
import { MatrixPanel, type PanelServices, type ReportSource } from './matrixPanel';
import { registerTestCommands } from './testCommands';

export const SHOW_MATRIX_COMMAND = 'composeReachability.showMatrix';
export const RESTART_SERVER_COMMAND = 'composeReachability.restartServer';
export const OUTPUT_CHANNEL_NAME = 'Compose Reachability';
/** Also the settings prefix: the client reads `composeReachability.trace.server`. */
export const CLIENT_ID = 'composeReachability';

const reportRequest = new RequestType<ReportRequest.Params, ReportRequest.Result, void>(ReportRequest.method);
const reportChanged = new NotificationType<ReportChangedNotification.Params>(
  ReportChangedNotification.method,
);

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(output);
  output.info(
    `activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
  );

  client = createClient(context, output);
  const languageClient = client;
  const changed = new vscode.EventEmitter<ReportChangedNotification.Params>();
  context.subscriptions.push(
    changed,
    languageClient.onNotification(reportChanged, (params) => changed.fire(params)),
  );
  const started = languageClient.start().catch((err: unknown) => {
    const why = err instanceof Error ? err.message : String(err);
    output.error(`the language server did not start: ${why}`);
    void vscode.window
      .showErrorMessage(`Compose Reachability: the language server did not start (${why}).`, 'Show Output')
      .then((choice) => choice && output.show());
    throw err;
  });
  started.catch(() => undefined);

  const reports: ReportSource = {
    async getReport(uri) {
      await started;
      return languageClient.sendRequest(reportRequest, {
        uri: languageClient.code2ProtocolConverter.asUri(uri),
      });
    },
    onDidChangeReport: changed.event,
  };
  const services: PanelServices = {
    extensionUri: context.extensionUri,
    reports,
    output,
    testMode: context.extensionMode === vscode.ExtensionMode.Test,
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_MATRIX_COMMAND, async (resource?: unknown) => {
      const uri = await targetDocument(resource);
      MatrixPanel.createOrShow(services, uri);
    }),
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      output.info('restarting the language server');
      await languageClient.restart();
      await MatrixPanel.current?.refresh();
    }),
    vscode.window.registerWebviewPanelSerializer(MatrixPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        MatrixPanel.revive(panel, services, state as MatrixViewState | undefined);
      },
    }),
    { dispose: () => MatrixPanel.current?.dispose() },
  );

  if (services.testMode) {
    context.subscriptions.push(...registerTestCommands());
    output.info('test mode: test-only commands registered');
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6009'] },
    },
  };
  const documentSelector: DocumentSelector = COMPOSE_LANGUAGES.flatMap((language) =>
    ['file', 'untitled'].map((scheme) => ({ scheme, language, pattern: COMPOSE_FILE_GLOB })),
  );
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    traceOutputChannel: output,
    // The server pulls `composeReachability` settings per project (workspace/configuration) and
    // registers its own file watchers, so nothing is pushed from here.
  };
  return new LanguageClient(CLIENT_ID, OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
}

/**
 * The document whose project to show: the clicked file (editor title, context menus), the
 * active compose editor, the project already shown, or a compose file from the workspace.
 */
async function targetDocument(resource: unknown): Promise<vscode.Uri | undefined> {
  if (resource instanceof vscode.Uri && isComposeUri(resource)) return resource;
  const editor = vscode.window.activeTextEditor;
  if (editor && isComposeDocument(editor.document)) return editor.document.uri;
  if (MatrixPanel.current?.document) return MatrixPanel.current.document;
  const files = await vscode.workspace.findFiles(COMPOSE_FILE_GLOB, '**/node_modules/**', 200);
  if (files.length <= 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Show the reachability matrix of which compose file?' },
  );
  return picked?.uri;
}
