import type { AdminConsoleExposedData } from '../../../../shared/src/findingData';
import { adminConsoleOf, servesConsole } from './adminConsoles';
import type { Rule } from './context';
import { describeHostIp, describePort, portRef } from './context';

/**
 * An administration console (pgAdmin, phpMyAdmin, mongo-express, Portainer, the Traefik
 * dashboard with `--api.insecure` ...) publishes its UI on a non-loopback address: its login
 * page, or no login at all, is open to whoever reaches the host. Only ports Docker really
 * publishes, and only the UI port of a store or proxy that also serves one.
 */
export const adminConsoleExposed: Rule = {
  code: 'admin-console-exposed',
  run(ctx, report) {
    for (const svc of ctx.active) {
      const ports = ctx.graph.ports.get(svc.name) ?? [];
      // Most services publish nothing: ask what they run only when one does.
      if (!ports.some((p) => p.effective && !p.loopback)) continue;
      const ui = adminConsoleOf(svc);
      if (!ui) continue;
      for (const p of ports) {
        if (!p.effective || p.loopback || p.protocol !== 'tcp' || !servesConsole(ui, p.target)) continue;
        const ref = portRef(p);
        const data: AdminConsoleExposedData = {
          rule: 'admin-console-exposed',
          service: svc.name,
          console: ui.name,
          ...ref,
          syntax: p.syntax,
        };
        report({
          message:
            `${ctx.label(svc.name)} publishes ${ui.name} on ${describePort(ref)} on ` +
            `${describeHostIp(p.hostIp)}: whoever reaches the host gets its UI, and through it ${ui.controls}.`,
          span: p.span,
          related: [ctx.serviceRelated(svc.name)],
          data,
        });
      }
    }
  },
};
