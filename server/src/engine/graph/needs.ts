import type { Need } from '../../../../shared/src/report';
import { innerStart } from '../load/canonical';
import type { Span } from '../load/tree';
import { findHostRefs } from '../model/hosts';
import type { Model } from '../model/types';
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
    const resolve = (host: string): string | undefined => linkAliases.get(host) ?? dns.get(host);
    for (const v of s.environment) {
      if (v.value === null || v.value === '') continue;
      // The host's own characters, when the source spells the value as it is (no escapes).
      const base = innerStart(v.valueSpan, v.value, model.texts.get(v.valueSpan.file));
      for (const ref of findHostRefs(v.key, v.value, (h) => resolve(h) !== undefined)) {
        const span =
          base !== undefined
            ? { file: v.valueSpan.file, start: base + ref.offset, end: base + ref.offset + ref.length }
            : v.valueSpan;
        push(resolve(ref.host.toLowerCase()), { source: 'environment', name: ref.host, span });
      }
    }
    out.set(s.name, needs);
  }
  return out;
}
