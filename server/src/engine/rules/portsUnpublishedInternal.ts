import type { PortsUnpublishedInternalData } from '../../../../shared/src/findingData';
import type { RawRelated } from '../diagnostics';
import type { Rule } from './context';
import { andList, portRef } from './context';

/**
 * A service attached only to internal networks lists `ports`: Docker silently does not
 * publish them. One finding on the `ports` key (the fix removes it, or adds a network).
 */
export const portsUnpublishedInternal: Rule = {
  code: 'ports-unpublished-internal',
  run(ctx, report) {
    for (const svc of ctx.active) {
      if (svc.ports.length === 0 || ctx.graph.attachment.get(svc.name)?.kind !== 'networks') continue;
      const memberships = ctx.graph.memberships.get(svc.name) ?? [];
      if (memberships.length === 0) continue;
      if (!memberships.every((m) => ctx.graph.networks.get(m.network)?.internal === true)) continue;

      const networks = memberships.map((m) => m.network);
      const related: RawRelated[] = [];
      for (const m of memberships) {
        const decl = ctx.graph.networks.get(m.network);
        const span = decl?.internalSpan ?? decl?.keySpan;
        if (span) related.push({ span, message: `network '${m.network}' is internal` });
      }
      const ports = svc.ports.map(portRef);
      const data: PortsUnpublishedInternalData = {
        rule: 'ports-unpublished-internal',
        service: svc.name,
        networks,
        ports,
      };
      const quoted = networks.map((n) => `'${n}'`);
      report({
        message:
          `${svc.name} lists ports, but it is attached only to internal network${networks.length === 1 ? '' : 's'} ` +
          `${andList(quoted)}: Docker silently does not publish them.`,
        span: svc.portsKeySpan ?? svc.keySpan,
        related,
        data,
      });
    }
  },
};
