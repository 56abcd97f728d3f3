import type { ExternalNetworkData } from '../../../../shared/src/findingData';
import type { RawRelated } from '../diagnostics';
import type { Rule } from './context';

/**
 * A service joins a network created outside the project (an external network, or Docker's
 * default bridge through `network_mode: bridge`). Who else is on it cannot be told from the
 * file, so the finding says so rather than guessing at edges. Services that inherit the
 * network through `network_mode: service:x` are covered by x's finding.
 */
export const externalNetwork: Rule = {
  code: 'external-network',
  run(ctx, report) {
    for (const svc of ctx.active) {
      const attachment = ctx.graph.attachment.get(svc.name);
      if (attachment?.kind === 'bridge' && svc.networkMode) {
        const data: ExternalNetworkData = {
          rule: 'external-network',
          service: svc.name,
          network: 'bridge',
          dockerName: 'bridge',
          defaultBridge: true,
        };
        report({
          message:
            `${svc.name} uses network_mode: bridge: it joins Docker's default bridge, shared with every container ` +
            `on the host started without a network; which of them can reach it cannot be told from this file.`,
          span: svc.networkMode.span,
          data,
        });
        continue;
      }
      if (attachment?.kind !== 'networks') continue;
      for (const m of ctx.graph.memberships.get(svc.name) ?? []) {
        const net = ctx.model.networks.get(m.network);
        if (!net?.external) continue;
        const dockerName = net.name ?? net.key;
        const related: RawRelated[] = net.keySpan
          ? [{ span: net.externalSpan ?? net.keySpan, message: `network '${m.network}' is external` }]
          : [];
        const data: ExternalNetworkData = {
          rule: 'external-network',
          service: svc.name,
          network: m.network,
          dockerName,
          defaultBridge: false,
        };
        const named = dockerName === m.network ? '' : ` (Docker name '${dockerName}')`;
        report({
          message:
            `${svc.name} joins external network '${m.network}'${named}: containers of other projects on it can ` +
            `reach ${svc.name}, and this file cannot tell which.`,
          span: m.span ?? svc.keySpan,
          related,
          data,
        });
      }
    }
  },
};
