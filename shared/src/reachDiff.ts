/**
 * What a change does to who reaches whom: the links a fix removes and adds, so a reviewer sees
 * the consequence before accepting it ("web no longer reaches postgres"). Only direct links
 * count (a shared network or namespace): a published host port does not resolve a service's
 * name, and it is the same before and after a network change.
 */
import { reportReachability, type ReportGraph } from './reach';
import type { Via } from './report';

/** One undirected link between two services, named in sorted order. */
export interface LinkChange {
  a: string;
  b: string;
}

/** The direct links a change removes and adds. */
export interface ReachDiff {
  removed: LinkChange[];
  added: LinkChange[];
}

// The Docker API of a socket user is control, not a connection: it is not a link either.
const direct = (vias: readonly Via[]): boolean =>
  vias.some((v) => v.kind === 'network' || v.kind === 'namespace');

/** The services a row reaches directly. */
function peers(row: Map<string, Via[]>): Set<string> {
  const out = new Set<string>();
  for (const [to, vias] of row) if (direct(vias)) out.add(to);
  return out;
}

/** Networks and attachment of a service, as one comparable string. */
function shape(s: ReportGraph['services'][number]): string {
  return `${s.active ? 1 : 0}|${JSON.stringify(s.attachment)}|${s.networks.map((n) => n.network).join(',')}`;
}

/**
 * The direct links between services that differ from `before` to `after`. A link changes
 * only when one of its ends changed its networks or attachment (or a network changed), so
 * only those rows are compared: O(changed services × services), not all pairs.
 */
export function reachDiff(before: ReportGraph, after: ReportGraph): ReachDiff {
  const was = reportReachability(before);
  const now = reportReachability(after);
  const beforeByName = new Map(before.services.map((s) => [s.name, s]));
  const afterByName = new Map(after.services.map((s) => [s.name, s]));
  const netShape = (g: ReportGraph): Map<string, boolean> =>
    new Map(g.networks.map((n) => [n.key, n.internal]));
  const netsBefore = netShape(before);
  const netsAfter = netShape(after);
  const changedNets = new Set<string>();
  for (const [k, internal] of netsBefore) if (netsAfter.get(k) !== internal) changedNets.add(k);
  for (const k of netsAfter.keys()) if (!netsBefore.has(k)) changedNets.add(k);

  const changed: string[] = [];
  for (const name of new Set([...beforeByName.keys(), ...afterByName.keys()])) {
    const b = beforeByName.get(name);
    const a = afterByName.get(name);
    if (!b || !a || shape(b) !== shape(a) || a.networks.some((n) => changedNets.has(n.network)))
      changed.push(name);
  }

  const removed = new Map<string, LinkChange>();
  const added = new Map<string, LinkChange>();
  const note = (into: Map<string, LinkChange>, x: string, y: string): void => {
    const [a, b] = x < y ? [x, y] : [y, x];
    into.set(`${a}\0${b}`, { a, b });
  };
  // Between services active on both sides: a service that appears or goes is not a link change.
  const both = (n: string): boolean =>
    beforeByName.get(n)?.active === true && afterByName.get(n)?.active === true;
  for (const name of changed) {
    if (!both(name)) continue;
    const p = peers(was.row(name));
    const q = peers(now.row(name));
    for (const t of p) if (!q.has(t) && both(t)) note(removed, name, t);
    for (const t of q) if (!p.has(t) && both(t)) note(added, name, t);
  }
  const sorted = (m: Map<string, LinkChange>): LinkChange[] =>
    [...m.values()].sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { removed: sorted(removed), added: sorted(added) };
}

/** `web ↔ postgres, web ↔ redis`: links as a reader scans them. */
export function describeLinks(links: readonly LinkChange[]): string {
  return links.map((l) => `${l.a} ↔ ${l.b}`).join(', ');
}
