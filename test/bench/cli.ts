/**
 * A command-line checker as CI runs it: one whole process per check, timed from spawn to exit,
 * with its peak memory reported by the process itself.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../support/paths';
import { stat, type CliResult, type Fixture } from './types';

type Tool = CliResult['tool'];

const DEFAULT_RUNS = 10;
/** A run that takes longer than this is stuck, not slow. */
const RUN_TIMEOUT_MS = 300_000;
/** The environment variable naming the file the preload writes maxRSS to. */
const RSS_FILE_VAR = 'REACH_BENCH_RSS_FILE';

/**
 * Loaded into every measured process with --require: on exit it writes the process's own peak
 * RSS (kB), which covers its whole life, start-up included, and needs no polling.
 */
const PRELOAD = `process.once('exit', () => {
  const file = process.env.${RSS_FILE_VAR};
  if (file) require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
});
`;

/** The command line of a tool on a fixture; paths are relative to the fixture's directory, the cwd. */
function command(fixture: Fixture, tool: Tool): string[] {
  const files = fixture.files.map((f) => path.relative(fixture.dir, f));
  switch (tool) {
    case 'compose-reachability':
      // `check` in text format, the default: what a CI step prints. The files are named with -f
      // so both tools read exactly the same ones; discovery would find the same pair.
      return [path.join(REPO_ROOT, 'dist/cli.js'), 'check', ...files.flatMap((f) => ['-f', f])];
    case 'dclint':
      // dclint lints every file it is given in one process (each on its own: it does not merge
      // the override into the main file), with its default rules and `stylish` output.
      return [path.join(REPO_ROOT, 'node_modules/dclint/bin/dclint.cjs'), ...files];
  }
}

/**
 * Runs a tool on a fixture `runs` times (default 10) after one uncounted warm-up run, which
 * fills the disk cache and V8's code cache the way any run after the first in CI would find it.
 *
 * `wall`: spawn → exit of the whole process, ms. `peakRssMb`: the largest maxRSS of the counted
 * runs. `exitCode`: that of the last run (ours exits 1 when there is an error finding, dclint
 * when there is an error). Rejects when a run is killed, hangs (5 minutes), exits with a code
 * above 1 (ours: could not check), or exits non-zero without printing a report (dclint's crash).
 */
export async function benchCli(fixture: Fixture, tool: Tool, runs = DEFAULT_RUNS): Promise<CliResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-bench-cli-'));
  try {
    const preload = path.join(dir, 'preload.cjs');
    fs.writeFileSync(preload, PRELOAD);
    const argv = command(fixture, tool);
    const times: number[] = [];
    let peakKb = 0;
    let exitCode = 0;
    for (let i = 0; i <= runs; i++) {
      const rssFile = path.join(dir, `rss-${i}`);
      const run = await runOnce(argv, fixture.dir, preload, rssFile);
      exitCode = run.code;
      if (i === 0) continue;
      times.push(run.ms);
      peakKb = Math.max(peakKb, Number(fs.readFileSync(rssFile, 'utf8')));
    }
    return {
      tool,
      fixture: fixture.name,
      wall: stat(times),
      peakRssMb: Math.round((peakKb / 1024) * 10) / 10,
      exitCode,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Run {
  ms: number;
  code: number;
}

function runOnce(argv: string[], cwd: string, preload: string, rssFile: string): Promise<Run> {
  // Appended, so options the caller runs with (--max-old-space-size...) still apply.
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`]
    .filter(Boolean)
    .join(' ');
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, argv, {
      cwd,
      // stdout is a pipe, not a terminal, so both tools print plain text as in a CI log.
      env: { ...process.env, NODE_OPTIONS: nodeOptions, [RSS_FILE_VAR]: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let printed = 0;
    // Read, not ignored: CI captures the report through a pipe, and writing it is part of the run.
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.length;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close', not 'exit': the run is over when its output has been read to the end.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - start;
      // dclint exits 1 both for "errors found" and for a crash; only the report on stdout tells them apart.
      if (code === null || code > 1 || (code !== 0 && printed === 0)) {
        const why = code === null ? `killed (${signal})` : `exit code ${code}, ${printed} bytes of output`;
        reject(
          new Error(`${argv.map((a) => path.basename(a)).join(' ')} in ${cwd}: ${why}\n${stderr.trim()}`),
        );
        return;
      }
      resolve({ ms, code });
    });
  });
}
