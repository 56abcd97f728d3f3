#!/usr/bin/env node
/**
 * What `compose-reachability` runs first (dist/cli.js): loads the command (dist/cli-main.js) with
 * V8's code cache for it (dist/cli-main.cache), written by the build after a run of `check`.
 *
 * Why: a CI step runs the command once per process, so without the cache V8 parses and compiles
 * the whole bundle, and then every function `check` calls, on each run (~13 % of a `check` of a
 * 50 KB project, timed with and without the cache). The cache is an optimisation only: when it is missing, was made for another
 * source, or V8 rejects it (another Node or V8 flags), the bundle is compiled as usual.
 *
 * The cache file is the SHA-1 of the source it was made for, then V8's data: V8 itself checks
 * only the source's length, and a stale cache of a same-length bundle must never run.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

const MAIN = path.join(__dirname, 'cli-main.js');
const CACHE = path.join(__dirname, 'cli-main.cache');
const HASH_BYTES = 20;
/** Set by the build (scripts/bundle.mjs): write the cache to this path when the run ends. */
const WRITE_CACHE_VAR = 'COMPOSE_REACHABILITY_WRITE_CODE_CACHE';

const source = fs.readFileSync(MAIN, 'utf8');
const hash = createHash('sha1').update(source).digest();
let cachedData: Buffer | undefined;
try {
  const file = fs.readFileSync(CACHE);
  if (file.subarray(0, HASH_BYTES).equals(hash)) cachedData = file.subarray(HASH_BYTES);
} catch {
  // No cache: compiled as usual.
}

// The CommonJS wrapper Node itself puts around a module, so the bundle runs as if required.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${source.replace(/^#!.*/, '')}\n})`,
  { filename: MAIN, ...(cachedData ? { cachedData } : {}) },
);
const mod = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  mod.exports,
  createRequire(MAIN),
  mod,
  MAIN,
  __dirname,
);

const target = process.env[WRITE_CACHE_VAR];
if (target) {
  // After the run, so the functions `check` compiled lazily are in the cache too.
  process.once('beforeExit', () => {
    fs.writeFileSync(target, Buffer.concat([hash, script.createCachedData()]));
  });
}
