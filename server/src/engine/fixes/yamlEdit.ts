/**
 * Minimal edits to a YAML file, computed from the source ranges eemeli/yaml keeps on every
 * node. Each primitive returns the edits for one change and writes new text in the style the
 * file already uses: its line ending, its indentation step, where its list dashes sit, flow or
 * block collections. Nothing here re-prints a node that exists: existing text is only ever
 * cut at node boundaries or kept.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node as YNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { TextEdit } from './edits';

/** A mapping to write, entries in order (an array, so that keys like `"10"` keep their place). */
export interface YMap {
  map: Array<[string, YValue]>;
}

/** A value to write in flow style even inside a block (`networks: [a, b]`). */
export interface YFlow {
  flow: YValue;
}

/**
 * A value to write. Strings are values, not source: they are quoted when YAML would read them
 * as something else. `null` is an empty value (`key:`), the way compose files declare networks.
 */
export type YValue = string | number | boolean | null | YValue[] | YMap | YFlow;

/** Thrown by a primitive asked for an edit it cannot make without touching other text. */
export class CannotEdit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotEdit';
  }
}

/** How a file writes its YAML, for new text that looks like the rest. */
export interface YamlStyle {
  eol: string;
  /** Indentation of a mapping under its key. */
  step: number;
  /** Column of a block list's dashes relative to its key (0 when written `key:\n- a`). */
  seqIndent: number;
}

type YPair = Pair<YNode, YNode | null>;

/** Words YAML 1.1 (docker-compose v1, PyYAML) or 1.2 reads as booleans or null. */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~']);

/** The source of a string scalar: plain when every YAML reads it back as the same string. */
export function scalarSource(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value) && !RESERVED.has(value.toLowerCase())) return value;
  // A dotted quad is a string to every YAML (a float has one dot).
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return value;
  return JSON.stringify(value);
}

/** A string in the quoting of an existing scalar (so a renamed item keeps its quotes). */
export function scalarLike(model: Scalar | undefined, value: string): string {
  if (model?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (model?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return scalarSource(value);
}

/** One parsed YAML file and the edits that can be made to it. */
export class YamlFile {
  readonly doc: Document.Parsed;
  readonly style: YamlStyle;
  private parents?: Map<unknown, unknown>;
  private aliasTargets?: Array<{ source: string; at: number }>;

  /** `doc`: the loader's parse of `text`, when at hand (it is never modified). */
  constructor(
    readonly file: string,
    readonly text: string,
    doc?: Document.Parsed,
  ) {
    // The options of the loader (load/parse.ts), so ranges match the spans of the model.
    this.doc =
      doc ??
      parseDocument(text, { keepSourceTokens: true, merge: true, uniqueKeys: true, prettyErrors: false });
    this.style = detectStyle(this.doc, text);
  }

  /** False when the file does not parse: nothing can be edited safely. */
  get ok(): boolean {
    return this.doc.errors.length === 0;
  }

  /** The top-level mapping. */
  root(): YAMLMap<YNode, YNode | null> | undefined {
    const c = this.doc.contents;
    return isMap(c) ? (c as YAMLMap<YNode, YNode | null>) : undefined;
  }

  // ---- positions ------------------------------------------------------------------------------

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset of the end of the line holding `offset` (its `\r\n` or `\n`, or the end of the text). */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    if (nl < 0) return this.text.length;
    return nl > 0 && this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** Offset just after the line holding `offset`, its line break included. */
  nextLine(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** True when only spaces precede `offset` on its line. */
  startsLine(offset: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(offset), offset));
  }

  // ---- lookups --------------------------------------------------------------------------------

  /** The pair of `map` whose key is `key`, written in `map` itself (not merged in by `<<`). */
  pair(map: YAMLMap<YNode, YNode | null> | undefined, key: string): YPair | undefined {
    return map?.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as YPair | undefined;
  }

  /** The mapping at `key` of `map`, when it is written there as a mapping. */
  mapAt(
    map: YAMLMap<YNode, YNode | null> | undefined,
    key: string,
  ): YAMLMap<YNode, YNode | null> | undefined {
    const v = this.pair(map, key)?.value;
    return isMap(v) ? (v as YAMLMap<YNode, YNode | null>) : undefined;
  }

  /** The pair whose key starts at `offset` (a model's key span), anywhere in the file. */
  pairWithKeyAt(offset: number): YPair | undefined {
    return this.index().pairs.get(offset);
  }

  /** The scalar starting at `offset` (a list item, a key, a value). */
  scalarAt(offset: number): Scalar | undefined {
    return this.index().scalars.get(offset);
  }

  /** The node (of any kind) starting at `offset`, the outermost when several start there. */
  nodeAt(offset: number): YNode | undefined {
    return this.index().nodes.get(offset);
  }

  private indexed?: { pairs: Map<number, YPair>; scalars: Map<number, Scalar>; nodes: Map<number, YNode> };

  /** Nodes by start offset, built in one walk on first use. */
  private index(): NonNullable<YamlFile['indexed']> {
    if (!this.indexed) {
      const pairs = new Map<number, YPair>();
      const scalars = new Map<number, Scalar>();
      const nodes = new Map<number, YNode>();
      visit(this.doc, {
        Pair: (_, p) => {
          const at = isScalar(p.key) ? p.key.range?.[0] : undefined;
          if (at !== undefined && !pairs.has(at)) pairs.set(at, p as YPair);
        },
        Node: (_, n) => {
          const at = n.range?.[0];
          if (at === undefined) return;
          if (!nodes.has(at)) nodes.set(at, n);
          if (isScalar(n) && !scalars.has(at)) scalars.set(at, n);
        },
      });
      this.indexed = { pairs, scalars, nodes };
    }
    return this.indexed;
  }

  /** The collection or pair holding `node` (a pair's parent is its map). */
  parent(node: unknown): unknown {
    if (!this.parents) {
      const parents = new Map<unknown, unknown>();
      visit(this.doc, {
        Node: (_, n, path) => {
          parents.set(n, path[path.length - 1]);
        },
        Pair: (_, p, path) => {
          parents.set(p, path[path.length - 1]);
        },
      });
      this.parents = parents;
    }
    return this.parents.get(node);
  }

  /**
   * True when a change to `node` would also change another place: the node or one of its
   * ancestors carries an anchor that an alias (or a `<<` merge) uses, or the node is an alias.
   */
  isShared(node: unknown): boolean {
    if (isAlias(node)) return true;
    if (!this.aliasTargets) {
      const targets: Array<{ source: string; at: number }> = [];
      visit(this.doc, {
        Alias: (_, a) => {
          targets.push({ source: a.source, at: a.range?.[0] ?? 0 });
        },
      });
      this.aliasTargets = targets;
    }
    if (this.aliasTargets.length === 0) return false;
    for (let n: unknown = node; n && n !== this.doc; n = this.parent(n)) {
      const anchor = (n as { anchor?: string }).anchor;
      const at = (n as { range?: [number, number, number] }).range?.[0] ?? 0;
      if (anchor && this.aliasTargets.some((t) => t.source === anchor && t.at > at)) return true;
    }
    return false;
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** `key: value` as block YAML whose first line sits at column `col` (the first line not indented). */
  blockEntry(key: string, value: YValue, col: number): string {
    const { eol, step, seqIndent } = this.style;
    const k = scalarSource(key);
    if (value === null) return `${k}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) return `${k}: []`;
      const dash = ' '.repeat(col + seqIndent);
      return `${k}:` + value.map((v) => `${eol}${dash}- ${this.blockItem(v, col + seqIndent + 2)}`).join('');
    }
    if (typeof value === 'object' && 'flow' in value) return `${k}: ${flowValue(value)}`;
    if (typeof value === 'object') {
      if (value.map.length === 0) return `${k}: {}`;
      const pad = ' '.repeat(col + step);
      return (
        `${k}:` + value.map.map(([ck, cv]) => `${eol}${pad}${this.blockEntry(ck, cv, col + step)}`).join('')
      );
    }
    return `${k}: ${scalarSource(value)}`;
  }

  /** A list item's value written after `- `, its continuation lines at column `col`. */
  blockItem(value: YValue, col: number): string {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'map' in value &&
      value.map.length > 0
    ) {
      const pad = ' '.repeat(col);
      return value.map
        .map(([k, v], i) => (i === 0 ? '' : this.style.eol + pad) + this.blockEntry(k, v, col))
        .join('');
    }
    return flowValue(value);
  }

  // ---- edits ----------------------------------------------------------------------------------

  private edit(start: number, end: number, newText: string): TextEdit {
    return { file: this.file, start, end, newText };
  }

  /** Replaces a scalar's text (quotes included) with `source`. */
  setScalar(node: Scalar, source: string): TextEdit[] {
    const r = node.range;
    if (!r) throw new CannotEdit('scalar without a source range');
    return [this.edit(r[0], r[1], source)];
  }

  /** Replaces an alias (`*name`) with `source`: that one use stops sharing the anchor. */
  replaceAlias(node: Alias, source: string): TextEdit[] {
    const r = node.range;
    if (!r) throw new CannotEdit('alias without a source range');
    return [this.edit(r[0], r[1], source)];
  }

  /** Inserts `value` at `offset`. */
  insert(offset: number, text: string): TextEdit[] {
    return [this.edit(offset, offset, text)];
  }

  /** Where new lines go after `end` (the end of a node's value): the start of the next line. */
  private afterLine(end: number): { at: number; lead: string } {
    const at = this.nextLine(Math.max(end - 1, 0));
    // A file without a final line break: the new line needs one before it.
    const lead = at === this.text.length && !this.text.endsWith('\n') ? this.style.eol : '';
    return { at, lead };
  }

  /** Appends an item to a list, in the list's own style. */
  appendToSeq(seq: YAMLSeq, value: YValue): TextEdit[] {
    const r = seq.range;
    if (!r) throw new CannotEdit('list without a source range');
    const items = seq.items as YNode[];
    if (seq.flow) {
      const last = items[items.length - 1];
      if (!last) return this.insert(r[0] + 1, flowValue(value));
      return this.insert(nodeEnd(last), `, ${flowValue(value)}`);
    }
    const last = items[items.length - 1]!;
    const col = this.column(r[0]);
    const { at, lead } = this.afterLine(nodeEnd(last));
    const quoted = isScalar(last) && typeof value === 'string' ? scalarLike(last, value) : undefined;
    const item = quoted ?? this.blockItem(value, col + 2);
    return this.insert(at, `${lead}${' '.repeat(col)}- ${item}${lead ? '' : this.style.eol}`);
  }

  /** Appends `key: value` to a mapping, in the mapping's own style. */
  appendToMap(map: YAMLMap, key: string, value: YValue): TextEdit[] {
    const r = map.range;
    if (!r) throw new CannotEdit('mapping without a source range');
    const items = map.items as YPair[];
    if (map.flow) {
      const entry = `${scalarSource(key)}: ${flowValue(value)}`;
      const last = items[items.length - 1];
      if (!last) return this.insert(r[0] + 1, entry);
      return this.insert(pairEnd(last), `, ${entry}`);
    }
    const first = items[0]!;
    const col = this.column(first.key!.range![0]);
    const { at, lead } = this.afterLine(pairEnd(items[items.length - 1]!));
    return this.insert(
      at,
      `${lead}${' '.repeat(col)}${this.blockEntry(key, value, col)}${lead ? '' : this.style.eol}`,
    );
  }

  /**
   * Gives a value to a pair written without one (`key:`, `key: null`, `key: ~`), as a block
   * under the key or, inside a flow mapping, in flow style.
   */
  fillEmpty(pair: YPair, value: YValue): TextEdit[] {
    const key = pair.key as Scalar;
    const kr = key.range!;
    const v = pair.value;
    const container = this.parent(pair) as YAMLMap | undefined;
    const colon = this.text.indexOf(':', kr[1]);
    if (colon < 0) throw new CannotEdit('pair without a colon');
    if (v && !(isScalar(v) && v.value === null)) throw new CannotEdit('the pair already has a value');
    const valueEnd = v?.range && v.range[1] > v.range[0] ? v.range[1] : colon + 1;
    if (container?.flow || (Array.isArray(value) && value.length === 0)) {
      return [this.edit(colon + 1, valueEnd, ' ' + flowValue(value))];
    }
    const col = this.column(kr[0]);
    const block = this.blockEntry('x', value, col).slice(2); // the text after `x:`
    // An explicit `null` is replaced; an empty value gets the block after the key's line
    // (and after a comment on it, which stays where it is).
    if (valueEnd > colon + 1) return [this.edit(colon + 1, valueEnd, block)];
    return this.insert(this.lineEnd(colon), block);
  }

  /** Adds `key: value` to `map`, or fills `pair` when the mapping is an empty value. */
  setInMap(map: YAMLMap | null | undefined, pair: YPair, key: string, value: YValue): TextEdit[] {
    if (map) return this.appendToMap(map, key, value);
    return this.fillEmpty(pair, { map: [[key, value]] });
  }

  /** Removes an item of a list with its line (and a comment on that line). */
  removeFromSeq(seq: YAMLSeq, item: YNode): TextEdit[] {
    const items = seq.items as YNode[];
    const i = items.indexOf(item);
    if (i < 0) throw new CannotEdit('not an item of the list');
    if (seq.flow)
      return this.removeFlowItem(
        items.map((n) => [nodeStart(n), nodeEnd(n)] as const),
        i,
      );
    const dash = this.text.lastIndexOf('-', nodeStart(item));
    const start = this.startsLine(dash) ? this.lineStart(dash) : dash;
    return [this.edit(start, this.nextLine(Math.max(nodeEnd(item) - 1, dash)), '')];
  }

  /** Removes an entry of a mapping with its lines (comments inside it go too). */
  removeFromMap(map: YAMLMap, pair: YPair): TextEdit[] {
    const items = map.items as YPair[];
    const i = items.indexOf(pair);
    if (i < 0) throw new CannotEdit('not an entry of the mapping');
    if (map.flow)
      return this.removeFlowItem(
        items.map((p) => [p.key!.range![0], pairEnd(p)] as const),
        i,
      );
    const start = pair.key!.range![0];
    const end = pairEnd(pair);
    if (this.startsLine(start))
      return [this.edit(this.lineStart(start), this.nextLine(Math.max(end - 1, start)), '')];
    // The first entry of a mapping that is a list item (`- target: 80`): the next entry moves up.
    const next = items[i + 1];
    if (!next) throw new CannotEdit('the only entry of a mapping inside a list item');
    return [this.edit(start, next.key!.range![0], '')];
  }

  /**
   * Removes an entry; when it is the only one, the mapping becomes `{}` instead (an override
   * file's `db:` left with nothing under it would read as null, not as "no change").
   */
  removeEntry(map: YAMLMap, pair: YPair): TextEdit[] {
    const holder = this.parent(map);
    if (map.items.length > 1 || !isPair(holder) || map.flow) return this.removeFromMap(map, pair);
    const key = (holder as YPair).key as Scalar;
    const colon = this.text.indexOf(':', key.range![1]);
    // A block value's range ends after its last line break, which stays.
    const end = this.lineEnd(Math.max(pairEnd(holder as YPair) - 1, colon));
    return [this.edit(colon + 1, end, ' {}')];
  }

  private removeFlowItem(spans: ReadonlyArray<readonly [number, number]>, i: number): TextEdit[] {
    const [start, end] = spans[i]!;
    if (i + 1 < spans.length) return [this.edit(start, spans[i + 1]![0], '')];
    if (i > 0) return [this.edit(spans[i - 1]![1], end, '')];
    return [this.edit(start, end, '')];
  }

  /** Adds a top-level `key: value` after the last top-level entry. */
  addTopLevel(key: string, value: YValue): TextEdit[] {
    const root = this.root();
    if (root) return this.appendToMap(root, key, value);
    if (this.doc.contents === null || (isScalar(this.doc.contents) && this.doc.contents.value === null)) {
      const lead = this.text.length > 0 && !this.text.endsWith('\n') ? this.style.eol : '';
      return this.insert(this.text.length, `${lead}${this.blockEntry(key, value, 0)}${this.style.eol}`);
    }
    throw new CannotEdit('the file is not a mapping');
  }
}

function nodeStart(n: YNode): number {
  return n.range?.[0] ?? 0;
}

function nodeEnd(n: YNode): number {
  return n.range?.[1] ?? 0;
}

/** End of a pair's value, or of its key when it has none. */
function pairEnd(p: YPair): number {
  const v = p.value;
  if (v?.range && v.range[1] > (p.key?.range?.[1] ?? 0)) return v.range[1];
  return p.key!.range![1];
}

/** A value in flow style (`[a, b]`, `{k: v}`); an empty value is `{}`, what compose reads as null. */
export function flowValue(value: YValue): string {
  if (value === null) return '{}';
  if (Array.isArray(value)) return `[${value.map(flowValue).join(', ')}]`;
  if (typeof value === 'object' && 'flow' in value) return flowValue(value.flow);
  if (typeof value === 'object') {
    return `{${value.map.map(([k, v]) => `${scalarSource(k)}: ${flowValue(v)}`).join(', ')}}`;
  }
  return scalarSource(value);
}

/** Line ending, indentation step and list-dash offset the file already uses. */
function detectStyle(doc: Document.Parsed, text: string): YamlStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let step: number | undefined;
  let seqIndent: number | undefined;
  const col = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  visit(doc, {
    Pair: (_, p) => {
      const k = p.key as YNode | null;
      const v = p.value as YNode | null;
      if (!k?.range || !v?.range || !isCollection(v) || v.flow) return undefined;
      const keyCol = col(k.range[0]);
      if (isMap(v) && step === undefined) {
        const first = v.items[0] as YPair | undefined;
        const d = first?.key?.range ? col(first.key.range[0]) - keyCol : 0;
        if (d > 0) step = d;
      }
      if (isSeq(v) && seqIndent === undefined) {
        const d = col(v.range[0]) - keyCol;
        if (d >= 0) seqIndent = d;
      }
      return step !== undefined && seqIndent !== undefined ? visit.BREAK : undefined;
    },
  });
  step ??= 2;
  return { eol, step, seqIndent: seqIndent ?? step };
}

export { isAlias, isMap, isPair, isScalar, isSeq };
export type { YPair, YNode };
