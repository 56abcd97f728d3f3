import type { NetworkNotInternalData } from '../../../../shared/src/findingData';
import type { RawRelated } from '../diagnostics';
import type { Rule, RuleContext } from './context';
import { andList } from './context';

/**
 * A network that carries a data service and whose members do not need it for egress is not
 * `internal: true`.
 *
 * A member needs the network when it needs a route out (any public or app service, and a
 * data service that publishes a port: Docker publishes nothing from internal-only networks)
 * and has no other network that stays open. A network stays open when it is not internal
 * and carries no data service (this rule never asks to close it), or is external. Networks
 * Docker or another project owns (external, the default bridge) are not this file's to change.
 */
export const networkNotInternal: Rule = {
  code: 'network-not-internal',
  run(ctx, report) {
    const carriesData = new Map<string, boolean>();
    for (const [key, net] of ctx.graph.networks) {
      carriesData.set(
        key,
        net.members.some((m) => ctx.tier(m) === 'data'),
      );
    }
    const staysOpen = (key: string): boolean => {
      const net = ctx.graph.networks.get(key);
      return net !== undefined && !net.internal && (net.external || !carriesData.get(key));
    };

    for (const [key, net] of ctx.graph.networks) {
      if (net.internal || net.external || !carriesData.get(key)) continue;
      const relies = net.members.filter(
        (m) =>
          needsRouteOut(ctx, m) &&
          !ctx.graph.memberships.get(m)?.some((x) => x.network !== key && staysOpen(x.network)),
      );
      if (relies.length > 0) continue;

      const dataServices = net.members.filter((m) => ctx.tier(m) === 'data');
      const others = net.members.filter((m) => ctx.tier(m) !== 'data');
      const span = net.internalSpan ?? net.keySpan ?? ctx.service(dataServices[0]!).keySpan;
      const related: RawRelated[] = dataServices.map((d) => ctx.serviceRelated(d));
      const data: NetworkNotInternalData = {
        rule: 'network-not-internal',
        network: key,
        implicit: !net.keySpan,
        dataServices,
        internalWritten: net.internalSpan !== undefined,
      };
      // Say where the other members keep their route out, so the change reads as safe.
      const through = others.map((m) => {
        const open = (ctx.graph.memberships.get(m) ?? []).filter(
          (x) => x.network !== key && staysOpen(x.network),
        );
        return { m, nets: andList(open.map((x) => `'${x.network}'`)) };
      });
      const keep =
        through.length === 0
          ? ''
          : through.length === 1
            ? `; ${through[0]!.m} keeps egress through ${through[0]!.nets}`
            : `; the other members keep egress elsewhere (${through.map((t) => `${t.m} through ${t.nets}`).join(', ')})`;
      report({
        message:
          `network '${key}' carries data service${dataServices.length === 1 ? '' : 's'} ${andList(dataServices)} ` +
          `but is not internal: its members have a route out of the host, and none needs it${keep}.`,
        span,
        related,
        data,
      });
    }
  },
};

function needsRouteOut(ctx: RuleContext, name: string): boolean {
  if (ctx.tier(name) !== 'data') return true;
  return (ctx.graph.ports.get(name) ?? []).some((p) => p.effective);
}
