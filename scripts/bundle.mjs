// Bundles what the VSIX and the npm package ship: one self-contained file per entry point, so
// `vsce package --no-dependencies` needs no node_modules and the CLI starts without resolving
// hundreds of modules.
//
//   node scripts/bundle.mjs [--production] [--watch]
//
// --production (or NODE_ENV=production) minifies. Entry points whose source does not exist yet
// are skipped with a note, so the bundle works while the server is still being written.

import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { chmod, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production') || process.env.NODE_ENV === 'production';
const watch = args.has('--watch');

/**
 * `split`: modules the bundle loads from a sibling bundle at run time instead of containing them
 * (import path as written in the source → the sibling's file name).
 * `minifyNames`: a production build does not keep function and class names (see optionsFor).
 * @typedef {{ source: string, outfile: string, executable?: boolean, browser?: boolean, split?: Record<string, string>, minifyNames?: boolean }} Entry
 */
/** @type {Entry[]} */
const ENTRIES = [
  { source: 'client/src/extension.ts', outfile: 'dist/extension.js' },
  // The command runs once per process (a CI step), so its start-up is a good part of its time:
  // dist/cli.js loads the command with V8's code cache for it (launch.ts, cache written below);
  // the language server behind `lsp` (vscode-languageserver and its protocol, ~45 % of the code)
  // is a bundle of its own, required only by `lsp`, since V8 compiles all of a script it loads.
  { source: 'server/src/cli/launch.ts', outfile: 'dist/cli.js', executable: true },
  {
    source: 'server/src/cli/bin.ts',
    outfile: 'dist/cli-main.js',
    split: { '../lsp/stdio.js': './cli-lsp.js' },
    minifyNames: true,
  },
  { source: 'server/src/lsp/stdio.ts', outfile: 'dist/cli-lsp.js' },
  { source: 'server/src/lsp/main.ts', outfile: 'dist/server.js' },
  // The matrix webview: a browser script (no Node APIs, no require) and its stylesheet.
  { source: 'client/webview/main.ts', outfile: 'dist/webview.js', browser: true },
  { source: 'client/webview/matrix.css', outfile: 'dist/webview.css', browser: true },
];

/** @param {Entry} entry */
async function optionsFor(entry) {
  const source = join(root, entry.source);
  if (entry.browser) {
    /** @type {import('esbuild').BuildOptions} */
    const options = {
      entryPoints: [source],
      outfile: join(root, entry.outfile),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      // VS Code 1.100's webviews run in Chromium 134.
      target: 'chrome120',
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
    };
    return options;
  }
  // esbuild keeps an entry's own hashbang; a second one from the banner would be a syntax error.
  const hasHashbang = (await readFile(source, 'utf8')).startsWith('#!');
  /** @type {import('esbuild').BuildOptions} */
  const options = {
    entryPoints: [source],
    outfile: join(root, entry.outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Provided by the extension host at run time; it is not an npm package.
    external: ['vscode'],
    sourcemap: true,
    minify: production,
    // Error and class names show up in diagnostics and logs; minified ones would be useless there.
    // Not in the command's bundle, which a CI step starts once per run: keeping them is a
    // defineProperty per function made, ~6 ms of a 180 ms `check` of a 50 KB project (A/B of
    // whole runs). Its messages never show a name; the stack COMPOSE_REACHABILITY_DEBUG prints
    // has minified names as it has minified positions, both resolved by dist/cli-main.js.map
    // (not by --enable-source-maps, which does not map the launcher's vm.Script in Node 20).
    keepNames: production && !entry.minifyNames,
    logLevel: 'warning',
  };
  if (entry.split) {
    const split = entry.split;
    // A require the launcher's vm.Script can run: a dynamic import there needs a loader of its own.
    options.supported = { 'dynamic-import': false };
    options.plugins = [
      {
        name: 'split',
        setup(build) {
          build.onResolve({ filter: /^\./ }, (args) =>
            Object.hasOwn(split, args.path) ? { path: split[args.path], external: true } : undefined,
          );
        },
      },
    ];
  }
  if (entry.executable && !hasHashbang) {
    options.banner = { js: '#!/usr/bin/env node' };
  }
  return options;
}

const present = [];
for (const entry of ENTRIES) {
  if (existsSync(join(root, entry.source))) {
    present.push(entry);
  } else {
    console.log(`bundle: skipping ${entry.outfile}, ${entry.source} does not exist yet`);
  }
}
if (present.length === 0) {
  console.error('bundle: no entry point exists, nothing to do');
  process.exit(1);
}

console.log(
  `bundle: ${production ? 'production (minified)' : 'development'} build${watch ? ', watching' : ''}`,
);

/** @param {Entry} entry */
async function report(entry) {
  const outfile = join(root, entry.outfile);
  if (entry.executable) {
    // npm sets the bin's mode on install, but `node dist/cli.js` isn't the only way people run it.
    await chmod(outfile, 0o755);
  }
  const { size } = await stat(outfile);
  console.log(`bundle: ${entry.source} -> ${relative(root, outfile)} (${(size / 1024).toFixed(1)} KiB)`);
}

/**
 * V8's code cache for the command (see server/src/cli/launch.ts): made by a run of `check` on an
 * example, so the functions a check compiles are in it. Without it the command still works, only
 * slower, so a failure here is a warning.
 */
function writeCliCodeCache() {
  const cache = join(root, 'dist/cli-main.cache');
  rmSync(cache, { force: true });
  const run = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'check'], {
    cwd: join(root, 'examples/microservices'),
    env: { ...process.env, COMPOSE_REACHABILITY_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  if (run.status === null || run.status > 1 || !existsSync(cache)) {
    console.warn(`bundle: no code cache for the command (check exited ${run.status}): ${run.stderr.trim()}`);
    return;
  }
  console.log(`bundle: dist/cli-main.cache (${(statSync(cache).size / 1024).toFixed(1)} KiB, V8 code cache)`);
}

if (watch) {
  for (const entry of present) {
    const options = await optionsFor(entry);
    options.plugins = [
      ...(options.plugins ?? []),
      {
        name: 'report',
        setup(build) {
          build.onEnd(async (result) => {
            if (result.errors.length === 0) await report(entry);
          });
        },
      },
    ];
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  const started = Date.now();
  const results = await Promise.allSettled(
    present.map(async (entry) => {
      await esbuild.build(await optionsFor(entry));
      await report(entry);
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    // esbuild has already printed the located errors; the count makes the failure obvious in CI.
    console.error(`bundle: ${failed.length} of ${present.length} bundle(s) failed`);
    process.exit(1);
  }
  if (present.some((e) => e.outfile === 'dist/cli-main.js')) writeCliCodeCache();
  console.log(`bundle: done in ${Date.now() - started} ms`);
}
