import type { PortRef, PublicReachesDataData } from '../../../../shared/src/findingData';
import type { Via } from '../../../../shared/src/report';
import { MAX_RELATED, type RawRelated } from '../diagnostics';
import type { EffectivePort } from '../graph/graph';
import type { Rule, RuleContext, RuleFinding } from './context';
import { andList, describeHostIp, describeHostPort, portRef } from './context';

type PortVia = Extract<Via, { kind: 'published-port' }>;
type NetworkData = Extract<PublicReachesDataData, { via: 'network' }>;

/** Data services one public service reaches over one network. */
interface OverNetwork {
  from: string;
  network: string;
  to: string[];
  ports: Array<{ service: string; port: EffectivePort }>;
}

/** Public services that reach a data service only through one of its published ports. */
interface OverPort {
  to: string;
  port: EffectivePort;
  from: string[];
}

/**
 * A public service can open a connection to a data service it does not need. Findings are per
 * token to change, each naming every pair it covers: the public service's entry for a shared
 * network (or its key, for the implicit default); the `network_mode` of a shared namespace;
 * and, when there is no direct path at all, the data service's published port. Pairs come
 * from the reachability rows only.
 */
export const publicReachesData: Rule = {
  code: 'public-reaches-data',
  run(ctx, report) {
    const overNetwork: OverNetwork[] = [];
    const overPort = new Map<EffectivePort, OverPort>();
    const namespaces: Array<[string, string]> = [];
    const isData = (to: string): boolean => ctx.tier(to) === 'data';
    // Services others live in the namespace of: their rows hold namespace links of their own.
    const hosts = new Set<string>();
    for (const s of ctx.active) if (ctx.root(s.name) !== s.name) hosts.add(ctx.root(s.name));
    // Public services on the same networks, naming no service and judged on the same basis,
    // see the same data services the same way: one row for all of them, not one per service
    // (3,333 proxies and 3,333 stores on one network were 11 million pairs).
    const shared = new Map<string, Reach>();

    for (const from of ctx.active) {
      if (ctx.tier(from.name) !== 'public') continue;
      const name = from.name;
      const key =
        !ctx.namesAny(name) && ctx.graph.attachment.get(name)?.kind === 'networks' && !hosts.has(name)
          ? `${ctx.tiers.get(name)?.basis}\0${(ctx.graph.memberships.get(name) ?? []).map((m) => m.network).join('\0')}`
          : undefined;
      let r = key === undefined ? undefined : shared.get(key);
      if (!r) {
        r = reachOf(ctx, name, isData);
        if (key !== undefined) shared.set(key, r);
      }
      for (const [network, { to, ports }] of r.byNetwork)
        overNetwork.push({ from: name, network, to, ports });
      for (const to of r.namespaces) namespaces.push([name, to]);
      for (const [to, port] of r.portOnly) {
        let group = overPort.get(port);
        if (!group) overPort.set(port, (group = { to, port, from: [] }));
        group.from.push(name);
      }
    }

    for (const g of overNetwork) report(viaNetwork(ctx, g));
    for (const [from, to] of namespaces) report(viaNamespace(ctx, from, to));
    for (const g of overPort.values()) report(viaPort(ctx, g));
  },
};

/** The data services one public service reaches and does not need, by how. */
interface Reach {
  byNetwork: Map<string, { to: string[]; ports: OverNetwork['ports'] }>;
  namespaces: string[];
  /** Reached only through a published port: the first such port. */
  portOnly: Array<[string, EffectivePort]>;
}

function reachOf(ctx: RuleContext, from: string, isData: (to: string) => boolean): Reach {
  const r: Reach = { byNetwork: new Map(), namespaces: [], portOnly: [] };
  for (const [to, vias] of ctx.graph.reach.row(from, isData)) {
    if (!ctx.unneeded(from, to)) continue;
    const ports = vias
      .filter((v): v is PortVia => v.kind === 'published-port')
      .map((v) => ctx.portOf(to, v))
      .filter((p) => p !== undefined);
    // In one namespace they share every network too; the `network_mode` is the one token to change.
    if (vias.some((v) => v.kind === 'namespace')) {
      r.namespaces.push(to);
      continue;
    }
    const networks = vias.flatMap((v) => (v.kind === 'network' ? [v.network] : []));
    for (const network of networks) {
      let group = r.byNetwork.get(network);
      if (!group) r.byNetwork.set(network, (group = { to: [], ports: [] }));
      group.to.push(to);
      for (const port of ports) group.ports.push({ service: to, port });
    }
    const first = ports[0];
    if (networks.length === 0 && first) r.portOnly.push([to, first]);
  }
  return r;
}

function viaNetwork(ctx: RuleContext, { from, network, to, ports }: OverNetwork): RuleFinding {
  const svc = ctx.service(from);
  const own = ctx.graph.memberships.get(from)?.find((m) => m.network === network);
  const inherited = ctx.root(from) !== from;
  const membership: NetworkData['membership'] = own?.span
    ? 'entry'
    : inherited
      ? 'namespace'
      : 'implicit-default';
  const span = own?.span ?? (inherited && svc.networkMode ? svc.networkMode.span : svc.keySpan);

  // Needs that only this network serves: leaving it would break them.
  const breaks = [...new Set((ctx.graph.needs.get(from) ?? []).map((n) => n.target))].filter((q) => {
    const v = ctx.vias(from, q);
    return (
      v.some((x) => x.kind === 'network' && x.network === network) &&
      !v.some((x) => x.kind === 'namespace' || (x.kind === 'network' && x.network !== network))
    );
  });

  const related: RawRelated[] = [];
  // The rest are counted (see MAX_RELATED): not built, for thousands of findings of thousands.
  for (const t of to.slice(0, MAX_RELATED - 1)) {
    related.push(ctx.serviceRelated(t));
    const entry = ctx.graph.memberships.get(t)?.find((m) => m.network === network);
    if (entry?.span) related.push({ span: entry.span, message: `${t} joins network '${network}' here` });
  }
  const decl = ctx.model.networks.get(network);
  if (decl?.keySpan) related.push({ span: decl.keySpan, message: `network '${network}' is declared here` });
  if (to.length > MAX_RELATED - 1)
    related.push({ span, message: `… and ${to.length - (MAX_RELATED - 1)} more data services` });
  for (const { service, port } of ports.slice(0, MAX_RELATED)) {
    related.push({
      span: port.span,
      message: `${from} can also reach ${service} through ${describeHostPort(portRef(port))}`,
    });
  }

  const path =
    membership === 'implicit-default'
      ? `network '${network}' (${from} lists no networks)`
      : membership === 'namespace'
        ? `network '${network}' (through the namespace of ${ctx.root(from)})`
        : `network '${network}'`;
  const them = to.length === 1 ? 'it' : 'them';
  const keep =
    breaks.length > 0 ? `; ${from} needs ${andList(breaks)} there, so move ${andList(to)} instead` : '';
  const data: NetworkData = {
    rule: 'public-reaches-data',
    via: 'network',
    from,
    to,
    network,
    membership,
    breaks,
    alsoViaPorts: ports.map(({ service, port }) => ({ service, ...portRef(port) })),
  };
  return {
    message:
      `${ctx.label(from)} can reach ${andList(to)} (data) directly via ${path}, ` +
      `but declares no need for ${them}${keep}.`,
    span,
    related,
    data,
  };
}

function viaNamespace(ctx: RuleContext, from: string, to: string): RuleFinding {
  // The `network_mode: service:x` that puts the two together: the public service's own if it
  // has one, else the data service's.
  const fromSvc = ctx.service(from);
  const toSvc = ctx.service(to);
  const owner = ctx.graph.attachment.get(from)?.kind === 'service' ? fromSvc : toSvc;
  const data: PublicReachesDataData = {
    rule: 'public-reaches-data',
    via: 'namespace',
    from,
    to,
    service: owner.name,
  };
  return {
    message:
      `${ctx.label(from)} shares a network namespace with ${ctx.label(to)} and can reach it on localhost, ` +
      `but declares no need for it.`,
    span: owner.networkMode?.span ?? fromSvc.keySpan,
    related: [ctx.serviceRelated(owner === fromSvc ? to : from)],
    data,
  };
}

function viaPort(ctx: RuleContext, { to, port, from }: OverPort): RuleFinding {
  const ref: PortRef = portRef(port);
  const data: PublicReachesDataData = {
    rule: 'public-reaches-data',
    via: 'published-port',
    from,
    to,
    port: ref,
  };
  const who = from.length === 1 ? `${from[0]} (public)` : `${andList(from)} (public)`;
  return {
    message:
      `${who} can reach ${ctx.label(to)} via ${describeHostPort(ref)}, published on ` +
      `${describeHostIp(ref.hostIp)}, but ${from.length === 1 ? 'declares' : 'declare'} no need for it.`,
    span: port.span,
    related: from.map((f) => ctx.serviceRelated(f)),
    data,
  };
}
