/** Mark a network `internal: true` (`network-not-internal`). */
import type { FixContext } from './context';
import { markInternalEdits } from './networks';
import type { Candidate } from './types';
import { CannotEdit } from './yamlEdit';

/**
 * `internal: true` on the network. Members whose only open network it is lose their egress
 * (and Docker stops publishing their ports): the title names them, and the fix is preferred
 * only when they are all data services.
 */
export function markInternal(ctx: FixContext, network: string): Candidate | undefined {
  let edits;
  try {
    edits = markInternalEdits(ctx, network);
  } catch (e) {
    if (e instanceof CannotEdit) return undefined;
    throw e;
  }
  const g = ctx.graph;
  const members = g.networks.get(network)?.members ?? [];
  const losers = members.filter(
    (m) =>
      g.egress.get(m) === true &&
      g.attachment.get(ctx.owner(m))?.kind === 'networks' &&
      (g.memberships.get(m) ?? []).every(
        (x) => x.network === network || g.networks.get(x.network)?.internal === true,
      ),
  );
  const portLosers = losers.filter((m) => (g.ports.get(m) ?? []).some((p) => p.effective));
  let note = '';
  if (losers.length > 0) {
    const one = losers.length === 1;
    note = ` (${list(losers)} ${one ? 'loses its' : 'lose their'} only egress${portLosers.length > 0 ? ` and ${portLosers.length === losers.length ? (one ? 'its' : 'their') : `${list(portLosers)}'s`} published ports` : ''})`;
  }
  return {
    fix: 'mark-internal',
    title: `Mark network ${network} internal${note}`,
    isPreferred: losers.every((m) => ctx.tier(m) === 'data') && portLosers.length === 0,
    edits,
    expect: (after) =>
      after.model.networks.get(network)?.internal === true ? [] : [`network ${network} is not internal`],
  };
}

function list(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
