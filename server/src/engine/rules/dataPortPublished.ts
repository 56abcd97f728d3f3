import type { DataPortPublishedData } from '../../../../shared/src/findingData';
import type { Rule } from './context';
import { describeHostIp, describePort, portRef } from './context';

/**
 * A data service publishes a port on a non-loopback address. Only ports Docker really
 * publishes: on internal-only networks `ports-unpublished-internal` speaks instead, and in
 * host mode `host-network-mode`.
 */
export const dataPortPublished: Rule = {
  code: 'data-port-published',
  run(ctx, report) {
    for (const svc of ctx.active) {
      if (ctx.tier(svc.name) !== 'data') continue;
      for (const p of ctx.graph.ports.get(svc.name) ?? []) {
        if (!p.effective || p.loopback) continue;
        const ref = portRef(p);
        const data: DataPortPublishedData = {
          rule: 'data-port-published',
          service: svc.name,
          ...ref,
          syntax: p.syntax,
        };
        report({
          message:
            `${ctx.label(svc.name)} publishes ${describePort(ref)} on ${describeHostIp(p.hostIp)}: ` +
            `it is reachable from outside the host and from every container with a route out.`,
          span: p.span,
          related: [ctx.serviceRelated(svc.name)],
          data,
        });
      }
    }
  },
};
