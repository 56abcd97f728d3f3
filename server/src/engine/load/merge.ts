import { parsePort, portKey } from '../model/ports';
import type { LEntry, LMap, LNode, LSeq } from './tree';

/**
 * Compose's merge of a later file (or a service over its `extends` base) onto an earlier one,
 * as compose-go's `override.Merge`: maps merge by key, scalars and mismatched kinds are
 * replaced, sequences append; `ports` and some lists are de-duplicated; `command`-like lists
 * are replaced; `!reset` removes a key and `!override` replaces a value whole.
 *
 * Both inputs must be in canonical form (see `canonical.ts`). Neither is modified.
 */
export function mergeNodes(base: LNode, over: LNode, path: readonly string[] = []): LNode {
  if (over.tag === '!override') return over;
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, path);
  if (base.kind === 'seq' && over.kind === 'seq') {
    const rule = sequenceRule(path);
    if (rule === 'replace') return over;
    return appendUnique(base, over, rule === 'ports' ? portsKey : rule === 'unique' ? scalarKey : undefined);
  }
  return over;
}

function mergeMaps(base: LMap, over: LMap, path: readonly string[]): LMap {
  const entries = new Map(base.entries);
  for (const [key, e] of over.entries) {
    if (e.value.tag === '!reset') {
      entries.delete(key);
      continue;
    }
    const prev = entries.get(key);
    if (!prev) {
      entries.set(key, e);
      continue;
    }
    const value = mergeNodes(prev.value, e.value, [...path, key]);
    // A merged map keeps where it was first declared (the service's home); a replaced value
    // points at the file that set it.
    const home: LEntry = value.kind === 'map' && prev.value.kind === 'map' ? prev : e;
    entries.set(key, { key, keySpan: home.keySpan, value });
  }
  return { ...base, entries, ...(over.tag && over.tag !== '!reset' ? { tag: over.tag } : {}) };
}

type SeqRule = 'append' | 'replace' | 'unique' | 'ports';

/** Paths are relative to the project root: ['services', name, key, ...]. */
function sequenceRule(path: readonly string[]): SeqRule {
  if (path[0] !== 'services' || path.length < 3) return 'append';
  const key = path.slice(2).join('.');
  switch (key) {
    case 'command':
    case 'entrypoint':
    case 'healthcheck.test':
      return 'replace';
    case 'ports':
      return 'ports';
    case 'expose':
    case 'links':
    case 'external_links':
    case 'dns':
    case 'dns_search':
    case 'dns_opt':
    case 'cap_add':
    case 'cap_drop':
    case 'security_opt':
    case 'profiles':
    case 'env_file':
    case 'volumes_from':
    case 'extra_hosts':
      return 'unique';
    default:
      return 'append';
  }
}

function appendUnique(base: LSeq, over: LSeq, keyOf: ((n: LNode) => string | undefined) | undefined): LSeq {
  if (!keyOf) return { ...base, items: [...base.items, ...over.items] };
  const seen = new Set<string>();
  const items: LNode[] = [];
  for (const item of [...base.items, ...over.items]) {
    const k = keyOf(item);
    if (k !== undefined) {
      if (seen.has(k)) continue;
      seen.add(k);
    }
    items.push(item);
  }
  return { ...base, items };
}

function scalarKey(n: LNode): string | undefined {
  return n.kind === 'scalar' && n.value !== null ? String(n.value) : undefined;
}

function portsKey(n: LNode): string | undefined {
  const { ports, issues } = parsePort(n);
  if (issues.length > 0 || ports.length === 0) return undefined;
  return ports.map(portKey).join('|');
}
