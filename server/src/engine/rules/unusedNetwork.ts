import type { UnusedNetworkData } from '../../../../shared/src/findingData';
import type { Rule } from './context';

/**
 * A declared network no service joins. Services behind an inactive profile count as users:
 * the network is needed when the profile is on.
 */
export const unusedNetwork: Rule = {
  code: 'unused-network',
  run(ctx, report) {
    const used = new Set<string>();
    for (const svc of ctx.model.services.values()) {
      if (svc.networks) for (const r of svc.networks) used.add(r.network);
      else if (!svc.networkMode) used.add('default');
    }
    for (const [key, net] of ctx.model.networks) {
      if (used.has(key) || !net.keySpan) continue;
      const data: UnusedNetworkData = { rule: 'unused-network', network: key };
      report({
        message: `network '${key}' is declared but no service uses it.`,
        span: net.keySpan,
        data,
        tags: ['unnecessary'],
      });
    }
  },
};
