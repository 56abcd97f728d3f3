/**
 * The engine in-process against the floor any analysis of the same text pays: `yaml`'s
 * `parseDocument` of every compose file. The ratio is the figure; the stage split says where
 * the rest goes.
 */
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { FindingSink } from '../../server/src/engine/diagnostics';
import { buildGraph } from '../../server/src/engine/graph/graph';
import type { EngineHost } from '../../server/src/engine/host';
import { loadProject } from '../../server/src/engine/load/project';
import { buildModel } from '../../server/src/engine/model/build';
import { buildReport } from '../../server/src/engine/report/build';
import { runRules } from '../../server/src/engine/rules/index';
import { stat, type EngineResult, type Fixture } from './types';

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
    let t = performance.now();
    for (const text of texts.values()) parseDocument(text);
    const parsed = performance.now() - t;

    t = performance.now();
    const sink = new FindingSink();
    const project = loadProject(options, host, sink);
    const t1 = performance.now();
    const model = buildModel(project, sink);
    const t2 = performance.now();
    const graph = buildGraph(model);
    const t3 = performance.now();
    const { tiers } = runRules(model, graph, {}, sink);
    const t4 = performance.now();
    buildReport(model, graph, sink.findings, tiers);
    const t5 = performance.now();
    if (i < WARMUP) continue;
    parse.push(parsed);
    engine.push(t5 - t);
    stages.load.push(t1 - t);
    stages.model.push(t2 - t1);
    stages.graph.push(t3 - t2);
    stages.rules.push(t4 - t3);
    stages.report.push(t5 - t4);
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
