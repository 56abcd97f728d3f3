import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YNode } from 'yaml';
import type { FindingSink } from '../diagnostics';
import { fastParse } from './fastParse';
import {
  MAX_NESTING,
  TOO_DEEP_MESSAGE,
  type LEntry,
  type LMap,
  type LNode,
  type LScalar,
  type LSeq,
  type Span,
} from './tree';

/** Tags compose gives meaning to; other tags are kept off the tree (compose ignores them). */
const COMPOSE_TAGS = new Set(['!reset', '!override']);

/**
 * How much alias expansion a file may cause, relative to its own size, before it is treated
 * as an alias bomb ("billion laughs"). Real files use anchors for a few repeated blocks.
 */
const EXPANSION_FACTOR = 20;
const EXPANSION_FLOOR = 100_000;

/** Rewrites a string value (interpolation); gets the value and its span for messages. */
export type ScalarRewriter = (value: string, span: Span) => string;

/** Nesting past MAX_NESTING, at the collection that went past it. */
class TooDeep extends Error {
  constructor(readonly span: Span) {
    super('too deep');
  }
}

class AliasBomb extends Error {
  constructor(readonly span: Span) {
    super('alias bomb');
  }
}

/** An anchor met in a file, with the value it names (aliases in a re-parsed block resolve to it). */
export interface AnchorDef {
  name: string;
  start: number;
  value: LNode;
  /** What an alias to it expands to, in nodes (the alias-bomb count). */
  size: number;
}

/** Alias expansion counted against a limit; one budget may span the blocks of a file parsed apart. */
export interface ExpansionBudget {
  expanded: number;
  limit: number;
}

/** The alias-bomb limit of a file of `length` characters. */
export function expansionBudget(length: number): ExpansionBudget {
  return { expanded: 0, limit: Math.max(EXPANSION_FLOOR, length * EXPANSION_FACTOR) };
}

/** One entry of the top-level `services:` block mapping, from its key's line to the next key's line. */
export interface ServiceBlock {
  key: string;
  /** Start of the key's line. */
  start: number;
  keyStart: number;
  /** Start of the next key's line (for the last service, of the next top-level key's, or the end of the file). */
  end: number;
}

/** A file's parse with what a later parse of an edited version can reuse (load/parseCache.ts). */
export interface ParsedYaml {
  root: LNode | undefined;
  /** The YAML document, when the whole file was parsed (the quick fixes edit by its ranges). */
  doc?: Document.Parsed;
  /** Anchors in document order. */
  anchors: AnchorDef[];
  serviceBlocks: ServiceBlock[];
}

/** Options of every parse, so that a block parsed alone reads as it does in its file. */
export const PARSE_OPTIONS = {
  merge: true,
  prettyErrors: false,
  // Duplicate keys are found by the walk below: yaml compares every key of a map with every
  // other (2,000 services: two million comparisons), the walk's Map does it in one lookup.
  uniqueKeys: false,
  keepSourceTokens: false,
} as const;

interface Ctx {
  file: string;
  /** Offset of the parsed text in its file (a block parsed alone). */
  base: number;
  /** Anchors outside the parsed text, for a block parsed alone. */
  outer?: (name: string) => AnchorDef | undefined;
  /** Shared with the other blocks of the file when it is parsed apart; else the text's own. */
  budget?: ExpansionBudget;
  anchorLog: AnchorDef[];
  rewrite: ScalarRewriter;
  sink: FindingSink;
  /** Anchored nodes already converted, with their sizes: an alias is the node again. */
  memo: Map<YNode, { out: LNode; size: number }>;
  /**
   * Anchor name → the latest node carrying it, filled in document order as the walk goes.
   * yaml's own `Alias.resolve` searches the whole document for every alias, which made a
   * file with one `*logging` per service quadratic; the walk already visits nodes in order.
   */
  anchors: Map<string, YNode>;
  /**
   * Sizes of nodes inside anchored ones, for the entries a `<<` merge copies; kept for those
   * only, so a file without anchors builds no map of its nodes.
   */
  sizes: Map<LNode, number>;
  /** How many anchored nodes the walk is inside. */
  anchored: number;
  /** The size of what the last `convert` returned: the node and what its aliases expand to. */
  lastSize: number;
  /** Anchored nodes being converted: an alias to one of them is a cycle. */
  inProgress: Set<YNode>;
  /** Keys written twice in one mapping: YAML errors, reported once the walk is done. */
  duplicates: Span[];
  expansion: ExpansionBudget;
  /** Collections open around the node being converted. */
  depth: number;
}

/**
 * Parses one compose file into a located tree: anchors, aliases and `<<` merge keys
 * resolved, string values rewritten (interpolated). YAML errors become `invalid-yaml`
 * findings and the result is undefined; so does an alias bomb. An empty file gives undefined
 * with no finding.
 */
export function parseYaml(
  file: string,
  text: string,
  rewrite: ScalarRewriter,
  sink: FindingSink,
): ParsedYaml {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const anchorLog: AnchorDef[] = [];
  const root = convertDocument(doc, text, { file, base: 0, anchorLog }, rewrite, sink);
  return { root, doc, anchors: anchorLog, serviceBlocks: root ? serviceBlocksOf(doc, text) : [] };
}

/**
 * Parses one compose file for an analysis that keeps nothing for the next one (the command line,
 * a quick fix checking its edit): through the fast path (fastParse.ts) when it takes the file,
 * else as `parseYaml`. The fast path keeps no Document; the quick fixes parse the file themselves
 * when they need one, as after an incremental parse.
 */
export function parseFile(
  file: string,
  text: string,
  rewrite: ScalarRewriter,
  sink: FindingSink,
): Pick<ParsedYaml, 'root' | 'doc'> {
  return (
    fastParse(file, text, rewrite, expansionBudget(text.length).limit) ?? parseYaml(file, text, rewrite, sink)
  );
}

/** YAML errors reported per parse; the rest are counted in one more finding. */
export const MAX_YAML_ERRORS = 20;

/**
 * The tree of a parsed document (or of a block parsed alone, with `base` and `outer`):
 * undefined, with findings, when it has YAML errors.
 */
export function convertDocument(
  doc: Document.Parsed,
  text: string,
  where: Pick<Ctx, 'file' | 'base' | 'outer' | 'anchorLog' | 'budget'>,
  rewrite: ScalarRewriter,
  sink: FindingSink,
): LNode | undefined {
  const { file, base } = where;
  if (doc.errors.length > 0) {
    // A binary file gives one error every few bytes (200 KB: 443 KB of findings); the first
    // ones locate the problem.
    for (const e of doc.errors.slice(0, MAX_YAML_ERRORS)) {
      // yaml's composer recurses per level and reports its own stack overflow as an error.
      const message = e.message.includes('Maximum call stack')
        ? TOO_DEEP_MESSAGE
        : cleanYamlMessage(e.message);
      sink.error('invalid-yaml', message, {
        file,
        start: base + e.pos[0],
        end: base + Math.max(e.pos[1], e.pos[0]),
      });
    }
    if (doc.errors.length > MAX_YAML_ERRORS) {
      const last = doc.errors[MAX_YAML_ERRORS]!;
      const more = doc.errors.length - MAX_YAML_ERRORS;
      sink.error('invalid-yaml', `${more} more YAML ${more === 1 ? 'error' : 'errors'} left out.`, {
        file,
        start: base + last.pos[0],
        end: base + last.pos[0],
      });
    }
    return undefined;
  }
  if (doc.contents === null) return undefined;
  const ctx: Ctx = {
    ...where,
    rewrite,
    sink,
    memo: new Map(),
    anchors: new Map(),
    sizes: new Map(),
    anchored: 0,
    lastSize: 0,
    inProgress: new Set(),
    duplicates: [],
    expansion: where.budget ?? expansionBudget(text.length),
    depth: 0,
  };
  try {
    const root = convert(doc.contents, ctx);
    if (ctx.duplicates.length === 0) return root;
    // The same stop as yaml's own errors: a file with a key twice is not the file Docker reads.
    for (const span of ctx.duplicates) sink.error('invalid-yaml', 'Map keys must be unique', span);
    return undefined;
  } catch (e) {
    if (e instanceof TooDeep) {
      sink.error('invalid-yaml', TOO_DEEP_MESSAGE, e.span);
      return undefined;
    }
    if (e instanceof AliasBomb) {
      sink.error(
        'invalid-yaml',
        'Aliases expand to too much data (an alias bomb?); the file was not loaded.',
        e.span,
      );
      return undefined;
    }
    throw e;
  }
}

/** yaml's messages end with a code excerpt when prettyErrors is on; we keep the first line only. */
function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // yaml quotes the whole unexpected token, which can run to the end of the file (an
  // unterminated quote): its first line says what it is, and the position says where. Whole
  // and block-by-block parses see different ends, so the rest would also make them differ.
  return first.replace(/(token in YAML stream: )"(.*)"$/, (_, lead: string, token: string) => {
    const cut = token.search(/\\[nr]/);
    const line = cut < 0 ? token : token.slice(0, cut);
    return `${lead}"${line.length > 60 ? line.slice(0, 60) : line}${line.length < token.length ? '…' : ''}"`;
  });
}

function spanOf(node: YNode, ctx: Ctx): Span {
  const r = node.range;
  return r
    ? { file: ctx.file, start: ctx.base + r[0], end: ctx.base + r[1] }
    : { file: ctx.file, start: ctx.base, end: ctx.base };
}

/**
 * The blocks of the top-level `services:` mapping when it is a block mapping with plain keys at
 * one indent. The last one runs to the next top-level key's line, or to the end of a file that
 * ends with a line break; with neither, it has no block.
 */
export function serviceBlocksOf(doc: Document.Parsed, text: string): ServiceBlock[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const at = root.items.findIndex((p) => isScalar(p.key) && p.key.value === 'services');
  const services = root.items[at]?.value;
  if (!isMap(services) || services.flow) return [];
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const keys: Array<{ key: string; keyStart: number; start: number }> = [];
  for (const pair of services.items) {
    const k = pair.key;
    if (!isScalar(k) || !k.range || typeof k.value !== 'string') return [];
    const keyStart = k.range[0];
    const start = lineStart(keyStart);
    if (!/^ *$/.test(text.slice(start, keyStart))) return [];
    if (keys.length > 0 && keyStart - start !== keys[0]!.keyStart - keys[0]!.start) return [];
    keys.push({ key: k.value, keyStart, start });
  }
  const next = root.items[at + 1]?.key;
  const nextStart = isScalar(next) && next.range ? next.range[0] : undefined;
  const last =
    nextStart !== undefined && lineStart(nextStart) === nextStart
      ? nextStart
      : nextStart === undefined && text.endsWith('\n')
        ? text.length
        : undefined;
  return keys.flatMap((k, i) => {
    const end = i + 1 < keys.length ? keys[i + 1]!.start : last;
    return end === undefined ? [] : [{ ...k, end }];
  });
}

function tagOf(node: YNode): { tag?: string } {
  return node.tag && COMPOSE_TAGS.has(node.tag) ? { tag: node.tag } : {};
}

function convert(node: YNode, ctx: Ctx): LNode {
  const done = node.anchor ? ctx.memo.get(node) : undefined;
  if (done) {
    // A second use of the same node is an alias: count what it expands to.
    ctx.expansion.expanded += done.size;
    if (ctx.expansion.expanded > ctx.expansion.limit) throw new AliasBomb(spanOf(node, ctx));
    ctx.lastSize = done.size;
    return done.out;
  }
  if (isAlias(node)) {
    const target = ctx.anchors.get(node.source);
    const outer = target ? undefined : ctx.outer?.(node.source);
    if (outer) {
      ctx.expansion.expanded += outer.size;
      if (ctx.expansion.expanded > ctx.expansion.limit) throw new AliasBomb(spanOf(node, ctx));
      ctx.lastSize = outer.size;
      return outer.value;
    }
    if (!target || ctx.inProgress.has(target)) {
      ctx.sink.error(
        'invalid-yaml',
        `Alias *${node.source} refers to no anchor it can use.`,
        spanOf(node, ctx),
      );
      ctx.lastSize = 1;
      return { kind: 'scalar', value: null, span: spanOf(node, ctx) };
    }
    const before = ctx.expansion.expanded;
    const value = convert(target, ctx);
    if (ctx.expansion.expanded === before) {
      ctx.expansion.expanded += ctx.lastSize;
      if (ctx.expansion.expanded > ctx.expansion.limit) throw new AliasBomb(spanOf(node, ctx));
    }
    return value;
  }
  if (node.anchor) {
    ctx.anchors.set(node.anchor, node);
    ctx.inProgress.add(node);
    ctx.anchored++;
  }
  let out: LNode;
  let size = 1;
  const collection = isMap(node) || isSeq(node);
  if (collection && ++ctx.depth > MAX_NESTING) throw new TooDeep(spanOf(node, ctx));
  if (isMap(node)) {
    const entries = new Map<string, LEntry>();
    const merged: LNode[] = [];
    for (const pair of node.items) {
      const k = pair.key as YNode | null;
      if (k?.anchor) ctx.anchors.set(k.anchor, k);
      if (k && isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN'))) {
        if (pair.value) merged.push(convert(pair.value as YNode, ctx));
        continue;
      }
      if (k && !isScalar(k)) {
        ctx.sink.error(
          'invalid-compose',
          'A key must be a plain value, not a list or a mapping.',
          spanOf(k, ctx),
        );
        continue;
      }
      const keySpan = k ? spanOf(k, ctx) : { file: ctx.file, start: 0, end: 0 };
      const key = k && k.value !== null ? String(k.value) : '';
      const valueNode = pair.value as YNode | null;
      let value: LNode;
      if (valueNode) {
        value = convert(valueNode, ctx);
        size += ctx.lastSize;
      } else {
        value = {
          kind: 'scalar',
          value: null,
          span: { file: ctx.file, start: keySpan.end, end: keySpan.end },
        };
        size += 1;
      }
      if (entries.has(key)) ctx.duplicates.push(keySpan);
      entries.set(key, { key, keySpan, value });
    }
    // Merge keys: explicit keys win; among merged maps, the earlier one wins.
    for (const m of merged) {
      const sources = m.kind === 'seq' ? m.items : [m];
      for (const src of sources) {
        if (src.kind !== 'map') {
          ctx.sink.error('invalid-yaml', 'A `<<` merge key takes a mapping or a list of mappings.', src.span);
          continue;
        }
        for (const [key, e] of src.entries) {
          if (!entries.has(key)) {
            entries.set(key, e);
            size += ctx.sizes.get(e.value) ?? 1;
          }
        }
      }
    }
    out = { kind: 'map', entries, span: spanOf(node, ctx), ...tagOf(node) } satisfies LMap;
  } else if (isSeq(node)) {
    const items: LNode[] = [];
    for (const it of node.items) {
      items.push(convert(it as YNode, ctx));
      size += ctx.lastSize;
    }
    out = { kind: 'seq', items, span: spanOf(node, ctx), ...tagOf(node) } satisfies LSeq;
  } else if (isScalar(node)) {
    const span = spanOf(node, ctx);
    const raw: unknown = node.value;
    let value: LScalar['value'];
    if (typeof raw === 'string') value = ctx.rewrite(raw, span);
    else if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') value = raw;
    else value = String(raw);
    out = { kind: 'scalar', value, span, ...tagOf(node) } satisfies LScalar;
  } else {
    out = { kind: 'scalar', value: null, span: spanOf(node, ctx) };
  }
  if (collection) ctx.depth--;
  if (node.anchor) {
    ctx.inProgress.delete(node);
    ctx.anchored--;
    ctx.anchorLog.push({ name: node.anchor, start: out.span.start, value: out, size });
    ctx.memo.set(node, { out, size });
  }
  // Inside an anchored node: a `<<` merge of it copies this node as an entry's value.
  if (ctx.anchored > 0 || node.anchor) ctx.sizes.set(out, size);
  ctx.lastSize = size;
  ctx.expansion.expanded += 1;
  if (ctx.expansion.expanded > ctx.expansion.limit) throw new AliasBomb(spanOf(node, ctx));
  return out;
}
