/**
 * A fast path to the located tree for the YAML compose files are written in: block mappings and
 * sequences, one-line scalars, literal and folded block scalars, one-line flow sequences, anchors,
 * aliases, `<<` merge keys and the `!reset` / `!override` tags.
 *
 * Why: the command line analyses a project once per process, so every file is parsed by code the
 * JIT has not compiled yet. yaml's lexer, parser and composer are general (generators, a token per
 * indicator, a Document in between) and took ~40 % of a whole cold `check` of a 50 KB project
 * (`node --cpu-prof dist/cli.js check` on the bench's gen-120); this scanner walks the text once
 * and builds the tree directly.
 *
 * The contract is all or nothing: the tree it returns is the one `convertDocument` builds from
 * yaml's Document (same nodes, values, spans and interpolation calls in the same order), or it
 * returns undefined and the caller parses with yaml. It gives up on anything it does not know to
 * be read exactly as yaml reads it: other syntax (flow mappings, multi-line plain or quoted
 * scalars, explicit keys, directives, documents markers, tabs, CRLF), every YAML error, duplicate
 * keys, unknown aliases and anything near the alias-bomb limit. So every message about a broken
 * file still comes from yaml and `convertDocument`; a differential test holds the two paths equal.
 */
import { isScalar, Schema, type ScalarTag } from 'yaml';
import type { ScalarRewriter } from './parse';
import { MAX_NESTING, type LEntry, type LMap, type LNode, type LScalar, type LSeq, type Span } from './tree';

/** Thrown to leave the fast path; caught by `fastParse` only. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('not on the fast path');

/**
 * The scalar tags yaml tries on a plain scalar, in its order (YAML 1.2 core schema with merge
 * keys, as parse.ts's options give it). Taken from yaml itself so both paths type `0x1F`, `~`,
 * `.inf` and `1e3` alike.
 */
const PLAIN_TAGS = new Schema({ merge: true }).tags.filter(
  (t): t is ScalarTag & { test: RegExp } => t.default === true && !t.collection && t.test !== undefined,
);
const RESOLVE_OPTIONS = { intAsBigInt: false };

const SPACE = 0x20;
const NL = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** Characters that cannot start a plain scalar (YAML indicators); `-?:` only when a space follows. */
const NOT_PLAIN_START = new Set('[]{},#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));
/** `-`, `?` and `:`: they start a plain scalar only when followed by a character that could continue it. */
const SPACE_INDICATORS = new Set('-?:'.split('').map((c) => c.charCodeAt(0)));
/** Characters that end a plain scalar inside a flow sequence. */
const FLOW_STOP = new Set('[]{},'.split('').map((c) => c.charCodeAt(0)));

/** Double-quoted escapes and what they stand for (YAML 1.2 §5.7), but \x, \u, \U. */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

interface Anchored {
  node: LNode;
  size: number;
}

/**
 * Parses `text` (the whole file) into the located tree, or returns undefined when the file is
 * not on the fast path (see the module comment). `{ root: undefined }` is an empty document.
 * `expansionLimit` is the alias-bomb limit of parse.ts; the fast path gives up at half of it.
 */
export function fastParse(
  file: string,
  text: string,
  rewrite: ScalarRewriter,
  expansionLimit: number,
): { root: LNode | undefined } | undefined {
  // Left to yaml: tabs (indentation errors, separation rules), CR line ends, a byte-order mark,
  // NUL and other control characters yaml rejects, and document or directive markers.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\t\r\ufeff\0-\x08\x0b-\x1f\x7f]|^(?:---|\.\.\.|%)/m.test(text)) return undefined;
  const p = new FastParser(file, text, expansionLimit / 2);
  try {
    const root = p.document();
    // Interpolation runs once the structure is known to be right: it reports its own findings,
    // which must not be written twice when the fast path gives up midway.
    for (const s of p.strings) s.value = rewrite(s.value as string, s.span);
    return { root };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class FastParser {
  /** Read position. */
  private pos = 0;
  /** Block collections open around the one being read. */
  private depth = 0;
  /** The end of the last node as yaml's `range[2]` has it (what follows it on its line). */
  private lastEnd = 0;
  /** The blank and comment lines after the collections that end before content at `next`. */
  private trail: { next: number; maxIndent: number; kept: boolean } | undefined;
  /** The size of the last node in convert's sense: itself and what its aliases expand to. */
  private lastSize = 0;
  private expanded = 0;
  private anchored = 0;
  private readonly anchors = new Map<string, Anchored>();
  /** Sizes of nodes inside anchored ones, which a `<<` merge copies (as convert keeps them). */
  private readonly sizes = new Map<LNode, number>();
  /** String scalars in document order, interpolated once the whole file has parsed. */
  readonly strings: LScalar[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly limit: number,
  ) {}

  document(): LNode | undefined {
    const at = this.nextContent();
    if (at === this.text.length) return undefined;
    const indent = at - this.lineStart(at);
    const node = this.blockAt(at, indent);
    // Only blank and comment lines may follow the top-level node.
    if (this.nextContent() !== this.text.length) throw GIVE_UP;
    return node;
  }

  // ---- lines -------------------------------------------------------------------------------

  private lineStart(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  private lineEnd(at: number): number {
    const i = this.text.indexOf('\n', at);
    return i < 0 ? this.text.length : i;
  }

  /** After a line's end: past its line break, if any. */
  private afterLine(end: number): number {
    return end < this.text.length ? end + 1 : end;
  }

  /**
   * Moves `pos` to the start of the next line with content (not blank, not only a comment) and
   * returns the offset of that content, or the text's length when there is none.
   */
  private nextContent(): number {
    const t = this.text;
    let p = this.pos;
    while (p < t.length) {
      let q = p;
      while (t.charCodeAt(q) === SPACE) q++;
      if (q < t.length && t.charCodeAt(q) !== NL && t.charCodeAt(q) !== HASH) {
        this.pos = p;
        return q;
      }
      p = this.afterLine(this.lineEnd(q));
    }
    this.pos = p;
    return t.length;
  }

  /** Spaces from `at` on the same line. */
  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /**
   * At `at` (after a value and its spaces), only a comment or the line's end may follow: returns
   * the offset past the line break. A comment needs a space before it.
   */
  private endOfLine(at: number, valueEnd: number): number {
    const c = this.text.charCodeAt(at);
    if (at >= this.text.length || c === NL) return this.afterLine(at);
    if (c === HASH && at > valueEnd) return this.afterLine(this.lineEnd(at));
    throw GIVE_UP;
  }

  private atLineEnd(at: number): boolean {
    return at >= this.text.length || this.text.charCodeAt(at) === NL || this.text.charCodeAt(at) === HASH;
  }

  // ---- block nodes -------------------------------------------------------------------------

  /** A block mapping or sequence whose first content is at `at`, at column `indent`. */
  private blockAt(at: number, indent: number): LMap | LSeq {
    // Deep nesting is left to the full parse, which reports it with its position (parse.ts).
    if (++this.depth > MAX_NESTING) throw GIVE_UP;
    try {
      return this.isSeqItem(at) ? this.seq(at, indent) : this.map(at, indent);
    } finally {
      this.depth--;
    }
  }

  private isSeqItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const n = this.text.charCodeAt(at + 1);
    return at + 1 >= this.text.length || n === SPACE || n === NL;
  }

  /**
   * The value of a key or a sequence item written on the lines below it (`pos` is at the start
   * of the next line): a block collection indented more than `parent`, a sequence at `parent`
   * itself when `indentless` (a mapping's value), or else an empty value at `emptyAt`.
   * `commentsFrom`: where the separator yaml gives an empty node starts (see below).
   */
  private blockValue(parent: number, indentless: boolean, emptyAt: number, commentsFrom = emptyAt): LNode {
    const at = this.nextContent();
    if (this.opensBlock(at, parent, indentless)) {
      if (!this.isSeqItem(at) && !this.looksLikeKey(at)) throw GIVE_UP; // a scalar on its own line
      return this.blockAt(at, at - this.lineStart(at));
    }
    const node = this.empty(emptyAt);
    // With a comment in its separator (after a key's `:`; for an item, from the end of the item
    // before), yaml's empty node ends where the next content starts: it takes the separator's
    // end as its `range[2]`. That matters only when it ends its collection.
    if (this.text.charCodeAt(emptyAt) === HASH || this.maxCommentIndent(commentsFrom, at) >= 0)
      this.lastEnd = at;
    return node;
  }

  /**
   * Whether content at `at` (on a line of its own) is the block value of a key or item of the
   * collection at column `parent`: indented deeper, or a sequence at that column (`indentless`).
   */
  private opensBlock(at: number, parent: number, indentless: boolean): boolean {
    if (at >= this.text.length) return false;
    const indent = at - this.lineStart(at);
    return indent > parent || (indent === parent && indentless && this.isSeqItem(at));
  }

  /** An empty value (null), where yaml puts its empty node. */
  private empty(at: number): LScalar {
    this.lastEnd = at;
    return this.count({ kind: 'scalar', value: null, span: this.span(at, at) }, 1);
  }

  private map(first: number, indent: number): LMap {
    const entries = new Map<string, LEntry>();
    const merged: LNode[] = [];
    let size = 1;
    let at = first;
    let spanEnd: number;
    for (;;) {
      const key = this.key(at);
      const value = this.valueAfter(key.colon + 1, indent, true);
      if (key.merge) {
        merged.push(value);
      } else {
        size += this.lastSize;
        if (entries.has(key.text)) throw GIVE_UP; // duplicate: convert reports it
        entries.set(key.text, { key: key.text, keySpan: this.span(key.start, key.end), value });
      }
      const end = this.lastEnd;
      at = this.nextContent();
      const next = at - this.lineStart(at);
      if (at < this.text.length && next > indent) throw GIVE_UP;
      // A sequence item at a mapping's own column ends it: that mapping is an item's compact
      // mapping (`- a: 1` then `- b`); elsewhere the parent finds the error and gives up.
      if (at >= this.text.length || next < indent || this.isSeqItem(at)) {
        spanEnd = end;
        break;
      }
    }
    const nodeEnd = this.collectionEnd(indent, spanEnd, at);
    for (const m of merged) {
      const sources = m.kind === 'seq' ? m.items : [m];
      for (const src of sources) {
        if (src.kind !== 'map') throw GIVE_UP; // convert reports it
        for (const e of src.entries.values()) {
          if (!entries.has(e.key)) {
            entries.set(e.key, e);
            size += this.sizes.get(e.value) ?? 1;
          }
        }
      }
    }
    this.lastEnd = nodeEnd;
    return this.count({ kind: 'map', entries, span: this.span(first, spanEnd) }, size);
  }

  private seq(first: number, indent: number): LSeq {
    const items: LNode[] = [];
    let size = 1;
    let at = first;
    let spanEnd: number;
    let prevEnd = first;
    for (;;) {
      // `at` is a `-` at column `indent`.
      const content = this.skipSpaces(at + 1);
      if (this.atLineEnd(content)) {
        this.pos = this.endOfLine(content, at + 1);
        items.push(this.blockValue(indent, false, content, prevEnd));
      } else if (this.isSeqItem(content)) {
        throw GIVE_UP; // `- - x`
      } else if (this.looksLikeKey(content)) {
        items.push(this.map(content, content - this.lineStart(content)));
      } else {
        items.push(this.inline(content, indent, false, prevEnd));
      }
      size += this.lastSize;
      const end = this.lastEnd;
      prevEnd = end;
      at = this.nextContent();
      const next = at - this.lineStart(at);
      if (at < this.text.length && next > indent) throw GIVE_UP;
      if (at >= this.text.length || next < indent || !this.isSeqItem(at)) {
        spanEnd = end;
        break;
      }
    }
    this.lastEnd = this.collectionEnd(indent, spanEnd, at);
    return this.count({ kind: 'seq', items, span: this.span(first, spanEnd) }, size);
  }

  /**
   * Where yaml ends a block collection at column `indent` (its `range[2]`) whose last value ends
   * at `valueEnd`, when the next content is at `next`. The blank and comment lines in between
   * belong to the innermost of the collections ending there that is not at column 0 and has a
   * comment at or right of its column; that one ends at `next`, the others at their last value.
   * (yaml's Parser moves such trailing lines up a level while every comment in them is left of
   * the collection.)
   */
  private collectionEnd(indent: number, valueEnd: number, next: number): number {
    let trail = this.trail;
    if (trail?.next !== next) {
      trail = { next, maxIndent: this.maxCommentIndent(valueEnd, next), kept: false };
      this.trail = trail;
    }
    if (trail.kept || indent === 0 || trail.maxIndent < indent) return valueEnd;
    trail.kept = true;
    return next;
  }

  /** The largest column of a comment in the blank and comment lines of `[from, to)`; -1 for none. */
  private maxCommentIndent(from: number, to: number): number {
    const t = this.text;
    let max = -1;
    let p = from;
    while (p < to) {
      const e = Math.min(this.lineEnd(p), to);
      const q = this.skipSpaces(p);
      if (q < e && t.charCodeAt(q) === HASH) max = Math.max(max, q - this.lineStart(q));
      p = e + 1;
    }
    return max;
  }

  /** Whether a plain or quoted key followed by `:` and a space or the line's end starts at `at`. */
  private looksLikeKey(at: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 0x22 || c === 0x27) {
      const close = t.indexOf(String.fromCharCode(c), at + 1);
      const end = this.lineEnd(at);
      return close > 0 && close < end && t.charCodeAt(close + 1) === COLON;
    }
    return this.keyColon(at) >= 0;
  }

  /**
   * The `:` ending a plain key that starts at `at`: the first one on the line followed by a space
   * or the line's end, before any comment; -1 when there is none.
   */
  private keyColon(at: number): number {
    const t = this.text;
    const end = this.lineEnd(at);
    for (let i = at; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === COLON) {
        const n = t.charCodeAt(i + 1);
        if (i + 1 >= t.length || n === SPACE || n === NL) return i;
      } else if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** A mapping key at `at`: its text, span and the offset of its `:`. */
  private key(at: number): { text: string; start: number; end: number; colon: number; merge: boolean } {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(at);
      const n = t.charCodeAt(q.end + 1);
      if (t.charCodeAt(q.end) !== COLON || !(q.end + 1 >= t.length || n === SPACE || n === NL)) throw GIVE_UP;
      return { text: q.value, start: at, end: q.end, colon: q.end, merge: false };
    }
    if (!this.plainStart(at, false)) throw GIVE_UP;
    const colon = this.keyColon(at);
    if (colon < 0) throw GIVE_UP;
    let keyEnd = colon;
    while (keyEnd > at && t.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
    // yaml's limit for implicit keys; a longer one is its error.
    if (colon - at > 1000) throw GIVE_UP;
    const raw = t.slice(at, keyEnd);
    if (raw === '<<') return { text: raw, start: at, end: keyEnd, colon, merge: true };
    const value = this.plainValue(raw);
    return { text: value === null ? '' : String(value), start: at, end: keyEnd, colon, merge: false };
  }

  /**
   * The value after a key's `:` or at an item's content: inline, or on the lines below.
   * `parent` is the column of the mapping or sequence it belongs to.
   */
  private valueAfter(from: number, parent: number, indentless: boolean): LNode {
    const at = this.skipSpaces(from);
    if (this.atLineEnd(at)) {
      this.pos = this.endOfLine(at, from);
      return this.blockValue(parent, indentless, at);
    }
    return this.inline(at, parent, indentless);
  }

  /**
   * A value that starts on the current line at `at`. `itemFrom`: for a sequence item, the end of
   * the item before (what yaml counts as the item's own leading lines).
   */
  private inline(at: number, parent: number, indentless: boolean, itemFrom?: number): LNode {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 0x26 /* & */) return this.anchoredValue(at, parent, indentless);
    if (c === 0x2a /* * */) return this.alias(at, parent);
    if (c === 0x21 /* ! */) return this.tagged(at, parent, indentless, itemFrom);
    return this.scalarOrFlow(at, parent);
  }

  /** `&name` and the value it names. */
  private anchoredValue(at: number, parent: number, indentless: boolean): LNode {
    const nameEnd = this.nameEnd(at + 1);
    if (nameEnd === at + 1) throw GIVE_UP;
    const name = this.text.slice(at + 1, nameEnd);
    const after = this.skipSpaces(nameEnd);
    if (after === nameEnd && !this.atLineEnd(after)) throw GIVE_UP;
    this.anchored++;
    // An alias to an anchor being defined is a cycle; convert reports it.
    this.anchors.delete(name);
    let node: LNode;
    if (this.atLineEnd(after)) {
      this.pos = this.endOfLine(after, nameEnd);
      // An empty anchored node is yaml's `&a` alone: left to yaml.
      if (!this.opensBlock(this.nextContent(), parent, indentless)) throw GIVE_UP;
      node = this.blockValue(parent, indentless, after);
    } else {
      const c = this.text.charCodeAt(after);
      if (c === 0x26 || c === 0x2a || c === 0x21) throw GIVE_UP; // `&a !tag`, `&a *b`, `&a &b`
      // `- &a key: v` anchors the key, not the mapping: left to yaml.
      if (this.looksLikeKey(after)) throw GIVE_UP;
      node = this.scalarOrFlow(after, parent);
    }
    this.anchored--;
    this.anchors.set(name, { node, size: this.lastSize });
    return node;
  }

  /** `*name` as a block value: the node it names. */
  private alias(at: number, parent: number): LNode {
    const { target, nameEnd } = this.aliasAt(at);
    const after = this.skipSpaces(nameEnd);
    this.pos = this.endOfLine(after, nameEnd);
    this.lastEnd = this.absorbComments(parent);
    this.noContinuation(parent);
    return target.node;
  }

  /** The anchor `*name` at `at` names, counted as convert counts alias expansion. */
  private aliasAt(at: number): { target: Anchored; nameEnd: number } {
    const nameEnd = this.nameEnd(at + 1);
    const target = this.anchors.get(this.text.slice(at + 1, nameEnd));
    if (!target || nameEnd === at + 1) throw GIVE_UP;
    this.expand(target.size);
    this.lastSize = target.size;
    return { target, nameEnd };
  }

  /** `!reset` / `!override` and their value; any other tag is left to yaml. */
  private tagged(at: number, parent: number, indentless: boolean, itemFrom?: number): LNode {
    const end = this.nameEnd(at);
    const tag = this.text.slice(at, end);
    if (tag !== '!reset' && tag !== '!override') throw GIVE_UP;
    const after = this.skipSpaces(end);
    if (this.atLineEnd(after)) {
      this.pos = this.endOfLine(after, end);
      const from = this.pos;
      const next = this.nextContent();
      // A tag on an empty value makes an empty string (yaml resolves it as !reset's scalar).
      if (!this.opensBlock(next, parent, indentless)) {
        // A comment near it would move its end (see blockValue); left to yaml.
        if (after !== end || this.maxCommentIndent(itemFrom ?? from, next) >= 0) throw GIVE_UP;
        this.lastEnd = end;
        return this.count(this.str('', end, end, tag), 1);
      }
      const node = this.blockValue(parent, indentless, after);
      node.tag = tag;
      return node;
    }
    if (after === end) throw GIVE_UP;
    const c = this.text.charCodeAt(after);
    if (c === 0x26 || c === 0x2a || c === 0x21 || this.looksLikeKey(after)) throw GIVE_UP;
    const node = this.scalarOrFlow(after, parent);
    if (node.kind === 'scalar' && typeof node.value !== 'string') {
      // A tagged plain scalar is not typed by the core schema; leave the exact rule to yaml.
      throw GIVE_UP;
    }
    node.tag = tag;
    return node;
  }

  /** The end of an anchor, alias or tag name: up to a space, a line break or a flow indicator. */
  private nameEnd(at: number): number {
    const t = this.text;
    while (at < t.length) {
      const c = t.charCodeAt(at);
      if (c === SPACE || c === NL || FLOW_STOP.has(c)) break;
      at++;
    }
    return at;
  }

  // ---- scalars -----------------------------------------------------------------------------

  /** A scalar or a flow sequence that starts on this line at `at`, and nothing after it on the line but a comment. */
  private scalarOrFlow(at: number, parent: number): LNode {
    const t = this.text;
    const c = t.charCodeAt(at);
    let node: LNode;
    let valueEnd: number;
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(at);
      node = this.str(q.value, at, q.end);
      valueEnd = q.end;
    } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      return this.blockScalar(at, parent);
    } else if (c === 0x5b /* [ */) {
      node = this.flowSeq(at);
      valueEnd = node.span.end;
    } else if (c === 0x7b /* { */) {
      const close = this.skipSpaces(at + 1);
      if (t.charCodeAt(close) !== 0x7d) throw GIVE_UP;
      node = this.count({ kind: 'map', entries: new Map(), span: this.span(at, close + 1) }, 1);
      valueEnd = close + 1;
    } else {
      if (!this.plainStart(at, false)) throw GIVE_UP;
      const end = this.lineEnd(at);
      let stop = end;
      for (let i = at; i < end; i++) {
        const ch = t.charCodeAt(i);
        if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
          stop = i;
          break;
        }
        if (ch === COLON && (i + 1 >= end || t.charCodeAt(i + 1) === SPACE)) throw GIVE_UP;
      }
      valueEnd = stop;
      while (t.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
      node = this.plain(t.slice(at, valueEnd), at, valueEnd);
    }
    const after = this.skipSpaces(valueEnd);
    this.pos = this.endOfLine(after, valueEnd);
    this.lastEnd = this.absorbComments(parent);
    this.noContinuation(parent);
    return node;
  }

  /**
   * The end yaml gives a one-line value (`range[2]`): past its line, and past the comment lines
   * right of `parent` that follow it, with the blank lines before each (yaml's Parser adds such
   * comments to the value's end tokens).
   */
  private absorbComments(parent: number): number {
    const t = this.text;
    let end = this.pos;
    let p = end;
    while (p < t.length) {
      const q = this.skipSpaces(p);
      const c = t.charCodeAt(q);
      if (q >= t.length) break;
      if (c === NL) {
        p = q + 1;
        continue;
      }
      if (c !== HASH || q - p <= parent) break;
      p = this.afterLine(this.lineEnd(q));
      end = p;
    }
    return end;
  }

  /** After a one-line value: a line indented more than `parent` would continue it (or be an error). */
  private noContinuation(parent: number): void {
    const next = this.nextContent();
    if (next < this.text.length && next - this.lineStart(next) > parent) throw GIVE_UP;
  }

  /** Whether a plain scalar may start at `at` (in a flow sequence when `flow`). */
  private plainStart(at: number, flow: boolean): boolean {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (at >= t.length || c === SPACE || c === NL || NOT_PLAIN_START.has(c)) return false;
    if (!SPACE_INDICATORS.has(c)) return true;
    const n = t.charCodeAt(at + 1);
    return !(at + 1 >= t.length || n === SPACE || n === NL || (flow && FLOW_STOP.has(n)));
  }

  /** A plain scalar's text typed as yaml types it. */
  private plain(raw: string, start: number, end: number): LScalar {
    const value = this.plainValue(raw);
    if (typeof value === 'string') return this.count(this.str(value, start, end), 1);
    return this.count({ kind: 'scalar', value, span: this.span(start, end) }, 1);
  }

  private plainValue(raw: string): string | number | boolean | null {
    const c = raw.charCodeAt(0);
    // Most values start with a letter no core-schema tag matches: no regex for them.
    const maybeTyped =
      raw === '' ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b /* + */ ||
      c === DASH ||
      c === 0x2e /* . */ ||
      c === 0x7e /* ~ */ ||
      'nNtTfF'.includes(raw[0]!);
    if (!maybeTyped) return raw;
    // Indexed: a for-of makes an iterator result per tag in code not yet compiled (a CLI run).
    for (let i = 0; i < PLAIN_TAGS.length; i++) {
      const tag = PLAIN_TAGS[i]!;
      if (!tag.test.test(raw)) continue;
      let failed = false;
      const r: unknown = tag.resolve(
        raw,
        () => {
          failed = true;
        },
        RESOLVE_OPTIONS as never,
      );
      if (failed) throw GIVE_UP;
      const v: unknown = isScalar(r) ? r.value : r;
      if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
      return String(v);
    }
    return raw;
  }

  /** A one-line quoted scalar at `at`: its value and the offset after its closing quote. */
  private quoted(at: number): { value: string; end: number } {
    const t = this.text;
    const end = this.lineEnd(at);
    if (t.charCodeAt(at) === 0x27) {
      let out = '';
      let from = at + 1;
      for (;;) {
        const q = t.indexOf("'", from);
        if (q < 0 || q >= end) throw GIVE_UP; // runs onto the next line
        out += t.slice(from, q);
        if (t.charCodeAt(q + 1) === 0x27) {
          out += "'";
          from = q + 2;
          continue;
        }
        return { value: out, end: q + 1 };
      }
    }
    let out = '';
    let from = at + 1;
    for (let i = from; ; i++) {
      if (i >= end) throw GIVE_UP;
      const ch = t.charCodeAt(i);
      if (ch === 0x22) {
        return { value: out + t.slice(from, i), end: i + 1 };
      }
      if (ch !== 0x5c /* \ */) continue;
      out += t.slice(from, i);
      const e = t[i + 1];
      if (e === undefined || i + 1 >= end) throw GIVE_UP; // an escaped line break
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else {
        const n = HEX_ESCAPES[e];
        if (n === undefined) throw GIVE_UP; // yaml's error
        const hex = t.slice(i + 2, i + 2 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw GIVE_UP;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw GIVE_UP;
        out += String.fromCodePoint(code);
        i += 1 + n;
      }
      from = i + 1;
    }
  }

  /** A one-line flow sequence of scalars and aliases: `[a, "b", *c]`. */
  private flowSeq(at: number): LSeq {
    const t = this.text;
    const end = this.lineEnd(at);
    const items: LNode[] = [];
    let size = 1;
    let p = this.skipSpaces(at + 1);
    if (t.charCodeAt(p) === 0x5d) {
      return this.count({ kind: 'seq', items, span: this.span(at, p + 1) }, 1);
    }
    for (;;) {
      const c = t.charCodeAt(p);
      let itemEnd: number;
      if (c === 0x22 || c === 0x27) {
        const q = this.quoted(p);
        items.push(this.count(this.str(q.value, p, q.end), 1));
        itemEnd = q.end;
        size += 1;
      } else if (c === 0x2a) {
        const { target, nameEnd } = this.aliasAt(p);
        items.push(target.node);
        itemEnd = nameEnd;
        size += target.size;
      } else {
        if (p >= end || !this.plainStart(p, true)) throw GIVE_UP;
        let q = p;
        while (q < end) {
          const ch = t.charCodeAt(q);
          if (FLOW_STOP.has(ch)) break;
          if (ch === HASH && t.charCodeAt(q - 1) === SPACE) throw GIVE_UP;
          if (ch === COLON) {
            // `a: b` or `a:` is a pair in the sequence; `host:8080` is a plain scalar.
            const n = t.charCodeAt(q + 1);
            if (q + 1 >= end || n === SPACE || FLOW_STOP.has(n)) throw GIVE_UP;
          }
          q++;
        }
        let valueEnd = q;
        while (t.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
        items.push(this.plain(t.slice(p, valueEnd), p, valueEnd));
        itemEnd = valueEnd;
        size += 1;
      }
      p = this.skipSpaces(itemEnd);
      const sep = t.charCodeAt(p);
      if (sep === 0x5d /* ] */) {
        return this.count({ kind: 'seq', items, span: this.span(at, p + 1) }, size);
      }
      if (sep !== 0x2c /* , */) throw GIVE_UP;
      p = this.skipSpaces(p + 1);
      if (p >= end || t.charCodeAt(p) === 0x5d || t.charCodeAt(p) === 0x2c) throw GIVE_UP;
    }
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `at`; `parent` is the column
   * of the collection it is a value in. Explicit indentation, and folded text with more-indented
   * or blank lines, are left to yaml.
   */
  private blockScalar(at: number, parent: number): LScalar {
    const t = this.text;
    const folded = t.charCodeAt(at) === 0x3e;
    let h = at + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const ch = t.charCodeAt(h);
    if (ch === DASH) chomp = 'strip';
    else if (ch === 0x2b) chomp = 'keep';
    if (chomp !== 'clip') h++;
    const afterHeader = this.skipSpaces(h);
    if (afterHeader === h && !this.atLineEnd(h)) throw GIVE_UP; // an indentation digit, or junk
    const headerEnd = this.lineEnd(at);
    if (t.charCodeAt(afterHeader) === HASH && afterHeader === h) throw GIVE_UP;
    if (afterHeader < headerEnd && t.charCodeAt(afterHeader) !== HASH) throw GIVE_UP;
    if (headerEnd >= t.length) throw GIVE_UP; // a header at the end of the file
    // Content lines: the indentation of the first non-blank one, which must be deeper than the parent.
    let p = headerEnd + 1;
    let indent = -1;
    let maxBlankIndent = 0;
    for (let q = p; q < t.length;) {
      const e = this.lineEnd(q);
      let s = q;
      while (s < e && t.charCodeAt(s) === SPACE) s++;
      if (s < e) {
        indent = s - q;
        break;
      }
      maxBlankIndent = Math.max(maxBlankIndent, e - q);
      q = this.afterLine(e);
    }
    if (indent <= parent) throw GIVE_UP; // empty content: left to yaml
    if (maxBlankIndent > indent) throw GIVE_UP; // yaml's error on leading over-indented blank lines
    const lines: string[] = [];
    /** End of the last content (non-blank) line, after its line break. */
    let contentEnd = p;
    let end = p;
    while (p < t.length) {
      const e = this.lineEnd(p);
      let s = p;
      while (s < e && s - p < indent && t.charCodeAt(s) === SPACE) s++;
      if (this.skipSpaces(p) >= e) {
        // A line of spaces only: blank, unless it has more than the indentation (left to yaml).
        if (e - p > indent) throw GIVE_UP;
        // Spaces at the end of the file without a line break: yaml's range takes them or not
        // by their count; left to it.
        if (e >= t.length && e > p) throw GIVE_UP;
        if (e >= t.length) break;
        lines.push('');
        p = this.afterLine(e);
        end = p;
        continue;
      }
      // A less indented line with content ends the scalar.
      if (s - p < indent) break;
      lines.push(t.slice(s, e));
      if (e >= t.length) throw GIVE_UP; // last line without a line break: left to yaml
      p = e + 1;
      end = p;
      contentEnd = p;
    }
    // Trailing blank lines: kept by `+`, else dropped from the value and the node's range.
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    const body = lines.slice(0, last);
    let value: string;
    if (folded) {
      if (body.some((l) => l === '' || l.charCodeAt(0) === SPACE)) throw GIVE_UP;
      value = body.join(' ');
    } else {
      value = body.join('\n');
    }
    const trailing = lines.length - last;
    if (chomp === 'strip') {
      end = contentEnd;
    } else if (chomp === 'clip') {
      value += '\n';
      end = contentEnd;
    } else {
      value += '\n' + '\n'.repeat(trailing);
    }
    this.pos = chomp === 'keep' ? end : contentEnd;
    this.lastEnd = end;
    return this.count(this.str(value, at, end), 1);
  }

  // ---- nodes -------------------------------------------------------------------------------

  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  /** A string scalar, queued for interpolation. */
  private str(value: string, start: number, end: number, tag?: string): LScalar {
    const node: LScalar = tag
      ? { kind: 'scalar', value, span: this.span(start, end), tag }
      : { kind: 'scalar', value, span: this.span(start, end) };
    this.strings.push(node);
    return node;
  }

  /** Counts a freshly built node as convert does (size, expansion, sizes inside anchors). */
  private count<T extends LNode>(node: T, size: number): T {
    if (this.anchored > 0) this.sizes.set(node, size);
    this.lastSize = size;
    this.expand(1);
    return node;
  }

  private expand(n: number): void {
    this.expanded += n;
    if (this.expanded > this.limit) throw GIVE_UP;
  }
}
