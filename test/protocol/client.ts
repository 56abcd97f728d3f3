/**
 * A language client for protocol tests: starts the real server as a child process, speaks
 * JSON-RPC with it over stdio (or IPC), records every notification it sends, and lets a test
 * await the one it expects. Nothing here sleeps: a wait ends when the message arrives, or
 * fails after a generous guard time with what did arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createMessageConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  NotificationType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  RequestType,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type ConfigurationItem,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type LogMessageParams,
  type MessageConnection,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { ReportChangedNotification, ReportRequest } from '../../shared/src/protocol';
import { REPO_ROOT } from '../support/paths';
import type { Hooks } from './hookedServer';

/** The client's side of the custom messages, wrapped from the shared names. */
export const reportRequest = new RequestType<ReportRequest.Params, ReportRequest.Result, void>(
  ReportRequest.method,
);
export const reportChanged = new NotificationType<ReportChangedNotification.Params>(
  ReportChangedNotification.method,
);

/** How to start the server. */
export type Entry =
  /** `compose-reachability lsp --stdio`: the compiled CLI, or `script` (the bundle, dist/cli.js). */
  | { kind: 'cli'; script?: string }
  /** server/src/lsp/main.ts, the entry VS Code starts, with `--stdio` or `--node-ipc`. */
  | { kind: 'main'; transport: 'stdio' | 'ipc' }
  /** The server with test hooks (hookedServer.ts). */
  | { kind: 'hooked'; hooks: Hooks };

/** Options of `startClient`. */
export interface ClientOptions {
  entry?: Entry;
  /** Capabilities beyond the defaults (workspace/configuration, dynamic registration). */
  capabilities?: ClientCapabilities;
  /** The `composeReachability` section the client answers workspace/configuration with. */
  settings?: unknown;
}

/** One notification from the server, in arrival order. */
export interface Received {
  method: string;
  params: unknown;
}

const GUARD_MS = 15_000;
const OUT = path.join(REPO_ROOT, 'out');

/** A running server and the client connected to it. */
export class TestClient {
  /** Every notification the server has sent, in order. */
  readonly received: Received[] = [];
  /** Every workspace/configuration item the server asked for. */
  readonly configurationRequests: ConfigurationItem[] = [];
  /** What workspace/configuration answers; tests change it before didChangeConfiguration. */
  settings: unknown;
  /** When set, workspace/configuration waits for it: lets a test hold an analysis mid-way. */
  configurationGate: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly configurationListeners: Array<() => void> = [];
  private readonly versions = new Map<string, number>();
  private exited: Promise<number | null>;

  constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
    settings: unknown,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    connection.onNotification((method, params) => {
      this.received.push({ method, params });
      for (const w of [...this.waiters]) w();
    });
    connection.onRequest(ConfigurationRequest.type, async (params) => {
      this.configurationRequests.push(...params.items);
      // The settings as they are when asked: a gated answer can be older than the client's settings.
      const settings = this.settings;
      for (const listener of this.configurationListeners.splice(0)) listener();
      await this.configurationGate;
      return params.items.map((item) => (item.section === 'composeReachability' ? settings : null));
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.listen();
  }

  /** Resolves when the server next asks for configuration. */
  configurationAsked(): Promise<void> {
    return new Promise((resolve) => this.configurationListeners.push(resolve));
  }

  /** The index the next notification gets: waits from a mark ignore what came before it. */
  mark(): number {
    return this.received.length;
  }

  /** The first notification from index `since` that `match` accepts; waits for it when none has come yet. */
  waitFor<T>(method: string, match: (params: T) => boolean, since = 0, what = method): Promise<T> {
    return new Promise((resolve, reject) => {
      let next = since;
      const check = (): boolean => {
        for (; next < this.received.length; next++) {
          const r = this.received[next]!;
          if (r.method === method && match(r.params as T)) {
            resolve(r.params as T);
            return true;
          }
        }
        return false;
      };
      if (check()) return;
      const guard = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${what} after ${GUARD_MS} ms; received:\n${this.describeReceived(since)}`));
      }, GUARD_MS);
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(guard);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** The next diagnostics published for a file (from `since`), optionally for one document version. */
  diagnostics(
    file: string,
    options: { version?: number; since?: number; match?: (p: PublishDiagnosticsParams) => boolean } = {},
  ): Promise<PublishDiagnosticsParams> {
    const uri = uriOf(file);
    return this.waitFor<PublishDiagnosticsParams>(
      PublishDiagnosticsNotification.method,
      (p) =>
        p.uri === uri &&
        (options.version === undefined || p.version === options.version) &&
        (options.match === undefined || options.match(p)),
      options.since ?? 0,
      `diagnostics for ${path.basename(file)}${options.version === undefined ? '' : ` v${options.version}`}`,
    );
  }

  /** Every diagnostics notification published for a file so far. */
  published(file: string): PublishDiagnosticsParams[] {
    const uri = uriOf(file);
    return this.received
      .filter((r) => r.method === PublishDiagnosticsNotification.method)
      .map((r) => r.params as PublishDiagnosticsParams)
      .filter((p) => p.uri === uri);
  }

  /** Messages the server logged (window/logMessage). */
  logs(): LogMessageParams[] {
    return this.received
      .filter((r) => r.method === LogMessageNotification.method)
      .map((r) => r.params as LogMessageParams);
  }

  async initialize(capabilities: ClientCapabilities, rootPath: string): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(rootPath),
      capabilities,
      workspaceFolders: [{ uri: uriOf(rootPath), name: path.basename(rootPath) }],
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Opens a document with its text from `text`, or from disk. */
  async open(file: string, text?: string, languageId = 'dockercompose'): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), languageId, version: 1, text: text ?? fs.readFileSync(file, 'utf8') },
    });
  }

  /** Replaces a document's text; returns the new version. */
  async change(file: string, text: string): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /**
   * Sends changes as a client that does not keep versions in order would: `version` as given,
   * not the next one (the client's count moves on only when it is higher).
   */
  async changeAt(file: string, version: number, change: { text: string; range?: Range }): Promise<void> {
    this.versions.set(file, Math.max(version, this.versions.get(file) ?? 0));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [change],
    });
  }

  /** Applies one incremental change; returns the new version. */
  async edit(file: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  async close(file: string): Promise<void> {
    this.versions.delete(file);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file) },
    });
  }

  async filesChanged(...files: string[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: files.map((f) => ({ uri: uriOf(f), type: FileChangeType.Changed as FileChangeType })),
    });
  }

  async configurationChanged(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { composeReachability: settings },
    });
  }

  hover(file: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position });
  }

  codeActions(file: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection
      .sendRequest(CodeActionRequest.type, {
        textDocument: { uri: uriOf(file) },
        range,
        context: { diagnostics },
      })
      .then((r) => (r ?? []) as CodeAction[]);
  }

  report(file: string): Promise<ReportRequest.Result> {
    return this.connection.sendRequest(reportRequest, { uri: uriOf(file) });
  }

  /** shutdown + exit, as a client ends a session; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** True while the server process runs. */
  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  private describeReceived(since: number): string {
    return (
      this.received
        .slice(since)
        .map((r) => `  ${r.method} ${JSON.stringify(r.params).slice(0, 300)}`)
        .join('\n') || '  (nothing)'
    );
  }
}

/** The `file:` URI of a path, as VS Code sends it; a URI (`untitled:/…`) is returned as is. */
export function uriOf(file: string): string {
  return path.isAbsolute(file) ? URI.file(file).toString() : file;
}

/** Starts a server, initializes it with `root` as the workspace folder. */
export async function startClient(root: string, options: ClientOptions = {}): Promise<TestClient> {
  const entry = options.entry ?? { kind: 'cli' };
  let proc: ChildProcess;
  let connection: MessageConnection;
  const stdio = (child: ChildProcess): MessageConnection =>
    createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  switch (entry.kind) {
    case 'cli':
      proc = spawn(
        process.execPath,
        [entry.script ?? path.join(OUT, 'server/src/cli/bin.js'), 'lsp', '--stdio'],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      connection = stdio(proc);
      break;
    case 'main':
      if (entry.transport === 'stdio') {
        proc = spawn(process.execPath, [path.join(OUT, 'server/src/lsp/main.js'), '--stdio'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        connection = stdio(proc);
      } else {
        proc = spawn(process.execPath, [path.join(OUT, 'server/src/lsp/main.js'), '--node-ipc'], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        connection = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
      }
      break;
    case 'hooked': {
      const module = path.join(OUT, 'test/protocol/hookedServer.js');
      const code = `require(${JSON.stringify(module)}).main(${JSON.stringify(entry.hooks)})`;
      proc = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
      connection = stdio(proc);
      break;
    }
  }
  const client = new TestClient(proc, connection, options.settings ?? {});
  await client.initialize(
    {
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
      },
      ...options.capabilities,
    },
    root,
  );
  return client;
}

/**
 * Writes files (relative path → text) into a new temporary directory and returns its path.
 * The directory is removed by `removeProject`.
 */
export function writeProject(files: Record<string, string>): string {
  // realpath: the server reports real paths, and macOS's tmpdir is a symlink.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-reachability-lsp-')));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** A project on disk and a server started on it. */
export interface Session {
  root: string;
  client: TestClient;
  /** The absolute path of a project file. */
  at(name: string): string;
}

/** Writes the project, starts a client on it, and stops both when the test ends. */
export async function session(
  t: { after(fn: () => Promise<void>): void },
  files: Record<string, string>,
  options: ClientOptions = {},
): Promise<Session> {
  const root = writeProject(files);
  const client = await startClient(root, options);
  t.after(async () => {
    await client.stop();
    removeProject(root);
  });
  return { root, client, at: (name) => path.join(root, name) };
}

/** The position where `needle` starts in `text` (its `occurrence`-th appearance, 0-based). */
export function positionOf(text: string, needle: string, occurrence = 0): Position {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} not found ${occurrence + 1} times`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The range `needle` covers in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  const start = positionOf(text, needle, occurrence);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}
