import type { HostNetworkModeData } from '../../../../shared/src/findingData';
import type { RawRelated } from '../diagnostics';
import type { Rule } from './context';

/** `network_mode: host`, on the value. */
export const hostNetworkMode: Rule = {
  code: 'host-network-mode',
  run(ctx, report) {
    for (const svc of ctx.active) {
      if (svc.networkMode?.value !== 'host') continue;
      const hasPorts = svc.ports.length > 0;
      const related: RawRelated[] = [];
      if (hasPorts && svc.portsKeySpan) {
        related.push({
          span: svc.portsKeySpan,
          message: `ignored in host mode: ${svc.name} listens on the host directly`,
        });
      }
      const data: HostNetworkModeData = { rule: 'host-network-mode', service: svc.name, hasPorts };
      report({
        message:
          `${svc.name} uses network_mode: host: it shares the host's network stack and bypasses every network ` +
          `boundary (whatever it listens on is open on the host, and it reaches every port bound there, loopback included)` +
          (hasPorts ? '; its `ports` are ignored.' : '.'),
        span: svc.networkMode.span,
        related,
        data,
      });
    }
  },
};
