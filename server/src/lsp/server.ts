/**
 * The language server: wiring only. Each feature lives in its own module; this file connects
 * them to the protocol.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import {
  analyzeProject,
  ParseCache,
  type AnalysisSettings,
  type EngineHost,
  type ProjectAnalysis,
} from '../engine/index';
import { provideFixes } from '../engine/fixes/index';
import type { ReachabilityReport } from '../../../shared/src/report';
import { createNodeHost } from '../host/nodeHost';
import { Analyzer, type AnalyzeFn } from './analyzer';
import { codeActions, noFixes, type FixProvider } from './codeActions';
import { MonotonicSync, OpenDocuments, uriToPath } from './documents';
import { hoverAt } from './hover';
import { debugFrom, errorMessage, logText } from './logging';
import { reportChanged, reportRequest } from './protocol';
import { SETTINGS_SECTION, toAnalysisSettings } from './settings';

/** The longest quiet time after a keystroke before analysing (the analyzer waits less for cheap projects). */
export const DEFAULT_DEBOUNCE_MS = 150;

/** How a server is built; every field has the production default. */
export interface ServerOptions {
  /** The engine (tests wrap it to inject failures). */
  analyze?: AnalyzeFn;
  /** Closed files and the environment; default: the disk and this process's environment. */
  host?: EngineHost;
  debounceMs?: number;
  /** Quick fixes of a finding; default: none. */
  fixes?: FixProvider;
  /** Stack traces in the client's log; default: COMPOSE_REACHABILITY_DEBUG is set. */
  debug?: boolean;
}

/** Starts serving on a connection. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const sync = new MonotonicSync();
  const documents = new TextDocuments(sync);
  const open = new OpenDocuments();
  // The analysis behind each report the analyzer holds, for the quick fixes; weak, so a report
  // the analyzer drops takes its analysis with it.
  const analyses = new WeakMap<ReachabilityReport, ProjectAnalysis>();
  // Keystroke after keystroke the same files are analysed: unchanged files are not parsed
  // again, and an edit inside one service parses that service only.
  const parses = new ParseCache();
  const engineAnalyze: AnalyzeFn = (opts, host, settings) => {
    const analysis = analyzeProject(opts, host, settings, parses);
    analyses.set(analysis.report, analysis);
    return analysis.report;
  };
  const engineFixes: FixProvider = (report, finding, texts) => {
    const analysis = analyses.get(report);
    return analysis ? provideFixes(analysis, finding, texts) : [];
  };
  const fixes = options.fixes ?? (options.analyze ? noFixes : engineFixes);
  const debug = options.debug ?? debugFrom(process.env);
  const logError = (message: string, cause?: unknown): void =>
    connection.console.error(logText(message, cause, debug));
  const client = {
    configuration: false,
    configurationRegistration: false,
    watcherRegistration: false,
    annotations: false,
  };
  // Clients without workspace/configuration push their settings with didChangeConfiguration.
  let pushedSettings: AnalysisSettings = {};

  const analyzer = new Analyzer(open, {
    analyze: options.analyze ?? engineAnalyze,
    host: options.host ?? createNodeHost(editorEnvironment(process.env)),
    debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    async settings(scopeUri) {
      if (!client.configuration) return pushedSettings;
      return toAnalysisSettings(
        await connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }),
      );
    },
    // Parses of files nothing reads any more go: a long session would otherwise keep them all.
    release: (inUse) => parses.retain((file) => inUse.has(file)),
    output: {
      publishDiagnostics: (params) => handled(connection.sendDiagnostics(params)),
      reportChanged: (params) => handled(connection.sendNotification(reportChanged, params)),
      error: logError,
    },
  });

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    client.configuration = workspace?.configuration === true;
    client.configurationRegistration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    client.watcherRegistration = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    client.annotations =
      workspace?.workspaceEdit?.documentChanges === true &&
      workspace.workspaceEdit.changeAnnotationSupport !== undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'compose-reachability' },
    };
  });

  connection.onInitialized(() => {
    if (client.configurationRegistration) {
      handled(
        connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }),
      );
    }
    if (client.watcherRegistration) {
      // Closed project files, `.env` and env_file files, new override files and the configuration files mounted
      // into services (nginx.conf, prometheus.yml, Caddyfile ...) change results too; the
      // analyzer ignores the changes of files no project read.
      handled(
        connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.{yaml,yml}' },
            // `.env`, and the names env_file entries usually have (`.env.web`, `api.env`).
            { globPattern: '**/{.env,.env.*,*.env}' },
            { globPattern: '**/*.{conf,cfg,cnf,ini,toml,json,properties,config,template,tmpl,hcl,xml}' },
            { globPattern: '**/{Caddyfile,caddyfile}*' },
            { globPattern: '**/haproxy*' },
          ],
        }),
      );
    }
  });

  connection.onDidChangeConfiguration((params) => {
    if (!client.configuration) {
      const settings: unknown = params.settings;
      pushedSettings = toAnalysisSettings(
        typeof settings === 'object' && settings !== null
          ? (settings as Record<string, unknown>)[SETTINGS_SECTION]
          : undefined,
      );
    }
    analyzer.settingsChanged();
  });

  connection.onDidChangeWatchedFiles((params) => {
    analyzer.filesChanged(params.changes.map((c) => uriToPath(c.uri)).filter((f) => f !== undefined));
  });

  // didOpen raises onDidChangeContent too: one handler sees every new text.
  documents.onDidChangeContent(({ document }) => {
    // A stale version changed nothing: analysing again would only cost time.
    if (!sync.dropped(document)) analyzer.changed(document);
  });
  documents.onDidClose(({ document }) => analyzer.closed(document));

  connection.onHover(({ textDocument, position }) => {
    const file = uriToPath(textDocument.uri);
    const doc = documents.get(textDocument.uri);
    const report = file === undefined ? undefined : analyzer.reportOf(file);
    if (file === undefined || !doc || !report) return null;
    return hoverAt(report, file, position, (loc) => doc.getText(loc.range));
  });

  connection.onCodeAction((params) => {
    const file = uriToPath(params.textDocument.uri);
    if (file === undefined) return [];
    return codeActions(params, {
      file,
      analysis: analyzer.currentAnalysis(file),
      provider: fixes,
      uriOf: (f) => open.uriOf(f),
      error: logError,
      annotations: client.annotations,
    });
  });

  connection.onRequest(reportRequest, async ({ uri }) => {
    const file = uriToPath(uri);
    if (file === undefined) return null;
    // A webview opened right after the document asks before the first analysis has run.
    if (analyzer.isPending(file)) await analyzer.settle();
    return analyzer.reportOf(file) ?? null;
  });

  connection.onShutdown(() => analyzer.dispose());

  documents.listen(connection);
  connection.listen();

  /** Outgoing messages fail only when the client has gone; an unhandled rejection would end the process. */
  function handled(p: Promise<unknown>): void {
    p.catch((e: unknown) => logError(`compose-reachability: ${errorMessage(e)}`, e));
  }
}

const FILE_VARIABLES = new Set(['COMPOSE_FILE', 'COMPOSE_PATH_SEPARATOR']);

/**
 * The environment the engine sees in an editor: the process's, without the variables that
 * choose files. Each document's own directory decides its project; a COMPOSE_FILE inherited
 * from the shell that started the editor would send every document to one project.
 */
export function editorEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !FILE_VARIABLES.has(name)));
}
