/**
 * Who can reach whom, answered on demand from each service's attachment, networks and
 * published ports. Reachability is structured (everyone on a network reaches everyone else on
 * it; every service with a way out reaches every port published on all interfaces), so the
 * pairs are never stored: a flat network of n services would hold n² of them, and 2,000
 * services made a 120 MB report. The engine, the hover, the matrix and the CLI's JSON edges
 * all ask this one index, so they agree on every pair and on the order of its `via` list.
 *
 * A service that holds the Docker API (`dockerSocket`) reaches every other one through it
 * (`docker-api`, after its network ways). The engine's rules build the index without it:
 * they reason about connections and name resolution, which the API does not give, and the
 * `docker-socket` rule speaks for it.
 */
import type { Attachment, ReachEdge, Via } from './report';

/** A published port as the index needs it (the report's `PublishedPort` and the engine's both fit). */
export interface ReachPort {
  hostIp: string;
  published: string;
  target: string;
  protocol: string;
  loopback: boolean;
  effective: boolean;
}

/** An active service as the index needs it. */
export interface ReachService {
  name: string;
  attachment: Attachment;
  /** Networks it is on (for `service:x`, x's), by key. */
  networks: ReadonlyArray<{ network: string }>;
  ports: readonly ReachPort[];
  /** Set when it holds the Docker API (the report's mount location): it reaches every service. */
  dockerSocket?: unknown;
}

/** A network as the index needs it, in the order `via` lists name networks. */
export interface ReachNetwork {
  key: string;
  internal: boolean;
}

/** The reachability of one project's active services. */
export interface Reachability {
  /**
   * How `from` can open a connection to `to`: networks (in network order), namespace, ports,
   * then the Docker API. Empty when it cannot, or when `from === to`.
   */
  vias(from: string, to: string): Via[];
  /**
   * Every service `from` reaches (of those `only` accepts, when given), with how, in a stable
   * order. Cost O(what it returns) plus a call of `only` per candidate.
   */
  row(from: string, only?: (to: string) => boolean): Map<string, Via[]>;
  /** How many services `from` reaches: `row(from).size` without building the row, O(networks × services / 32). */
  count(from: string): number;
}

/**
 * The service whose network namespace `name` lives in: itself, unless `network_mode: service:x`
 * names a service `attachment` knows (an active one), followed to the end; a cycle stops where
 * it closes.
 */
export function namespaceRoot(name: string, attachment: (service: string) => Attachment | undefined): string {
  const seen = new Set<string>();
  let cur = name;
  for (;;) {
    const a = attachment(cur);
    if (a?.kind !== 'service' || attachment(a.service) === undefined || seen.has(cur)) return cur;
    seen.add(cur);
    cur = a.service;
  }
}

interface Entry {
  service: ReachService;
  /** Position in the services' order (bit index in the count bitsets). */
  index: number;
  /** The namespace owner (itself unless `network_mode: service:x`, followed to the end). */
  root: string;
  hostMode: boolean;
  /** Its networks by key, and their indexes in network order, ascending. */
  networkSet: Set<string>;
  networkOrder: number[];
  /** On a network that is not internal: it can reach ports published on the host. */
  open: boolean;
  /** Holds the Docker API: reaches every other service. */
  api: boolean;
}

/**
 * The index over `services` (active ones only; others are ignored by every query) and the
 * project's `networks`. Building it costs O(services + memberships).
 */
export function reachability(
  services: Iterable<ReachService>,
  networks: Iterable<ReachNetwork>,
): Reachability {
  const order = new Map<string, number>();
  const internal = new Set<string>();
  for (const n of networks) {
    if (!order.has(n.key)) order.set(n.key, order.size);
    if (n.internal) internal.add(n.key);
  }
  const byName = new Map<string, ReachService>();
  for (const s of services) byName.set(s.name, s);

  const rootOf = (name: string): string => namespaceRoot(name, (n) => byName.get(n)?.attachment);

  const entries = new Map<string, Entry>();
  const members = new Map<string, string[]>();
  const namespaces = new Map<string, string[]>();
  /** Services with at least one published port Docker really publishes, in service order. */
  const publishing: string[] = [];
  for (const s of byName.values()) {
    const root = rootOf(s.name);
    const keys = s.networks.map((m) => m.network);
    for (const k of keys) if (!order.has(k)) order.set(k, order.size);
    const entry: Entry = {
      service: s,
      index: entries.size,
      root,
      hostMode: byName.get(root)!.attachment.kind === 'host',
      networkSet: new Set(keys),
      networkOrder: [...new Set(keys.map((k) => order.get(k)!))].sort((a, b) => a - b),
      open: keys.some((k) => !internal.has(k)),
      api: Boolean(s.dockerSocket),
    };
    entries.set(s.name, entry);
    for (const k of entry.networkSet) {
      const list = members.get(k);
      if (list) list.push(s.name);
      else members.set(k, [s.name]);
    }
    const group = namespaces.get(root);
    if (group) group.push(s.name);
    else namespaces.set(root, [s.name]);
    if (s.ports.some((p) => p.effective)) publishing.push(s.name);
  }
  const keyAt = [...order.keys()];

  // Bitsets for `count`, built on first use: one per network and one per kind of port reach.
  const words = Math.ceil(entries.size / 32);
  const bitsets = new Map<string, Uint32Array>();
  const bitsetOf = (key: string, names: () => Iterable<string>): Uint32Array => {
    let bits = bitsets.get(key);
    if (!bits) {
      bits = new Uint32Array(words);
      for (const n of names()) setBit(bits, entries.get(n)!.index);
      bitsets.set(key, bits);
    }
    return bits;
  };
  const publishingTo = (loopbackToo: boolean): string[] =>
    publishing.filter((n) =>
      entries.get(n)!.service.ports.some((p) => p.effective && (loopbackToo || !p.loopback)),
    );

  /** The members of a network, as bits. */
  const networkBits = (key: string): Uint32Array => bitsetOf(`n:${key}`, () => members.get(key) ?? []);
  /** The services whose published ports `a` reaches, by its way out: all from host mode, non-loopback ones from an open network. */
  const portBits = (a: Entry): { key: string; bits: Uint32Array } | undefined =>
    a.hostMode
      ? { key: 'p:all', bits: bitsetOf('p:all', () => publishingTo(true)) }
      : a.open
        ? { key: 'p:open', bits: bitsetOf('p:open', () => publishingTo(false)) }
        : undefined;
  /** How many services the networks and way out of `count`'s key reach, the service itself included. */
  const countMemo = new Map<string, number>();

  /** A port of `to` that `from` can use: all ports from host mode, non-loopback ones from an open network. */
  const portVias = (from: Entry, to: Entry, out: Via[]): void => {
    if (!from.hostMode && !from.open) return;
    for (const p of to.service.ports) {
      if (!p.effective || (p.loopback && !from.hostMode)) continue;
      out.push({
        kind: 'published-port',
        hostIp: p.hostIp,
        published: p.published,
        target: p.target,
        protocol: p.protocol,
      });
    }
  };

  return {
    vias(from, to) {
      const a = entries.get(from);
      const b = entries.get(to);
      if (!a || !b || from === to) return [];
      const out: Via[] = [];
      for (const i of a.networkOrder) {
        const key = keyAt[i]!;
        if (b.networkSet.has(key)) out.push({ kind: 'network', network: key });
      }
      if (a.root === b.root) out.push({ kind: 'namespace' });
      portVias(a, b, out);
      if (a.api) out.push(DOCKER_API);
      return out;
    },
    row(from, only) {
      const a = entries.get(from);
      const out = new Map<string, Via[]>();
      if (!a) return out;
      const add = (to: string, via: Via): void => {
        if (to === from || (only && !only(to))) return;
        const list = out.get(to);
        if (list) list.push(via);
        else out.set(to, [via]);
      };
      for (const i of a.networkOrder) {
        const key = keyAt[i]!;
        for (const to of members.get(key) ?? []) add(to, { kind: 'network', network: key });
      }
      for (const to of namespaces.get(a.root) ?? []) add(to, { kind: 'namespace' });
      if (a.hostMode || a.open) {
        for (const to of publishing) {
          if (to === from || (only && !only(to))) continue;
          const vias: Via[] = [];
          portVias(a, entries.get(to)!, vias);
          for (const v of vias) add(to, v);
        }
      }
      // Everyone, once: O(services) for the few rows that hold the socket.
      if (a.api) for (const to of entries.keys()) add(to, DOCKER_API);
      return out;
    },
    count(from) {
      const a = entries.get(from);
      if (!a) return 0;
      if (a.api) return entries.size - 1;
      const ports = portBits(a);
      const group = namespaces.get(a.root)!;
      // Alone in its namespace, a service reaches what every service with its networks and way
      // out reaches: the matrix counts 2,000 rows that share a few hundred of those.
      const key = group.length === 1 ? `${ports?.key ?? ''}|${a.networkOrder.join(',')}` : undefined;
      let reached = key === undefined ? undefined : countMemo.get(key);
      if (reached === undefined) {
        const bits = new Uint32Array(words);
        for (const k of a.networkSet) or(bits, networkBits(k));
        if (ports) or(bits, ports.bits);
        if (key === undefined) for (const to of group) setBit(bits, entries.get(to)!.index);
        reached = popcountAll(bits);
        if (key !== undefined) countMemo.set(key, reached);
      }
      // What `from` reaches holds itself through its namespace, its networks or its own
      // published ports; it does not count itself.
      const self =
        key === undefined || a.networkSet.size > 0 || (ports !== undefined && hasBit(ports.bits, a.index));
      return self ? reached - 1 : reached;
    },
  };
}

const DOCKER_API: Via = Object.freeze({ kind: 'docker-api' });

function or(bits: Uint32Array, other: Uint32Array): void {
  for (let i = 0; i < bits.length; i++) bits[i]! |= other[i]!;
}

function hasBit(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

function popcountAll(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) n += popcount(bits[i]!);
  return n;
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >>> 5]! |= 1 << (i & 31);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** What the index reads of a report (a `ReachabilityReport`, or the matrix's part of one). */
export interface ReportGraph {
  services: ReadonlyArray<ReachService & { active: boolean }>;
  networks: readonly ReachNetwork[];
}

/** The index of a report's active services. */
export function reportReachability(report: ReportGraph): Reachability {
  return reachability(
    report.services.filter((s) => s.active),
    report.networks,
  );
}

/**
 * Every ordered pair of active services that can connect, in service order: the explicit
 * list the CLI's JSON output carries for tools that want pairs. O(pairs): keep it out of
 * anything that runs per keystroke.
 */
export function reportEdges(report: ReportGraph): ReachEdge[] {
  const reach = reportReachability(report);
  const edges: ReachEdge[] = [];
  for (const s of report.services) {
    if (!s.active) continue;
    for (const [to, via] of reach.row(s.name)) edges.push({ from: s.name, to, via });
  }
  return edges;
}
