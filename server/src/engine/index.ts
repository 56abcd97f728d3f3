/**
 * The engine's facade: options and a host in, a ReachabilityReport out. Pure: no file
 * system, no process, no editor; everything outside comes through `EngineHost`.
 */
import type { ReachabilityReport } from '../../../shared/src/report';
import { FindingSink } from './diagnostics';
import { buildGraph } from './graph/graph';
import type { AnalysisSettings, EngineHost, LoadOptions } from './host';
import { loadProject } from './load/project';
import { buildModel } from './model/build';
import { buildReport } from './report/build';

export type { AnalysisSettings, EngineHost, LoadOptions, RuleLevel } from './host';

export { ProjectNotFoundError } from './errors';

/** Loads the project the options describe and computes its reachability report. */
export function analyze(options: LoadOptions, host: EngineHost, settings: AnalysisSettings = {}): ReachabilityReport {
  void settings; // read by the rules stage
  const sink = new FindingSink();
  const project = loadProject(options, host, sink);
  const model = buildModel(project, sink);
  const graph = buildGraph(model);
  return buildReport(model, graph, sink.findings);
}
