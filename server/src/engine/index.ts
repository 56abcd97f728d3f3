/**
 * The engine's facade: options and a host in, a ReachabilityReport out. Pure: no file
 * system, no process, no editor; everything outside comes through `EngineHost`.
 */
import type { ReachabilityReport } from '../../../shared/src/report';
import { FindingSink, type RawFinding } from './diagnostics';
import { readMountedConfigs, type MountedConfigs } from './evidence/mounts';
import { buildGraph, type Graph } from './graph/graph';
import type { AnalysisSettings, EngineHost, LoadOptions } from './host';
import type { ParseCache } from './load/parseCache';
import { loadProject, type LoadedProject } from './load/project';
import { buildModel } from './model/build';
import type { Model } from './model/types';
import { buildReport } from './report/build';
import { runRules } from './rules/index';
import { maskReportValues, projectRedactor, redactFindings } from './secrets';
import type { TierInfo } from './rules/tiers';
import { firstRejectedCharacter } from './strings';

export type { AnalysisSettings, EngineHost, LoadOptions, RuleLevel } from './host';

export { ProjectNotFoundError } from './errors';
export { ParseCache } from './load/parseCache';

/**
 * One analysis with the engine's own results kept beside the report: what the quick fixes
 * read (the model and graph with offsets, the tiers) and what they need to analyse the
 * edited text again (the options, host and settings of this run).
 */
export interface ProjectAnalysis {
  report: ReachabilityReport;
  /** The findings in offsets: `report.diagnostics[i]` is `findings[i]`. */
  findings: readonly RawFinding[];
  project: LoadedProject;
  model: Model;
  graph: Graph;
  /** The configuration files mounted into the services, read for evidence of needs. */
  mounted: MountedConfigs;
  tiers: ReadonlyMap<string, TierInfo>;
  options: LoadOptions;
  host: EngineHost;
  settings: AnalysisSettings;
}

/** Loads the project the options describe and analyses it, keeping the engine's intermediate results. */
export function analyzeProject(
  options: LoadOptions,
  host: EngineHost,
  settings: AnalysisSettings = {},
  /** Parses kept between analyses of the same files (an editor's); see load/parseCache.ts. */
  cache?: ParseCache,
): ProjectAnalysis {
  const sink = new FindingSink();
  const project = loadProject(options, host, sink, cache);
  // Docker's YAML reader stops at the first such character; the YAML parser here takes them.
  for (const file of project.files) {
    const text = project.texts.get(file);
    const bad = text === undefined ? undefined : firstRejectedCharacter(text);
    if (bad) sink.error('invalid-yaml', bad.message, { file, start: bad.offset, end: bad.offset + 1 });
  }
  const model = buildModel(project, sink);
  const mounted = readMountedConfigs(model, project.composeFiles, host);
  // Mounted files join the texts read, so that their evidence converts to positions and the
  // fixes' re-analysis sees the same files.
  for (const [file, text] of mounted.texts) if (!model.texts.has(file)) model.texts.set(file, text);
  const graph = buildGraph(model, mounted);
  const { tiers } = runRules(model, graph, settings, sink);
  // Whatever a message quotes, values from the environment do not reach any output.
  const redactor = projectRedactor(project, host);
  sink.replace(redactFindings(sink.findings, redactor));
  const report = buildReport(model, graph, sink.findings, tiers);
  if (!settings.showValues) maskReportValues(report, redactor);
  return {
    report,
    findings: [...sink.findings],
    project,
    model,
    graph,
    mounted,
    tiers,
    options,
    host,
    settings,
  };
}

/** Loads the project the options describe and computes its reachability report. */
export function analyze(
  options: LoadOptions,
  host: EngineHost,
  settings: AnalysisSettings = {},
): ReachabilityReport {
  return analyzeProject(options, host, settings).report;
}
