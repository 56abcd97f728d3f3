/**
 * `npm run bench`: every stage on every fixture, ours and the peer's in the same run, then
 * docs/benchmarks.md and its chart. Not part of `npm test`: figures are reported, never asserted.
 *
 *   node out/test/bench/run.js [--quick] [--only engine,lsp,cli,webview,extension,hostile]
 *
 * --quick: fewer runs and edits, for a look while working; the committed figures come from a
 * full run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { benchActivation } from './activation';
import { benchCli } from './cli';
import { benchEngine } from './engine';
import { benchHostile } from './hostile';
import { writeFixtures } from './fixtures';
import { benchLsp } from './lsp';
import { writeReport } from './report';
import { stat, type BenchResults, type Fixture } from './types';
import { benchWebview } from './webview';

const STAGES = ['engine', 'lsp', 'cli', 'webview', 'extension', 'hostile'] as const;
type Stage = (typeof STAGES)[number];

/**
 * yaml-language-server is not run above this size: at 2,000 services one edit took it ~110 s
 * (and opening ~115 s) when measured on its own, so 30 edits would hold the run for an hour.
 */
const PEER_LSP_MAX_SERVICES = 500;

/** Service counts the matrix webview is measured at. */
const WEBVIEW_SIZES = [200, 2000];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const only = new Set<Stage>(onlyAt >= 0 ? (args[onlyAt + 1]!.split(',') as Stage[]) : [...STAGES]);
  const fixtures = writeFixtures();
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cpus: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    fixtures,
    engine: [],
    lsp: [],
    cli: [],
    webview: [],
  };

  if (only.has('engine')) {
    for (const f of fixtures) {
      const r = benchEngine(f, quick ? 10 : 30);
      results.engine.push(r);
      log(`engine  ${f.name}: engine ${r.engine.p50.toFixed(1)} ms, parse ${r.parse.p50.toFixed(1)} ms`);
    }
  }
  if (only.has('lsp')) {
    for (const f of fixtures) {
      for (const server of ['compose-reachability', 'yaml-language-server'] as const) {
        if (server === 'yaml-language-server' && f.services > PEER_LSP_MAX_SERVICES) {
          results.lsp.push({
            server,
            fixture: f.name,
            openMs: NaN,
            edit: stat([]),
            peakRssMb: NaN,
            error: `not run above ${PEER_LSP_MAX_SERVICES} services (one edit ~110 s at 2,000, measured apart)`,
          });
          continue;
        }
        const r = await benchLsp(f, server, { edits: quick ? 10 : 30 });
        results.lsp.push(r);
        log(
          `lsp     ${f.name} ${server}: open ${r.openMs?.toFixed(0)} ms, edit p50 ${r.edit?.p50.toFixed(1)} ` +
            `p95 ${r.edit?.p95.toFixed(1)} ms, ${r.peakRssMb?.toFixed(0)} MB${r.error ? ` (${r.error})` : ''}`,
        );
      }
    }
  }
  if (only.has('cli')) {
    for (const f of fixtures) {
      for (const tool of ['compose-reachability', 'dclint'] as const) {
        const r = await benchCli(f, tool, quick ? 3 : 10);
        results.cli.push(r);
        log(`cli     ${f.name} ${tool}: ${r.wall.p50.toFixed(0)} ms, ${r.peakRssMb.toFixed(0)} MB`);
      }
    }
  }
  if (only.has('webview')) {
    results.webview = await benchWebview(WEBVIEW_SIZES, quick ? 2 : 5);
    for (const r of results.webview) {
      log(
        `webview ${r.services}: first ${r.firstRender.p50.toFixed(0)} ms, update ${r.update.p50.toFixed(0)} ms`,
      );
    }
  }
  if (only.has('extension')) {
    const activation = await benchActivation(quick ? 3 : 10);
    results.extension = { activationMs: activation.p50, vsixBytes: packageSize() };
    log(`extension: activation ${activation.p50.toFixed(1)} ms, vsix ${results.extension.vsixBytes} bytes`);
  }

  if (only.has('hostile')) results.hostile = benchHostile(quick ? 1 : 3, log);

  fs.writeFileSync(
    path.join(REPO_ROOT, 'docs/benchmarks.json'),
    JSON.stringify(stripDirs(results), null, 2) + '\n',
  );
  writeReport(results, {
    command: 'npm run bench',
    markdownPath: path.join(REPO_ROOT, 'docs/benchmarks.md'),
    svgPath: path.join(REPO_ROOT, 'docs/images/bench-scaling.svg'),
  });
  for (const f of fixtures) fs.rmSync(path.dirname(f.dir), { recursive: true, force: true });
  log('wrote docs/benchmarks.md, docs/benchmarks.json and docs/images/bench-scaling.svg');
}

/** Packages the extension as `npm run package` does and returns the .vsix's size. */
function packageSize(): number {
  const out = path.join(os.tmpdir(), `reach-bench-${process.pid}.vsix`);
  execFileSync('npm', ['run', 'package', '--', '--out', out], { cwd: REPO_ROOT, stdio: 'ignore' });
  const size = fs.statSync(out).size;
  fs.rmSync(out);
  return size;
}

/** The results without temporary paths, so the committed JSON is the same from run to run but for the figures. */
function stripDirs(results: BenchResults): BenchResults {
  const fixtures: Fixture[] = results.fixtures.map((f) => ({
    ...f,
    dir: f.name,
    files: f.files.map((file) => path.join(f.name, path.basename(file))),
  }));
  return { ...results, fixtures };
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
