import type { Finding, NetworkNode, ReachabilityReport, ServiceNode } from '../../../../shared/src/report';
import type { RawFinding } from '../diagnostics';
import type { Graph } from '../graph/graph';
import type { Model } from '../model/types';
import { dockerSocketAccess } from '../evidence/definition';
import type { TierInfo } from '../rules/tiers';
import { Locator } from './locator';

/**
 * The engine's result turned into the shared report: the one place offsets become positions.
 *
 * `services` and `networks` are built the first time they are read, then are plain data: the
 * language server publishes the diagnostics of every keystroke, and needs the rest only when
 * a hover, the matrix or a quick fix asks (2,000 services: a third of a keystroke's cost).
 */
export function buildReport(
  model: Model,
  graph: Graph,
  findings: readonly RawFinding[],
  tiers: ReadonlyMap<string, TierInfo> = new Map(),
): ReachabilityReport {
  const loc = new Locator(model.texts);
  // Getters in the literal keep the keys in the report's order (JSON output follows it).
  const report: ReachabilityReport = {
    schemaVersion: 1,
    project: model.project,
    projectDirectory: model.directory,
    files: model.files,
    get services() {
      return settle(report, 'services', serviceNodes(model, graph, tiers, loc));
    },
    get networks() {
      return settle(report, 'networks', networkNodes(model, graph, loc));
    },
    diagnostics: findings.map((f) => toFinding(f, loc)),
  };
  return report;
}

/** Replaces a lazy property by its value, an ordinary data property from then on. */
function settle<K extends 'services' | 'networks'>(
  report: ReachabilityReport,
  key: K,
  value: ReachabilityReport[K],
): ReachabilityReport[K] {
  Object.defineProperty(report, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

function serviceNodes(
  model: Model,
  graph: Graph,
  tiers: ReadonlyMap<string, TierInfo>,
  loc: Locator,
): ServiceNode[] {
  return [...model.services.values()].map((s) => {
    const node: ServiceNode = {
      name: s.name,
      active: s.active,
      profiles: s.profiles,
      attachment: graph.attachment.get(s.name) ?? { kind: 'networks' },
      networks: (graph.memberships.get(s.name) ?? []).map((m) => ({
        network: m.network,
        aliases: m.aliases,
        ...(m.span ? { location: loc.location(m.span) } : {}),
      })),
      ports: (graph.ports.get(s.name) ?? s.ports.map((p) => ({ ...p, effective: false }))).map((p) => ({
        hostIp: p.hostIp,
        published: p.published,
        target: p.target,
        protocol: p.protocol,
        loopback: p.loopback,
        effective: p.effective,
        location: loc.location(p.span),
      })),
      egress: graph.egress.get(s.name) ?? false,
      needs: (graph.needs.get(s.name) ?? []).map(({ span, ...n }) => ({
        ...n,
        location: loc.location(span),
      })),
      location: loc.location(s.keySpan),
    };
    if (s.image !== undefined) node.image = s.image;
    if (s.containerName !== undefined) node.containerName = s.containerName;
    if (s.networkMode) node.networkModeLocation = loc.location(s.networkMode.span);
    const tier = tiers.get(s.name);
    if (tier) node.tier = { tier: tier.tier, reason: tier.reason };
    const socket = dockerSocketAccess(s);
    if (socket) node.dockerSocket = loc.location(socket.span);
    return node;
  });
}

function networkNodes(model: Model, graph: Graph, loc: Locator): NetworkNode[] {
  return [...graph.networks.values()].map((n) => {
    const node: NetworkNode = {
      key: n.key,
      dockerName:
        n.name ?? (n.external || (n.key === 'bridge' && n.implicit) ? n.key : `${model.project}_${n.key}`),
      internal: n.internal,
      external: n.external,
      implicit: n.implicit,
      members: n.members,
    };
    if (n.keySpan) node.location = loc.location(n.keySpan);
    if (n.internalSpan) node.internalLocation = loc.location(n.internalSpan);
    if (n.externalSpan) node.externalLocation = loc.location(n.externalSpan);
    return node;
  });
}

function toFinding(f: RawFinding, loc: Locator): Finding {
  const out: Finding = {
    code: f.code,
    severity: f.severity,
    message: f.message,
    location: loc.location(f.span),
  };
  if (f.related && f.related.length > 0) {
    out.related = f.related.map((r) => ({ location: loc.location(r.span), message: r.message }));
  }
  if (f.data !== undefined) out.data = f.data;
  if (f.tags) out.tags = f.tags;
  return out;
}
