// `npm start`: the product on the bundled examples. Prints each example's findings and
// reachability matrix with the shipped CLI bundle.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli.js');
let worst = 0;
for (const name of readdirSync(join(root, 'examples')).sort()) {
  const cwd = join(root, 'examples', name);
  console.log(`\n=== examples/${name} ===\n`);
  for (const command of ['check', 'matrix']) {
    const r = spawnSync(process.execPath, [cli, command], { cwd, stdio: 'inherit' });
    if (r.status === 2) worst = 2;
    console.log('');
  }
}
process.exitCode = worst;
