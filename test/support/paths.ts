import * as path from 'node:path';

/** The repository root (tests run from `out/test/...`). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The team's shared reference material, beside the checkout. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const SEED = path.join(SHARED, 'corpus/seed');
export const AWESOME = path.join(SHARED, 'corpus/awesome-compose');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
