import type { Finding, NetworkNode, ReachabilityReport, ServiceNode } from '../../../../shared/src/report';
import type { RawFinding } from '../diagnostics';
import type { Graph } from '../graph/graph';
import type { Model } from '../model/types';
import type { TierInfo } from '../rules/tiers';
import { Locator } from './locator';

/** The engine's result turned into the shared report: the one place offsets become positions. */
export function buildReport(
  model: Model,
  graph: Graph,
  findings: readonly RawFinding[],
  tiers: ReadonlyMap<string, TierInfo> = new Map(),
): ReachabilityReport {
  const loc = new Locator(model.texts);
  const services: ServiceNode[] = [...model.services.values()].map((s) => {
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
    return node;
  });
  const networks: NetworkNode[] = [...graph.networks.values()].map((n) => {
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
  return {
    schemaVersion: 1,
    project: model.project,
    projectDirectory: model.directory,
    files: model.files,
    services,
    networks,
    diagnostics: findings.map((f) => toFinding(f, loc)),
  };
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
