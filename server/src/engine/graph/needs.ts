import type { Need } from '../../../../shared/src/report';
import { commandHostRefs, commandWords, healthcheckWords } from '../evidence/command';
import { gatewayNames, publishes } from '../evidence/gateway';
import { isTraefikProxy, traefikBackend } from '../evidence/labels';
import type { MountedConfigs } from '../evidence/mounts';
import type { EvidenceRef } from '../evidence/refs';
import { innerStart } from '../load/canonical';
import { child, subSpan, type LNode, type Span } from '../load/tree';
import { hostCandidates } from '../model/hosts';
import type { Model, ServiceModel } from '../model/types';
import type { Membership } from './graph';

/** A need inside the engine: the shared `Need` with a span instead of a location. */
export type RawNeed = Omit<Need, 'location'> & { span: Span };

/**
 * What each active service needs to reach, resolved to services through every DNS name the
 * project gives them (service names, `container_name`, network aliases, link aliases):
 * `depends_on`, `links`, host names in its environment, command, entrypoint and healthcheck,
 * in the configuration files mounted into it (`mounted`, read by evidence/mounts.ts), the
 * services Traefik routes to by their labels, and `host.docker.internal:PORT` (the service
 * that publishes PORT).
 */
export function findNeeds(
  model: Model,
  memberships: Map<string, Membership[]>,
  mounted?: MountedConfigs,
): Map<string, RawNeed[]> {
  const dns = new Map<string, string>();
  for (const s of model.services.values()) {
    if (!s.active) continue;
    dns.set(s.name, s.name);
    if (s.containerName) dns.set(s.containerName, s.name);
  }
  for (const [name, list] of memberships) {
    for (const m of list) for (const alias of m.aliases) if (!dns.has(alias)) dns.set(alias, name);
  }
  const publisher = (port: string | undefined): string | undefined => {
    if (port === undefined) return undefined;
    const n = Number(port);
    const found = new Set<string>();
    for (const s of model.services.values())
      if (s.active && s.ports.some((p) => publishes(p, n))) found.add(s.name);
    // Two services on one host port (different addresses or protocols): which one is meant is unknown.
    return found.size === 1 ? [...found][0] : undefined;
  };

  const out = new Map<string, RawNeed[]>();
  for (const s of model.services.values()) {
    if (!s.active) continue;
    const needs: RawNeed[] = [];
    const mentions = mentionsOf(s, model.texts);
    const push = (m: Mention, target: string | undefined): void => {
      if (target === undefined || target === s.name || model.services.get(target)?.active !== true) return;
      // The need of the last analysis when it resolves the same: no new objects per keystroke.
      if (m.need?.target !== target || m.need.source !== m.source)
        m.need = { target, source: m.source, name: m.name, span: m.span };
      needs.push(m.need);
    };
    // A host name: through the host's gateway to a published port, else the project's DNS.
    const byName = (m: Mention, linkAliases?: Map<string, string>): void => {
      if (mentions.gateway.has(m.lookup)) {
        const target = publisher(m.port);
        if (target !== undefined && m.port !== undefined)
          push({ source: 'host-gateway', name: m.port, lookup: m.lookup, span: m.span }, target);
        return;
      }
      push(m, linkAliases?.get(m.lookup) ?? dns.get(m.lookup));
    };
    for (const m of mentions.dependsOn) push(m, m.lookup);
    let linkAliases: Map<string, string> | undefined;
    for (const m of mentions.links) {
      const target = dns.get(m.lookup) ?? m.lookup;
      push(m, target);
      if (m.alias) (linkAliases ??= new Map()).set(m.alias, target);
    }
    for (const m of mentions.environment) byName(m, linkAliases);
    for (const m of mentions.commands) byName(m, linkAliases);
    for (const f of mounted?.byService.get(s.name) ?? []) {
      for (const ref of f.refs)
        byName(
          refMention('config-file', ref, { file: f.file, start: ref.offset, end: ref.offset + ref.length }),
          linkAliases,
        );
    }
    out.set(s.name, needs);
  }
  addLabelNeeds(model, memberships, out);
  return out;
}

/**
 * Traefik's needs on the services its labels route to. Only when the proxy is certain: the
 * project runs exactly one Traefik, or the backend's `traefik.docker.network` is a network
 * exactly one of them is on.
 */
function addLabelNeeds(
  model: Model,
  memberships: Map<string, Membership[]>,
  out: Map<string, RawNeed[]>,
): void {
  const proxies = [...model.services.values()].filter((s) => s.active && isTraefikProxy(s));
  if (proxies.length === 0) return;
  for (const s of model.services.values()) {
    if (!s.active) continue;
    const backend = traefikBackend(s);
    if (!backend) continue;
    let candidates = proxies;
    if (proxies.length > 1 && backend.network !== undefined) {
      const key = networkKey(model, backend.network);
      candidates = proxies.filter((p) => (memberships.get(p.name) ?? []).some((m) => m.network === key));
    }
    const proxy = candidates.length === 1 ? candidates[0] : undefined;
    if (!proxy || proxy.name === s.name) continue;
    out.get(proxy.name)?.push({ target: s.name, source: 'label', name: s.name, span: backend.keySpan });
  }
}

/** The project's key of a network named as Docker names it (`traefik.docker.network`), or the key itself. */
function networkKey(model: Model, dockerName: string): string | undefined {
  for (const n of model.networks.values()) {
    const name = n.external ? (n.name ?? n.key) : (n.name ?? `${model.project}_${n.key}`);
    if (name === dockerName || n.key === dockerName) return n.key;
  }
  return dockerName === `${model.project}_default` ? 'default' : undefined;
}

/** One place a service names another, before the name is resolved. */
interface Mention {
  source: RawNeed['source'];
  /** The name as written. */
  name: string;
  /** What is looked up: the service (depends_on, links) or the lower-cased host (others). */
  lookup: string;
  /** For links: the alias the link adds. */
  alias?: string;
  /** The port written after a host name, for `host.docker.internal:PORT`. */
  port?: string;
  span: Span;
  /** The need it gave last, reused while it resolves to the same target. */
  need?: RawNeed;
}

interface Mentions {
  dependsOn: Mention[];
  links: Mention[];
  environment: Mention[];
  /** Hosts in `command`, `entrypoint` and `healthcheck.test`. */
  commands: Mention[];
  /** Lower-cased names that reach the host's gateway rather than a service. */
  gateway: Set<string>;
}

function refMention(source: RawNeed['source'], ref: EvidenceRef, span: Span): Mention {
  return {
    source,
    name: ref.host,
    lookup: ref.host.toLowerCase(),
    span,
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
}

/**
 * Mentions by service model: a model lives as long as its node (see model/build.ts), so a
 * keystroke scans the environment and commands of the one service it rebuilt; resolving the
 * names against the project's DNS stays per analysis.
 */
const mentionMemo = new WeakMap<ServiceModel, Mentions>();

function mentionsOf(s: ServiceModel, texts: ReadonlyMap<string, string>): Mentions {
  let mentions = mentionMemo.get(s);
  if (mentions) return mentions;
  const environment: Mention[] = [];
  for (const v of s.environment) {
    if (v.value === null || v.value === '') continue;
    // The host's own characters, when the source spells the value as it is (no escapes).
    const base = innerStart(v.valueSpan, v.value, texts.get(v.valueSpan.file));
    for (const ref of hostCandidates(v.key, v.value)) {
      const from = base === undefined ? undefined : base - v.valueSpan.start + ref.offset;
      const span = from === undefined ? v.valueSpan : subSpan(v.valueSpan, from, from + ref.length);
      const port = /^:([0-9]{1,5})(?![0-9])/.exec(v.value.slice(ref.offset + ref.length))?.[1];
      environment.push({
        source: v.source ?? 'environment',
        name: ref.host,
        lookup: ref.host.toLowerCase(),
        span,
        ...(port !== undefined ? { port } : {}),
      });
    }
  }
  const commands: Mention[] = [];
  const scanCommand = (source: 'command' | 'entrypoint' | 'healthcheck', node: LNode | undefined): void => {
    if (!node) return;
    const text = texts.get(node.span.file);
    const words = source === 'healthcheck' ? healthcheckWords(node, text) : commandWords(node, text);
    const scalars = node.kind === 'seq' ? node.items : [node];
    for (const ref of commandHostRefs(words)) {
      // The scalar the host was found in, for a span that moves with it.
      const owner = scalars.find((n) => n.span.start <= ref.offset && ref.offset < n.span.end) ?? node;
      const from = ref.offset - owner.span.start;
      commands.push(refMention(source, ref, subSpan(owner.span, from, from + ref.length)));
    }
  };
  scanCommand('command', child(s.node, 'command'));
  scanCommand('entrypoint', child(s.node, 'entrypoint'));
  scanCommand('healthcheck', child(child(s.node, 'healthcheck'), 'test'));
  mentions = {
    dependsOn: s.dependsOn.map((d) => ({
      source: 'depends_on',
      name: d.service,
      lookup: d.service,
      span: d.span,
    })),
    links: s.links.map((l) => ({
      source: 'links',
      name: l.alias ?? l.service,
      lookup: l.service,
      ...(l.alias ? { alias: l.alias } : {}),
      span: l.span,
    })),
    environment,
    commands,
    gateway: gatewayNames(s.node),
  };
  mentionMemo.set(s, mentions);
  return mentions;
}
