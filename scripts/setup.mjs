// Set-up that `npm start` and `npm test` do by themselves on a fresh machine:
// node_modules from the lockfile when missing or stale, and with --test-deps the Debian
// packages and code-server the tests use (scripts/install-test-deps.sh, idempotent).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules/.package-lock.json');
const lock = join(root, 'package-lock.json');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('setup: installing node_modules (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
if (process.argv.includes('--test-deps')) run('bash', [join(root, 'scripts/install-test-deps.sh')]);
