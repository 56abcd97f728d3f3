/**
 * `check --format text`: one line per finding, in the `path:line:col` form terminals and
 * editors turn into links, then a summary line. Also the helpers the other finding formats
 * share (order, paths, counts).
 */
import * as path from 'node:path';
import { printableLine } from '../../engine/strings';
import type { Finding, Location, ReachabilityReport, Severity } from '../../../../shared/src/report';

/** Options of the text format. */
export interface TextOptions {
  /** Paths inside this directory are shown relative to it. */
  cwd: string;
  /** Whether to use ANSI colours (the caller decides: a TTY and no NO_COLOR). */
  color: boolean;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Short words for people; `info` is what editors' problem matchers expect. */
const SEVERITY_WORD: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'hint',
};

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
} as const;

const SEVERITY_COLOR: Record<Severity, string> = {
  error: ANSI.bold + ANSI.red,
  warning: ANSI.bold + ANSI.yellow,
  information: ANSI.cyan,
  hint: ANSI.dim,
};

/** Renders the findings of a report as text lines and a summary, ending with a newline. */
export function formatText(report: ReachabilityReport, options: TextOptions): string {
  const paint = (codes: string, s: string): string => (options.color ? codes + s + ANSI.reset : s);
  const where = (l: Location): string =>
    `${oneLine(displayPath(l.file, options.cwd))}:${l.range.start.line + 1}:${l.range.start.character + 1}`;

  const lines: string[] = [];
  for (const f of sortFindings(report.diagnostics)) {
    const severity = paint(SEVERITY_COLOR[f.severity], SEVERITY_WORD[f.severity]);
    lines.push(`${where(f.location)} ${severity} ${paint(ANSI.dim, f.code)} ${oneLine(f.message)}`);
    for (const r of f.related ?? []) lines.push(`  ↳ ${where(r.location)} ${oneLine(r.message)}`);
  }

  const summary = summarize(report.diagnostics, report.files.length);
  const counts = countBySeverity(report.diagnostics);
  const summaryColor = counts.error
    ? ANSI.bold + ANSI.red
    : counts.warning
      ? ANSI.bold + ANSI.yellow
      : ANSI.green;
  if (lines.length > 0) lines.push('');
  lines.push(paint(summaryColor, summary));
  return lines.join('\n') + '\n';
}

/**
 * `file` relative to `base` when it lies inside it, otherwise unchanged: short paths where
 * they are unambiguous, absolute ones where `../..` would only obscure.
 */
export function displayPath(file: string, base: string): string {
  const rel = path.relative(base, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return file;
  return rel;
}

/** Findings ordered by file, then position, then severity and code: stable across runs. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compare(a.location.file, b.location.file) ||
      a.location.range.start.line - b.location.range.start.line ||
      a.location.range.start.character - b.location.range.start.character ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compare(a.code, b.code),
  );
}

/** Number of findings of each severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `2 errors, 1 warning in 3 files`, or `No findings in 1 file`; `fileCount` is the files checked. */
export function summarize(findings: readonly Finding[], fileCount: number): string {
  const counts = countBySeverity(findings);
  const parts: string[] = [];
  if (counts.error > 0) parts.push(plural(counts.error, 'error'));
  if (counts.warning > 0) parts.push(plural(counts.warning, 'warning'));
  if (counts.information > 0) parts.push(plural(counts.information, 'info', 'infos'));
  if (counts.hint > 0) parts.push(plural(counts.hint, 'hint'));
  const head = parts.length > 0 ? parts.join(', ') : 'No findings';
  return `${head} in ${plural(fileCount, 'file')}`;
}

/** `1 file`, `3 files`. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A finding is one line of output: a stray newline in a message must not start a fake one,
 * and a control character from a name in the file must not reach the terminal raw.
 */
export function oneLine(s: string): string {
  return printableLine(s.replace(/\s*\r?\n\s*/g, ' '));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
