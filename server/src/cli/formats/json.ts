/**
 * `check --format json`: the ReachabilityReport itself, the contract other tools can rely on.
 */
import type { ReachabilityReport } from '../../../../shared/src/report';

/** The report, pretty printed, ending with a newline. */
export function formatJson(report: ReachabilityReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
