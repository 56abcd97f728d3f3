/**
 * Parses kept between analyses, for an editor that analyses the same files at every keystroke.
 * A file whose text has not changed is not parsed again; an edit inside one service of the
 * top-level `services:` mapping parses that service's lines alone and shifts what follows,
 * below the cost of parsing the file (2,000 services: 850 KB, ~300 ms of `yaml` alone); an
 * edit in the last service or after it parses the file from that service's line on. Every
 * other edit parses the whole file, block by block when it is large. The result is the tree
 * a whole parse gives, offsets and all (property tests hold the two equal on random edits).
 */
import { parseDocument } from 'yaml';
import { FindingSink } from '../diagnostics';
import { detach } from '../strings';
import {
  convertDocument,
  expansionBudget,
  parseYaml,
  serviceBlocksOf,
  PARSE_OPTIONS,
  type AnchorDef,
  type ExpansionBudget,
  type ParsedYaml,
  type ScalarRewriter,
  type ServiceBlock,
} from './parse';
import type { LEntry, LMap, LNode, Span } from './tree';

/** Environment lookup, as interpolation reads it. */
export type Lookup = (name: string) => string | undefined;

interface Cached {
  text: string;
  parsed: ParsedYaml;
  /** Findings of the parse (YAML errors, interpolation errors), replayed when it is reused. */
  findings: FindingSink['findings'];
  /** Every variable interpolation looked up and what it got: a different environment means a new parse. */
  reads: Map<string, string | undefined>;
}

/** Files from this size on are parsed block by block when they are parsed in full. */
const BLOCK_PARSE_FROM = 64 * 1024;

/** The parses of the files an editor works on, by absolute path. */
export class ParseCache {
  private readonly files = new Map<string, Cached>();

  /** Parses done in full (`inBlocks` of them block by block), incrementally, and reused, since creation (for tests and benchmarks). */
  readonly stats = { full: 0, inBlocks: 0, incremental: 0, reused: 0 };

  /**
   * `blockParseFrom`: the size from which a full parse goes block by block (`yaml`'s syntax
   * tree of a whole 850 KB file takes ~65 MB while it is built, a block's a few KB; smaller
   * files are parsed whole and keep their YAML document for the quick fixes).
   */
  constructor(private readonly blockParseFrom = BLOCK_PARSE_FROM) {}

  /** How many files have a parse kept. */
  get size(): number {
    return this.files.size;
  }

  /**
   * Drops the parses of the files `keep` says no longer matter. An editor calls it when
   * documents close: the cache is otherwise never emptied, and a long session that opened
   * many files would keep every tree it ever built.
   */
  retain(keep: (file: string) => boolean): void {
    for (const file of [...this.files.keys()]) if (!keep(file)) this.files.delete(file);
  }

  /**
   * The parse of `text`, reused or updated from the last one of `file` when that is exact.
   * `makeRewrite` builds the interpolation for an environment and a sink, so the cache can
   * track which variables a parse read.
   */
  parse(
    file: string,
    text: string,
    env: Lookup,
    makeRewrite: (env: Lookup, sink: FindingSink) => ScalarRewriter,
    sink: FindingSink,
  ): ParsedYaml {
    const last = this.files.get(file);
    if (last && sameReads(last.reads, env)) {
      if (last.text === text) {
        this.stats.reused++;
        for (const f of last.findings) sink.add(f);
        return last.parsed;
      }
      const next = reparseBlock(last, file, text, env, makeRewrite);
      if (next) {
        this.stats.incremental++;
        this.files.set(file, next);
        return next.parsed;
      }
    }
    this.stats.full++;
    if (text.length >= this.blockParseFrom) {
      const inBlocks = parseInBlocks(file, text, env, makeRewrite);
      if (inBlocks) {
        this.stats.inBlocks++;
        this.files.set(file, inBlocks);
        return inBlocks.parsed;
      }
    }
    const reads = new Map<string, string | undefined>();
    const own = new FindingSink();
    const parsed = parseYaml(file, text, makeRewrite(tracking(env, reads), own), own);
    for (const f of own.findings) sink.add(f);
    this.files.set(file, { text, parsed, findings: own.findings, reads });
    return parsed;
  }
}

function tracking(env: Lookup, reads: Map<string, string | undefined>): Lookup {
  return (name) => {
    const value = env(name);
    reads.set(name, value);
    return value;
  };
}

function sameReads(reads: ReadonlyMap<string, string | undefined>, env: Lookup): boolean {
  for (const [name, value] of reads) if (env(name) !== value) return false;
  return true;
}

/**
 * The parse of `text` from the last one when the edit lies inside one service block and that
 * block parses alone to the same key at the same column, with no anchors in it (a later alias
 * could name one) and no findings anywhere (their replay would need the same care). Undefined
 * when any of that does not hold: the caller parses the whole file.
 */
function reparseBlock(
  last: Cached,
  file: string,
  text: string,
  env: Lookup,
  makeRewrite: (env: Lookup, sink: FindingSink) => ScalarRewriter,
): Cached | undefined {
  const { parsed } = last;
  const old = last.text;
  if (last.findings.length > 0 || parsed.root?.kind !== 'map' || parsed.serviceBlocks.length === 0) return;
  if (!rootAtColumnZero(last)) return;

  // Where the texts start to differ, and by how much the text grew.
  const p = commonPrefix(old, text);
  const delta = text.length - old.length;

  // The smallest diff is ambiguous where the typed text repeats what follows it (a new line
  // typed at the end of a service looks like one typed at the start of the next): the edit is
  // the previous service's when everything from that service's last line break on is unchanged.
  const blocks = parsed.serviceBlocks;
  const lastBlock = blocks[blocks.length - 1]!;
  if (p > lastBlock.keyStart) return reparseTail(last, file, text, env, makeRewrite, p);
  const holding = blockAt(blocks, p) ?? (p >= blocks[blocks.length - 1]!.end ? blocks.length : undefined);
  if (holding === undefined) return;
  const at = [holding, holding - 1].find((i) => {
    const b = blocks[i];
    // The key's first character and the line break before the next key must be untouched.
    return (
      b !== undefined &&
      p > b.keyStart &&
      b.end - 1 + delta > b.keyStart &&
      sameFrom(old, text, b.end - 1, delta)
    );
  });
  if (at === undefined) return;
  const block = blocks[at]!;
  // Where a node ends depends on what follows it (a value left empty before a comment ends at
  // the next key; the mappings around the last service end before trailing comments), so the
  // block is parsed with the next service's key line after it, and the last service never
  // alone.
  const sibling = blocks[at + 1];
  if (!sibling) return;
  // An anchor in the block, before or after the edit, may be what a later alias names.
  if (old.slice(block.start, block.end).includes('&')) return;
  const reads = new Map(last.reads);
  const own = new FindingSink();
  const anchorLog: AnchorDef[] = [];
  const part = parseBlock(
    text,
    block.start,
    block.end + delta,
    block.keyStart - block.start,
    { file, outer: anchorsBefore(parsed.anchors, block.start), anchorLog },
    makeRewrite(tracking(env, reads), own),
    own,
  );
  if (!part || part.source.includes('&') || /^(---|\.\.\.)/m.test(part.source)) return;
  if (part.own.key !== block.key || part.sibling.key !== sibling.key) return;
  const edited = part.own;

  // Everything from the next service's line on moves by the edit's length. The nodes move in
  // place, so an unchanged service keeps its node (and the memos keyed by it, elsewhere); the
  // tree it belonged to was this file's last parse, which this one replaces.
  // Nodes are shared only through aliases; with no anchor after the block, none is met twice.
  const shift = shiftInPlace(
    block.end,
    delta,
    parsed.anchors.some((a) => a.start >= block.end),
  );
  const root = parsed.root;
  const services = root.entries.get('services')!.value as LMap;
  let past = false;
  for (const [k, e] of services.entries) {
    if (past) shift.entry(e);
    else if (k === block.key) {
      services.entries.set(k, edited);
      past = true;
    }
  }
  services.span.end += delta;
  past = false;
  for (const e of root.entries.values()) {
    if (past) shift.entry(e);
    else past = e.value === services;
  }
  root.span.end += delta;
  // Anchors are walked too: a map merged away by `<<` is reachable from its aliases only.
  const anchors = parsed.anchors.map((a) => {
    if (a.start < block.end) return a;
    shift.node(a.value);
    return { ...a, start: a.start + delta };
  });

  return {
    text,
    parsed: {
      root,
      anchors,
      serviceBlocks: blocks.map((b, i) =>
        i < at ? b : i === at ? { ...b, end: b.end + delta } : moveBlock(b, delta),
      ),
    },
    findings: [],
    reads,
  };
}

/** The line a tail is parsed under, so that its services read as they do in the file. */
const TAIL_PREFIX = 'services:\n';

/**
 * The parse of `text` from the last one when the edit lies after the first character of the
 * last service's key: the file from that service's line on is parsed under a `services:` line,
 * and replaces the last service and the top-level keys after `services` (the mappings around
 * the last service end where what follows says, so it is parsed with all of it). Undefined
 * where that does not read as the file does.
 */
function reparseTail(
  last: Cached,
  file: string,
  text: string,
  env: Lookup,
  makeRewrite: (env: Lookup, sink: FindingSink) => ScalarRewriter,
  p: number,
): Cached | undefined {
  const { parsed } = last;
  const root = parsed.root as LMap;
  const blocks = parsed.serviceBlocks;
  const block = blocks[blocks.length - 1]!;
  const tail = text.slice(block.start);
  if (p <= block.keyStart || last.text.slice(block.start).includes('&') || tail.includes('&')) return;
  if (!rootAtColumnZero(last)) return;
  if (/^(---|\.\.\.)/m.test(tail)) return;

  const reads = new Map(last.reads);
  const own = new FindingSink();
  const column = block.keyStart - block.start;
  const outer = anchorsBefore(parsed.anchors, block.start);
  const parsedTail = parseTail(
    text,
    block.start,
    column,
    { file, outer },
    makeRewrite(tracking(env, reads), own),
    own,
  );
  if (!parsedTail || parsedTail.anchors.length > 0) return;
  const { root: fragment, services: tailServices } = parsedTail;

  // Keys the tail brings must not be keys written before it: a whole parse reports those.
  const servicesEntry = root.entries.get('services')!;
  const services = servicesEntry.value as LMap;
  const rootBefore: string[] = [];
  for (const [k, e] of root.entries) {
    rootBefore.push(k);
    if (e === servicesEntry) break;
  }
  const serviceKeysBefore = new Set([...services.entries.keys()].slice(0, blocks.length - 1));
  for (const k of tailServices.entries.keys()) if (serviceKeysBefore.has(k)) return;
  for (const k of fragment.entries.keys()) if (k !== 'services' && rootBefore.includes(k)) return;
  // Only what the top-level services mapping holds in the file is replaced; a `services` with
  // more keys than the blocks (a key written after the last block) reads otherwise.
  if (services.entries.size !== blocks.length) return;

  services.entries.delete(block.key);
  for (const [k, e] of tailServices.entries) services.entries.set(k, e);
  services.span.end = tailServices.span.end;
  for (const k of [...root.entries.keys()].slice(rootBefore.length)) root.entries.delete(k);
  for (const [k, e] of fragment.entries) if (k !== 'services') root.entries.set(k, e);
  root.span.end = fragment.span.end;

  return {
    text,
    parsed: {
      root,
      anchors: parsed.anchors.filter((a) => a.start < block.start),
      serviceBlocks: [...blocks.slice(0, -1), ...parsedTail.blocks],
    },
    findings: [],
    reads,
  };
}

/** A service parsed where it sits: see `parseBlock`. */
interface Block {
  own: LEntry;
  /** The next service's entry, as far as its key line goes. */
  sibling: LEntry;
  /** The text parsed. */
  source: string;
}

/**
 * The service whose line starts at `start`, parsed with the next service's key line (at
 * `next`) after it: where a node ends depends on what follows it (a value left empty before a
 * comment ends at the next key). Undefined on a YAML error or a finding, or unless the text
 * holds exactly those two keys, each at `column` of its line.
 */
function parseBlock(
  text: string,
  start: number,
  next: number,
  column: number,
  where: {
    file: string;
    outer: (name: string) => AnchorDef | undefined;
    anchorLog: AnchorDef[];
    budget?: ExpansionBudget;
  },
  rewrite: ScalarRewriter,
  sink: FindingSink,
): Block | undefined {
  const lineBreak = text.indexOf('\n', next);
  // Detached: the nodes of a block outlive the text of the keystroke that parsed it.
  const source = detach(text.slice(start, lineBreak < 0 ? text.length : lineBreak + 1));
  const doc = parseDocument(source, PARSE_OPTIONS);
  if (doc.errors.length > 0) return;
  const node = convertDocument(doc, source, { ...where, base: start }, rewrite, sink);
  if (!node || node.kind !== 'map' || sink.findings.length > 0 || node.entries.size !== 2) return;
  const [own, sibling] = [...node.entries.values()];
  if (own!.keySpan.start !== start + column || sibling!.keySpan.start !== next + column) return;
  return { own: own!, sibling: sibling!, source };
}

/** A file's tail parsed where it sits: see `parseTail`. */
interface Tail {
  /** The tail's top-level mapping: `services` (the tail's services), then the keys after it. */
  root: LMap;
  services: LMap;
  /** The tail's service blocks, at their offsets in the file. */
  blocks: ServiceBlock[];
  /** Anchors the tail defines. */
  anchors: AnchorDef[];
}

/**
 * The file from `start` (the start of a service's line) on, parsed under a `services:` line so
 * that its services read as they do in the file. Undefined on a YAML error or a finding, when
 * the first service is not at `start` and `column`, or when a service has no block (a whole
 * parse gives the last one none when the file ends without a line break and no key follows).
 */
function parseTail(
  text: string,
  start: number,
  column: number,
  where: { file: string; outer: (name: string) => AnchorDef | undefined; budget?: ExpansionBudget },
  rewrite: ScalarRewriter,
  sink: FindingSink,
): Tail | undefined {
  // Detached: the nodes of the tail outlive this keystroke's text.
  const fragmentText = detach(TAIL_PREFIX + text.slice(start));
  const base = start - TAIL_PREFIX.length;
  const doc = parseDocument(fragmentText, PARSE_OPTIONS);
  if (doc.errors.length > 0) return;
  const blocks = serviceBlocksOf(doc, fragmentText);
  const first = blocks[0];
  if (!first || first.start !== TAIL_PREFIX.length || first.keyStart - first.start !== column) return;
  const anchors: AnchorDef[] = [];
  const root = convertDocument(doc, fragmentText, { ...where, base, anchorLog: anchors }, rewrite, sink);
  if (!root || root.kind !== 'map' || sink.findings.length > 0) return;
  const services = root.entries.get('services')?.value;
  if (services?.kind !== 'map' || services.entries.size !== blocks.length) return;
  return { root, services, blocks: blocks.map((b) => moveBlock(b, base)), anchors };
}

/**
 * A whole parse done block by block: the lines before the first service, each service with
 * the next one's key line after it (as `reparseBlock` parses one), and the last service with
 * what follows (as `reparseTail`), each checked to read as it does in the file: the keys the
 * lines suggest, at their columns, one after the other, and no finding anywhere (a file with
 * findings is parsed whole, which reports them). Anchors resolve across blocks in file order
 * and alias expansion counts against one budget, as in a whole parse. Undefined where the
 * file does not split that way.
 */
function parseInBlocks(
  file: string,
  text: string,
  env: Lookup,
  makeRewrite: (env: Lookup, sink: FindingSink) => ScalarRewriter,
): Cached | undefined {
  const layout = blockLayout(text);
  if (!layout) return;
  const { starts, column } = layout;
  const reads = new Map<string, string | undefined>();
  const own = new FindingSink();
  const rewrite = makeRewrite(tracking(env, reads), own);
  const budget = expansionBudget(text.length);
  const anchors: AnchorDef[] = [];
  const convertPart = (partText: string, base: number, before: number): LNode | undefined => {
    const doc = parseDocument(partText, PARSE_OPTIONS);
    if (doc.errors.length > 0) return undefined;
    const anchorLog: AnchorDef[] = [];
    const node = convertDocument(
      doc,
      partText,
      { file, base, outer: anchorsBefore(anchors, Infinity), anchorLog, budget },
      rewrite,
      own,
    );
    if (own.findings.length > 0 || node?.kind !== 'map') return undefined;
    // An anchor on the next service's key line is that service's: its block logs it.
    for (const a of anchorLog) if (a.start < before) anchors.push(a);
    return node;
  };

  // Before the first service: a mapping whose last key is `services`, with nothing under it yet.
  const first = starts[0]!;
  const head = convertPart(text.slice(0, first), 0, first);
  const headServices = head?.kind === 'map' ? [...head.entries.values()].at(-1) : undefined;
  if (
    !head ||
    head.kind !== 'map' ||
    headServices?.key !== 'services' ||
    headServices.value.kind !== 'scalar' ||
    headServices.value.value !== null ||
    headServices.value.tag !== undefined
  )
    return;

  const entries = new Map<string, LEntry>();
  const blocks: ServiceBlock[] = [];
  let expectedKey: string | undefined;
  for (let i = 0; i + 1 < starts.length; i++) {
    const start = starts[i]!;
    const next = starts[i + 1]!;
    const anchorLog: AnchorDef[] = [];
    const outer = anchorsBefore(anchors, Infinity);
    const part = parseBlock(text, start, next, column, { file, outer, anchorLog, budget }, rewrite, own);
    if (!part) return;
    // An anchor on the next service's key line is that service's: its block logs it.
    for (const a of anchorLog) if (a.start < next) anchors.push(a);
    const key = part.own.key;
    // A key written twice is a YAML error, and the key the last block saw on this line must be this one.
    if (entries.has(key) || (i > 0 && expectedKey !== key)) return;
    expectedKey = part.sibling.key;
    entries.set(key, part.own);
    blocks.push({ key, start, keyStart: start + column, end: next });
  }

  // The last service and what follows it.
  const parsedTail = parseTail(
    text,
    starts[starts.length - 1]!,
    column,
    { file, outer: anchorsBefore(anchors, Infinity), budget },
    rewrite,
    own,
  );
  if (!parsedTail || parsedTail.blocks.length !== 1) return;
  const { root: tail, services: tailServices } = parsedTail;
  anchors.push(...parsedTail.anchors);
  const [lastEntry] = [...tailServices.entries.values()];
  if (entries.has(lastEntry!.key) || (starts.length > 1 && expectedKey !== lastEntry!.key)) return;
  entries.set(lastEntry!.key, lastEntry!);
  blocks.push(parsedTail.blocks[0]!);

  const rootEntries = new Map<string, LEntry>();
  for (const [k, e] of head.entries) rootEntries.set(k, e);
  const services: LMap = {
    kind: 'map',
    entries,
    span: { file, start: first + column, end: tailServices.span.end },
  };
  rootEntries.set('services', { ...headServices, value: services });
  for (const [k, e] of tail.entries) {
    if (k === 'services') continue;
    if (rootEntries.has(k)) return;
    rootEntries.set(k, e);
  }
  const root: LMap = { ...head, entries: rootEntries, span: { ...head.span, end: tail.span.end } };
  return { text, parsed: { root, anchors, serviceBlocks: blocks }, findings: [], reads };
}

/**
 * Where the blocks of a file seem to start, from its lines alone: the line of each key one
 * indent under a top-level `services:` line, up to the next top-level line. The parse of each
 * block says whether that is so.
 */
function blockLayout(text: string): { starts: number[]; column: number } | undefined {
  const services = /^services:[ \t]*(?:#.*)?$/m.exec(text);
  if (!services) return;
  const starts: number[] = [];
  let column = -1;
  let at = services.index + services[0].length + 1;
  while (at < text.length) {
    const lineBreak = text.indexOf('\n', at);
    const end = lineBreak < 0 ? text.length : lineBreak;
    const line = text.slice(at, end);
    const indent = line.length - line.trimStart().length;
    const first = line[indent];
    if (first !== undefined && first !== '#') {
      if (line[0] === '\t' || indent === 0) break;
      if (column < 0) column = indent;
      if (indent < column) return;
      if (indent === column) {
        if (first === '-' || first === '\t') return;
        starts.push(at);
      }
    }
    at = end + 1;
  }
  return starts.length > 0 ? { starts, column } : undefined;
}

/**
 * Whether the top-level mapping is a block mapping at column 0, as every fragment parse assumes:
 * a tail is parsed under a `services:` line at column 0, where a key at column 0 is a sibling;
 * under a root indented one space, that key ends the root and the file is a YAML error.
 */
function rootAtColumnZero(last: Cached): boolean {
  const services = (last.parsed.root as LMap).entries.get('services');
  if (!services) return false;
  const at = services.keySpan.start;
  return at === 0 || last.text.charCodeAt(at - 1) === 0x0a;
}

/** Resolves an alias of a re-parsed fragment to the file's anchor before `start` of that name. */
function anchorsBefore(
  anchors: readonly AnchorDef[],
  start: number,
): (name: string) => AnchorDef | undefined {
  return (name) => {
    for (let i = anchors.length - 1; i >= 0; i--) {
      const a = anchors[i]!;
      if (a.name === name && a.start < start) return a;
    }
    return undefined;
  };
}

/**
 * The length of the longest common prefix of `a` and `b`. Compared a chunk at a time, as
 * substrings: V8 compares those as memory, far faster than a loop over the characters of an
 * 850 KB file.
 */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  for (let chunk = 1 << 14; chunk >= 16; chunk >>= 2) {
    while (p + chunk <= max && a.slice(p, p + chunk) === b.slice(p, p + chunk)) p += chunk;
  }
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** True when `old` from `from` on is `text` from `from + delta` on. */
function sameFrom(old: string, text: string, from: number, delta: number): boolean {
  return old.length - from === text.length - (from + delta) && old.slice(from) === text.slice(from + delta);
}

/** Index of the block holding offset `p` (blocks are sorted and adjacent). */
function blockAt(blocks: readonly ServiceBlock[], p: number): number | undefined {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (p < b.start) hi = mid - 1;
    else if (p >= b.end) lo = mid + 1;
    else return mid;
  }
  return undefined;
}

function moveBlock(b: ServiceBlock, delta: number): ServiceBlock {
  return { ...b, start: b.start + delta, keyStart: b.keyStart + delta, end: b.end + delta };
}

/**
 * Moves by `delta` the spans of nodes at or after `from`, in place. Nodes before it (an
 * alias's target, shared by the nodes that use it) stay; with `shared` (an anchor after
 * `from`), a span reached twice (a shared node, an entry a `<<` merge copied) moves once.
 * Without, no set of moved spans is kept: at 2,000 services keeping one took the load stage
 * of a keystroke from ~8.5 to ~14.5 ms (p50, `node out/test/bench/keystroke.js`).
 */
function shiftInPlace(
  from: number,
  delta: number,
  shared: boolean,
): { node(n: LNode): void; entry(e: LEntry): void } {
  const moved = shared ? new Set<Span>() : undefined;
  const move = (s: Span): boolean => {
    if (s.start < from) return false;
    if (moved) {
      if (moved.has(s)) return false;
      moved.add(s);
    }
    s.start += delta;
    s.end += delta;
    return true;
  };
  const node = (n: LNode): void => {
    if (!move(n.span)) return;
    if (n.kind === 'map') for (const e of n.entries.values()) entry(e);
    else if (n.kind === 'seq') for (const item of n.items) node(item);
  };
  const entry = (e: LEntry): void => {
    move(e.keySpan);
    node(e.value);
  };
  return { node, entry };
}
