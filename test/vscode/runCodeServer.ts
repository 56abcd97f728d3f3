// Runs the VS Code integration suite in a real VS Code extension host without a desktop VS Code:
// code-server (VS Code 1.100.3 with a Node extension host) on loopback, its workbench opened in
// headless Debian Chromium through playwright-core. See docs/real-vscode-offline.md.
//
//   node out/test/vscode/runCodeServer.js [--workspace DIR] [--tests FILE] [--extension DIR]
//        [--timeout SECONDS] [--screenshots DIR] [--code-server ENTRY] [--chromium PATH]
//        [--verbose] [--keep]
//
// Builds nothing: bundle the extension and compile test/vscode first. Prerequisites come from
// scripts/install-test-deps.sh. Exit code: 0 all tests passed, 1 tests failed (as reported by
// VS Code), 2 the harness itself failed, 3 overall timeout, 130 interrupted.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { SCREENSHOT_URL_ENV, startScreenshotServer, type ScreenshotServer } from './screenshots';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../support/chromium';

export interface CodeServerTestOptions {
  /** Folder holding the extension's package.json (the repository root). */
  extensionDevelopmentPath: string;
  /** Compiled mocha runner module exporting `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Folder to open; a scratch folder with a small compose.yaml when omitted. */
  workspacePath?: string;
  /** code-server's out/node/entry.js; defaults to the copy install-test-deps.sh puts in .vscode-test. */
  codeServerEntry?: string;
  chromiumPath?: string;
  /** Whole run, start to teardown; fails loudly when exceeded. */
  timeoutMs?: number;
  screenshotDir?: string;
  /** Extra environment for the extension host (it inherits code-server's environment). */
  extensionTestsEnv?: Record<string, string>;
  /** Also print code-server's own output and the workbench's noise, not just test output. */
  verbose?: boolean;
  /** Keep the temporary profile (logs, settings) instead of deleting it. */
  keepTemp?: boolean;
}

export const EXIT_HARNESS_ERROR = 2;
export const EXIT_TIMEOUT = 3;
export const EXIT_INTERRUPTED = 130;

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const HEALTH_ATTEMPTS = 150;
const HEALTH_INTERVAL_MS = 200;
// The closed network makes these fail noisily and slowly, and a stable UI makes screenshots comparable.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
};

class HarnessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_HARNESS_ERROR,
  ) {
    super(message);
  }
}

/** Resolves with VS Code's test exit code (0 or 1); rejects with a HarnessError otherwise. */
export async function runCodeServerTests(options: CodeServerTestOptions): Promise<number> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'compose-reachability-vscode-'));
  const dirs = {
    userData: path.join(tmp, 'user-data'),
    extensions: path.join(tmp, 'extensions'),
    xdgConfig: path.join(tmp, 'xdg-config'),
    xdgData: path.join(tmp, 'xdg-data'),
    xdgCache: path.join(tmp, 'xdg-cache'),
    xdgState: path.join(tmp, 'xdg-state'),
    browserConfig: path.join(tmp, 'browser-config'),
  };
  for (const dir of Object.values(dirs)) {
    await fs.promises.mkdir(dir, { recursive: true });
  }
  await fs.promises.mkdir(path.join(dirs.userData, 'User'), { recursive: true });
  await fs.promises.writeFile(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(USER_SETTINGS, null, 2),
  );
  const configFile = path.join(tmp, 'config.yaml');
  // Without a config file code-server writes one with a generated password into XDG_CONFIG_HOME.
  await fs.promises.writeFile(configFile, 'auth: none\ncert: false\n');

  const extensionPath = path.resolve(options.extensionDevelopmentPath);
  const testsPath = path.resolve(options.extensionTestsPath);
  const workspace = options.workspacePath
    ? path.resolve(options.workspacePath)
    : await createScratchWorkspace(path.join(tmp, 'workspace'));
  const entry = path.resolve(
    options.codeServerEntry ??
      path.join(extensionPath, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js'),
  );
  const screenshotDir = path.resolve(
    options.screenshotDir ?? path.join(extensionPath, 'test-artifacts/screenshots'),
  );
  for (const [what, file] of [
    ['extension manifest', path.join(extensionPath, 'package.json')],
    ['tests module', testsPath],
    ['workspace', workspace],
    ['code-server (run scripts/install-test-deps.sh)', entry],
    ['chromium (run scripts/install-test-deps.sh)', options.chromiumPath ?? CHROMIUM_PATH],
  ] as const) {
    if (!fs.existsSync(file)) {
      throw new HarnessError(`missing ${what}: ${file}`);
    }
  }

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let screenshots: ScreenshotServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failed = true;
  // Set when the run is being torn down (timeout, signal): run() may still be mid-await and must
  // not start anything new that teardown has already passed.
  const teardown = new AbortController();
  const forwarder = new ConsoleForwarder(options.verbose ?? false);
  // Ctrl-C or a CI cancel must still reach the finally block, or code-server and Chromium outlive us.
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onSignal = (signal) => reject(new HarnessError(`interrupted by ${signal}`, EXIT_INTERRUPTED));
  });
  interrupted.catch(() => undefined);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

  const run = async (): Promise<number> => {
    screenshots = await startScreenshotServer(screenshotDir);
    const port = await freePort();
    server = startCodeServer(
      entry,
      port,
      workspace,
      dirs,
      configFile,
      {
        ...options.extensionTestsEnv,
        [SCREENSHOT_URL_ENV]: screenshots.url,
      },
      options.verbose ?? false,
    );
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, server, teardown.signal);
    log(`code-server ready on ${base} after ${elapsed(started)}`);

    const launched = await chromium.launch({
      executablePath: options.chromiumPath ?? CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      // Playwright's own handlers would exit the process on a signal before our finally block
      // has stopped code-server.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // Chromium writes crash reports and settings under ~ unless told otherwise.
      env: { ...process.env, XDG_CONFIG_HOME: dirs.browserConfig, XDG_CACHE_HOME: dirs.xdgCache },
    });
    if (teardown.signal.aborted) {
      await launched.close();
      throw new HarnessError('torn down while the browser was starting');
    }
    browser = launched;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    screenshots.attach(page);

    const exitCode = new Promise<number>((resolve, reject) => {
      // VS Code calls this (test mode only) with the runner's result once run() settles.
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)).catch(reject);
      page.on('crash', () => reject(new HarnessError('the workbench page crashed')));
      page.on('close', () => reject(new HarnessError('the workbench page closed before the tests finished')));
      server!.exited.then((code) =>
        reject(new HarnessError(`code-server exited (${code}) before the tests finished`)),
      );
    });
    // Observed only once goto has returned; until then a rejection must not count as unhandled.
    exitCode.catch(() => undefined);
    page.on('console', (msg) => forwarder.push(msg));
    page.on('pageerror', (err) => forwarder.pushText(`[browser:pageerror] ${err.message}`));

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${toUriPath(extensionPath)}`],
      ['extensionTestsPath', `vscode-remote://remote${toUriPath(testsPath)}`],
    ];
    const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening the workbench on ${workspace}`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const code = await exitCode;
    await forwarder.drain();
    log(`tests finished with exit code ${code} after ${elapsed(started)}`);
    return code;
  };

  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HarnessError(
              `TIMEOUT: the VS Code tests did not finish within ${timeoutMs / 1000} s; ` +
                'see the output above for the last thing that happened',
              EXIT_TIMEOUT,
            ),
          ),
        timeoutMs,
      );
    });
    const code = await Promise.race([run(), timeout, interrupted]);
    failed = code !== 0;
    return code;
  } catch (err) {
    const interruptedByUser = err instanceof HarnessError && err.exitCode === EXIT_INTERRUPTED;
    if (server && !options.verbose && !interruptedByUser) {
      server.dumpTail();
    }
    throw err;
  } finally {
    teardown.abort();
    clearTimeout(timer);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await browser?.close().catch((err: unknown) => log(`closing the browser failed: ${String(err)}`));
    // After the browser: a message still being read from a hung page would otherwise block here.
    await forwarder.drain().catch(() => undefined);
    await server?.stop();
    await screenshots?.close();
    if (failed || options.keepTemp) {
      log(`kept the temporary profile (code-server logs in user-data/logs): ${tmp}`);
    } else {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  }
}

/** A folder with one compose file, so the suite can run before the repository has fixtures. */
export async function createScratchWorkspace(dir: string): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(
    path.join(dir, 'compose.yaml'),
    [
      'services:',
      '  web:',
      '    image: nginx:alpine',
      '    networks: [front]',
      '  api:',
      '    image: node:20-alpine',
      '    networks: [front, back]',
      '  db:',
      '    image: postgres:16-alpine',
      '    networks: [back]',
      'networks:',
      '  front: {}',
      '  back: {}',
      '',
    ].join('\n'),
  );
  return dir;
}

interface CodeServer {
  readonly exited: Promise<number | null>;
  dumpTail(): void;
  stop(): Promise<void>;
}

function startCodeServer(
  entry: string,
  port: number,
  workspace: string,
  dirs: {
    userData: string;
    extensions: string;
    xdgConfig: string;
    xdgData: string;
    xdgCache: string;
    xdgState: string;
  },
  configFile: string,
  extraEnv: Record<string, string>,
  verbose: boolean,
): CodeServer {
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--config',
    configFile,
    workspace,
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      ...extraEnv,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      XDG_STATE_HOME: dirs.xdgState,
      // No gallery (open-vsx by default): unreachable here, and tests must not depend on it.
      EXTENSIONS_GALLERY: '{}',
    },
    // Own process group: code-server forks a server, an extension host and a pty host, and
    // stopping the group is the only way to be sure none of them outlives the run.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onOutput = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      if (verbose) console.log(`[code-server] ${line}`);
      tail.push(line);
      if (tail.length > 80) tail.shift();
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : null)),
    );
    child.once('error', (err) => {
      tail.push(`spawn failed: ${err.message}`);
      resolve(null);
    });
  });
  let running = true;
  void exited.then(() => (running = false));

  const signalGroup = (signal: NodeJS.Signals): boolean => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // ESRCH: the whole group is gone already
    }
  };
  const within = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      void promise.then(() => {
        clearTimeout(t);
        resolve(true);
      });
    });

  return {
    exited,
    dumpTail() {
      if (tail.length > 0) {
        console.log(
          `[code-server] last ${tail.length} lines of output:\n${tail.map((l) => `  ${l}`).join('\n')}`,
        );
      }
    },
    async stop() {
      if (running) {
        signalGroup('SIGTERM');
        if (!(await within(exited, 5_000))) {
          log('code-server ignored SIGTERM for 5 s, killing it');
        }
      }
      // The leader can exit before its children; sweep whatever is left of the group.
      signalGroup('SIGKILL');
      await within(exited, 5_000);
    },
  };
}

async function waitForHealth(base: string, server: CodeServer, abort: AbortSignal): Promise<void> {
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  let lastError = '';
  for (let attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++) {
    if (abort.aborted) {
      throw new HarnessError('torn down while waiting for code-server');
    }
    if (exitCode !== undefined) {
      server.dumpTail();
      throw new HarnessError(`code-server exited (${exitCode}) before becoming healthy`);
    }
    try {
      const status = await httpStatus(`${base}/healthz`);
      if (status === 200) return;
      lastError = `HTTP ${status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
  }
  server.dumpTail();
  throw new HarnessError(
    `code-server not healthy after ${HEALTH_ATTEMPTS} attempts ${HEALTH_INTERVAL_MS} ms apart (last: ${lastError})`,
  );
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Asks the OS for a free port; code-server is told to bind it right after, so the window is tiny. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}

// Start-up chatter of the workbench, the same on every run. Dropped unless --verbose, so that
// what's left is the suite's own output and real errors.
const WORKBENCH_CHATTER = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket \(/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registered/,
  /^ChatSessionStore: /,
  // A consequence of EXTENSIONS_GALLERY='{}', logged once per built-in extension lookup.
  /^Ignoring fetching additional builtin extensions from gallery as it is disabled/,
];

/**
 * Prints the browser console in arrival order. In test mode the extension host's console (that
 * is, mocha's output) reaches the page through VS Code's log service, which logs
 * `'%c INFO', <css>, ...original arguments`: the level label and CSS are peeled off and the
 * original arguments formatted the way Node would have (mocha uses printf-style '%d passing').
 * Reading argument values is asynchronous, hence the queue.
 */
class ConsoleForwarder {
  private queue: Promise<void> = Promise.resolve();
  private lastMessage = '';

  constructor(private readonly verbose: boolean) {}

  push(msg: ConsoleMessage): void {
    this.queue = this.queue.then(async () => {
      const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => a.toString())));
      const line = formatConsoleLine(
        values.length > 0 ? values : [msg.text()],
        msg.type(),
        msg.location().url,
      );
      // The workbench echoes an error the extension host has just logged; once is enough.
      const echo = line.text.startsWith('[browser:') && line.message === this.lastMessage;
      this.lastMessage = line.message;
      if ((this.verbose || !line.chatter) && !echo) {
        console.log(line.text);
      }
    });
  }

  pushText(text: string): void {
    this.queue = this.queue.then(() => console.log(text));
  }

  drain(): Promise<void> {
    return this.queue;
  }
}

function formatConsoleLine(
  values: unknown[],
  type: string,
  sourceUrl: string,
): { text: string; message: string; chatter: boolean } {
  const [first, ...rest] = values;
  if (typeof first === 'string' && first.startsWith('%c')) {
    const cssCount = (first.match(/%c/g) ?? []).length;
    const level = first.replace(/%c/g, '').trim();
    const message = util.format(...rest.slice(cssCount));
    const chatter = level === 'INFO' && WORKBENCH_CHATTER.some((re) => re.test(message));
    return { text: level === 'INFO' ? message : `[${level}] ${message}`, message, chatter };
  }
  const message = util.format(...values);
  // Plain console calls come from the workbench itself: only errors matter, and code-server
  // asks for vsda (a Microsoft-only signing module it doesn't ship) on every start.
  const chatter = type !== 'error' || sourceUrl.includes('/vsda/');
  return { text: `[browser:${type}] ${message}`, message, chatter };
}

function toUriPath(p: string): string {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

function log(message: string): void {
  console.log(`[runCodeServer] ${message}`);
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const repoRoot = path.resolve(__dirname, '../../..');
  const { values } = util.parseArgs({
    options: {
      extension: { type: 'string', default: repoRoot },
      tests: { type: 'string', default: path.join(__dirname, 'suite', 'index.js') },
      workspace: { type: 'string' },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_MS / 1000) },
      screenshots: { type: 'string' },
      'code-server': { type: 'string' },
      chromium: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new HarnessError(`--timeout must be a positive number of seconds, got ${values.timeout}`);
  }
  const grep = process.env.COMPOSE_TEST_GREP;
  return runCodeServerTests({
    extensionDevelopmentPath: values.extension,
    extensionTestsPath: values.tests,
    workspacePath: values.workspace,
    codeServerEntry: values['code-server'],
    chromiumPath: values.chromium,
    screenshotDir: values.screenshots,
    timeoutMs: timeoutSeconds * 1000,
    verbose: values.verbose,
    keepTemp: values.keep,
    extensionTestsEnv: grep ? { COMPOSE_TEST_GREP: grep } : {},
  });
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const code = err instanceof HarnessError ? err.exitCode : EXIT_HARNESS_ERROR;
      console.error(`[runCodeServer] FAILED: ${err instanceof Error ? err.message : String(err)}`);
      if (!(err instanceof HarnessError) && err instanceof Error && err.stack) console.error(err.stack);
      process.exitCode = code;
    },
  );
}
