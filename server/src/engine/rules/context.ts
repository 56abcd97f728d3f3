import type { PortRef } from '../../../../shared/src/findingData';
import { namespaceRoot } from '../../../../shared/src/reach';
import type { Attachment, Tier, Via } from '../../../../shared/src/report';
import type { RawRelated } from '../diagnostics';
import type { EffectivePort, Graph } from '../graph/graph';
import type { Span } from '../load/tree';
import type { Model, ServiceModel } from '../model/types';
import type { TierInfo } from './tiers';

/** What a rule reports: the runner adds the code and the configured severity. */
export interface RuleFinding {
  message: string;
  span: Span;
  related?: RawRelated[];
  data?: unknown;
  tags?: Array<'unnecessary' | 'deprecated'>;
  /**
   * The file cannot settle the question (a `container:` network mode, a host-mode target):
   * the finding says so and is never shown above `information`.
   */
  uncertain?: boolean;
  /**
   * One step milder than the rule's level (a service holding the Docker API that is not
   * public, often so by design), when that level is the rule's default: a level set by the
   * user is kept as set.
   */
  milder?: boolean;
}

/** One isolation rule. Pure: it reads the context and reports; cost O(services + edges). */
export interface Rule {
  code: string;
  run(ctx: RuleContext, report: (f: RuleFinding) => void): void;
}

/** Everything a rule reads, with the lookups several rules share. */
export class RuleContext {
  /** Active services in file order. */
  readonly active: ServiceModel[];
  private readonly needSets = new Map<string, Set<string>>();

  constructor(
    readonly model: Model,
    readonly graph: Graph,
    readonly tiers: ReadonlyMap<string, TierInfo>,
  ) {
    this.active = [...model.services.values()].filter((s) => s.active);
    for (const [from, needs] of graph.needs) this.needSets.set(from, new Set(needs.map((n) => n.target)));
  }

  /** The service's tier (every service has one once the rules stage runs). */
  tier(name: string): Tier | undefined {
    return this.tiers.get(name)?.tier;
  }

  /** True when `from` names any service (a need of any kind). */
  namesAny(from: string): boolean {
    return (this.needSets.get(from)?.size ?? 0) > 0;
  }

  /** True when `from` names `to` in depends_on, links or its environment. */
  needs(from: string, to: string): boolean {
    return this.needSets.get(from)?.has(to) === true;
  }

  /** How `from` can open a connection to `to` (empty when it cannot). */
  vias(from: string, to: string): Via[] {
    return this.graph.reach.vias(from, to);
  }

  /** The service whose network namespace `name` lives in (itself unless `network_mode: service:x`). */
  root(name: string): string {
    return namespaceRoot(name, (n) => this.graph.attachment.get(n));
  }

  /** The attachment that decides `name`'s networks: its namespace owner's. */
  rootAttachment(name: string): Attachment {
    return this.graph.attachment.get(this.root(name)) ?? { kind: 'networks' };
  }

  /**
   * True when `from` (public) reaching `to` (data) is confidently unneeded: `from` does not
   * name `to`, and the absence means something. It does when `from` runs a web server or
   * proxy image (they do not open connections to data stores), or when `from` declares the
   * services it calls and one of them can reach `to` itself (`from` is a front for `to`'s
   * user). That `to` has other known users proves nothing: `from`'s host may come from a
   * config file or an image default no tool can see. Otherwise the rules stay silent and the
   * fixes keep the link.
   */
  unneeded(from: string, to: string): boolean {
    if (this.needs(from, to)) return false;
    if (this.tiers.get(from)?.basis === 'public-image') return true;
    for (const q of this.needSets.get(from) ?? []) {
      if (this.tier(q) !== 'data' && this.vias(q, to).length > 0) return true;
    }
    return false;
  }

  service(name: string): ServiceModel {
    return this.model.services.get(name)!;
  }

  /** `name (tier)`, the way messages name a service. */
  label(name: string): string {
    const t = this.tier(name);
    return t ? `${name} (${t})` : name;
  }

  /** A related location on a service's key, explaining its tier. */
  serviceRelated(name: string): RawRelated {
    const t = this.tiers.get(name);
    return {
      span: this.service(name).keySpan,
      message: t ? `${name} is ${t.tier}: ${t.reason}` : `${name} is defined here`,
    };
  }

  /** The published port a published-port via goes through. */
  portOf(name: string, via: Extract<Via, { kind: 'published-port' }>): EffectivePort | undefined {
    return this.graph.ports
      .get(name)
      ?.find(
        (p) =>
          p.effective &&
          p.hostIp === via.hostIp &&
          p.published === via.published &&
          p.target === via.target &&
          p.protocol === via.protocol,
      );
  }
}

/**
 * `span` without the whitespace around it: a block node's range runs to the start of the
 * next line, which would underline the line break.
 */
export function tidySpan(texts: ReadonlyMap<string, string>, span: Span): Span {
  const text = texts.get(span.file);
  if (text === undefined) return span;
  let { start, end } = span;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  while (start < end && /\s/.test(text[start]!)) start++;
  return start === span.start && end === span.end ? span : { file: span.file, start, end };
}

/** A port without its span, for finding data. */
export function portRef(p: { hostIp: string; published: string; target: string; protocol: string }): PortRef {
  return { hostIp: p.hostIp, published: p.published, target: p.target, protocol: p.protocol };
}

/** `port 5432`, `port 53/udp`, or `container port 6379 on an ephemeral host port`. */
export function describePort(p: PortRef): string {
  const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
  return p.published
    ? `port ${p.published}${proto}`
    : `container port ${p.target}${proto} on an ephemeral host port`;
}

/** `host port 5432`, or `an ephemeral host port for container port 6379`: the way through the host. */
export function describeHostPort(p: PortRef): string {
  const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
  return p.published
    ? `host port ${p.published}${proto}`
    : `an ephemeral host port for container port ${p.target}${proto}`;
}

/** `all interfaces` or the address. */
export function describeHostIp(hostIp: string): string {
  return hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' ? 'all interfaces' : hostIp;
}

/** `a`, `a and b`, `a, b and c`; past `max` names, the first ones and how many more. */
export function andList(items: readonly string[], max = 12): string {
  // Thousands of names in each of thousands of messages say no more than their count.
  if (items.length > max) return `${items.slice(0, max - 1).join(', ')} and ${items.length - (max - 1)} more`;
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
