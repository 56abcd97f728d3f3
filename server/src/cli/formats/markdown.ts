/**
 * `check --format markdown`: a comment for a pull request, e.g. posted by a CI job.
 */
import { README_URL } from '../../../../shared/src/links';
import { cell } from '../../../../shared/src/matrixFormat';
import type { ReachabilityReport, Severity } from '../../../../shared/src/report';
import { RULES } from '../../../../shared/src/rules';
import { displayPath, sortFindings, summarize } from './text';

/** Options of the Markdown format. */
export interface MarkdownOptions {
  /** Paths inside this directory (usually the repository root in CI) are shown relative to it. */
  cwd: string;
}

/** Icon and word: the icon to scan, the word for readers and screen readers. */
const SEVERITY_LABEL: Record<Severity, string> = {
  error: '❌ error',
  warning: '⚠️ warning',
  information: 'ℹ️ info',
  hint: '💡 hint',
};

/** A heading naming the project, a table of findings (or "No findings") and a summary line. */
export function formatMarkdown(report: ReachabilityReport, options: MarkdownOptions): string {
  const lines = [`### Compose Reachability: \`${report.project}\``, ''];
  const findings = sortFindings(report.diagnostics);
  if (findings.length === 0) {
    lines.push(`✅ ${summarize(findings, report.files.length)}`);
    return lines.join('\n') + '\n';
  }
  lines.push('| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
  for (const f of findings) {
    const where = `${displayPath(f.location.file, options.cwd)}:${f.location.range.start.line + 1}`;
    // A reviewer reading the comment can follow the rule to what it means and how to fix it.
    const anchor = Object.prototype.hasOwnProperty.call(RULES, f.code) ? RULES[f.code]!.anchor : undefined;
    const rule = anchor ? `[\`${f.code}\`](${README_URL}#${anchor})` : `\`${f.code}\``;
    lines.push(`| ${SEVERITY_LABEL[f.severity]} | ${rule} | \`${cell(where)}\` | ${cell(f.message)} |`);
  }
  lines.push('', `**${summarize(findings, report.files.length)}**`);
  return lines.join('\n') + '\n';
}
