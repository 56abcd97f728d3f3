import type { Need } from '../../../../shared/src/report';
import { innerStart } from '../load/canonical';
import { subSpan, type Span } from '../load/tree';
import { hostCandidates } from '../model/hosts';
import type { Model, ServiceModel } from '../model/types';
import type { Membership } from './graph';

/** A need inside the engine: the shared `Need` with a span instead of a location. */
export type RawNeed = Omit<Need, 'location'> & { span: Span };

/**
 * What each active service needs to reach: `depends_on`, `links` and host names in its
 * environment, resolved to services through every DNS name the project gives them
 * (service names, `container_name`, network aliases, link aliases).
 */
export function findNeeds(model: Model, memberships: Map<string, Membership[]>): Map<string, RawNeed[]> {
  const dns = new Map<string, string>();
  for (const s of model.services.values()) {
    if (!s.active) continue;
    dns.set(s.name, s.name);
    if (s.containerName) dns.set(s.containerName, s.name);
  }
  for (const [name, list] of memberships) {
    for (const m of list) for (const alias of m.aliases) if (!dns.has(alias)) dns.set(alias, name);
  }

  const out = new Map<string, RawNeed[]>();
  for (const s of model.services.values()) {
    if (!s.active) continue;
    const needs: RawNeed[] = [];
    const push = (target: string | undefined, need: Omit<RawNeed, 'target'>): void => {
      if (target !== undefined && target !== s.name && model.services.get(target)?.active)
        needs.push({ target, ...need });
    };
    for (const d of s.dependsOn) push(d.service, { source: 'depends_on', name: d.service, span: d.span });
    const linkAliases = new Map<string, string>();
    for (const l of s.links) {
      const target = dns.get(l.service) ?? l.service;
      push(target, { source: 'links', name: l.alias ?? l.service, span: l.span });
      if (l.alias) linkAliases.set(l.alias, target);
    }
    for (const ref of environmentHosts(s, model.texts)) {
      const lower = ref.name.toLowerCase();
      push(linkAliases.get(lower) ?? dns.get(lower), ref);
    }
    out.set(s.name, needs);
  }
  return out;
}

/** A name in a host position of a service's environment, before it is resolved. */
type HostMention = Omit<RawNeed, 'target'> & { source: 'environment' };

/**
 * Host mentions by service model: a model lives as long as its node (see model/build.ts), so
 * a keystroke scans the environment of the one service it rebuilt; resolving the names
 * against the project's DNS stays per analysis.
 */
const mentionMemo = new WeakMap<ServiceModel, HostMention[]>();

function environmentHosts(s: ServiceModel, texts: ReadonlyMap<string, string>): HostMention[] {
  let mentions = mentionMemo.get(s);
  if (mentions) return mentions;
  mentions = [];
  for (const v of s.environment) {
    if (v.value === null || v.value === '') continue;
    // The host's own characters, when the source spells the value as it is (no escapes).
    const base = innerStart(v.valueSpan, v.value, texts.get(v.valueSpan.file));
    for (const ref of hostCandidates(v.key, v.value)) {
      const from = base === undefined ? undefined : base - v.valueSpan.start + ref.offset;
      const span = from === undefined ? v.valueSpan : subSpan(v.valueSpan, from, from + ref.length);
      mentions.push({ source: 'environment', name: ref.host, span });
    }
  }
  mentionMemo.set(s, mentions);
  return mentions;
}
