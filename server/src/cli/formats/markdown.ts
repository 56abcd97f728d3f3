/**
 * `check --format markdown`: a comment for a pull request, e.g. posted by a CI job.
 */
import { README_URL } from '../../../../shared/src/links';
import { cell } from '../../../../shared/src/matrixFormat';
import type { ReachabilityReport, Severity } from '../../../../shared/src/report';
import { RULES } from '../../../../shared/src/rules';
import { printableLine } from '../../engine/strings';
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

/**
 * A message as the text of one table cell, rendering nothing the file wrote: a service named
 * `![x](https://...)` or `<img src=...>` must not become an image in a pull request. Single
 * backtick code spans stay (links and HTML do not render inside them, and their pairing is
 * unambiguous); outside them brackets, angle brackets, `&` and backslashes are escaped, which
 * is what links, images, HTML and entities need (emphasis is harmless). With longer backtick
 * runs or an odd count, every backtick is escaped too.
 */
export function markdownText(message: string): string {
  const s = printableLine(message.replace(/\s*\r?\n\s*/g, ' '));
  const escape = (t: string): string => t.replace(/[\\`[\]<>&|]/g, (c) => (c === '|' ? '\\|' : `\\${c}`));
  const ticks = s.match(/`+/g) ?? [];
  if (ticks.some((t) => t.length > 1) || ticks.length % 2 === 1) return escape(s);
  // Inside a code span only `|` needs escaping (the table would split there).
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, '\\|') : escape(part)))
    .join('');
}

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
    const location = where.includes('`') ? markdownText(where) : `\`${cell(printableLine(where))}\``;
    lines.push(`| ${SEVERITY_LABEL[f.severity]} | ${rule} | ${location} | ${markdownText(f.message)} |`);
  }
  lines.push('', `**${summarize(findings, report.files.length)}**`);
  return lines.join('\n') + '\n';
}
