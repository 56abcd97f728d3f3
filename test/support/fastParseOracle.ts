/**
 * The two ways a compose file becomes a located tree, side by side: yaml's Document walked by
 * `convertDocument`, and the fast path. The fast path may decline a text; when it does not, its
 * tree, its interpolation calls and their order must be the Document's.
 */
import { parseDocument } from 'yaml';
import { FindingSink } from '../../server/src/engine/diagnostics';
import { fastParse } from '../../server/src/engine/load/fastParse';
import { convertDocument, expansionBudget, PARSE_OPTIONS } from '../../server/src/engine/load/parse';
import type { LNode, Span } from '../../server/src/engine/load/tree';

/** One path's result: the tree and every interpolation call it made, in order. */
export interface PathResult {
  root: LNode | undefined;
  calls: Array<{ value: string; span: Span }>;
  /** Findings of the yaml path (the fast path writes none). */
  findings: string[];
}

function recorder(calls: PathResult['calls']) {
  // The rewrite changes the value, so a tree built with a value it did not rewrite differs.
  return (value: string, span: Span): string => {
    calls.push({ value, span });
    return `⟨${value}⟩`;
  };
}

/** The tree as the engine builds it today: yaml's Document, then convertDocument. */
export function viaYaml(file: string, text: string): PathResult {
  const calls: PathResult['calls'] = [];
  const sink = new FindingSink();
  const doc = parseDocument(text, PARSE_OPTIONS);
  const root = convertDocument(doc, text, { file, base: 0, anchorLog: [] }, recorder(calls), sink);
  return { root, calls, findings: sink.findings.map((f) => `${f.code} ${f.span.start}: ${f.message}`) };
}

/** The fast path's tree, or undefined when it declines the text. */
export function viaFast(file: string, text: string): PathResult | undefined {
  const calls: PathResult['calls'] = [];
  const r = fastParse(file, text, recorder(calls), expansionBudget(text.length).limit);
  return r && { root: r.root, calls, findings: [] };
}
