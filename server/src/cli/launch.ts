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
 * The cache file is the source it was made for, byte for byte, then V8's data: V8 itself checks
 * only the source's length, and a stale cache of a same-length bundle must never run. Comparing
 * the bytes (a memcmp) costs less than hashing them would: `node:crypto` alone loads in ~8 ms.
 * The bundle is ASCII (esbuild escapes the rest), so it is decoded as latin1, a copy, rather
 * than validated as UTF-8 (~5 ms for the unminified 500 KB, `node --cpu-prof`).
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

const MAIN = path.join(__dirname, 'cli-main.js');
const CACHE = path.join(__dirname, 'cli-main.cache');
/** Set by the build (scripts/bundle.mjs): write the cache to this path when the run ends. */
const WRITE_CACHE_VAR = 'COMPOSE_REACHABILITY_WRITE_CODE_CACHE';

const bytes = fs.readFileSync(MAIN);
let cachedData: Buffer | undefined;
try {
  const file = fs.readFileSync(CACHE);
  if (file.length > bytes.length && file.subarray(0, bytes.length).equals(bytes))
    cachedData = file.subarray(bytes.length);
} catch {
  // No cache: compiled as usual.
}
const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');

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
  // After the run, so the functions `check` compiled lazily are in the cache too; on 'exit',
  // since the command ends with process.exit (bin.ts), which skips 'beforeExit'.
  process.once('exit', () => {
    fs.writeFileSync(target, Buffer.concat([bytes, script.createCachedData()]));
  });
}
