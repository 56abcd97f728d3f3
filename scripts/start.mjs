// `npm start` (after `npm run build`): the product on the bundled examples (examples/).
//
//   1. Prints each example's findings and reachability matrix with the shipped CLI bundle.
//   2. Opens examples/ in a real VS Code with the extension loaded:
//      - the desktop `code` when it is on PATH: `code --extensionDevelopmentPath=<repo> examples`;
//      - else code-server (the copy the VS Code tests install in .vscode-test/code-server) on
//        127.0.0.1, with the extension linked into its extensions folder; it prints the URL to
//        open and runs until Ctrl-C.
//
//   node scripts/start.mjs [--cli-only] [--port N]
//
// With CI set, or --cli-only, step 2 is skipped: npm start never waits on an editor in CI.

import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const args = process.argv.slice(2);
const cliOnly = args.includes('--cli-only') || !!process.env.CI;
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : undefined;

// ---------------------------------------------------------------------------------------------
// 1. The CLI over every example

const cli = join(root, 'dist/cli.js');
let worst = 0;
for (const name of readdirSync(examples).sort()) {
  const cwd = join(examples, name);
  console.log(`\n=== examples/${name} ===\n`);
  for (const command of ['check', 'matrix']) {
    const r = spawnSync(process.execPath, [cli, command], { cwd, stdio: 'inherit' });
    if (r.status === 2) worst = 2;
    console.log('');
  }
}
process.exitCode = worst;

if (cliOnly) {
  console.log(`start: ${process.env.CI ? 'CI is set' : '--cli-only'}: not opening an editor.`);
} else {
  await openEditor();
}

// ---------------------------------------------------------------------------------------------
// 2. A real VS Code on the examples

async function openEditor() {
  const code = onPath(process.platform === 'win32' ? ['code.cmd', 'code'] : ['code']);
  if (code) {
    console.log(`start: opening examples/ in ${code} with the extension loaded (--extensionDevelopmentPath)`);
    const r = spawnSync(code, [`--extensionDevelopmentPath=${root}`, examples], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (r.status !== 0) console.error(`start: ${code} exited with ${r.status ?? r.signal}`);
    return;
  }
  const entry = join(root, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) {
    console.log(
      'start: no desktop VS Code (`code`) on PATH and no code-server in .vscode-test/code-server.\n' +
        '       Install code-server with `bash scripts/install-test-deps.sh` (what the VS Code tests use),\n' +
        '       or install the extension in your VS Code: `npm run package`, then\n' +
        '       `code --install-extension compose-reachability-*.vsix`.',
    );
    return;
  }
  await runCodeServer(entry);
}

/** code-server on loopback with the repository linked in as an installed extension, until Ctrl-C. */
async function runCodeServer(entry) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const base = join(root, '.vscode-test/start');
  const dirs = {
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    xdgConfig: join(base, 'xdg-config'),
    xdgData: join(base, 'xdg-data'),
    xdgCache: join(base, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // Installed-extension layout: <publisher>.<name>-<version>, here a link to the working tree, so
  // a rebuild (`npm run build`) and a window reload pick up changes. extensions.json is dropped
  // so that VS Code scans the folder again and sees the link.
  rmSync(join(dirs.extensions, 'extensions.json'), { force: true });
  for (const old of readdirSync(dirs.extensions)) {
    if (old.startsWith(`${pkg.publisher}.${pkg.name}-`)) rmSync(join(dirs.extensions, old), { force: true });
  }
  symlinkSync(root, join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  const settings = join(dirs.userData, 'User/settings.json');
  if (!existsSync(settings)) {
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(
      settings,
      JSON.stringify(
        {
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'extensions.autoCheckUpdates': false,
          'workbench.startupEditor': 'none',
          'security.workspace.trust.enabled': false,
          // examples/ sits inside this repository: no "open the parent repository?" prompt.
          'git.openRepositoryInParentFolders': 'never',
        },
        null,
        2,
      ),
    );
  }
  const config = join(base, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const port = portArg ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
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
      config,
      examples,
    ],
    {
      env: {
        ...process.env,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        EXTENSIONS_GALLERY: '{}',
      },
      // Its own process group: code-server forks several processes, and Ctrl-C must stop them all.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tail = [];
  const keep = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) tail.push(line);
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping code-server');
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.exit(process.exitCode ?? 0);
    }, 3000).unref();
  };
  process.on('SIGINT', stop).on('SIGTERM', stop).on('SIGHUP', stop);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`start: code-server exited (${code}):\n${tail.join('\n')}`);
      process.exitCode = 1;
    }
    process.exit(process.exitCode ?? 0);
  });

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}`;
  if (!(await healthy(`http://127.0.0.1:${port}/healthz`, child))) {
    console.error(`start: code-server did not come up:\n${tail.join('\n')}`);
    stop();
    return;
  }
  console.log(
    `\nstart: VS Code (code-server ${codeServerVersion(entry)}) with Compose Reachability on the examples:\n\n` +
      `    ${url}\n\n` +
      'Open a compose.yaml, then "Compose: Show Reachability Matrix" (F1, or the table icon in the\n' +
      'editor title). After `npm run build`, reload the window to load the new bundles.\n' +
      'Press Ctrl-C to stop.',
  );
}

function onPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Polls /healthz for up to 30 s (code-server answers within about a second here). */
async function healthy(url, child) {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise((resolve) => {
      const req = get(url, { timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

function codeServerVersion(entry) {
  try {
    return JSON.parse(readFileSync(join(dirname(entry), '../../package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}
