/**
 * Quick fixes: findings and source text in, minimal text edits out. Every fix is proven
 * before it is offered: its edits are applied in memory, the project is analysed again, and
 * the fix is dropped unless the new analysis has no new error, keeps every needed link, no
 * longer has the finding, and shows what the fix itself promised.
 */
import { isFindingData } from '../../../../shared/src/findingData';
import { reachDiff, type ReachDiff } from '../../../../shared/src/reachDiff';
import type { Finding, Range } from '../../../../shared/src/report';
import type { RawFinding } from '../diagnostics';
import type { ProjectAnalysis } from '../index';
import { Locator } from '../report/locator';
import { connectServices } from './connect';
import { FixContext } from './context';
import { declareNetwork } from './declare';
import { overlay, type TextEdit } from './edits';
import { markInternal } from './markInternal';
import { portFixes } from './ports';
import { removeNetwork } from './removeNetwork';
import { splitTiers } from './split';
import type { Candidate, FixAction, FixKind } from './types';
import { checkFixed, editedTexts, reanalyze, subjectKey } from './verify';

export type { FixAction, FixKind } from './types';
export type { TextEdit } from './edits';
export { applyEdits, applyToTexts } from './edits';
export { subjectKey } from './verify';

/** Codes that have fixes. */
export const FIXABLE_CODES: readonly string[] = [
  'flat-network',
  'public-reaches-data',
  'network-not-internal',
  'data-port-published',
  'admin-console-exposed',
  'undefined-network',
  'unused-network',
  'unreachable-dependency',
];

/** A fix with the analysis of the text it produces. */
export interface ProvenFix {
  action: FixAction;
  /** The project analysed with the fix applied. */
  after: ProjectAnalysis;
  /** New text of every file the fix edits. */
  texts: Map<string, string>;
}

/** Options of `fixesFor`. */
export interface FixOptions {
  /** Told about each candidate that failed its proof. */
  onRejected?: RejectionListener;
  /**
   * Analyse each fix's result and drop those that break a promise (default true). Without
   * it the actions are the unproven candidates: for tests of the edits themselves.
   */
  verify?: boolean;
}

/** Candidate fixes of one finding, unproven. */
function candidates(ctx: FixContext, f: RawFinding): Candidate[] {
  const one = (c: Candidate | undefined): Candidate[] => (c ? [c] : []);
  const d = f.data;
  switch (f.code) {
    case 'flat-network':
      return isFindingData(d, 'flat-network') ? splitTiers(ctx, d.network) : [];
    case 'public-reaches-data':
      if (!isFindingData(d, 'public-reaches-data')) return [];
      if (d.via === 'network') return splitTiers(ctx, d.network);
      if (d.via === 'published-port') return portFixes(ctx, d.to, f.span);
      return [];
    case 'network-not-internal':
      return isFindingData(d, 'network-not-internal') ? one(markInternal(ctx, d.network)) : [];
    case 'data-port-published':
      return isFindingData(d, 'data-port-published') ? portFixes(ctx, d.service, f.span) : [];
    case 'admin-console-exposed':
      return isFindingData(d, 'admin-console-exposed') ? portFixes(ctx, d.service, f.span) : [];
    case 'undefined-network':
      return declareNetwork(ctx, f.span);
    case 'unused-network':
      return isFindingData(d, 'unused-network') ? one(removeNetwork(ctx, d.network)) : [];
    case 'unreachable-dependency':
      return isFindingData(d, 'unreachable-dependency') && d.certain
        ? connectServices(ctx, d.from, d.to)
        : [];
    default:
      return [];
  }
}

/** The engine's finding for a report finding (same index), or the raw finding itself. */
function rawFinding(analysis: ProjectAnalysis, finding: Finding | RawFinding): RawFinding | undefined {
  if ('span' in finding) return finding;
  const i = analysis.report.diagnostics.indexOf(finding);
  if (i >= 0) return analysis.findings[i];
  const same = (a: Finding): boolean =>
    a.code === finding.code &&
    a.message === finding.message &&
    a.location.file === finding.location.file &&
    a.location.range.start.line === finding.location.range.start.line &&
    a.location.range.start.character === finding.location.range.start.character;
  const j = analysis.report.diagnostics.findIndex(same);
  return j >= 0 ? analysis.findings[j] : undefined;
}

/** Called with each fix that was dropped and why (tests; `fix` with COMPOSE_REACHABILITY_DEBUG). */
export type RejectionListener = (action: FixAction, problems: string[]) => void;

/**
 * The proven fixes of a finding, preferred first. With `preferredOnly`, only the first
 * preferred fix that proves out (the others are not even tried).
 */
export function provenFixes(
  analysis: ProjectAnalysis,
  finding: Finding | RawFinding,
  onRejected?: RejectionListener,
  preferredOnly = false,
  /** With `preferredOnly`: the least-privilege split comes before the preferred fix. */
  leastPrivilege = false,
): ProvenFix[] {
  const f = rawFinding(analysis, finding);
  if (!f) return [];
  const ctx = new FixContext(analysis);
  const out: ProvenFix[] = [];
  const all = candidates(ctx, f).sort((a, b) => Number(b.isPreferred) - Number(a.isPreferred));
  const chosen = preferredOnly
    ? [
        ...(leastPrivilege ? all.filter((x) => x.optIn === 'least-privilege') : []),
        ...all.filter((x) => x.isPreferred),
      ]
    : all;
  for (const c of chosen) {
    const proven = prove(analysis, f, c);
    if ('problems' in proven) onRejected?.(toAction(f, c), proven.problems);
    else out.push(proven);
    if (preferredOnly && out.length > 0) break;
  }
  return out;
}

/** Applies a candidate in memory and checks it. */
function prove(analysis: ProjectAnalysis, f: RawFinding, c: Candidate): ProvenFix | { problems: string[] } {
  if (c.edits.length === 0) return { problems: ['no edits'] };
  let texts: Map<string, string>;
  try {
    texts = editedTexts(analysis, c.edits);
  } catch (e) {
    return { problems: [e instanceof Error ? e.message : String(e)] };
  }
  const after = reanalyze(analysis, texts);
  const problems = [...checkFixed(analysis, f, after), ...(c.expect?.(after) ?? [])];
  if (problems.length > 0) return { problems };
  return { action: { ...toAction(f, c), reach: reachDiff(analysis.report, after.report) }, after, texts };
}

function toAction(f: RawFinding, c: Candidate): FixAction {
  return { fix: c.fix, code: f.code, title: c.title, isPreferred: c.isPreferred, edits: c.edits };
}

/**
 * The fixes of one finding of `analysis` (a report finding or the engine's), preferred
 * first. Proven by default (see the module comment).
 */
export function fixesFor(
  analysis: ProjectAnalysis,
  finding: Finding | RawFinding,
  options: FixOptions = {},
): FixAction[] {
  if (options.verify === false) {
    const f = rawFinding(analysis, finding);
    return f ? candidates(new FixContext(analysis), f).map((c) => toAction(f, c)) : [];
  }
  return provenFixes(analysis, finding, options.onRejected).map((p) => p.action);
}

/** A fix as the language server sends it: ranges in LSP positions. */
export interface LspFixAction {
  title: string;
  isPreferred?: boolean;
  /** Links between services the fix removes (the editor asks before applying such a fix). */
  removes?: ReachDiff['removed'];
  edits: Array<{ file: string; range: Range; newText: string }>;
}

/**
 * The fixes of a finding of an analysis with LSP ranges, for code actions (the language server
 * keeps the analysis behind each report it publishes). `texts` are the files as the editor
 * has them now: when one the fix edits has changed since the analysis, the offsets no longer
 * hold and nothing is returned (the editor asks again after the next analysis).
 */
export function provideFixes(
  analysis: ProjectAnalysis,
  finding: Finding,
  texts: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): LspFixAction[] {
  const current = (file: string): string | undefined =>
    texts instanceof Map ? texts.get(file) : (texts as Record<string, string>)[file];
  const locator = new Locator(analysis.model.texts);
  const out: LspFixAction[] = [];
  for (const action of fixesFor(analysis, finding)) {
    const files = new Set(action.edits.map((e) => e.file));
    if ([...files].some((f) => current(f) !== undefined && current(f) !== analysis.model.texts.get(f)))
      return [];
    out.push({
      title: action.title,
      ...(action.isPreferred ? { isPreferred: true } : {}),
      ...(action.reach && action.reach.removed.length > 0 ? { removes: action.reach.removed } : {}),
      edits: action.edits.map((e) => ({
        file: e.file,
        range: { start: locator.position(e.file, e.start), end: locator.position(e.file, e.end) },
        newText: e.newText,
      })),
    });
  }
  return out;
}

/** One fix `applyFixes` applied. */
export interface AppliedFix {
  fix: FixKind;
  code: string;
  message: string;
  /** What the finding was about (`subjectKey`): it is gone after the fix. */
  subject: string;
  title: string;
  files: string[];
  /** Its edits, in offsets of the texts as they were before it (after the fixes before it). */
  edits: TextEdit[];
  /** The direct links it removed and added. */
  reach: ReachDiff;
}

/** Options of `applyFixes`. */
export interface ApplyOptions {
  /** Fix only findings with these codes (all fixable codes when absent or empty). */
  only?: readonly string[];
  /** At most this many fixes (each one re-analyses the project); default 100. */
  maxFixes?: number;
  /** Told about each preferred fix that failed its proof. */
  onRejected?: RejectionListener;
  /**
   * Apply the least-privilege split where a finding has one (each data store shared only with
   * its known users): it removes links the engine cannot prove unneeded, so only on request.
   */
  leastPrivilege?: boolean;
}

/** What `applyFixes` did. */
export interface ApplyResult {
  /** New text of every file that changed (absent: unchanged). */
  texts: Map<string, string>;
  applied: AppliedFix[];
  /** The analysis of the fixed project. */
  final: ProjectAnalysis;
  /** True when the bound stopped the loop with fixable findings left. */
  bounded: boolean;
}

/**
 * Applies the preferred fix of each finding, one at a time: fix, re-analyse, repeat until no
 * finding has a preferred fix that proves out, or the bound is reached. One fix per round,
 * so edits computed on stale offsets never collide.
 */
export function applyFixes(analysis: ProjectAnalysis, options: ApplyOptions = {}): ApplyResult {
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const max = options.maxFixes ?? 100;
  let current = analysis;
  let texts = new Map<string, string>();
  const applied: AppliedFix[] = [];
  // Findings with no fix that proves out, by subject: not tried again.
  const hopeless = new Set<string>();
  for (;;) {
    let next: { f: RawFinding; fix: ProvenFix } | undefined;
    for (const f of current.findings) {
      if ((only && !only.has(f.code)) || !FIXABLE_CODES.includes(f.code)) continue;
      const key = subjectKey(f);
      if (hopeless.has(key)) continue;
      const [fix] = provenFixes(current, f, options.onRejected, true, options.leastPrivilege === true);
      if (fix) {
        next = { f, fix };
        break;
      }
      hopeless.add(key);
    }
    if (!next) return { texts, applied, final: current, bounded: false };
    if (applied.length >= max) return { texts, applied, final: current, bounded: true };
    // What could not be fixed before may be now (a network declared, a port bound).
    hopeless.clear();
    texts = overlay(texts, next.fix.texts);
    applied.push({
      fix: next.fix.action.fix,
      code: next.f.code,
      message: next.f.message,
      subject: subjectKey(next.f),
      title: next.fix.action.title,
      files: [...next.fix.texts.keys()],
      edits: next.fix.action.edits,
      reach: next.fix.action.reach ?? { removed: [], added: [] },
    });
    current = next.fix.after;
  }
}
