/**
 * Keystroke latency of a language server, measured the way an editor experiences it: the
 * server runs as a child process over stdio, this module plays the editor's side of JSON-RPC
 * (answering the server's requests as VS Code would), opens a fixture and types into it.
 * Nothing here sleeps: every step awaits the server's message, or gives up after a guard
 * time and returns what it has with `error` set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createMessageConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  NotificationType,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ConfigurationItem,
  type MessageConnection,
  type Position,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import { SERVER_NODE_OPTIONS } from '../../shared/src/protocol';
import { REPO_ROOT } from '../support/paths';
import { stat, type Fixture, type LspResult } from './types';

/** Options of `benchLsp`. */
export interface LspBenchOptions {
  /** Single-character edits to time (default 30). */
  edits?: number;
  /** Guard time of every step; default 60 s for start-up and open, 30 s for each edit. */
  timeoutMs?: number;
}

type ServerName = LspResult['server'];

const DEFAULT_EDITS = 30;
const OPEN_TIMEOUT_MS = 60_000;
const EDIT_TIMEOUT_MS = 30_000;
/** After `exit`, how long a server gets to end on its own before it is killed. */
const EXIT_TIMEOUT_MS = 5_000;

/** The compose JSON schema dclint ships: yaml-language-server validates against it, offline. */
const COMPOSE_SCHEMA = path.join(REPO_ROOT, 'node_modules/dclint/schemas/compose.schema.json');

/** The file names SchemaStore associates with its compose schema, which VS Code's YAML extension uses. */
const COMPOSE_GLOBS = [
  'docker-compose.yml',
  'docker-compose.yaml',
  'docker-compose.*.yml',
  'docker-compose.*.yaml',
  'compose.yml',
  'compose.yaml',
  'compose.*.yml',
  'compose.*.yaml',
];

interface ServerSpec {
  /** The script node runs: the process spawned is the server itself, so its VmHWM is the server's. */
  script: string;
  /** Node options its editor extension starts it with. */
  nodeOptions: readonly string[];
  /** The language id the editor gives a compose file when this server is the one that reads it. */
  languageId: string;
  /** workspace/configuration sections this server reads, as VS Code would answer them. */
  settings: Record<string, unknown>;
}

function serverSpec(server: ServerName): ServerSpec {
  switch (server) {
    case 'compose-reachability':
      return {
        // The bundle VS Code starts (over IPC there); --stdio is the same code with another transport.
        script: path.join(REPO_ROOT, 'dist/server.js'),
        nodeOptions: SERVER_NODE_OPTIONS,
        // What VS Code's Docker extension makes compose files; the server also accepts `yaml`.
        languageId: 'dockercompose',
        settings: { composeReachability: {} },
      };
    case 'yaml-language-server':
      return {
        script: path.join(REPO_ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server'),
        // VS Code's YAML extension starts it without options.
        nodeOptions: [],
        // VS Code's YAML extension serves `yaml`; without the Docker extension compose files are that.
        languageId: 'yaml',
        settings: {
          yaml: {
            validate: true,
            hover: true,
            completion: true,
            format: { enable: false },
            // VS Code users get the compose schema from SchemaStore's catalog; there is no network
            // here, so the catalog is off and the same schema is mapped from disk instead.
            schemaStore: { enable: false },
            kubernetesCRDStore: { enable: false },
            schemas: { [URI.file(COMPOSE_SCHEMA).toString()]: COMPOSE_GLOBS },
          },
          http: { proxy: '', proxyStrictSSL: false },
        },
      };
  }
}

/** What VS Code 1.100 announces, as far as these servers look at it. */
const CAPABILITIES: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
      tagSupport: { valueSet: [1, 2] },
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    codeAction: { dynamicRegistration: true, isPreferredSupport: true, dataSupport: true },
    formatting: { dynamicRegistration: true },
  },
  window: { workDoneProgress: true, showMessage: {} },
};

/** yaml-language-server's own messages (requestTypes.ts): the YAML extension opts in to schema selection. */
const supportSchemaSelection = new NotificationType<void>('yaml/supportSchemaSelection');
/** Sent after each settings pull has been applied, which is when validation uses the schema. */
const schemaStoreInitialized = new NotificationType<unknown>('yaml/schema/store/initialized');

/** A publishDiagnostics as it arrived. */
interface Publish {
  params: PublishDiagnosticsParams;
  at: number;
}

/**
 * Opens a fixture in a language server and types into it.
 *
 * `openMs`: didOpen of the main file → its first publishDiagnostics. `edit`: one-character
 * didChange → the publishDiagnostics for that version, each edit sent once the previous one's
 * diagnostics have arrived. `peakRssMb`: the server process's VmHWM just before shutdown (Linux;
 * NaN elsewhere). A timeout, crash or protocol error ends the run early with `error` set and
 * whatever was measured so far; the server process is gone when the promise settles either way.
 */
export async function benchLsp(
  fixture: Fixture,
  server: ServerName,
  options: LspBenchOptions = {},
): Promise<LspResult> {
  const spec = serverSpec(server);
  const edits = options.edits ?? DEFAULT_EDITS;
  const openTimeout = options.timeoutMs ?? OPEN_TIMEOUT_MS;
  const editTimeout = options.timeoutMs ?? EDIT_TIMEOUT_MS;
  const result: LspResult = { server, fixture: fixture.name, openMs: NaN, edit: stat([]), peakRssMb: NaN };
  const times: number[] = [];

  // Real paths: a server may publish for the resolved path, and a symlinked tmpdir (macOS) would not match.
  const files = fixture.files.map((f) => fs.realpathSync(f));
  const root = fs.realpathSync(fixture.dir);
  const session = new Session(spec, root);
  try {
    await session.step('initialize', openTimeout, () => session.initialize(server));

    // An editor restoring two tabs opens both documents back to back; the clock runs from the
    // main file's didOpen to its own first diagnostics, so a server that does the second file's
    // work first is charged for it. Edits start once both files have their first diagnostics.
    const main = session.document(files[0]!, spec.languageId);
    const others = files.slice(1).map((f) => session.document(f, spec.languageId));
    const mark = session.mark();
    const t0 = performance.now();
    const opened = session.nextPublish(main.uri, 1, mark);
    await main.open();
    for (const doc of others) await doc.open();
    result.openMs =
      (await session.step(`open ${path.basename(main.file)}`, openTimeout, () => opened)).at - t0;
    for (const doc of others) {
      await session.step(`open ${path.basename(doc.file)}`, openTimeout, () =>
        session.nextPublish(doc.uri, 1, mark),
      );
    }

    for (const change of typing(main.text, edits)) {
      const since = session.mark();
      const version = main.version + 1;
      const published = session.nextPublish(main.uri, version, since);
      const start = performance.now();
      await main.change(change.position, change.deleteLength, change.insert);
      const p = await session.step(`edit v${version}`, editTimeout, () => published);
      times.push(p.at - start);
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    result.edit = stat(times);
    result.peakRssMb = session.peakRssMb();
    const problem = await session.close();
    if (problem && !result.error) result.error = problem;
  }
  return result;
}

/** One edit: replace `deleteLength` characters at `position` (on one line) by `insert`. */
interface Change {
  position: Position;
  deleteLength: number;
  insert: string;
}

/** One edit in offsets: replace `deleteLength` characters at `at` by `insert`. */
export interface OffsetEdit {
  at: number;
  deleteLength: number;
  insert: string;
}

/**
 * Typing that changes what a compose linter finds: an `x` appended to a network a service joins
 * (which makes the reference undefined), then deleted again, at places spread from the top of
 * the file to its end. The text stays valid YAML throughout and is back to the original after
 * every pair, so offsets computed once stay right.
 */
export function typingEdits(text: string, count: number): OffsetEdit[] {
  if (count <= 0) return [];
  const offsets = editOffsets(text);
  if (offsets.length === 0) throw new Error('no network reference or image to type into');
  const pairs = Math.ceil(count / 2);
  const edits: OffsetEdit[] = [];
  for (let i = 0; i < pairs && edits.length < count; i++) {
    const at = offsets[pairs === 1 ? 0 : Math.round((i * (offsets.length - 1)) / (pairs - 1))]!;
    edits.push({ at, deleteLength: 0, insert: 'x' });
    if (edits.length < count) edits.push({ at, deleteLength: 1, insert: '' });
  }
  return edits;
}

/** `typingEdits` as an editor sends them: at line and character. */
function typing(text: string, count: number): Change[] {
  return typingEdits(text, count).map(({ at, ...e }) => ({ position: positionAt(text, at), ...e }));
}

/**
 * End offsets of the plain network names services join (list items or map keys), in file
 * order; a file without networks falls back to the services' image names.
 */
function editOffsets(text: string): number[] {
  const services = parseDocument(text).get('services', true);
  if (!isMap(services)) return [];
  const networks: number[] = [];
  const images: number[] = [];
  const plainEnd = (node: unknown, into: number[]): void => {
    if (isScalar(node) && node.type === Scalar.PLAIN && node.range) into.push(node.range[1]);
  };
  for (const pair of services.items) {
    if (!isMap(pair.value)) continue;
    const nets = pair.value.get('networks', true) as Node | undefined;
    if (isSeq(nets)) for (const item of nets.items) plainEnd(item, networks);
    else if (isMap(nets)) for (const p of nets.items) plainEnd(p.key, networks);
    plainEnd(pair.value.get('image', true), images);
  }
  return (networks.length > 0 ? networks : images).sort((a, b) => a - b);
}

function positionAt(text: string, offset: number): Position {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}

/** An open document: its text and version as the editor holds them. */
class Document {
  readonly uri: string;
  text: string;
  version = 0;

  constructor(
    private readonly connection: MessageConnection,
    readonly file: string,
    private readonly languageId: string,
  ) {
    this.uri = URI.file(file).toString();
    this.text = fs.readFileSync(file, 'utf8');
  }

  async open(): Promise<void> {
    this.version = 1;
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri, languageId: this.languageId, version: this.version, text: this.text },
    });
  }

  async change(position: Position, deleteLength: number, insert: string): Promise<void> {
    const lines = this.text.split('\n');
    const line = lines[position.line]!;
    lines[position.line] =
      line.slice(0, position.character) + insert + line.slice(position.character + deleteLength);
    this.text = lines.join('\n');
    this.version++;
    const end = { line: position.line, character: position.character + deleteLength };
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [{ range: { start: position, end }, text: insert }],
    });
  }
}

/** The server process and the editor's side of the connection to it. */
class Session {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly publishes: Publish[] = [];
  private readonly listeners = new Set<() => void>();
  /** Settled when the process ends; a step racing it fails at once instead of at its guard time. */
  private readonly ended: Promise<string>;
  private exited = false;
  private stderr = '';
  /** yaml-language-server: settings pulls answered, and pulls it has applied. */
  private pullsAnswered = 0;
  private pullsApplied = 0;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  constructor(
    private readonly spec: ServerSpec,
    private readonly root: string,
  ) {
    this.child = spawn(process.execPath, [...spec.nodeOptions, spec.script, '--stdio'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A benchmark interrupted by an exception elsewhere must not leave a server running.
    process.once('exit', this.killOnExit);
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    this.ended = new Promise((resolve) => {
      this.child.once('error', (e) => resolve(`cannot start ${spec.script}: ${e.message}`));
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        process.removeListener('exit', this.killOnExit);
        resolve(`server exited (${signal ?? `code ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      });
    });
    // Writes to a dead server's stdin fail asynchronously; the `ended` message says why.
    this.child.stdin!.on('error', () => undefined);

    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.publishes.push({ params, at: performance.now() });
      this.notify();
    });
    this.connection.onNotification(schemaStoreInitialized, () => {
      this.pullsApplied++;
      this.notify();
    });
    // Logs, telemetry, progress: an editor shows them; nothing here depends on them.
    this.connection.onNotification(() => undefined);
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      if (params.items.some((item) => item.section === 'yaml')) this.pullsAnswered++;
      return params.items.map((item) => this.configuration(item));
    });
    // client/registerCapability, window/workDoneProgress/create, workspace/*/refresh...: VS Code
    // accepts them all with an empty result.
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  async initialize(server: ServerName): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.100.0' },
      locale: 'en',
      rootUri: URI.file(this.root).toString(),
      rootPath: this.root,
      capabilities: CAPABILITIES,
      workspaceFolders: [{ uri: URI.file(this.root).toString(), name: path.basename(this.root) }],
    });
    // Queued in one go, so no answer to a settings pull can overtake them: the server has sent
    // every pull these cause before it sees the first answer, and counting them below is exact.
    const sent = [this.connection.sendNotification(InitializedNotification.type, {})];
    if (server === 'yaml-language-server') {
      sent.push(this.connection.sendNotification(supportSchemaSelection));
    }
    // yaml-language-server pulls its settings when told they changed; ours pulls per project anyway.
    sent.push(
      this.connection.sendNotification(DidChangeConfigurationNotification.type, {
        settings: this.spec.settings,
      }),
    );
    await Promise.all(sent);
    if (server === 'yaml-language-server') {
      // A document opened before the schema mapping is applied is validated without it, then
      // again with it: wait until every settings pull has been applied.
      await this.until(() => this.pullsAnswered > 0 && this.pullsApplied >= this.pullsAnswered);
    }
  }

  document(file: string, languageId: string): Document {
    return new Document(this.connection, file, languageId);
  }

  /** The index the next publish gets. */
  mark(): number {
    return this.publishes.length;
  }

  /**
   * The first publish for `uri` from index `since` on for `version`; a server that does not
   * send versions is taken at its first publish.
   */
  nextPublish(uri: string, version: number, since: number): Promise<Publish> {
    return this.until(() => {
      for (let i = since; i < this.publishes.length; i++) {
        const p = this.publishes[i]!;
        const { uri: at, version: v } = p.params;
        if (at === uri && (v === undefined || v === version)) return p;
      }
      return undefined;
    });
  }

  /** Runs a step against its guard time and the server's life. */
  async step<T>(what: string, timeoutMs: number, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${timeoutMs} ms`)), timeoutMs);
    });
    const died = this.ended.then((why): never => {
      throw new Error(`${what}: ${why}`);
    });
    try {
      return await Promise.race([run(), guard, died]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** VmHWM of the server process, MB; NaN where /proc is not there or the process has gone. */
  peakRssMb(): number {
    if (this.exited || this.child.pid === undefined) return NaN;
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(status)?.[1];
      return kb === undefined ? NaN : Math.round((Number(kb) / 1024) * 10) / 10;
    } catch {
      return NaN;
    }
  }

  /** shutdown + exit as an editor ends a session; kills the process if it does not end. Returns a problem, if any. */
  async close(): Promise<string | undefined> {
    let problem: string | undefined;
    if (!this.exited) {
      try {
        await this.step('shutdown', EXIT_TIMEOUT_MS, () => this.connection.sendRequest(ShutdownRequest.type));
        await this.connection.sendNotification(ExitNotification.type);
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      let timer: NodeJS.Timeout | undefined;
      // A server that did not answer shutdown is not waited for again.
      const grace = problem ? 0 : EXIT_TIMEOUT_MS;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, grace)));
      await Promise.race([this.ended, late]);
      clearTimeout(timer);
      if (!this.exited) {
        problem ??= `server still running ${EXIT_TIMEOUT_MS} ms after exit`;
        this.child.kill('SIGKILL');
        await this.ended;
      }
    }
    this.listeners.clear();
    this.connection.dispose();
    process.removeListener('exit', this.killOnExit);
    return problem;
  }

  private configuration(item: ConfigurationItem): unknown {
    // `[yaml]` and `editor` are VS Code's language and editor settings; the defaults apply.
    return (item.section !== undefined ? this.spec.settings[item.section] : undefined) ?? null;
  }

  /** Resolves with the first truthy value `check` returns, checked now and after each message. */
  private until<T>(check: () => T | undefined | false): Promise<T> {
    return new Promise((resolve) => {
      const listener = (): void => {
        const value = check();
        if (value === undefined || value === false) return;
        this.listeners.delete(listener);
        resolve(value);
      };
      this.listeners.add(listener);
      listener();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
