import { describe, test } from 'node:test';
import { runProperties, RUNS } from './properties';

describe('fix properties on generated projects, second half', () => {
  test(`${RUNS} projects, seed 2`, (t) =>
    runProperties(t, RUNS, Number(process.env.FIX_PROPERTY_SEED ?? 1) + 1));
});
