// Runs the same suite as runCodeServer in a desktop VS Code, for machines that have one.
// It cannot run on the offline CI machines (runTests downloads VS Code when no executable is
// given, and Debian packages none); there, use runCodeServer.
//
//   VSCODE_EXECUTABLE=/path/to/code node out/test/vscode/runElectron.js [WORKSPACE]
//
// Without VSCODE_EXECUTABLE, @vscode/test-electron downloads the version in VSCODE_VERSION
// (default: 1.100.3, the one code-server bundles, so both launchers test the same VS Code).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { createScratchWorkspace } from './runCodeServer';

async function main(): Promise<number> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
  const extensionTestsPath = path.join(__dirname, 'suite', 'index.js');
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'compose-reachability-electron-'));
  try {
    const workspace = process.argv[2]
      ? path.resolve(process.argv[2])
      : await createScratchWorkspace(path.join(tmp, 'workspace'));
    const executable = process.env.VSCODE_EXECUTABLE;
    const grep = process.env.COMPOSE_TEST_GREP;
    return await runTests({
      ...(executable
        ? { vscodeExecutablePath: executable }
        : { version: process.env.VSCODE_VERSION ?? '1.100.3' }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        // Only the extension under test: a developer's own extensions would change what loads.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        // A fresh profile per run, so the developer's settings and state don't leak in.
        '--user-data-dir',
        path.join(tmp, 'user-data'),
        '--extensions-dir',
        path.join(tmp, 'extensions'),
      ],
      ...(grep ? { extensionTestsEnv: { COMPOSE_TEST_GREP: grep } } : {}),
    });
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runTests rejects, rather than resolving, when VS Code exits non-zero (failed tests).
    console.error(`[runElectron] ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode =
      err instanceof TestRunFailedError && typeof err.code === 'number' && err.code !== 0 ? err.code : 2;
  },
);
