import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from `out/test/...`). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The team's shared reference material, beside the checkout. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const SEED = path.join(SHARED, 'corpus/seed');
export const AWESOME = path.join(SHARED, 'corpus/awesome-compose');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');

/** Every file below `dir` whose name matches `name`, depth first in directory order. */
export function filesUnder(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, name));
    else if (name.test(e.name)) out.push(p);
  }
  return out;
}
