import type { DockerSocketData } from '../../../../shared/src/findingData';
import type { Rule } from './context';
import { dockerSocketAccess } from '../evidence/definition';

/**
 * A service holds the Docker Engine API: a bind mount of the Docker socket (any syntax, `:ro`
 * included, which limits nothing the API allows) or `use_api_socket: true`. Through it the
 * service can start a container on any network, exec into any container, or mount the host's
 * root filesystem: it reaches and controls everything, whatever the networks say. A public
 * one is the worst case (one exploit away from the host) and gets the rule's level; any other
 * is one step milder (watchtower, a CI runner, a socket proxy hold it by design). Not an
 * error by default: errors are kept for projects that break at run time.
 */
export const dockerSocket: Rule = {
  code: 'docker-socket',
  run(ctx, report) {
    const others = ctx.active.length - 1;
    for (const svc of ctx.active) {
      const access = dockerSocketAccess(svc);
      if (!access) continue;
      const tier = ctx.tier(svc.name) ?? 'app';
      const data: DockerSocketData = {
        rule: 'docker-socket',
        service: svc.name,
        tier,
        access: access.kind,
        readOnly: access.readOnly,
        reaches: others,
      };
      // The path is not printed: it may come from a variable.
      const how =
        access.kind === 'mount'
          ? `mounts the Docker socket${access.readOnly ? ' (read-only does not limit the API)' : ''}`
          : 'gets the Docker socket through use_api_socket';
      report({
        message:
          `${ctx.label(svc.name)} ${how}: through the Docker API it can reach and control every container ` +
          `on the host and start new ones on any network` +
          (tier === 'public' ? '; it is public, so whoever takes it over controls the host.' : '.'),
        span: access.span,
        related: [ctx.serviceRelated(svc.name)],
        data,
        ...(tier === 'public' ? {} : { milder: true }),
      });
    }
  },
};
