import type { UnusedNetworkData } from '../../../../shared/src/findingData';
import { child, type LNode } from '../load/tree';
import type { ServiceModel } from '../model/types';
import { dockerSocketAccess } from '../evidence/definition';
import type { Rule } from './context';

/**
 * A declared network no service joins. Services behind an inactive profile count as users:
 * the network is needed when the profile is on. So does a network a service names in its
 * configuration (Traefik's `--providers.docker.network=web`, a CI runner's network setting):
 * containers that service starts, or routes to, join it. A network with an explicit `name:`
 * is kept when a service holds the Docker socket: it can attach containers to it by name.
 */
export const unusedNetwork: Rule = {
  code: 'unused-network',
  run(ctx, report) {
    const used = new Set<string>();
    for (const svc of ctx.model.services.values()) {
      if (svc.networks) for (const r of svc.networks) used.add(r.network);
      else if (!svc.networkMode) used.add('default');
    }
    const services = [...ctx.model.services.values()];
    let socket: boolean | undefined;
    let words: Set<string> | undefined;
    for (const [key, net] of ctx.model.networks) {
      if (used.has(key) || !net.keySpan) continue;
      if (net.name !== undefined && (socket ??= services.some((s) => dockerSocketAccess(s) !== undefined)))
        continue;
      words ??= configWords(services);
      const dockerName = net.name ?? (net.external ? key : `${ctx.model.project}_${key}`);
      if (words.has(dockerName) || (net.name !== undefined && words.has(net.name))) continue;
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

/** Keys whose values may name a network for containers a service starts or routes to. */
const CONFIG_KEYS = ['environment', 'command', 'entrypoint', 'labels'];

/** Every name-like token in the services' configuration values. */
function configWords(services: readonly ServiceModel[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: LNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'scalar') {
      if (typeof n.value === 'string') for (const w of n.value.split(/[^A-Za-z0-9_.-]+/)) if (w) out.add(w);
    } else if (n.kind === 'seq') {
      for (const item of n.items) visit(item);
    } else {
      for (const e of n.entries.values()) {
        for (const w of e.key.split(/[^A-Za-z0-9_.-]+/)) if (w) out.add(w);
        visit(e.value);
      }
    }
  };
  for (const s of services) for (const k of CONFIG_KEYS) visit(child(s.node, k));
  return out;
}
