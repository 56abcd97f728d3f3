/**
 * Connect a service to one it needs but cannot reach (`unreachable-dependency`): join it to
 * a network of the target where that keeps the tiers apart, or else put both on a new
 * internal network of their own.
 */
import type { FixContext } from './context';
import { declareNetworkEdits, serviceNetworkEdits } from './networks';
import type { Candidate } from './types';
import { CannotEdit } from './yamlEdit';

/** The fixes for `from` needing `to`: an existing network of `to` (preferred), a new one. */
export function connectServices(ctx: FixContext, from: string, to: string): Candidate[] {
  const g = ctx.graph;
  const a = ctx.owner(from);
  const b = ctx.owner(to);
  if (a === b || g.attachment.get(a)?.kind !== 'networks' || g.attachment.get(b)?.kind !== 'networks')
    return [];
  const needs = (x: string, y: string): boolean => ctx.needs(x).has(y) || ctx.needs(y).has(x);
  const fromTier = ctx.tier(a);
  const unit = (s: string): string =>
    ctx.unitOf(ctx.model.services.get(s)?.networksKeySpan?.file ?? ctx.model.services.get(s)!.keySpan.file);
  const reached = (after: Parameters<NonNullable<Candidate['expect']>>[0]): string[] =>
    after.graph.reach.vias(from, to).some((v) => v.kind !== 'published-port')
      ? []
      : [`${from} still cannot reach ${to}`];

  // Joining a network is safe when it puts no public service next to a data service neither
  // needs, and gives no route out to a service that had none.
  const safe = (key: string): boolean => {
    const net = g.networks.get(key);
    if (!net || net.external || (net.implicit && key !== 'default')) return false;
    if (!net.internal && !g.egress.get(a)) return false;
    const declared = ctx.model.networks.get(key)?.keySpan?.file;
    if (declared && ctx.unitOf(declared) !== unit(a)) return false;
    return net.members.every((m) => {
      const t = ctx.tier(m);
      const pair = (fromTier === 'public' && t === 'data') || (fromTier === 'data' && t === 'public');
      return !pair || needs(from, m) || needs(a, m);
    });
  };
  const options = (g.memberships.get(b) ?? [])
    .map((m) => m.network)
    .filter(safe)
    .sort((x, y) => (g.networks.get(x)?.members.length ?? 0) - (g.networks.get(y)?.members.length ?? 0));

  const out: Candidate[] = [];
  const via = options[0];
  if (via) {
    try {
      out.push({
        fix: 'connect-services',
        title: `Connect ${from} to ${to}: join network ${via}`,
        isPreferred: true,
        edits: serviceNetworkEdits(ctx, a, { add: [via] }),
        expect: reached,
      });
    } catch (e) {
      if (!(e instanceof CannotEdit)) throw e;
    }
  }
  try {
    if (unit(a) !== unit(b)) throw new CannotEdit('the two services live in different included files');
    const key = ctx.freshName(`${b}-net`, ctx.takenNetworkKeys());
    const edits = [
      ...serviceNetworkEdits(ctx, a, { add: [key] }),
      ...serviceNetworkEdits(ctx, b, { add: [key] }),
    ];
    const file = unit(a) || ctx.mainFile();
    edits.push(...declareNetworkEdits(ctx, file, [[key, { map: [['internal', true]] }]]));
    out.push({
      fix: 'connect-services',
      title: `Connect ${from} to ${to}: new internal network ${key}`,
      isPreferred: out.length === 0,
      edits,
      expect: reached,
    });
  } catch (e) {
    if (!(e instanceof CannotEdit)) throw e;
  }
  return out;
}
