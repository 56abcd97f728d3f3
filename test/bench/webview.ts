/**
 * The matrix webview in headless Chromium, fed the way VS Code feeds it. VS Code shows a webview
 * as an iframe inside a host page of the same origin and delivers the extension's messages with
 * `contentWindow.postMessage`; this module does the same: a host page (no CSP, like VS Code's
 * own) holds an iframe with exactly the document `MatrixPanel.html()` builds (CSP with a nonce,
 * dist/webview.css, dist/webview.js), plus the two things VS Code prepends to it, a script
 * defining `acquireVsCodeApi` and the theme's variables. Timings are taken inside the webview's
 * document (its own `performance.now()` on both ends), so no Playwright round trip is in them.
 *
 * The reports come from the engine on generated projects written to disk, so they are what the
 * language server really sends, and are posted as the panel posts them (`matrixReport`), at the
 * size it posts them.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ReachabilityReport } from '../../shared/src/report';
import { matrixReport } from '../../shared/src/matrix';
import { analyze } from '../../server/src/engine/index';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { REPO_ROOT } from '../support/paths';
import { generateProject } from '../support/generateProject';
import { stat, type Stat, type WebviewResult } from './types';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../support/chromium';

/** What the webview itself reported for a set of renders, and when the frame after them was done. */
export interface WebviewOwnFigures {
  /** The `renderMs` of its `rendered` messages. */
  renderMs: Stat;
  /** Its `phases`: building the matrix model, then the DOM with style and layout. */
  model: Stat;
  dom: Stat;
  /** Posted → the message's data readable in the webview: the delivery, before any of its code runs, ms. */
  delivered: Stat;
  /** Posted → the end of the next frame after the render (the new grid painted), ms. */
  painted: Stat;
}

/** A `WebviewResult` with the webview's own account of the same samples. */
export interface WebviewBenchResult extends WebviewResult {
  own: { firstRender: WebviewOwnFigures; update: WebviewOwnFigures };
}

/** Options of `benchWebview`; none is needed for `npm run bench`. */
export interface WebviewBenchOptions {
  /** Progress lines (a sample at 2,000 services takes seconds). Default: silent. */
  log?: (line: string) => void;
  /** Saves a screenshot of every page after its update render here, to look at what was measured. */
  screenshotDir?: string;
  chromiumPath?: string;
}

const DEFAULT_RUNS = 5;
const READY_TIMEOUT_MS = 30_000;
const RENDER_TIMEOUT_MS = 120_000;
/** VS Code's editor area on a laptop screen, about. */
const VIEWPORT = { width: 1280, height: 800 };
/** The port of proxy-0 in every generated project; the update moves it, as a user editing `ports:` would. */
const EDIT_FROM = '"8000:80"';
const EDIT_TO = '"18000:80"';
const EDITED_PORT = '18000';

/**
 * Measures the first render and an update of the matrix at each service count, `runs` times
 * each: every sample is a new browser context (a cold page, as when the panel opens), which gets
 * the project's report, then the report of the same project after a one-port edit. Throws when
 * a render did not happen or shows no grid, never returning a figure for a page that failed.
 */
export async function benchWebview(
  services: number[],
  runs = DEFAULT_RUNS,
  options: WebviewBenchOptions = {},
): Promise<WebviewBenchResult[]> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runs}`);
  const log = options.log ?? (() => undefined);
  const dist = path.join(REPO_ROOT, 'dist');
  for (const file of ['webview.js', 'webview.css']) {
    if (!fs.existsSync(path.join(dist, file)))
      throw new Error(`missing ${path.join(dist, file)}: build first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-bench-webview-'));
  const messages = new Map<string, Buffer>();
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    server = await serve(dist, messages);
    const sizes: Array<{ count: number; first: string; update: string; active: number; bytes: number }> = [];
    for (const count of services) {
      const started = Date.now();
      const project = reportsOf(count, path.join(tmp, `gen-${count}`));
      messages.set(`${count}-first`, project.first);
      messages.set(`${count}-update`, project.update);
      sizes.push({
        count,
        first: `/messages/${count}-first.json`,
        update: `/messages/${count}-update.json`,
        active: project.active,
        bytes: project.first.length,
      });
      log(`webview: reports of ${count} services analysed in ${Date.now() - started} ms`);
    }

    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      // The caller's own SIGINT handling decides; the finally block below closes the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // launch() gives every run a new, empty profile directory; these keep Chromium's other
      // writes (crash reports, font caches) out of ~ as well.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
        XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      },
    });

    const results: WebviewBenchResult[] = [];
    for (const size of sizes) {
      const first: Sample[] = [];
      const update: Sample[] = [];
      for (let run = 0; run < runs; run++) {
        const shot = options.screenshotDir
          ? path.join(options.screenshotDir, `webview-${size.count}-${run + 1}.png`)
          : undefined;
        const sample = await measurePage(browser, server.base, size, shot);
        first.push(sample.first);
        update.push(sample.update);
        log(
          `webview: ${size.count} services, run ${run + 1}/${runs}: ` +
            `first render ${sample.first.ms.toFixed(1)} ms, update ${sample.update.ms.toFixed(1)} ms`,
        );
      }
      results.push({
        services: size.count,
        firstRender: stat(first.map((s) => s.ms)),
        update: stat(update.map((s) => s.ms)),
        messageBytes: size.bytes,
        own: { firstRender: ownFigures(first), update: ownFigures(update) },
      });
    }
    return results;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reports

interface ProjectMessages {
  /** The message bodies (JSON) of the project and of the project after the edit. */
  first: Buffer;
  update: Buffer;
  /** Active services, the rows the grid must have. */
  active: number;
}

/** Writes the generated project, analyses it, edits one port and analyses it again. */
function reportsOf(count: number, dir: string): ProjectMessages {
  const project = generateProject(count);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(project.files)) fs.writeFileSync(path.join(dir, name), text);
  const documentUri = pathToFileURL(path.join(dir, 'compose.yaml')).href;
  const first = engineReport(dir);

  const main = path.join(dir, 'compose.yaml');
  const text = fs.readFileSync(main, 'utf8');
  if (text.split(EDIT_FROM).length !== 2) {
    throw new Error(`the generated project of ${count} services has no single ${EDIT_FROM} to edit`);
  }
  fs.writeFileSync(main, text.replace(EDIT_FROM, EDIT_TO));
  const update = engineReport(dir);

  const body = (report: ReachabilityReport): Buffer =>
    Buffer.from(
      JSON.stringify({ type: 'report', reportJson: JSON.stringify(matrixReport(report)), documentUri }),
    );
  return { first: body(first), update: body(update), active: first.services.filter((s) => s.active).length };
}

/** The report the language server would send for the project in `dir`: the engine's, from the disk. */
function engineReport(dir: string): ReachabilityReport {
  return analyze({ files: [], workingDirectory: dir }, createNodeHost({}));
}

// ---------------------------------------------------------------------------------------------
// Pages

/** One post → render, as measured by the host page's `benchPost`. */
interface Sample {
  /** Posted → the webview's `rendered` message, ms. */
  ms: number;
  /** Posted → the message's data readable in the webview (structured clone: copy, queue, copy back), ms. */
  deliveredMs: number;
  /** Posted → end of the next frame, ms. */
  paintedMs: number;
  rendered: {
    seq: number;
    cause: string;
    renderMs: number;
    phases?: { model: number; dom: number };
    services: number;
    sinceStartMs?: number;
  };
  rows: number;
  cells: number;
  reachCells: number;
  summary: string;
  text: string;
  violations: string[];
}

interface HostWindow {
  benchReady(timeoutMs: number): Promise<void>;
  benchPost(url: string, timeoutMs: number): Promise<Sample>;
}

async function measurePage(
  browser: Browser,
  base: string,
  size: { count: number; first: string; update: string; active: number },
  screenshot: string | undefined,
): Promise<{ first: Sample; update: Sample }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`);
    });
    page.on('crash', () => errors.push('the page crashed'));
    const failIfErrors = (when: string): void => {
      if (errors.length > 0)
        throw new Error(`webview at ${size.count} services, ${when}: ${errors.join('; ')}`);
    };

    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.evaluate(
      (timeout) => (globalThis as unknown as HostWindow).benchReady(timeout),
      READY_TIMEOUT_MS,
    );
    failIfErrors('loading');

    const first = await post(page, size.first);
    failIfErrors('first render');
    check(first, size, 'first render');
    if (first.rendered.sinceStartMs === undefined) {
      throw new Error(`webview at ${size.count} services: the first report's render was not marked first`);
    }

    const update = await post(page, size.update);
    failIfErrors('update');
    check(update, size, 'update');
    if (update.rendered.seq <= first.rendered.seq) {
      throw new Error(`webview at ${size.count} services: the update produced no new render`);
    }
    if (!update.text.includes(EDITED_PORT) || first.text.includes(EDITED_PORT)) {
      throw new Error(
        `webview at ${size.count} services: the update does not show the edited port ${EDITED_PORT}`,
      );
    }
    if (screenshot) {
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
    }
    return { first, update };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Posts the message at `url` to the webview from the host page and waits for its render. */
function post(page: Page, url: string): Promise<Sample> {
  // The page function only names globalThis: this project's tsconfig has no DOM library.
  return page.evaluate(([u, timeout]) => (globalThis as unknown as HostWindow).benchPost(u, timeout), [
    url,
    RENDER_TIMEOUT_MS,
  ] as const);
}

/** A render that is fast because it showed nothing must not count. */
function check(s: Sample, size: { count: number; active: number }, what: string): void {
  const where = `webview at ${size.count} services, ${what}`;
  if (s.violations.length > 0) throw new Error(`${where}: CSP violations: ${s.violations.join('; ')}`);
  if (s.rendered.cause !== 'report')
    throw new Error(`${where}: rendered for ${s.rendered.cause}, not the report`);
  if (s.rendered.services !== size.active) {
    throw new Error(
      `${where}: rendered ${s.rendered.services} services, the report has ${size.active} active`,
    );
  }
  if (s.rows === 0 || s.cells === 0)
    throw new Error(`${where}: the grid has ${s.rows} rows, ${s.cells} cells`);
  if (s.reachCells === 0) throw new Error(`${where}: no cell in view shows a link (${s.summary})`);
  if (!s.summary.startsWith(`${size.active} services`)) throw new Error(`${where}: summary "${s.summary}"`);
  if (!Number.isFinite(s.ms) || s.ms <= 0) throw new Error(`${where}: measured ${s.ms} ms`);
}

function ownFigures(samples: Sample[]): WebviewOwnFigures {
  return {
    renderMs: stat(samples.map((s) => s.rendered.renderMs)),
    model: stat(samples.map((s) => s.rendered.phases?.model ?? NaN)),
    dom: stat(samples.map((s) => s.rendered.phases?.dom ?? NaN)),
    delivered: stat(samples.map((s) => s.deliveredMs)),
    painted: stat(samples.map((s) => s.paintedMs)),
  };
}

// ---------------------------------------------------------------------------------------------
// The pages and their server

/**
 * What VS Code prepends to a webview's document (its `_vscodeApiScript`), with the test's end of
 * the channel: messages are kept with the time the webview posted them.
 */
const VSCODE_API_STUB = `(() => {
  'use strict';
  const messages = [];
  const violations = [];
  let state;
  let acquired = false;
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push(e.violatedDirective + ' ' + (e.blockedURI || '(inline)')),
  );
  // Registered before the bundle's listener, so it sees the message first: the delivery time.
  // Chromium deserialises a message's data when it is first read (then keeps it): reading it
  // here puts the copy in the delivery, not in the webview's own time.
  window.addEventListener('message', (e) => {
    void e.data;
    window.__bench.delivered = performance.now();
  });
  window.__bench = { messages, violations, delivered: 0 };
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => void messages.push({ t: performance.now(), message }),
      getState: () => state,
      setState: (s) => (state = s),
    });
  };
})();`;

/**
 * VS Code's default webview styles and a Dark Modern subset of the theme variables it sets:
 * the grid sizes its columns from the font these give, so they are part of the work measured.
 */
const DEFAULT_STYLES = `html {
  --vscode-font-family: system-ui, 'Ubuntu', 'Droid Sans', sans-serif;
  --vscode-font-weight: normal;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: 'Droid Sans Mono', 'monospace', monospace;
  --vscode-editor-font-size: 14px;
  --vscode-foreground: #cccccc;
  --vscode-editor-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-editor-background: #1f1f1f;
  --vscode-editorGroupHeader-tabsBackground: #181818;
  --vscode-editorGroup-border: #ffffff17;
  --vscode-focusBorder: #0078d4;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff;
}
body {
  background-color: transparent;
  color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight);
  font-size: var(--vscode-font-size);
  margin: 0;
  padding: 0 20px;
}`;

/** `MatrixPanel.html()` with VS Code's additions first in `<head>`, where VS Code puts them. */
function webviewHtml(cspSource: string): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<script id="_vscodeApiScript" nonce="${nonce}">${VSCODE_API_STUB}</script>
<style id="_defaultStyles" nonce="${nonce}">${DEFAULT_STYLES}</style>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${cspSource}/dist/webview.css" nonce="${nonce}">
<title>Reachability Matrix</title>
</head>
<body data-test-mode="false">
<script nonce="${nonce}" src="${cspSource}/dist/webview.js"></script>
</body>
</html>`;
}

/**
 * The host page: the iframe VS Code gives a webview (same origin, same sandbox flags) filling the
 * editor area, and the harness. `benchPost` fetches and parses a message first, so that only the
 * delivery (a structured clone, as VS Code's `contentWindow.postMessage`) and the render are timed.
 */
const HOST_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>webview host</title>
<style>
html, body, iframe { margin: 0; padding: 0; border: 0; width: 100%; height: 100%; }
iframe { display: block; }
html, body { overflow: hidden; }
</style>
</head>
<body>
<iframe id="active-frame" src="/webview.html"
  sandbox="allow-scripts allow-same-origin allow-forms allow-pointer-lock allow-downloads"></iframe>
<script>
'use strict';
const frame = document.getElementById('active-frame');

function until(get, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      let value;
      try { value = get(); } catch { value = undefined; }
      if (value) resolve(value);
      else if (performance.now() - started <= timeoutMs) setTimeout(poll, 2);
      else reject(new Error('timed out after ' + timeoutMs + ' ms waiting for ' + what));
    };
    poll();
  });
}

// The end of the next frame: rAF runs before style, layout and paint, a task queued from it after them.
function afterNextFrame(w) {
  return new Promise((resolve) =>
    w.requestAnimationFrame(() => w.setTimeout(() => resolve(w.performance.now()), 0)),
  );
}

window.benchReady = async (timeoutMs) => {
  const ready = () => frame.contentWindow.__bench.messages.some((r) => r.message.type === 'ready');
  await until(ready, timeoutMs, 'the webview to say ready');
};

window.benchPost = async (url, timeoutMs) => {
  const w = frame.contentWindow;
  const bench = w.__bench;
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  const message = await response.json();
  // Whatever loading and parsing left to do (a frame, garbage) is not the render's.
  await afterNextFrame(w);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const from = bench.messages.length;
  const t0 = w.performance.now();
  w.postMessage(message, location.origin);
  const record = await until(
    () =>
      bench.messages
        .slice(from)
        .find((r) => r.message.type === 'rendered' && r.message.rendered.cause === 'report'),
    timeoutMs,
    'the webview to render the report',
  );
  const painted = await afterNextFrame(w);
  const doc = w.document;
  return {
    ms: record.t - t0,
    deliveredMs: bench.delivered - t0,
    paintedMs: painted - t0,
    rendered: record.message.rendered,
    rows: doc.querySelectorAll('.body > [role=row]').length,
    cells: doc.querySelectorAll('.body [role=gridcell]').length,
    reachCells: doc.querySelectorAll('.body .reach').length,
    summary: doc.querySelector('.summary')?.textContent ?? '',
    text: doc.querySelector('.body')?.textContent ?? '',
    violations: bench.violations.slice(),
  };
};
</script>
</body>
</html>`;

interface Server {
  base: string;
  close(): Promise<void>;
}

/** Serves the host page, the webview document, dist/webview.{js,css} and the messages on loopback. */
async function serve(dist: string, messages: ReadonlyMap<string, Buffer>): Promise<Server> {
  const assets = new Map<string, { body: Buffer; type: string }>([
    ['/dist/webview.js', { body: fs.readFileSync(path.join(dist, 'webview.js')), type: 'text/javascript' }],
    ['/dist/webview.css', { body: fs.readFileSync(path.join(dist, 'webview.css')), type: 'text/css' }],
  ]);
  let base = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const message = /^\/messages\/(.+)\.json$/.exec(url.pathname)?.[1];
    const asset = assets.get(url.pathname);
    if (url.pathname === '/') send(200, 'text/html; charset=utf-8', HOST_HTML);
    else if (url.pathname === '/webview.html') send(200, 'text/html; charset=utf-8', webviewHtml(base));
    else if (asset) send(200, `${asset.type}; charset=utf-8`, asset.body);
    else if (message !== undefined && messages.has(message))
      send(200, 'application/json', messages.get(message)!);
    // The browser asks for a favicon; a 404 would be logged as a console error.
    else if (url.pathname === '/favicon.ico') send(204, 'image/x-icon', '');
    else send(404, 'text/plain', `not found: ${url.pathname}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
