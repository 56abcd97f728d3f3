import { namespaceRoot, reachability, type Reachability } from '../../../../shared/src/reach';
import type { Attachment } from '../../../../shared/src/report';
import type { Span } from '../load/tree';
import type { PortSpec } from '../model/ports';
import type { Model, NetworkModel, ServiceModel } from '../model/types';
import type { MountedConfigs } from '../evidence/mounts';
import { findNeeds, type RawNeed } from './needs';

/** A service's membership in one network; `span` is absent for the implicit default and for `service:x`. */
export interface Membership {
  network: string;
  aliases: string[];
  span?: Span;
}

/** A port with whether Docker really publishes it. */
export interface EffectivePort extends PortSpec {
  effective: boolean;
}

/** The reachability graph of the active services. */
export interface Graph {
  attachment: Map<string, Attachment>;
  /** Networks each active service is on (for `service:x`, x's). */
  memberships: Map<string, Membership[]>;
  /** Networks in use: declared ones plus the implicit `default` (and Docker's `bridge`) when used. */
  networks: Map<string, NetworkModel & { members: string[]; implicit: boolean }>;
  ports: Map<string, EffectivePort[]>;
  egress: Map<string, boolean>;
  /** Who reaches whom, asked per pair or per row: the pairs themselves are never stored. */
  reach: Reachability;
  needs: Map<string, RawNeed[]>;
}

/** `network_mode` value → attachment. */
export function attachmentOf(svc: ServiceModel): Attachment {
  const mode = svc.networkMode?.value;
  if (mode === undefined) return { kind: 'networks' };
  if (mode === 'host' || mode === 'none' || mode === 'bridge') return { kind: mode };
  if (mode.startsWith('service:')) return { kind: 'service', service: mode.slice('service:'.length) };
  if (mode.startsWith('container:')) return { kind: 'container', container: mode.slice('container:'.length) };
  // Any other value names a network Docker resolves at run time: as unknown as a container.
  return { kind: 'container', container: mode };
}

/**
 * Builds the graph from the model. Cost: O(services + memberships); pairs are answered on
 * demand. `mounted`: the configuration files mounted into the services, evidence of needs.
 */
export function buildGraph(model: Model, mounted?: MountedConfigs): Graph {
  const attachment = new Map<string, Attachment>();
  const active = [...model.services.values()].filter((s) => s.active);
  for (const s of active) attachment.set(s.name, attachmentOf(s));

  // `attachment` holds the active services only: a `service:x` on an inactive x is its own root.
  const root = (name: string): string => namespaceRoot(name, (n) => attachment.get(n));

  const memberships = new Map<string, Membership[]>();
  for (const s of active) {
    const owner = model.services.get(root(s.name))!;
    const a = attachment.get(owner.name)!;
    let list: Membership[] = [];
    if (a.kind === 'networks') {
      list = owner.networks
        ? owner.networks.map((r) => ({ network: r.network, aliases: r.aliases, span: r.span }))
        : [{ network: 'default', aliases: [] }];
      if (owner !== s) list = list.map((m) => ({ network: m.network, aliases: [] }));
    } else if (a.kind === 'bridge') {
      list = [{ network: 'bridge', aliases: [] }];
    }
    memberships.set(s.name, list);
  }

  const networks: Graph['networks'] = new Map();
  for (const [key, n] of model.networks) networks.set(key, { ...n, members: [], implicit: false });
  for (const [name, list] of memberships) {
    for (const m of list) {
      let net = networks.get(m.network);
      if (!net) {
        // Only `default` (and Docker's `bridge` for network_mode: bridge) can be used undeclared;
        // an undeclared other key was already reported by the model.
        net = {
          key: m.network,
          declared: false,
          internal: false,
          external: m.network === 'bridge',
          members: [],
          implicit: true,
        };
        networks.set(m.network, net);
      }
      net.members.push(name);
    }
  }

  const hasOpenNetwork = (name: string): boolean =>
    (memberships.get(name) ?? []).some((m) => networks.get(m.network)?.internal !== true);

  const egress = new Map<string, boolean>();
  const ports = new Map<string, EffectivePort[]>();
  for (const s of active) {
    const a = attachment.get(root(s.name))!;
    egress.set(
      s.name,
      a.kind === 'host' || (a.kind !== 'none' && a.kind !== 'container' && hasOpenNetwork(s.name)),
    );
    // Docker publishes nothing for host/none/service: modes, nor for a service only on internal networks.
    const own = attachment.get(s.name)!;
    const publishes =
      own.kind === 'bridge' ||
      own.kind === 'container' ||
      (own.kind === 'networks' && hasOpenNetwork(s.name));
    ports.set(
      s.name,
      s.ports.map((p) => ({ ...p, effective: publishes })),
    );
  }

  // No `dockerSocket`: the rules ask about connections and names, which the Docker API does
  // not give; the report's index (hover, matrix, CLI edges) adds it.
  const reach = reachability(
    active.map((s) => ({
      name: s.name,
      attachment: attachment.get(s.name)!,
      networks: memberships.get(s.name)!,
      ports: ports.get(s.name)!,
    })),
    networks.values(),
  );

  return {
    attachment,
    memberships,
    networks,
    ports,
    egress,
    reach,
    needs: findNeeds(model, memberships, mounted),
  };
}
