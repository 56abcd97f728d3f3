/**
 * The reachability matrix panel: one webview showing the project of a compose document, fed
 * with the language server's report and refreshed whenever the server says it changed.
 * Shaped like webview-sample's panel: createOrShow / revive / dispose, a strict CSP with a
 * nonce, and a serializer (registered in extension.ts) that brings it back after a reload.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { formatMatrixMarkdown } from '../../shared/src/matrixFormat';
import { buildMatrix, matrixReport } from '../../shared/src/matrix';
import type { ReportChangedNotification } from '../../shared/src/protocol';
import type { Location, ReachabilityReport } from '../../shared/src/report';
import type { FromWebview, MatrixViewState, RenderInfo, TestAction, ToWebview } from '../webview/messages';
import { canonicalUri, fileUri, isComposeDocument } from './composeFiles';

/** Where the panel gets reports from: the language client, or a fake in tests. */
export interface ReportSource {
  /** The report of the project the document belongs to; null when it belongs to none. Rejects when the server cannot answer. */
  getReport(uri: vscode.Uri): Promise<ReachabilityReport | null>;
  /** Fires when the server has analysed a project again after an edit. */
  readonly onDidChangeReport: vscode.Event<ReportChangedNotification.Params>;
}

export interface PanelServices {
  extensionUri: vscode.Uri;
  reports: ReportSource;
  output: vscode.LogOutputChannel;
  /** The extension runs under a test runner: the webview adds snapshots to its render messages. */
  testMode: boolean;
}

/** A "Copy as Markdown", numbered. */
export interface CopyEvent {
  count: number;
  markdown: string;
}

/** A render, numbered across webview instances (a hide/show starts a new one). */
export interface RenderEvent extends RenderInfo {
  generation: number;
}

export class MatrixPanel {
  static readonly viewType = 'composeReachability.matrix';

  /** The one panel; showing the matrix again reveals it rather than opening a second one. */
  static current: MatrixPanel | undefined;

  private static readonly renderEmitter = new vscode.EventEmitter<RenderEvent>();
  /** Every render of any panel, with a generation that only increases. */
  static readonly onDidRender = MatrixPanel.renderEmitter.event;
  private static generation = 0;
  /** The last render, for tests that ask after it happened. */
  static lastRender: RenderEvent | undefined;

  private static readonly copyEmitter = new vscode.EventEmitter<CopyEvent>();
  /** Every "Copy as Markdown", numbered. */
  static readonly onDidCopy = MatrixPanel.copyEmitter.event;
  static lastCopy: CopyEvent | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private report: ReachabilityReport | null = null;
  private reportMessage: string | undefined = 'Loading the reachability report…';
  /** Increased per request, so a slow answer cannot overwrite a newer one. */
  private requestSeq = 0;
  private loggedFirstRender = false;

  /** Shows the panel for the project of `documentUri` (or the panel's current project when undefined). */
  static createOrShow(services: PanelServices, documentUri: vscode.Uri | undefined): MatrixPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const current = MatrixPanel.current;
    if (current) {
      current.panel.reveal(current.panel.viewColumn ?? column, true);
      if (documentUri && !current.covers(documentUri)) current.show(documentUri);
      return current;
    }
    const panel = vscode.window.createWebviewPanel(
      MatrixPanel.viewType,
      'Reachability Matrix',
      { viewColumn: column, preserveFocus: true },
      MatrixPanel.webviewOptions(services.extensionUri),
    );
    return new MatrixPanel(panel, services, documentUri);
  }

  /** Brings back a panel VS Code restored after a reload, from the state the webview saved. */
  static revive(
    panel: vscode.WebviewPanel,
    services: PanelServices,
    state: MatrixViewState | undefined,
  ): MatrixPanel {
    MatrixPanel.current?.dispose();
    panel.webview.options = MatrixPanel.webviewOptions(services.extensionUri);
    const uri = typeof state?.documentUri === 'string' ? vscode.Uri.parse(state.documentUri) : undefined;
    return new MatrixPanel(panel, services, uri);
  }

  private static webviewOptions(
    extensionUri: vscode.Uri,
  ): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      // The bundle and its stylesheet are all the webview may load.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
      enableFindWidget: true,
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private documentUri: vscode.Uri | undefined,
  ) {
    MatrixPanel.current = this;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: FromWebview) => this.onMessage(msg)),
      services.reports.onDidChangeReport((params) => this.onReportChanged(params)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Follow the user to another project's compose file; files of this project change nothing.
        if (
          editor &&
          this.panel.visible &&
          isComposeDocument(editor.document) &&
          !this.covers(editor.document.uri)
        ) {
          this.show(editor.document.uri);
        }
      }),
    );
    if (documentUri) void this.refresh();
    else
      this.setReport(
        null,
        'Open a compose file (compose.yaml, docker-compose.yml …) to see its reachability matrix.',
      );
  }

  /** The compose document whose project is shown. */
  get document(): vscode.Uri | undefined {
    return this.documentUri;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  /** Switches to the project of another document. */
  show(documentUri: vscode.Uri): void {
    this.documentUri = documentUri;
    void this.refresh();
  }

  /** Asks the server for the report again. */
  async refresh(): Promise<void> {
    const uri = this.documentUri;
    if (!uri) return;
    const seq = ++this.requestSeq;
    try {
      // The server analyses the documents the editor has open; a file picked in the explorer
      // may not be one yet.
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
        await vscode.workspace.openTextDocument(uri);
      }
      const report = await this.services.reports.getReport(uri);
      if (seq !== this.requestSeq) return;
      this.setReport(
        report,
        report ? undefined : `${vscode.workspace.asRelativePath(uri)} does not belong to a compose project.`,
      );
    } catch (err) {
      if (seq !== this.requestSeq) return;
      const why = err instanceof Error ? err.message : String(err);
      this.services.output.warn(`matrix: no report for ${uri.toString()}: ${why}`);
      this.setReport(null, `The Compose Reachability language server did not answer: ${why}`);
    }
  }

  /** Sends a test action to the webview (test mode only; the webview ignores them otherwise). */
  postTestAction(action: TestAction): Thenable<boolean> {
    return this.post({ type: 'test', action });
  }

  dispose(): void {
    if (MatrixPanel.current === this) MatrixPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private covers(uri: vscode.Uri): boolean {
    const key = uri.toString();
    if (this.documentUri?.toString() === key) return true;
    return !!this.report?.files.some((f) => fileUri(f).toString() === key);
  }

  private onReportChanged(params: ReportChangedNotification.Params): void {
    const mine = new Set<string>();
    if (this.documentUri) mine.add(this.documentUri.toString());
    for (const f of this.report?.files ?? []) mine.add(fileUri(f).toString());
    // The notification only names the files; the report itself is asked for (a newer request
    // supersedes one in flight).
    if (params.uris.some((u) => mine.has(canonicalUri(u)))) void this.refresh();
  }

  private setReport(report: ReachabilityReport | null, message: string | undefined): void {
    this.report = report;
    this.reportMessage = message;
    this.panel.title = report ? `Reachability: ${report.project}` : 'Reachability Matrix';
    void this.postReport();
  }

  private postReport(): Thenable<boolean> {
    return this.post({
      type: 'report',
      reportJson: this.report && JSON.stringify(matrixReport(this.report)),
      documentUri: this.documentUri?.toString(),
      ...(this.reportMessage ? { message: this.reportMessage } : {}),
    });
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private onMessage(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready':
        // A new webview document (first show, or shown again after being hidden): it has nothing yet.
        void this.postReport();
        break;
      case 'reveal':
        void this.reveal(msg.location);
        break;
      case 'copyMarkdown':
        void this.copyMarkdown();
        break;
      case 'rendered':
        this.onRendered(msg.rendered);
        break;
    }
  }

  private onRendered(info: RenderInfo): void {
    const event: RenderEvent = { ...info, generation: ++MatrixPanel.generation };
    MatrixPanel.lastRender = event;
    if (info.sinceStartMs !== undefined && !this.loggedFirstRender) {
      this.loggedFirstRender = true;
      this.services.output.info(
        `matrix: first render of ${info.services} services took ${info.renderMs} ms ` +
          `(${info.sinceStartMs} ms after the webview started)`,
      );
    }
    MatrixPanel.renderEmitter.fire(event);
  }

  /** Opens the location in an editor beside the panel; only files of the shown report are accepted. */
  private async reveal(location: Location): Promise<void> {
    const report = this.report;
    if (!report || !isLocation(location) || !report.files.includes(location.file)) {
      this.services.output.warn(`matrix: ignored a reveal outside the project: ${JSON.stringify(location)}`);
      return;
    }
    const uri = fileUri(location.file);
    const { start, end } = location.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const visible = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === uri.toString(),
    );
    const viewColumn =
      visible?.viewColumn ??
      (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(uri, {
      viewColumn,
      selection: range,
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async copyMarkdown(): Promise<void> {
    if (!this.report) return;
    const markdown = formatMatrixMarkdown(buildMatrix(this.report));
    await vscode.env.clipboard.writeText(markdown);
    vscode.window.setStatusBarMessage(
      `Copied the reachability matrix of ${this.report.project} as Markdown`,
      4000,
    );
    MatrixPanel.lastCopy = { count: (MatrixPanel.lastCopy?.count ?? 0) + 1, markdown };
    MatrixPanel.copyEmitter.fire(MatrixPanel.lastCopy);
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.services.extensionUri, 'dist');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const nonce = randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" nonce="${nonce}">
<title>Reachability Matrix</title>
</head>
<body data-test-mode="${this.services.testMode ? 'true' : 'false'}">
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

function isLocation(v: unknown): v is Location {
  const l = v as Location | undefined;
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.file === 'string' &&
    typeof l.range?.start?.line === 'number' &&
    typeof l.range?.start?.character === 'number' &&
    typeof l.range?.end?.line === 'number' &&
    typeof l.range?.end?.character === 'number'
  );
}
