/**
 * `check --format json`: the ReachabilityReport with its reachability spelled out as pairs,
 * the contract other tools can rely on.
 */
import { reportEdges } from '../../../../shared/src/reach';
import type { ReachabilityReport, ReportJson } from '../../../../shared/src/report';

/** The report and its edges, pretty printed, ending with a newline. */
export function formatJson(report: ReachabilityReport): string {
  // Edges before diagnostics, as in the report's first version: readers of the file see the graph first.
  const { diagnostics, ...graph } = report;
  const json: ReportJson = { ...graph, edges: reportEdges(report), diagnostics };
  return JSON.stringify(json, null, 2) + '\n';
}
