/**
 * The hostile shapes of issue 16 (test/support/hostileShapes.ts), each analysed in a process of
 * its own so that its peak memory is its own: wall time of `analyzeProject` and the process's
 * maxRSS, against the issue's target (answered within 2 s and 500 MB).
 *
 *   node out/test/bench/hostile.js [name]   one shape in this process, its figures as JSON
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { analyzeProject } from '../../server/src/engine/index';
import { issueShapes } from '../support/hostileShapes';
import { memoryHost } from '../support/memoryHost';
import type { HostileResult } from './types';

/** A shape that takes longer than this is stuck, not slow. */
const RUN_TIMEOUT_MS = 180_000;

/** Analyses one shape in this process; what it prints is read by `benchHostile`. */
function runOne(name: string): void {
  const shape = issueShapes().find((s) => s.name === name);
  if (!shape) throw new Error(`no hostile shape ${name}`);
  const bytes = Object.values(shape.files).reduce((n, t) => n + t.length, 0);
  const host = memoryHost(shape.files, shape.env ?? {});
  const t = performance.now();
  let outcome: string;
  try {
    const a = analyzeProject({ files: [], workingDirectory: host.root }, host);
    const codes = new Set(a.findings.map((f) => f.code));
    outcome = `${a.findings.length} findings (${[...codes].sort().join(', ') || 'none'})`;
  } catch (e) {
    outcome = `threw: ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`;
  }
  const ms = performance.now() - t;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ name, bytes, ms, peakRssMb, outcome }) + '\n');
}

/** Every shape, each in a child process, `runs` times; the slowest run and the largest RSS count. */
export function benchHostile(runs = 3, log: (line: string) => void = () => {}): HostileResult[] {
  const out: HostileResult[] = [];
  for (const shape of issueShapes()) {
    let worst: HostileResult | undefined;
    for (let i = 0; i < runs; i++) {
      const child = spawnSync(process.execPath, [__filename, shape.name], {
        encoding: 'utf8',
        timeout: RUN_TIMEOUT_MS,
        maxBuffer: 1 << 20,
      });
      const line = child.stdout.trim().split('\n').pop() ?? '';
      const r: HostileResult = line.startsWith('{')
        ? (JSON.parse(line) as HostileResult)
        : {
            name: shape.name,
            bytes: 0,
            ms: NaN,
            peakRssMb: NaN,
            outcome: child.error
              ? `did not finish: ${child.error.message}`
              : `crashed: ${child.stderr.slice(0, 200)}`,
          };
      worst =
        !worst || !(r.ms <= worst.ms)
          ? { ...r, peakRssMb: Math.max(r.peakRssMb, worst?.peakRssMb ?? 0) }
          : worst;
      if (!Number.isFinite(r.ms)) break;
    }
    out.push(worst!);
    log(
      `hostile ${shape.name}: ${worst!.ms.toFixed(0)} ms, ${worst!.peakRssMb.toFixed(0)} MB, ${worst!.outcome}`,
    );
  }
  return out;
}

if (require.main === module) {
  const name = process.argv[2];
  if (name) runOne(name);
  else benchHostile(1, (l) => void process.stderr.write(l + '\n'));
}
