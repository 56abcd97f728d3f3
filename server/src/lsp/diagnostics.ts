/**
 * Report findings as LSP diagnostics, file by file.
 */
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { ruleHelpUrl } from '../../../shared/src/links';
import type { Finding, Severity } from '../../../shared/src/report';

/** The `source` of every diagnostic this server publishes. */
export const DIAGNOSTIC_SOURCE = 'compose-reachability';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG = { unnecessary: DiagnosticTag.Unnecessary, deprecated: DiagnosticTag.Deprecated } as const;

/** One finding as a diagnostic; `uriOf` names the files of related locations. */
export function toDiagnostic(finding: Finding, uriOf: (file: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: finding.location.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleHelpUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related && finding.related.length > 0) {
    d.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: uriOf(r.location.file), range: r.location.range },
      message: r.message,
    }));
  }
  if (finding.tags && finding.tags.length > 0) d.tags = finding.tags.map((t) => TAG[t]);
  if (finding.data !== undefined) d.data = finding.data;
  return d;
}

/** The diagnostics of one file: the findings located in it, in report order. */
export function diagnosticsFor(
  findings: readonly Finding[],
  file: string,
  uriOf: (file: string) => string,
): Diagnostic[] {
  return findings.filter((f) => f.location.file === file).map((f) => toDiagnostic(f, uriOf));
}

/**
 * What a file with YAML errors shows instead of its findings. The YAML extensions the user
 * has already report the syntax error itself; a second copy would only add noise, and
 * findings computed from half a file would be wrong. One quiet line says why ours stopped.
 */
export function pausedDiagnostic(yamlError: Finding): Diagnostic {
  return {
    range: yamlError.location.range,
    severity: DiagnosticSeverity.Information,
    code: yamlError.code,
    codeDescription: { href: ruleHelpUrl(yamlError.code) },
    source: DIAGNOSTIC_SOURCE,
    message: `Reachability analysis paused: YAML error at line ${yamlError.location.range.start.line + 1}`,
  };
}

/** True for a finding that means the file is not valid YAML. */
export function isYamlError(f: Finding): boolean {
  return f.code === 'invalid-yaml';
}

/** The LSP form of the same match a client does: the diagnostic is this finding's. */
export function sameFinding(d: Diagnostic, f: Finding): boolean {
  return (
    d.source === DIAGNOSTIC_SOURCE &&
    d.code === f.code &&
    d.message === f.message &&
    d.range.start.line === f.location.range.start.line &&
    d.range.start.character === f.location.range.start.character &&
    d.range.end.line === f.location.range.end.line &&
    d.range.end.character === f.location.range.end.character
  );
}
