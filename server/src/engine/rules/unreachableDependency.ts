import type { UnreachableDependencyData } from '../../../../shared/src/findingData';
import type { Attachment, Via } from '../../../../shared/src/report';
import type { RawRelated } from '../diagnostics';
import type { RawNeed } from '../graph/needs';
import { child, scalarText } from '../load/tree';
import type { Rule, RuleContext, RuleFinding } from './context';
import { describeHostPort, portRef } from './context';

type PortVia = Extract<Via, { kind: 'published-port' }>;

/**
 * A service needs another one it cannot reach. `depends_on` asks for any path (it may be a
 * start order only, and the service may use a published port); a link or a host name in the
 * environment needs the name to resolve, so it asks for a shared network or namespace.
 * One finding per pair, on the first need that fails; the others are related.
 */
export const unreachableDependency: Rule = {
  code: 'unreachable-dependency',
  run(ctx, report) {
    const isShared = sharedEvidence(ctx);
    for (const svc of ctx.active) {
      // A host-mode service's depends_on orders its start: it names no peer to connect to.
      const hostMode = ctx.rootAttachment(svc.name).kind === 'host';
      const byTarget = new Map<string, RawNeed[]>();
      for (const n of ctx.graph.needs.get(svc.name) ?? []) {
        if (n.source === 'depends_on' && (hostMode || completesFirst(ctx, svc.name, n.target))) continue;
        const list = byTarget.get(n.target);
        if (list) list.push(n);
        else byTarget.set(n.target, [n]);
      }
      for (const [to, needs] of byTarget) check(ctx, svc.name, to, needs, report, isShared);
    }
  },
};

/**
 * Evidence written once for several services (a YAML anchor merged into each, a shared
 * env_file, an `extends` base): the name may be meant for some of them only (a sandbox
 * reached by one worker, isolated on an internal network from the rest). Such needs are
 * information, and no fix joins a network for them. Asked only for a pair that fails, so the
 * needs of the target are indexed by where they are written on the first question about it.
 */
function sharedEvidence(ctx: RuleContext): (n: RawNeed) => boolean {
  const byTarget = new Map<string, Map<string, Map<number, string | null>>>();
  const index = (target: string): Map<string, Map<number, string | null>> => {
    const out = new Map<string, Map<number, string | null>>();
    for (const [from, needs] of ctx.graph.needs) {
      for (const n of needs) {
        if (n.target !== target || n.source === 'depends_on' || n.source === 'links') continue;
        let inFile = out.get(n.span.file);
        if (!inFile) out.set(n.span.file, (inFile = new Map()));
        const first = inFile.get(n.span.start);
        // null: written for two services or more.
        if (first === undefined) inFile.set(n.span.start, from);
        else if (first !== from) inFile.set(n.span.start, null);
      }
    }
    return out;
  };
  return (n) => {
    let idx = byTarget.get(n.target);
    if (!idx) byTarget.set(n.target, (idx = index(n.target)));
    return idx.get(n.span.file)?.get(n.span.start) === null;
  };
}

/** `depends_on: {x: {condition: service_completed_successfully}}`: a job that runs before, not a peer. */
function completesFirst(ctx: RuleContext, from: string, to: string): boolean {
  const entry = child(child(ctx.service(from).node, 'depends_on'), to);
  return scalarText(child(entry, 'condition')) === 'service_completed_successfully';
}

function check(
  ctx: RuleContext,
  from: string,
  to: string,
  needs: RawNeed[],
  report: (f: RuleFinding) => void,
  isShared: (n: RawNeed) => boolean,
): void {
  const vias = ctx.vias(from, to);
  const resolves = (n: RawNeed): boolean =>
    vias.some(
      (v) =>
        v.kind === 'namespace' ||
        // Docker's default bridge has no DNS for container names; legacy links are its only names.
        (v.kind === 'network' && (v.network !== 'bridge' || !isDefaultBridge(ctx) || n.source === 'links')),
    );
  const failed = needs.filter((n) => {
    if (n.source === 'depends_on') return vias.length === 0;
    // Through the host's gateway to a published port: no name needs to resolve.
    if (n.source === 'host-gateway') return !vias.some((v) => v.kind === 'published-port');
    // Traefik connects to the container's address on a shared network, not to its name.
    if (n.source === 'label') return !vias.some((v) => v.kind === 'network' || v.kind === 'namespace');
    return !resolves(n);
  });
  // Needs written in a compose file first: the editor shows findings there, and an env file's
  // or a mounted config's line is then related information.
  const inCompose = (n: RawNeed): boolean => ctx.model.files.includes(n.span.file);
  failed.sort((x, y) => Number(inCompose(y)) - Number(inCompose(x)));
  const first = failed[0];
  if (!first) return;
  const span = inCompose(first) ? first.span : ctx.service(from).keySpan;

  const a = ctx.rootAttachment(from);
  const b = ctx.rootAttachment(to);
  const ports = vias.filter((v): v is PortVia => v.kind === 'published-port');
  const onlyStartOrder = failed.every((n) => n.source === 'depends_on');
  // What the file cannot tell: networks behind `container:`, or a host-mode target reached
  // through the host's address (only a dependency that names nothing can do that).
  const unknown =
    a.kind === 'container'
      ? `${from} uses network_mode ${modeText(a)}, whose networks are not in this file`
      : b.kind === 'container'
        ? `${to} uses network_mode ${modeText(b)}, whose networks are not in this file`
        : b.kind === 'host' && onlyStartOrder
          ? `${to} runs with network_mode: host, and whether ${from} reaches it through the host's address cannot be told from the file`
          : failed.every(isShared)
            ? `the name is written once for several services, and may not be meant for ${from}`
            : undefined;

  const what = describeNeed(first);
  const networksOf = (name: string): string[] =>
    (ctx.graph.memberships.get(name) ?? []).map((m) => m.network);
  const related: RawRelated[] = [ctx.serviceRelated(to)];
  if (span !== first.span)
    related.unshift({ span: first.span, message: `${from} names ${to} here (${what})` });
  for (const n of failed.slice(1))
    related.push({ span: n.span, message: `${from} also needs ${to} here (${describeNeed(n)})` });
  const toSvc = ctx.service(ctx.root(to));
  if (toSvc.networksKeySpan)
    related.push({ span: toSvc.networksKeySpan, message: `networks of ${toSvc.name}` });
  const fromSvc = ctx.service(ctx.root(from));
  if (fromSvc.networksKeySpan)
    related.push({ span: fromSvc.networksKeySpan, message: `networks of ${fromSvc.name}` });

  const data: UnreachableDependencyData = {
    rule: 'unreachable-dependency',
    from,
    to,
    needs: failed.map((n) => ({ source: n.source, name: n.name })),
    fromNetworks: networksOf(from),
    toNetworks: networksOf(to),
    viaPorts: ports.map(portRef),
    certain: unknown === undefined,
  };
  if (unknown !== undefined) {
    report({
      message: `${from} needs ${to} (${what}); whether it can reach it cannot be checked: ${unknown}.`,
      span,
      related,
      data,
      uncertain: true,
    });
    return;
  }

  const why = reason(from, to, a, b, networksOf);
  const portNote =
    ports.length > 0 && !onlyStartOrder
      ? `; it could connect only through ${describeHostPort(portRef(ports[0]!))}, where the name '${first.name}' does not resolve`
      : '';
  report({
    message: `${from} needs ${to} (${what}) but cannot reach it: ${why}${portNote}.`,
    span,
    related,
    data,
  });
}

function reason(
  from: string,
  to: string,
  a: Attachment,
  b: Attachment,
  networksOf: (name: string) => string[],
): string {
  if (a.kind === 'none') return `${from} runs with network_mode: none`;
  if (b.kind === 'none') return `${to} runs with network_mode: none`;
  if (a.kind === 'host') return `${from} runs with network_mode: host, where service names do not resolve`;
  if (b.kind === 'host') return `${to} runs with network_mode: host, where its service name does not resolve`;
  const quote = (names: string[]): string => names.map((n) => `'${n}'`).join(', ');
  const fromNets = networksOf(from);
  const toNets = networksOf(to);
  if (fromNets.length === 1 && toNets.length === 1 && fromNets[0] === 'bridge' && toNets[0] === 'bridge') {
    return `both are on Docker's default bridge, which resolves no service names (only links)`;
  }
  return `${from} is on ${quote(fromNets)}, ${to} is on ${quote(toNets)}, and they share no network`;
}

function isDefaultBridge(ctx: RuleContext): boolean {
  // `bridge` is Docker's default bridge only when the project does not declare its own `bridge`.
  return ctx.graph.networks.get('bridge')?.implicit === true;
}

function modeText(a: Attachment): string {
  return a.kind === 'container' ? `container:${a.container}` : a.kind;
}

function describeNeed(n: RawNeed): string {
  switch (n.source) {
    case 'depends_on':
      return 'depends_on';
    case 'links':
      return `links: ${n.name}`;
    case 'environment':
      return `its environment names '${n.name}'`;
    case 'env_file':
      return `its env_file names '${n.name}'`;
    case 'command':
    case 'entrypoint':
    case 'healthcheck':
      return `its ${n.source} names '${n.name}'`;
    case 'config-file':
      return `a configuration file it mounts names '${n.name}'`;
    case 'label':
      return `a label names '${n.name}'`;
    case 'host-gateway':
      return `it connects to host port '${n.name}'`;
  }
}
