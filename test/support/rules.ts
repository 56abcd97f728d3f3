import type { AnalysisSettings } from '../../server/src/engine/host';
import type { Finding } from '../../shared/src/report';
import { analyzeFiles } from './analyze';

/** The report of a one-file project (`compose.yaml`), with the texts for `textAt`. */
export function analyzeYaml(yaml: string, settings?: AnalysisSettings): ReturnType<typeof analyzeFiles> {
  return analyzeFiles({ 'compose.yaml': yaml }, settings ? { settings } : {});
}

/** One finding, compactly: code, severity, the exact text of its range, and its message. */
export interface Shown {
  code: string;
  severity: Finding['severity'];
  text: string;
  message: string;
}

/** Findings of `code` (all when omitted), in report order, as `Shown`. */
export function shown(report: ReturnType<typeof analyzeFiles>, code?: string): Shown[] {
  return report.diagnostics
    .filter((d) => code === undefined || d.code === code)
    .map((d) => ({
      code: d.code,
      severity: d.severity,
      text: report.textAt(d.location),
      message: d.message,
    }));
}

/** `code@text` of every finding, for asserting that nothing else fires. */
export function codesAt(report: ReturnType<typeof analyzeFiles>): string[] {
  return report.diagnostics.map((d) => `${d.code}@${report.textAt(d.location)}`);
}

/** The finding of `code` (exactly one expected). */
export function only(report: ReturnType<typeof analyzeFiles>, code: string): Finding {
  const found = report.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) {
    throw new Error(`expected one ${code}, got ${found.length}: ${JSON.stringify(shown(report), null, 1)}`);
  }
  return found[0]!;
}

/** `text — message` of each related location of a finding. */
export function relatedOf(report: ReturnType<typeof analyzeFiles>, f: Finding): string[] {
  return (f.related ?? []).map((r) => `${report.textAt(r.location)} — ${r.message}`);
}
