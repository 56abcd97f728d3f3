import { subSpan, type LEntry, type LMap, type LNode, type LScalar, type Span } from './tree';

/**
 * Canonical form of a service, as compose-go's `transform.Canonical` makes it before
 * merging: keys that may be written as a list or as a map become maps, so overrides and
 * `extends` merge them by key. Spans keep pointing at what the user wrote: a list item
 * `- frontend` becomes the entry `frontend` whose key span is the item.
 *
 * `text` is the source of the file the service came from, to find the parts of `KEY=VALUE`.
 */
export function canonicalService(service: LNode, text: string | undefined): LNode {
  if (service.kind !== 'map') return service;
  let out = canonicalMemo.get(service);
  if (!out) canonicalMemo.set(service, (out = canonicalMap(service, text)));
  return out;
}

/**
 * Canonical forms by service node, as long as the node lives: the language server's parse
 * cache keeps an unchanged service's node from one keystroke to the next. A node is its text,
 * so its form holds wherever the node moves: the form shares the node's spans and cuts its
 * own from them with `subSpan`.
 */
const canonicalMemo = new WeakMap<LMap, LNode>();

function canonicalMap(service: LMap, text: string | undefined): LNode {
  let entries: Map<string, LEntry> | undefined;
  for (const e of service.entries.values()) {
    const key = e.key;
    const value = canonicalValue(key, e.value, text);
    if (value !== e.value) {
      entries ??= new Map(service.entries);
      entries.set(key, { ...e, value });
    }
  }
  return entries ? { ...service, entries } : service;
}

function canonicalValue(key: string, value: LNode, text: string | undefined): LNode {
  if (value.kind !== 'seq') return value;
  switch (key) {
    case 'networks':
    case 'depends_on':
      return listToMap(value, (item) => {
        const name = scalarString(item);
        return name === undefined
          ? undefined
          : { key: name, keySpan: item.span, value: nullAt(item.span, item) };
      });
    case 'environment':
    case 'labels':
    case 'annotations':
    case 'sysctls':
      return listToMap(value, (item) => splitAssignment(item, '=', text));
    default:
      return value;
  }
}

/** A null value that remembers the list item it came from (for positions). */
function nullAt(span: Span, from: LNode): LScalar {
  return { kind: 'scalar', value: null, span, ...(from.tag ? { tag: from.tag } : {}) };
}

function scalarString(node: LNode): string | undefined {
  return node.kind === 'scalar' && node.value !== null && typeof node.value !== 'boolean'
    ? String(node.value)
    : undefined;
}

/** Items that cannot be converted (wrong types) make the list stay a list: the model reports them. */
function listToMap(seq: LNode & { kind: 'seq' }, toEntry: (item: LNode) => LEntry | undefined): LNode {
  const entries = new Map<string, LEntry>();
  for (const item of seq.items) {
    const e = toEntry(item);
    if (!e) return seq;
    entries.set(e.key, e);
  }
  return { kind: 'map', entries, span: seq.span, ...(seq.tag ? { tag: seq.tag } : {}) } satisfies LMap;
}

/**
 * `KEY=VALUE` (or `KEY` alone: value null) with spans for both parts when the token is plain
 * or simply quoted; with escapes in a double-quoted token the parts share the item's span.
 */
function splitAssignment(item: LNode, sep: string, text: string | undefined): LEntry | undefined {
  const s = scalarString(item);
  if (s === undefined) return undefined;
  const i = s.indexOf(sep);
  const inner = innerStart(item.span, s, text);
  const sub = (from: number, to: number): Span =>
    inner === undefined
      ? item.span
      : subSpan(item.span, inner - item.span.start + from, inner - item.span.start + to);
  if (i < 0) return { key: s, keySpan: sub(0, s.length), value: nullAt(item.span, item) };
  const value: LScalar = { kind: 'scalar', value: s.slice(i + 1), span: sub(i + 1, s.length) };
  return { key: s.slice(0, i), keySpan: sub(0, i), value };
}

/**
 * Offset where the scalar's characters start in the source, when the source spells the value
 * character for character (plain, single-quoted without '' , double-quoted without escapes).
 * Interpolated values differ from the source, so they get no sub-spans either.
 */
export function innerStart(span: Span, value: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const first = text[span.start];
  const start = first === '"' || first === "'" ? span.start + 1 : span.start;
  return text.startsWith(value, start) ? start : undefined;
}
