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
    const { dependsOn, links, environment } = mentionsOf(s, model.texts);
    const push = (m: Mention, target: string | undefined): void => {
      if (target === undefined || target === s.name || model.services.get(target)?.active !== true) return;
      // The need of the last analysis when it resolves the same: no new objects per keystroke.
      if (m.need?.target !== target) m.need = { target, source: m.source, name: m.name, span: m.span };
      needs.push(m.need);
    };
    for (const m of dependsOn) push(m, m.lookup);
    let linkAliases: Map<string, string> | undefined;
    for (const m of links) {
      const target = dns.get(m.lookup) ?? m.lookup;
      push(m, target);
      if (m.alias) (linkAliases ??= new Map()).set(m.alias, target);
    }
    for (const m of environment) push(m, linkAliases?.get(m.lookup) ?? dns.get(m.lookup));
    out.set(s.name, needs);
  }
  return out;
}

/** One place a service names another, before the name is resolved. */
interface Mention {
  source: RawNeed['source'];
  /** The name as written. */
  name: string;
  /** What is looked up: the service (depends_on, links) or the lower-cased host (environment). */
  lookup: string;
  /** For links: the alias the link adds. */
  alias?: string;
  span: Span;
  /** The need it gave last, reused while it resolves to the same target. */
  need?: RawNeed;
}

interface Mentions {
  dependsOn: Mention[];
  links: Mention[];
  environment: Mention[];
}

/**
 * Mentions by service model: a model lives as long as its node (see model/build.ts), so a
 * keystroke scans the environment of the one service it rebuilt; resolving the names against
 * the project's DNS stays per analysis.
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
      const source = v.source ?? 'environment';
      environment.push({ source, name: ref.host, lookup: ref.host.toLowerCase(), span });
    }
  }
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
  };
  mentionMemo.set(s, mentions);
  return mentions;
}
