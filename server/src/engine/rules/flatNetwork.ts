import type { FlatNetworkData } from '../../../../shared/src/findingData';
import type { Tier } from '../../../../shared/src/report';
import type { RawRelated } from '../diagnostics';
import type { Rule } from './context';
import { andList } from './context';

/**
 * One network carries public, app and data services together, and so gives some public
 * member a path to a data member it does not need (the same test as `public-reaches-data`:
 * a network where every public member uses every data store is not worth splitting).
 *
 * One finding per network: on its declaration, or for the implicit `default` on the first
 * data member's key. That is the service that has to leave the network, and the public
 * members' keys already carry the `public-reaches-data` findings.
 */
export const flatNetwork: Rule = {
  code: 'flat-network',
  run(ctx, report) {
    for (const [key, net] of ctx.graph.networks) {
      const members: Record<Tier, string[]> = { public: [], app: [], data: [] };
      for (const m of net.members) {
        const t = ctx.tier(m);
        if (t) members[t].push(m);
      }
      if (members.public.length === 0 || members.app.length === 0 || members.data.length === 0) continue;
      // Every public × data pair here is an edge via this network, so this stays within the edge map.
      const exposed = members.public.some((p) => members.data.some((d) => ctx.unneeded(p, d)));
      if (!exposed) continue;

      const firstData = ctx.service(members.data[0]!);
      const span = net.keySpan ?? firstData.keySpan;
      const related: RawRelated[] = [];
      for (const tier of ['public', 'app', 'data'] as const) {
        for (const m of members[tier]) {
          const own = ctx.graph.memberships.get(m)?.find((x) => x.network === key);
          const t = ctx.tiers.get(m)!;
          related.push({
            span: own?.span ?? ctx.service(m).keySpan,
            message: `${m} is ${tier}: ${t.reason}`,
          });
        }
      }
      const names = (tier: Tier): string => andList(members[tier]);
      const data: FlatNetworkData = { rule: 'flat-network', network: key, implicit: !net.keySpan, members };
      report({
        message:
          `network '${key}' carries public (${names('public')}), app (${names('app')}) and data ` +
          `(${names('data')}) services together: the public tier can reach the data tier directly.`,
        span,
        related,
        data,
      });
    }
  },
};
