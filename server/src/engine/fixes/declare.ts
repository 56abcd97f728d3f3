/**
 * Fixes for a reference to an undeclared network (`undefined-network`): point it at the
 * declared network it was meant to name, or declare it.
 */
import type { Span } from '../load/tree';
import type { FixContext } from './context';
import { declareNetworkEdits } from './networks';
import type { Candidate } from './types';
import { CannotEdit, scalarLike } from './yamlEdit';

/** Declare the network, or use a declared one with a name one or two typos away (preferred). */
export function declareNetwork(ctx: FixContext, span: Span): Candidate[] {
  let found: { service: string; network: string } | undefined;
  for (const svc of ctx.model.services.values()) {
    const ref = svc.networks?.find((r) => r.span.file === span.file && r.span.start === span.start);
    if (ref) found = { service: svc.name, network: ref.network };
  }
  if (!found) return [];
  const { service, network } = found;
  const out: Candidate[] = [];
  const listed = new Set(ctx.model.services.get(service)?.networks?.map((r) => r.network));
  const close = [...ctx.model.networks.keys()]
    .filter((k) => !listed.has(k))
    .map((k) => ({ k, d: distance(k.toLowerCase(), network.toLowerCase()) }))
    .filter((x) => x.d <= Math.min(2, Math.floor(network.length / 3)) || x.d === 0)
    .sort((a, b) => a.d - b.d);
  const gone = (after: Parameters<NonNullable<Candidate['expect']>>[0]): string[] =>
    after.model.services
      .get(service)
      ?.networks?.some((r) => r.network === network && !after.model.networks.has(network))
      ? [`${service} still refers to ${network}`]
      : [];
  try {
    const y = ctx.yaml(span.file);
    const s = y.scalarAt(span.start);
    if (s && !y.isShared(s) && close[0]) {
      const to = close[0].k;
      out.push({
        fix: 'rename-network-reference',
        title: `Change to network ${to} (declared)`,
        isPreferred: true,
        edits: y.setScalar(s, scalarLike(s, to)),
        expect: gone,
      });
    }
  } catch (e) {
    if (!(e instanceof CannotEdit)) throw e;
  }
  try {
    out.push({
      fix: 'declare-network',
      title: `Declare network ${network}`,
      isPreferred: out.length === 0,
      edits: declareNetworkEdits(ctx, span.file, [[network, null]]),
      expect: (after) => (after.model.networks.has(network) ? [] : [`network ${network} is not declared`]),
    });
  } catch (e) {
    if (!(e instanceof CannotEdit)) throw e;
  }
  return out;
}

/** Levenshtein distance (names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
