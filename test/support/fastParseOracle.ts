/**
 * The two ways a compose file becomes a located tree, side by side: yaml's Document walked by
 * `convertDocument`, and the fast path. The fast path may decline a text; when it does not, its
 * tree, its interpolation calls and their order must be the Document's.
 */
import { FindingSink } from '../../server/src/engine/diagnostics';
import { fastParse } from '../../server/src/engine/load/fastParse';
import { expansionBudget, parseYaml } from '../../server/src/engine/load/parse';
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

/** The tree as yaml's Document walked by convertDocument gives it (parseYaml). */
export function viaYaml(file: string, text: string): PathResult {
  const calls: PathResult['calls'] = [];
  const sink = new FindingSink();
  const { root } = parseYaml(file, text, recorder(calls), sink);
  return { root, calls, findings: sink.findings.map((f) => `${f.code} ${f.span.start}: ${f.message}`) };
}

/** The fast path's tree, or undefined when it declines the text. */
export function viaFast(file: string, text: string): PathResult | undefined {
  const calls: PathResult['calls'] = [];
  const r = fastParse(file, text, recorder(calls), expansionBudget(text.length).limit);
  return r && { root: r.root, calls, findings: [] };
}
