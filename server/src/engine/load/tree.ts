/**
 * The located tree: YAML after anchors, aliases and merge keys are resolved and values are
 * interpolated, where every node remembers the file and offsets it was written at. Later
 * stages never look at YAML again, and a finding can always point at the token to change.
 *
 * Nodes are immutable once built: merging builds new maps and shares the unchanged nodes. The
 * one exception is the language server's parse cache (parseCache.ts), which moves the spans of
 * a file's nodes in place when an edit before them changes their offsets, and replaces the
 * edited service; it does so only between analyses, on the tree of that file's last parse.
 * Spans the later stages cut out of a node's span (`subSpan`) follow it, so whatever they
 * derive from an unchanged node stays right after such a move and can be kept.
 */

/**
 * How deep collections may nest in a compose file. Real files nest a handful of levels; the
 * parsers and every walk of the tree recurse per level, so a hostile 1,500-level file used to
 * overflow the stack. Deeper files are refused with a finding at the node past the limit.
 */
export const MAX_NESTING = 256;

/** The finding's text for a file nested deeper than `MAX_NESTING`. */
export const TOO_DEEP_MESSAGE = `Collections nest more than ${MAX_NESTING} levels deep; the file was not loaded.`;

/** A span of source text: absolute file path and UTF-16 offsets `[start, end)`. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

/**
 * The span `[from, to)` inside `source`, in offsets from `source.start`, that moves when
 * `source` moves: a part of a token (`KEY` of `KEY=VALUE`, a host in a URL, a port's host
 * address). Read-only; its fields are plain enumerable properties for spreads and JSON.
 */
export function subSpan(source: Span, from: number, to: number): Span {
  return {
    file: source.file,
    get start() {
      return source.start + from;
    },
    get end() {
      return source.start + to;
    },
  };
}

interface NodeBase {
  span: Span;
  /** A YAML tag written on the node (`!reset`, `!override`, ...). */
  tag?: string;
}

/** A scalar. Strings are already interpolated. */
export interface LScalar extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** One `key: value` entry of a map. */
export interface LEntry {
  key: string;
  keySpan: Span;
  value: LNode;
}

/**
 * A mapping; entries keep their written order and keys are unique. Each entry's `key` is its key
 * in `entries`, so loops run per service read `entries.values()`: code the JIT has not compiled
 * yet (a CLI run) makes a `[key, entry]` array per step of `entries` itself.
 */
export interface LMap extends NodeBase {
  kind: 'map';
  entries: Map<string, LEntry>;
}

/** A sequence. */
export interface LSeq extends NodeBase {
  kind: 'seq';
  items: LNode[];
}

export type LNode = LScalar | LMap | LSeq;

/** The entry for `key` when `node` is a map. */
export function entry(node: LNode | undefined, key: string): LEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The value at `key` when `node` is a map. */
export function child(node: LNode | undefined, key: string): LNode | undefined {
  return entry(node, key)?.value;
}

/** The scalar's value as compose reads it: a string for strings and numbers, undefined otherwise. */
export function scalarText(node: LNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** A boolean as compose reads it after interpolation (`true`, `"true"`, `"yes"`...), undefined when not one. */
export function scalarBool(node: LNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string') {
    const v = node.value.toLowerCase();
    if (v === 'true' || v === 'yes' || v === 'y' || v === 'on') return true;
    if (v === 'false' || v === 'no' || v === 'n' || v === 'off') return false;
  }
  return undefined;
}
