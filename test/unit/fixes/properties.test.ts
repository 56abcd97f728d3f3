import { describe, test } from 'node:test';
import { runProperties, RUNS } from './properties';

describe('fix properties on generated projects', () => {
  test(`${RUNS} projects, seed 1`, (t) => runProperties(t, RUNS, Number(process.env.FIX_PROPERTY_SEED ?? 1)));
});
