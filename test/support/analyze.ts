import { reportEdges } from '../../shared/src/reach';
import type { Location, ReachabilityReport } from '../../shared/src/report';
import { analyze } from '../../server/src/engine';
import type { AnalysisSettings, LoadOptions } from '../../server/src/engine/host';
import { memoryHost } from './memoryHost';

/** Analyses an in-memory project rooted at /project; returns the report and the texts. */
export function analyzeFiles(
  files: Record<string, string>,
  options: Partial<LoadOptions> & { env?: Record<string, string>; settings?: AnalysisSettings } = {},
): ReachabilityReport & { textAt(loc: Location | undefined): string } {
  const { env, settings, ...load } = options;
  const host = memoryHost(files, env ?? {});
  const report = analyze({ files: [], workingDirectory: host.root, ...load }, host, settings);
  return Object.assign(report, {
    textAt(loc: Location | undefined): string {
      if (!loc) return '<no location>';
      const text = host.readFile(loc.file) ?? '';
      return sliceRange(text, loc);
    },
  });
}

/** The text a location covers. */
export function sliceRange(text: string, loc: Location): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number): number =>
    lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + ch;
  return text.slice(
    offset(loc.range.start.line, loc.range.start.character),
    offset(loc.range.end.line, loc.range.end.character),
  );
}

/** `from -> to` pairs of who reaches whom, sorted, for compact assertions. */
export function reachPairs(report: ReachabilityReport): string[] {
  return reportEdges(report)
    .map((e) => `${e.from}->${e.to}`)
    .sort();
}

/** service → sorted network keys. */
export function networksOf(report: ReachabilityReport): Record<string, string[]> {
  return Object.fromEntries(report.services.map((s) => [s.name, s.networks.map((n) => n.network).sort()]));
}

/** `code@text` for each finding, for compact assertions on codes and exact ranges. */
export function findingsAt(report: ReturnType<typeof analyzeFiles>): string[] {
  return report.diagnostics.map((d) => `${d.code}@${report.textAt(d.location)}`);
}
