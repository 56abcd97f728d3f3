/**
 * The engine in-process against the floor any analysis of the same text pays: `yaml`'s
 * `parseDocument` of every compose file. The ratio is the figure; the stage split says where
 * the rest goes.
 */
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { FindingSink } from '../../server/src/engine/diagnostics';
import { buildGraph } from '../../server/src/engine/graph/graph';
import type { EngineHost, LoadOptions } from '../../server/src/engine/host';
import type { ParseCache } from '../../server/src/engine/load/parseCache';
import { loadProject } from '../../server/src/engine/load/project';
import { buildModel } from '../../server/src/engine/model/build';
import { buildReport } from '../../server/src/engine/report/build';
import { runRules } from '../../server/src/engine/rules/index';
import { stat, type EngineResult, type Fixture } from './types';

/** The engine's stages, in the order an analysis runs them. */
export const STAGES = ['load', 'model', 'graph', 'rules', 'report'] as const;

/** Milliseconds of each stage of one analysis, and of all of them. */
export type StageTimes = Record<(typeof STAGES)[number] | 'total', number>;

/**
 * One analysis, as `analyzeProject` runs it, timed stage by stage; with `cache`, as the
 * language server runs it at a keystroke.
 */
export function analyzeInStages(options: LoadOptions, host: EngineHost, cache?: ParseCache): StageTimes {
  const t0 = performance.now();
  const sink = new FindingSink();
  const project = loadProject(options, host, sink, cache);
  const t1 = performance.now();
  const model = buildModel(project, sink);
  const t2 = performance.now();
  const graph = buildGraph(model);
  const t3 = performance.now();
  const { tiers } = runRules(model, graph, {}, sink);
  const t4 = performance.now();
  buildReport(model, graph, sink.findings, tiers);
  const t5 = performance.now();
  return { load: t1 - t0, model: t2 - t1, graph: t3 - t2, rules: t4 - t3, report: t5 - t4, total: t5 - t0 };
}

/** Runs before measuring, so both sides are measured with the JIT warm. */
const WARMUP = 5;

/** Measures `fixture` `runs` times; parse and engine runs alternate so drift hits both alike. */
export function benchEngine(fixture: Fixture, runs = 30): EngineResult {
  const texts = new Map(fixture.files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  // The files from memory: what is measured is the work on the text, not the disk.
  const host: EngineHost = {
    env: {},
    readFile: (p) => texts.get(p),
    fileExists: (p) => texts.has(p),
  };
  const options = { files: [], workingDirectory: fixture.dir };
  const parse: number[] = [];
  const engine: number[] = [];
  const stages = {
    load: [] as number[],
    model: [] as number[],
    graph: [] as number[],
    rules: [] as number[],
    report: [] as number[],
  };
  for (let i = 0; i < WARMUP + runs; i++) {
    const t = performance.now();
    for (const text of texts.values()) parseDocument(text);
    const parsed = performance.now() - t;

    const timed = analyzeInStages(options, host);
    if (i < WARMUP) continue;
    parse.push(parsed);
    engine.push(timed.total);
    for (const k of STAGES) stages[k].push(timed[k]);
  }
  return {
    fixture: fixture.name,
    parse: stat(parse),
    engine: stat(engine),
    stages: {
      load: stat(stages.load).p50,
      model: stat(stages.model).p50,
      graph: stat(stages.graph).p50,
      rules: stat(stages.rules).p50,
      report: stat(stages.report).p50,
    },
  };
}
