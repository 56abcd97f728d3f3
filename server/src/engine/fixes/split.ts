/**
 * Split a network into tiers, the way the seed's article restructures a flat project:
 *
 * - public services on a `frontend` network;
 * - public and app services together on a `backend` network, so a proxy keeps reaching the
 *   apps it routes to even when the routing lives outside the file (a declared network that
 *   is split keeps this role under its own name, with its settings);
 * - each data service on its own internal `<service>-net`, shared only with the services
 *   that need it or that it needs (least privilege, like the seed's per-database networks);
 *   a data service no service is known to need is shared with the app tier (the seed's
 *   `database` network), so the split never cuts a link the file does not declare.
 *
 * Services behind inactive profiles move too (they would be stranded on the old network
 * when enabled). Services sharing a namespace (`network_mode: service:x`) move as one unit,
 * through x.
 */
import type { Tier } from '../../../../shared/src/report';
import type { ProjectAnalysis } from '../index';
import { RuleContext } from '../rules/context';
import type { FixContext } from './context';
import type { TextEdit } from './edits';
import { changedNetworks, declareNetworkEdits, serviceNetworkEdits, type NetworkChange } from './networks';
import type { Candidate } from './types';
import { CannotEdit, type YValue } from './yamlEdit';

/** The split of `network`, or undefined when there is no data service to take off it. */
export function splitTiers(ctx: FixContext, network: string): Candidate | undefined {
  const g = ctx.fullGraph();
  const net = g.networks.get(network);
  if (!net || (net.implicit && network !== 'default')) return undefined;
  const isDefault = network === 'default';

  // Units: a namespace owner and the services living in its namespace.
  const units = new Map<string, string[]>();
  for (const m of net.members) {
    const o = ctx.owner(m, g);
    if (g.attachment.get(o)?.kind !== 'networks') return undefined;
    const list = units.get(o);
    if (list) list.push(m);
    else units.set(o, [m]);
  }
  // A unit is as exposed as its most exposed member; otherwise it is what its owner is (an
  // exporter living in a database's namespace stays with the database).
  const tierOf = new Map<string, Tier>();
  for (const [o, members] of units) {
    tierOf.set(o, members.some((m) => ctx.tier(m) === 'public') ? 'public' : ctx.tier(o));
  }
  const ofTier = (t: Tier): string[] => [...units.keys()].filter((o) => tierOf.get(o) === t);
  const pub = ofTier('public');
  const app = ofTier('app');
  const data = ofTier('data');
  if (data.length === 0) return undefined;

  // Needs between units, through any of their services.
  const needers = new Map<string, Set<string>>();
  const needed = new Map<string, Set<string>>();
  for (const [o, members] of units) {
    for (const m of members) {
      for (const t of ctx.needs(m, g)) {
        const to = ctx.owner(t, g);
        if (to === o || !units.has(to)) continue;
        (needers.get(to) ?? needers.set(to, new Set()).get(to)!).add(o);
        (needed.get(o) ?? needed.set(o, new Set()).get(o)!).add(to);
      }
    }
  }

  const rules = new RuleContext(ctx.model, g, ctx.analysis.tiers);
  const taken = ctx.takenNetworkKeys();
  const internal = net.internal;
  let frontend: string | undefined;
  let backend: string | undefined;
  if (isDefault) {
    if (pub.length > 0) frontend = ctx.freshName('frontend', taken);
    if (app.length > 0) backend = ctx.freshName('backend', taken);
  } else {
    backend = network;
    if (pub.length > 0 && app.length > 0) frontend = ctx.freshName('frontend', taken);
  }
  const dataNets = new Map<string, { key: string; members: Set<string> }>();
  for (const d of data) {
    const members = new Set<string>([d]);
    const users = needers.get(d) ?? new Set();
    for (const u of users) members.add(u);
    for (const t of needed.get(d) ?? []) if (tierOf.get(t) !== 'data') members.add(t);
    if (users.size === 0) for (const a of app) members.add(a);
    // A public service the rules do not call a stranger to d (an app publishing a port, with
    // no declared dependencies) may be its user: keep the link, as for the app tier.
    for (const p of pub) if (!rules.unneeded(p, d)) members.add(p);
    dataNets.set(d, { key: ctx.freshName(`${d}-net`, taken), members });
  }

  // Each unit's change.
  const plan = new Map<string, NetworkChange>();
  for (const o of units.keys()) {
    const joins = [...dataNets.values()]
      .filter((n) => n.members.has(o) && n !== dataNets.get(o))
      .map((n) => n.key);
    const tier = tierOf.get(o)!;
    if (tier === 'data') {
      plan.set(o, { move: { from: network, to: dataNets.get(o)!.key }, add: joins });
    } else if (isDefault) {
      const tierNets = (tier === 'public' ? [frontend, backend] : [backend]).filter((n): n is string => !!n);
      if (tierNets.length === 0) return undefined;
      // Settings written under an explicit `default` entry (aliases) follow to the network
      // the service's peers are on.
      const listsDefault = ctx.model.services.get(o)?.networks?.some((r) => r.network === network);
      const to = backend ?? tierNets[0]!;
      plan.set(
        o,
        listsDefault
          ? { move: { from: network, to }, add: [...tierNets.filter((n) => n !== to), ...joins] }
          : { remove: [network], add: [...tierNets, ...joins] },
      );
    } else {
      plan.set(o, { add: [...(tier === 'public' && frontend ? [frontend] : []), ...joins] });
    }
  }

  let edits: TextEdit[];
  try {
    edits = [];
    const files = new Set<string>();
    for (const [o, change] of plan) {
      const e = serviceNetworkEdits(ctx, o, change);
      edits.push(...e);
      for (const x of e) files.add(x.file);
    }
    const declFile = declarationFile(ctx, network, isDefault, files);
    const decl = (key: string, isInternal: boolean): [string, YValue] => [
      key,
      isInternal ? { map: [['internal', true]] } : null,
    ];
    const decls: Array<[string, YValue]> = [];
    if (frontend) decls.push(decl(frontend, internal));
    if (backend && isDefault) decls.push(decl(backend, internal));
    for (const n of dataNets.values()) decls.push(decl(n.key, true));
    edits.push(...declareNetworkEdits(ctx, declFile, decls));
  } catch (e) {
    if (e instanceof CannotEdit) return undefined;
    throw e;
  }

  const names = [frontend, backend, ...[...dataNets.values()].map((n) => n.key)].filter(
    (n): n is string => n !== undefined,
  );
  const tiers = Number(frontend !== undefined) + Number(backend !== undefined) + 1;
  const planned = new Map([...plan].map(([o, c]) => [o, changedNetworks(ctx, o, c)]));
  const created = new Map<string, boolean>();
  if (frontend) created.set(frontend, internal);
  if (backend && isDefault) created.set(backend, internal);
  for (const n of dataNets.values()) created.set(n.key, true);
  // Docker publishes nothing for a container whose networks are all internal: say so.
  const quiet = data.filter((d) => {
    const open = (planned.get(d) ?? []).some(
      (k) => !(created.get(k) ?? g.networks.get(k)?.internal === true),
    );
    return !open && (g.ports.get(d) ?? []).some((p) => p.effective);
  });
  const note =
    quiet.length > 0
      ? ` (${quiet.join(', ')} ${quiet.length === 1 ? 'stops' : 'stop'} publishing ports: data networks are internal)`
      : '';

  return {
    fix: 'split-tiers',
    title: `Split into ${tiers} tiers: ${names.join(', ')}${note}`,
    isPreferred: true,
    edits,
    expect: (after) =>
      splitProblems(ctx, after, {
        planned,
        pub: pub.flatMap((o) => units.get(o)!),
        data: data.flatMap((o) => units.get(o)!),
        touched: new Set(names),
        dataNets: [...dataNets.values()].map((n) => n.key),
        unneeded: (p, d) => rules.unneeded(p, d),
      }),
  };
}

/**
 * Where the new networks are declared: beside the split network's declaration, else in the
 * first compose file, or in the included file when every edited service lives in it (an
 * included file is validated on its own).
 */
function declarationFile(ctx: FixContext, network: string, isDefault: boolean, files: Set<string>): string {
  const units = new Set([...files].map((f) => ctx.unitOf(f)));
  const decl = ctx.model.networks.get(network)?.keySpan?.file;
  if (!isDefault && decl) units.add(ctx.unitOf(decl));
  if (units.size > 1) throw new CannotEdit('the services to move live in different included files');
  if (!isDefault && decl) return decl;
  const [unit] = units;
  return unit ? unit : ctx.mainFile();
}

/** What the split promised, checked on the new analysis. */
function splitProblems(
  ctx: FixContext,
  after: ProjectAnalysis,
  plan: {
    /** Owner → the networks it should be on. */
    planned: Map<string, string[]>;
    /** Services of public units, and of data units. */
    pub: string[];
    data: string[];
    /** Networks the split created or kept as a tier. */
    touched: Set<string>;
    dataNets: string[];
    unneeded: (p: string, d: string) => boolean;
  },
): string[] {
  const problems: string[] = [];
  for (const [o, want] of plan.planned) {
    const m = after.graph.memberships.get(o);
    if (!m) continue; // inactive now: its networks are in the file, not in the graph
    const got = m.map((x) => x.network).sort();
    if (got.join(',') !== [...want].sort().join(','))
      problems.push(`${o} is on ${got.join(', ')}, not ${want.join(', ')}`);
  }
  for (const k of plan.dataNets)
    if (after.model.networks.get(k)?.internal !== true) problems.push(`${k} is not internal`);
  const full = ctx.fullGraph();
  for (const p of plan.pub) {
    for (const d of plan.data) {
      const vias = after.graph.reach.vias(p, d);
      const through = vias.some((v) => v.kind === 'network' && plan.touched.has(v.network));
      if (through && plan.unneeded(p, d) && !ctx.needs(d, full).has(p))
        problems.push(`${p} still reaches ${d}`);
    }
  }
  const dataUnits = new Set(plan.data);
  for (const [s, had] of ctx.graph.egress) {
    if (had && !dataUnits.has(s) && after.graph.egress.get(s) === false)
      problems.push(`${s} loses its egress`);
  }
  return problems;
}
