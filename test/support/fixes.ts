/**
 * Helpers for the quick-fix tests: analyse an in-memory project, pick a finding's fixes,
 * apply one and get the whole resulting text back, and the checks every fix must pass.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeProject, type ProjectAnalysis } from '../../server/src/engine';
import type { AnalysisSettings, LoadOptions } from '../../server/src/engine/host';
import { applyToTexts, fixesFor, type FixAction, type TextEdit } from '../../server/src/engine/fixes';
import type { RawFinding } from '../../server/src/engine/diagnostics';
import { memoryHost } from './memoryHost';

/** The root of in-memory projects. */
export const ROOT = '/project';

/** Analyses files given relative to /project. */
export function project(
  files: Record<string, string>,
  options: Partial<LoadOptions> & { env?: Record<string, string>; settings?: AnalysisSettings } = {},
): ProjectAnalysis {
  const { env, settings, ...load } = options;
  const host = memoryHost(files, env ?? {}, ROOT);
  return analyzeProject({ files: [], workingDirectory: ROOT, ...load }, host, settings);
}

/** The findings of `code`. */
export function findingsOf(a: ProjectAnalysis, code: string): RawFinding[] {
  return a.findings.filter((f) => f.code === code);
}

/** The proven fixes of the first finding of `code` (failing when there is no such finding). */
export function fixesOf(a: ProjectAnalysis, code: string, which = 0): FixAction[] {
  const f = findingsOf(a, code)[which];
  assert.ok(
    f,
    `no ${code} finding; findings: ${a.findings.map((x) => `${x.code}: ${x.message}`).join(' | ')}`,
  );
  const rejected: string[] = [];
  const fixes = fixesFor(a, f, { onRejected: (x, p) => rejected.push(`${x.title}: ${p.join('; ')}`) });
  if (rejected.length > 0) (fixes as FixAction[] & { rejected?: string[] }).rejected = rejected;
  return fixes;
}

/** Texts after the edits, by path relative to /project (changed files only). */
export function applied(a: ProjectAnalysis, edits: readonly TextEdit[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, text] of applyToTexts(a.model.texts, edits)) out[path.relative(ROOT, file)] = text;
  return out;
}

/**
 * The action titled `title` (or the preferred one) of the first finding of `code`, applied:
 * the text of `file` afterwards.
 */
export function fixText(a: ProjectAnalysis, code: string, title?: string, file = 'compose.yaml'): string {
  const fixes = fixesOf(a, code);
  const action = title ? fixes.find((f) => f.title === title) : fixes.find((f) => f.isPreferred);
  assert.ok(
    action,
    `no fix ${title ?? '(preferred)'} for ${code}; offered: ${fixes.map((f) => f.title).join(' | ')}; rejected: ${
      (fixes as { rejected?: string[] }).rejected?.join(' | ') ?? 'none'
    }`,
  );
  const out = applied(a, action.edits);
  assert.ok(file in out, `${file} not edited; edited: ${Object.keys(out).join(', ')}`);
  return out[file]!;
}

/**
 * Every byte outside the edits is unchanged: the lines no edit touches appear in the new
 * text, whole and in order. Independent of `applyEdits`, which produced the text.
 */
export function assertUntouchedLinesKept(before: string, after: string, edits: readonly TextEdit[]): void {
  const lines: Array<{ text: string; start: number; end: number }> = [];
  let at = 0;
  for (const l of before.split(/(?<=\n)/)) {
    lines.push({ text: l, start: at, end: at + l.length });
    at += l.length;
  }
  const touched = (l: { start: number; end: number }): boolean =>
    edits.some((e) =>
      e.start === e.end ? e.start > l.start && e.start < l.end : e.start < l.end && e.end > l.start,
    );
  const afterLines = after.split(/(?<=\n)/);
  let j = 0;
  for (const l of lines) {
    if (touched(l) || l.text === '') continue;
    while (j < afterLines.length && afterLines[j] !== l.text) j++;
    assert.ok(j < afterLines.length, `line lost or changed: ${JSON.stringify(l.text)}`);
    j++;
  }
}
