/**
 * Edits to networks that several fixes share: which networks a service joins, network
 * declarations, `internal: true`. They work on every file a service or network is written
 * in (override files, included files), and refuse (`CannotEdit`) rather than guess when an
 * anchor shares the text with other places.
 */
import type { TextEdit } from './edits';
import type { FixContext, ServiceOccurrence } from './context';
import {
  CannotEdit,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  scalarLike,
  type YamlFile,
  type YNode,
  type YPair,
  type YValue,
} from './yamlEdit';
import type { Alias, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { child } from '../load/tree';

/** How a service's networks change. */
export interface NetworkChange {
  /** Networks to leave. */
  remove?: readonly string[];
  /**
   * A network to leave for another: its entry is renamed, so the settings written under it
   * (aliases, addresses) follow the service to the new network.
   */
  move?: { from: string; to: string };
  /** Networks to join. */
  add?: readonly string[];
}

/** One network entry of a service in one file: a list item or a mapping key. */
interface Entry {
  name: string;
  /** The scalar naming it (the item, or the key). */
  scalar: Scalar;
  remove(): TextEdit[];
}

/** A service's `networks:` as written in one file. */
interface Written {
  occ: ServiceOccurrence;
  pair: YPair;
  /** The list or mapping, undefined for an empty value (`networks:`). */
  coll: YAMLSeq<YNode> | YAMLMap<YNode, YNode | null> | undefined;
  entries: Entry[];
}

/** The networks a service ends up on after `change`, in order: kept ones first. */
export function changedNetworks(ctx: FixContext, service: string, change: NetworkChange): string[] {
  const svc = ctx.model.services.get(service);
  const current = svc?.networks ? svc.networks.map((r) => r.network) : ['default'];
  const leave = new Set([...(change.remove ?? []), ...(change.move ? [change.move.from] : [])]);
  const out = current.filter((n) => !leave.has(n));
  for (const n of [...(change.move ? [change.move.to] : []), ...(change.add ?? [])])
    if (!out.includes(n)) out.push(n);
  return out;
}

/**
 * Edits that make `service` join and leave networks. Entries are removed in every file that
 * lists them; new ones go to the list the merged `networks` comes from, or to a new
 * `networks:` key in the service's own file, written like the file's other lists.
 */
export function serviceNetworkEdits(ctx: FixContext, service: string, change: NetworkChange): TextEdit[] {
  const svc = ctx.model.services.get(service);
  if (!svc) throw new CannotEdit(`no service ${service}`);
  if (svc.networkMode) throw new CannotEdit(`service ${service} uses network_mode`);
  const final = changedNetworks(ctx, service, change);
  if (final.length === 0) throw new CannotEdit(`service ${service} would be left on no network`);
  const leave = new Set([...(change.remove ?? []), ...(change.move ? [change.move.from] : [])]);

  const occurrences = ctx.serviceOccurrences(service);
  const unshared = unshareAlias(ctx, service, occurrences, final);
  if (unshared) return unshared;
  const written: Written[] = [];
  for (const occ of occurrences) {
    const pair = occ.yaml.pair(occ.map, 'networks');
    if (pair) written.push(readWritten(occ, pair));
  }
  const present = new Set(written.flatMap((w) => w.entries.map((e) => e.name)));
  // Networks that come from no file's own list (a `<<` merge, `extends`, the implicit
  // default): a new explicit list must name them all.
  const current = svc.networks ? svc.networks.map((r) => r.network) : ['default'];
  const inherited = current.filter((n) => !present.has(n) && !leave.has(n));

  const renames = new Map<Entry, string>();
  const move = change.move;
  if (move && !present.has(move.to)) {
    const e = written.flatMap((w) => w.entries).find((x) => x.name === move.from);
    if (e) renames.set(e, move.to);
  }
  const renamedTo = new Set(renames.values());
  const names = [...(move ? [move.to] : []), ...(change.add ?? [])].filter(
    (n, i, all) => all.indexOf(n) === i && !present.has(n) && !renamedTo.has(n),
  );

  const home = primary(svc.networksKeySpan, written);
  const toAdd = home?.coll ? names : [...inherited, ...names];
  const leaving = (w: Written): Entry[] => w.entries.filter((e) => leave.has(e.name));
  if (home?.coll && toAdd.length > 0) {
    const gone = leaving(home);
    if (gone.length === home.entries.length && !gone.some((e) => renames.has(e))) {
      // Everything here leaves: rename the first entry rather than remove it, so the list
      // never passes through empty (`[]` in flow style, a bare key in block style).
      renames.set(gone[0]!, toAdd.shift()!);
    }
  }

  const edits: TextEdit[] = [];
  for (const w of written) {
    const gone = leaving(w);
    if (gone.length === 0) continue;
    const y = w.occ.yaml;
    const remaining = w.entries.length - gone.length + gone.filter((e) => renames.has(e)).length;
    if (remaining === 0 && !(w === home && toAdd.length > 0)) {
      // A list emptied in one file goes whole: `networks:` with nothing under it is refused.
      if (!w.occ.map || y.isShared(w.pair))
        throw new CannotEdit(`networks of ${service} cannot be removed alone`);
      edits.push(...y.removeEntry(w.occ.map, w.pair));
      continue;
    }
    for (const e of gone) {
      if (y.isShared(e.scalar)) throw new CannotEdit(`networks of ${service} are shared through an anchor`);
      const to = renames.get(e);
      edits.push(...(to !== undefined ? y.setScalar(e.scalar, scalarLike(e.scalar, to)) : e.remove()));
    }
  }
  if (toAdd.length === 0) return edits;

  if (home) {
    const y = home.occ.yaml;
    if (y.isShared(home.coll ?? home.pair))
      throw new CannotEdit(`networks of ${service} are shared through an anchor`);
    // `networks:` written empty means the default network, and gets the whole list.
    if (!home.coll) return [...edits, ...y.fillEmpty(home.pair, listValue(y, toAdd))];
    for (const n of toAdd) {
      edits.push(...(isSeq(home.coll) ? y.appendToSeq(home.coll, n) : y.appendToMap(home.coll, n, null)));
    }
    return edits;
  }

  // No `networks:` in any file: a new key in the service's own file.
  const own = occurrences.find((o) => o.yaml.file === svc.keySpan.file) ?? occurrences[0];
  if (!own) throw new CannotEdit(`service ${service} is not written in any file`);
  const y = own.yaml;
  const list = listValue(y, toAdd);
  if (own.map) {
    if (y.isShared(own.map)) throw new CannotEdit(`service ${service} is shared through an anchor`);
    edits.push(...y.appendToMap(own.map, 'networks', list));
  } else {
    edits.push(...y.fillEmpty(own.pair, { map: [['networks', list]] }));
  }
  return edits;
}

/** The written `networks:` new entries go to: the one the merged key comes from. */
function primary(span: { file: string; start: number } | undefined, written: Written[]): Written | undefined {
  if (written.length === 0) return undefined;
  return (
    written.find((w) => span && w.occ.yaml.file === span.file && w.pair.key?.range?.[0] === span.start) ??
    written[written.length - 1]
  );
}

/**
 * `networks: *tiers`, the service's only networks entry, naming networks without settings: the
 * alias becomes the service's own list, so the anchor's other users keep theirs. Undefined
 * when that does not apply.
 */
function unshareAlias(
  ctx: FixContext,
  service: string,
  occurrences: readonly ServiceOccurrence[],
  final: readonly string[],
): TextEdit[] | undefined {
  const withNetworks = occurrences.filter((o) => o.yaml.pair(o.map, 'networks'));
  const [occ] = withNetworks;
  const pair = occ?.yaml.pair(occ.map, 'networks');
  if (withNetworks.length !== 1 || !occ || !pair || !isAlias(pair.value)) return undefined;
  // Settings under a network (aliases, addresses) would not survive a list of names.
  const merged = child(ctx.model.services.get(service)?.node, 'networks');
  if (merged?.kind !== 'map') return undefined;
  for (const e of merged.entries.values())
    if (!(e.value.kind === 'scalar' && e.value.value === null)) return undefined;
  return occ.yaml.replaceAlias(pair.value as Alias, `[${final.join(', ')}]`);
}

function readWritten(occ: ServiceOccurrence, pair: YPair): Written {
  const y = occ.yaml;
  const v = pair.value;
  if (isAlias(v)) throw new CannotEdit('networks written as an alias');
  if (isSeq(v)) {
    const seq = v as YAMLSeq<YNode>;
    const entries: Entry[] = [];
    for (const item of seq.items) {
      if (!isScalar(item)) throw new CannotEdit('a network list item is not a name');
      entries.push({ name: String(item.value), scalar: item, remove: () => y.removeFromSeq(seq, item) });
    }
    return { occ, pair, coll: seq, entries };
  }
  if (isMap(v)) {
    const map = v as YAMLMap<YNode, YNode | null>;
    const entries: Entry[] = [];
    for (const p of map.items as YPair[]) {
      if (!isScalar(p.key)) throw new CannotEdit('a network key is not a name');
      entries.push({ name: String(p.key.value), scalar: p.key, remove: () => y.removeFromMap(map, p) });
    }
    return { occ, pair, coll: map, entries };
  }
  if (v === null || (isScalar(v) && v.value === null)) return { occ, pair, coll: undefined, entries: [] };
  throw new CannotEdit('networks is neither a list nor a mapping');
}

/** A list of network names, in flow style when the file writes its services' networks that way. */
function listValue(y: YamlFile, names: string[]): YValue {
  return flowNetworkLists(y) ? { flow: names } : names;
}

/**
 * True when the file writes lists in flow style: its services' `networks` lists when it has
 * any, else most of the services' lists of names (`depends_on`, `ports`, `profiles` ...).
 */
function flowNetworkLists(y: YamlFile): boolean {
  const services = y.mapAt(y.root(), 'services');
  let flow = 0;
  let block = 0;
  for (const p of (services?.items ?? []) as YPair[]) {
    if (!isMap(p.value)) continue;
    const nets = y.pair(p.value as YAMLMap<YNode, YNode | null>, 'networks')?.value;
    if (isSeq(nets) || isMap(nets)) return (nets as YAMLSeq).flow === true;
    for (const q of (p.value as YAMLMap<YNode, YNode | null>).items as YPair[]) {
      const v = q.value;
      if (!isSeq(v) || !(v as YAMLSeq<YNode>).items.every((i) => isScalar(i))) continue;
      if ((v as YAMLSeq).flow) flow++;
      else block++;
    }
  }
  return flow > block;
}

/**
 * Declares networks under the top-level `networks:` of `file`, creating the key when the
 * file has none. `decls` are `[key, value]`, value `null` for a plain declaration.
 */
export function declareNetworkEdits(
  ctx: FixContext,
  file: string,
  decls: Array<[string, YValue]>,
): TextEdit[] {
  if (decls.length === 0) return [];
  const y = ctx.yaml(file);
  const root = y.root();
  const pair = y.pair(root, 'networks');
  if (!pair) return y.addTopLevel('networks', { map: decls });
  const v = pair.value;
  if (isAlias(v) || y.isShared(v)) throw new CannotEdit('top-level networks are shared through an anchor');
  if (isMap(v)) {
    // Declarations written `name: {}` / `name: {internal: true}` get company of the same kind.
    const items = (v as YAMLMap<YNode, YNode | null>).items as YPair[];
    const flow = items.filter((p) => isMap(p.value) && (p.value as YAMLMap).flow).length;
    const style =
      flow * 2 > items.length
        ? (val: YValue): YValue => ({ flow: val ?? { map: [] } })
        : (val: YValue) => val;
    return decls.flatMap(([k, val]) => y.appendToMap(v as YAMLMap, k, style(val)));
  }
  if (v === null || (isScalar(v) && v.value === null)) return y.fillEmpty(pair, { map: decls });
  throw new CannotEdit('top-level networks is not a mapping');
}

/**
 * Edits that make a network `internal: true`: the value set when written, the key added to
 * its declaration, or a declaration created for the implicit `default`.
 */
export function markInternalEdits(ctx: FixContext, key: string): TextEdit[] {
  const net = ctx.model.networks.get(key);
  if (!net?.keySpan) {
    if (key !== 'default') throw new CannotEdit(`network ${key} is not declared`);
    return declareNetworkEdits(ctx, ctx.mainFile(), [[key, { map: [['internal', true]] }]]);
  }
  if (net.external) throw new CannotEdit(`network ${key} is external`);
  if (net.internalSpan) {
    const y = ctx.yaml(net.internalSpan.file);
    const s = y.scalarAt(net.internalSpan.start);
    if (!s || y.isShared(s)) throw new CannotEdit(`internal of ${key} cannot be changed alone`);
    return y.setScalar(s, 'true');
  }
  const y = ctx.yaml(net.keySpan.file);
  const pair = y.pairWithKeyAt(net.keySpan.start);
  if (!pair) throw new CannotEdit(`declaration of ${key} not found`);
  const v = pair.value;
  if (isAlias(v) || y.isShared(pair)) throw new CannotEdit(`network ${key} is shared through an anchor`);
  if (isMap(v)) return y.appendToMap(v as YAMLMap, 'internal', true);
  if (v === null || (isScalar(v) && v.value === null))
    return y.fillEmpty(pair, { map: [['internal', true]] });
  throw new CannotEdit(`network ${key} is not a mapping`);
}
