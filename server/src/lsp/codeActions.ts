/**
 * Quick fixes: the diagnostics a client asks about are mapped back to the report's findings,
 * and a fix provider turns each finding into text edits. The provider is pluggable so the
 * fix engine, when it lands, is one argument of `startServer`.
 */
import {
  CodeActionKind,
  type AnnotatedTextEdit,
  type ChangeAnnotation,
  type CodeAction,
  type CodeActionParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { describeLinks, type LinkChange } from '../../../shared/src/reachDiff';
import type { Finding, Range, ReachabilityReport } from '../../../shared/src/report';
import { sameFinding } from './diagnostics';
import { errorMessage } from './logging';
import type { Analysis } from './projects';

/** One text edit of a fix, in any file of the project. */
export interface FixEdit {
  /** Absolute path, as in the report's locations. */
  file: string;
  range: Range;
  newText: string;
}

/** One way to fix a finding. */
export interface Fix {
  /** What the editor's light bulb menu shows. */
  title: string;
  /** The fix the editor applies with its "auto fix" command; at most one per finding. */
  isPreferred?: boolean;
  edits: FixEdit[];
  /** Links between services the fix removes: the edit asks for confirmation and names them. */
  removes?: readonly LinkChange[];
}

/**
 * The fixes of a finding. `texts` holds the text of every file the report was computed from,
 * by path: edits are computed against exactly that text.
 */
export type FixProvider = (
  report: ReachabilityReport,
  finding: Finding,
  texts: ReadonlyMap<string, string>,
) => Fix[];

/** Until the fix engine exists, no finding has a fix. */
export const noFixes: FixProvider = () => [];

/** What the handler needs from the server. */
export interface CodeActionContext {
  /** The document's path. */
  file: string;
  /** The analysis the document's diagnostics came from, when it matches the editor's text. */
  analysis: Analysis | undefined;
  provider: FixProvider;
  uriOf(file: string): string;
  /** A provider threw; the message says for which finding, `cause` is what was thrown. */
  error(message: string, cause?: unknown): void;
  /** The client shows change annotations (`workspace.workspaceEdit.changeAnnotationSupport`). */
  annotations?: boolean;
}

/** The quick fixes for the diagnostics of a `textDocument/codeAction` request. */
export function codeActions(params: CodeActionParams, ctx: CodeActionContext): CodeAction[] {
  const { only } = params.context;
  if (only && !only.some((k) => k === '' || k === CodeActionKind.QuickFix)) return [];
  if (!ctx.analysis) return [];
  const { report, read } = ctx.analysis;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = report.diagnostics.find(
      (f) => f.location.file === ctx.file && sameFinding(diagnostic, f),
    );
    if (!finding) continue;
    let fixes: Fix[];
    try {
      fixes = ctx.provider(report, finding, read.texts);
    } catch (e) {
      ctx.error(`Fixes for ${finding.code} failed: ${errorMessage(e)}`, e);
      continue;
    }
    for (const fix of fixes) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit:
          ctx.annotations && fix.removes && fix.removes.length > 0
            ? annotatedEdit(fix.edits, fix.removes, ctx.uriOf)
            : workspaceEdit(fix.edits, ctx.uriOf),
      };
      if (fix.isPreferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}

function workspaceEdit(edits: readonly FixEdit[], uriOf: (file: string) => string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) (changes[uriOf(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}

/** The id of the one annotation a fix's edit carries. */
const REMOVES_LINKS = 'removesLinks';

/**
 * The fix's edits as document changes under one change annotation that needs confirmation:
 * the editor shows which links go before anything changes (VS Code opens its refactor preview).
 */
function annotatedEdit(
  edits: readonly FixEdit[],
  removes: readonly LinkChange[],
  uriOf: (file: string) => string,
): WorkspaceEdit {
  const byUri = new Map<string, AnnotatedTextEdit[]>();
  for (const e of edits) {
    const uri = uriOf(e.file);
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push({ range: e.range, newText: e.newText, annotationId: REMOVES_LINKS });
  }
  const documentChanges: TextDocumentEdit[] = [...byUri].map(([uri, list]) => ({
    textDocument: { uri, version: null },
    edits: list,
  }));
  const annotation: ChangeAnnotation = {
    label: `Removes ${removes.length === 1 ? 'a link' : `${removes.length} links`} between services`,
    description: describeLinks(removes),
    needsConfirmation: true,
  };
  return { documentChanges, changeAnnotations: { [REMOVES_LINKS]: annotation } };
}
