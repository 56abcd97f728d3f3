/**
 * An editor's keystroke in process, stage by stage: a generated project analysed with a
 * `ParseCache` as the language server keeps one, then the bench's typing (an `x` appended to a
 * network name and deleted again, spread over the file), each edit analysed as the server
 * analyses it. What the LSP stage of `npm run bench` times over stdio, without the transport,
 * split into the engine's stages: a look at where a keystroke's time goes while working on it.
 *
 *   npm run build && node out/test/bench/keystroke.js [services=2000] [edits=60]
 */
import * as path from 'node:path';
import { ParseCache, type LoadOptions } from '../../server/src/engine/index';
import { generateProject } from '../support/generateProject';
import { memoryHost } from '../support/memoryHost';
import { analyzeInStages, STAGES, type StageTimes } from './engine';
import { typingEdits } from './lsp';
import { stat } from './types';

/** p50 and p95 of each stage over `edits` keystrokes typed into a project of `services` services. */
export function benchKeystroke(
  services: number,
  edits: number,
): Record<keyof StageTimes, { p50: number; p95: number }> {
  const files = { ...generateProject(services).files };
  const host = memoryHost(files);
  const main = path.join(host.root, 'compose.yaml');
  const options: LoadOptions = { files: [], workingDirectory: host.root };
  const cache = new ParseCache();
  analyzeInStages(options, host, cache);
  const times: StageTimes[] = [];
  for (const e of typingEdits(files['compose.yaml']!, edits)) {
    const text = host.readFile(main)!;
    files['compose.yaml'] = text.slice(0, e.at) + e.insert + text.slice(e.at + e.deleteLength);
    Object.assign(host, memoryHost(files));
    times.push(analyzeInStages(options, host, cache));
  }
  const keys = [...STAGES, 'total'] as const;
  return Object.fromEntries(
    keys.map((k) => {
      const s = stat(times.map((t) => t[k]));
      return [k, { p50: s.p50, p95: s.p95 }];
    }),
  ) as Record<keyof StageTimes, { p50: number; p95: number }>;
}

if (require.main === module) {
  const [services = 2000, edits = 60] = process.argv.slice(2).map(Number);
  const result = benchKeystroke(services, edits);
  for (const [stage, s] of Object.entries(result)) {
    process.stdout.write(
      `${stage.padEnd(7)} p50 ${s.p50.toFixed(1).padStart(6)} ms  p95 ${s.p95.toFixed(1).padStart(6)} ms\n`,
    );
  }
}
