// Screenshots of the real workbench, requested from inside the test suite.
//
// Under code-server the suite runs in the extension host, a Node process on the server side,
// while the pixels live in the headless Chromium that the launcher drives: the suite has no
// handle on the page (page.exposeFunction only reaches the browser window). So the launcher
// serves a one-route HTTP endpoint on loopback, passes its URL to code-server through the
// environment (the extension host inherits the server's), and takes `page.screenshot` when
// asked. Both halves live here so the wire format has a single owner.
//
// Under a desktop VS Code (runElectron) there is no endpoint: `screenshot` resolves to
// undefined instead of failing, so a suite can call it unconditionally.

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';

/** Set by the launcher in code-server's environment; absent when screenshots are unavailable. */
export const SCREENSHOT_URL_ENV = 'COMPOSE_REACHABILITY_SCREENSHOT_URL';

export interface ScreenshotOptions {
  /**
   * CSS selector that must be visible before the picture is taken, e.g.
   * '.notifications-toasts .notification-toast'. The extension host learns that a UI change was
   * requested before the browser has painted it; waiting on the DOM closes that gap without sleeping.
   */
  waitForSelector?: string;
  /** Bound for waitForSelector, in ms (default 10 000). */
  timeoutMs?: number;
  fullPage?: boolean;
}

interface ScreenshotRequest extends ScreenshotOptions {
  name: string;
}

type ScreenshotResponse = { path: string } | { error: string };

/** Whether the current test host can take screenshots (code-server launcher: yes, desktop: no). */
export function screenshotsAvailable(): boolean {
  return !!process.env[SCREENSHOT_URL_ENV];
}

/**
 * Asks the launcher to save a PNG of the whole workbench as
 * `test-artifacts/screenshots/<name>.png`. Resolves to the file's absolute path, or to
 * undefined when the host has no screenshot endpoint. Rejects when the launcher reports an
 * error (e.g. waitForSelector timed out), so a broken screenshot fails the test visibly.
 */
export async function screenshot(name: string, options: ScreenshotOptions = {}): Promise<string | undefined> {
  const url = process.env[SCREENSHOT_URL_ENV];
  if (!url) {
    console.log(`[screenshots] no endpoint in this test host, skipped "${name}"`);
    return undefined;
  }
  const body = JSON.stringify({ name, ...options } satisfies ScreenshotRequest);
  const reply = await new Promise<ScreenshotResponse>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        // Above the launcher's own waitForSelector bound, so its precise error wins the race.
        timeout: (options.timeoutMs ?? 10_000) + 20_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as ScreenshotResponse);
          } catch {
            reject(new Error(`screenshot "${name}": HTTP ${res.statusCode}, unreadable reply: ${text}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`screenshot "${name}": launcher did not answer`)));
    req.on('error', reject);
    req.end(body);
  });
  if ('error' in reply) {
    throw new Error(`screenshot "${name}" failed: ${reply.error}`);
  }
  console.log(`[screenshots] saved ${reply.path}`);
  return reply.path;
}

// ---------------------------------------------------------------------------------------------
// Launcher side

export interface ScreenshotServer {
  /** Value for SCREENSHOT_URL_ENV; contains a random token so other local processes can't drive it. */
  readonly url: string;
  /** The page exists only after code-server is up, but the URL must be in its env before it starts. */
  attach(page: Page): void;
  close(): Promise<void>;
}

export async function startScreenshotServer(dir: string): Promise<ScreenshotServer> {
  const token = randomBytes(16).toString('hex');
  const route = `/screenshot/${token}`;
  let page: Page | undefined;
  // One at a time: a screenshot taken while another waits for its selector would race it.
  let queue: Promise<unknown> = Promise.resolve();

  const take = async (request: ScreenshotRequest): Promise<string> => {
    if (!page) {
      throw new Error('no browser page yet');
    }
    const file = path.join(dir, `${safeName(request.name)}.png`);
    if (request.waitForSelector) {
      await page.waitForSelector(request.waitForSelector, {
        state: 'visible',
        timeout: request.timeoutMs ?? 10_000,
      });
    }
    await fs.promises.mkdir(dir, { recursive: true });
    // Notifications and panels slide in with CSS transitions; fast-forwarding them gives the
    // settled picture without waiting.
    await page.screenshot({ path: file, fullPage: request.fullPage ?? false, animations: 'disabled' });
    return file;
  };

  const server = http.createServer((req, res) => {
    const answer = (status: number, payload: ScreenshotResponse): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== route) {
      answer(404, { error: 'not found' });
      return;
    }
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let request: ScreenshotRequest;
      try {
        request = JSON.parse(text) as ScreenshotRequest;
        if (typeof request.name !== 'string' || request.name === '') {
          throw new Error('"name" must be a non-empty string');
        }
      } catch (err) {
        answer(400, { error: String(err) });
        return;
      }
      const job = queue.then(() => take(request));
      queue = job.catch(() => undefined);
      job.then(
        (file) => answer(200, { path: file }),
        (err: unknown) => answer(500, { error: err instanceof Error ? err.message : String(err) }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('screenshot server: no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}${route}`,
    attach(p: Page) {
      page = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Keeps a name a single, portable file name: no separators, no dot-dot, no shell surprises. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'screenshot' : cleaned;
}
