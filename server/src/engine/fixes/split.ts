/**
 * Split a network into tiers, the way the seed's article restructures a flat project, and
 * never cut a link the engine cannot prove unneeded.
 *
 * The preferred split is the seed's layout and removes only what the rules prove:
 * - public and app services stay together on one network (the split network under its own
 *   name, or a new `backend` for `default`): a proxy keeps reaching the apps it routes to even
 *   when the routing lives outside the file. No `frontend` that would hold only services
 *   already together there: such a network changes nothing;
 * - data services move to an internal data network shared with the whole app tier, so every
 *   app keeps every data store whatever the file says about its needs (a host in a config
 *   file or an image default is invisible to any tool);
 * - a public service keeps a data store unless the rules prove it does not need it
 *   (`RuleContext.unneeded`); data stores kept by different public services get separate
 *   data networks, so no public service gains a store it did not reach.
 *
 * Least privilege (each data store shared only with the services known to use it) is a
 * second, never-preferred action whose title names every link it removes: the file's needs
 * are rarely complete, so only the user can take that step.
 *
 * Services behind inactive profiles move too (they would be stranded on the old network
 * when enabled). Services sharing a namespace (`network_mode: service:x`) move as one unit,
 * through x. A unit with a static address on the network stays on it (the address belongs to
 * its subnet); a data unit with one cannot be moved, and then there is no split.
 */
import type { Tier } from '../../../../shared/src/report';
import type { Graph } from '../graph/graph';
import type { ProjectAnalysis } from '../index';
import { child } from '../load/tree';
import { RuleContext } from '../rules/context';
import type { FixContext } from './context';
import type { TextEdit } from './edits';
import { changedNetworks, declareNetworkEdits, serviceNetworkEdits, type NetworkChange } from './networks';
import type { Candidate } from './types';
import { CannotEdit, type YValue } from './yamlEdit';

/** What both splits of one network start from. */
interface Split {
  ctx: FixContext;
  g: Graph;
  network: string;
  isDefault: boolean;
  /** Namespace owner → its services. */
  units: Map<string, string[]>;
  tierOf: Map<string, Tier>;
  pub: string[];
  app: string[];
  data: string[];
  /** unit → units that need it, and unit → units it needs (through any of their services). */
  needers: Map<string, Set<string>>;
  needed: Map<string, Set<string>>;
  rules: RuleContext;
  /** Units with an `ipv4_address`/`ipv6_address` on the network. */
  pinned: Set<string>;
}

/** A data network a split creates. */
interface DataNet {
  key: string;
  members: Set<string>;
  internal: boolean;
}

/** The splits of `network`: the preferred one, then least privilege when it differs. */
export function splitTiers(ctx: FixContext, network: string): Candidate[] {
  const s = analyseSplit(ctx, network);
  if (!s) return [];
  const out: Candidate[] = [];
  const shared = sharedSplit(s);
  if (shared) out.push(shared);
  const least = leastPrivilegeSplit(s);
  if (least) out.push(least);
  return out;
}

function analyseSplit(ctx: FixContext, network: string): Split | undefined {
  const g = ctx.fullGraph();
  const net = g.networks.get(network);
  if (!net || (net.implicit && network !== 'default')) return undefined;

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
  const data = ofTier('data');
  if (data.length === 0) return undefined;

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
  const pinned = new Set([...units.keys()].filter((o) => hasStaticAddress(ctx, o, network)));
  if (data.some((d) => pinned.has(d))) return undefined;
  return {
    ctx,
    g,
    network,
    isDefault: network === 'default',
    units,
    tierOf,
    pub: ofTier('public'),
    app: ofTier('app'),
    data,
    needers,
    needed,
    rules: new RuleContext(ctx.model, g, ctx.analysis.tiers),
    pinned,
  };
}

/** True when the service's entry for `network` sets an address (it belongs to that subnet). */
function hasStaticAddress(ctx: FixContext, service: string, network: string): boolean {
  const entry = child(child(ctx.model.services.get(service)?.node, 'networks'), network);
  return child(entry, 'ipv4_address') !== undefined || child(entry, 'ipv6_address') !== undefined;
}

/** True when no service of unit `p` may need a service of unit `d` (the rules' proof). */
function provenUnneeded(s: Split, p: string, d: string): boolean {
  if (s.needed.get(d)?.has(p)) return false;
  return s.units.get(p)!.every((pm) => s.units.get(d)!.every((dm) => s.rules.unneeded(pm, dm)));
}

/**
 * Docker publishes nothing for a container whose networks are all internal: a data network
 * stays open when one of its stores publishes a port (host access is kept; the port's own
 * rules say whether it should be published).
 */
function publishes(s: Split, units: Iterable<string>): boolean {
  for (const d of units)
    for (const m of s.units.get(d) ?? []) if ((s.g.ports.get(m) ?? []).some((p) => p.effective)) return true;
  return false;
}

/** The network public and app units share after the split (undefined when there are none). */
function tierNetwork(s: Split, taken: Set<string>): string | undefined {
  if (!s.isDefault) return s.network;
  if (s.pub.length + s.app.length === 0) return undefined;
  return s.ctx.freshName(s.app.length > 0 ? 'backend' : 'frontend', taken);
}

/** The seed's layout: data networks shared with the whole app tier (see the module comment). */
function sharedSplit(s: Split): Candidate | undefined {
  const taken = s.ctx.takenNetworkKeys();
  const tierNet = tierNetwork(s, taken);
  // Data units grouped by the public units that may need them: one data network per group.
  const groups = new Map<string, { stores: string[]; pub: string[] }>();
  for (const d of s.data) {
    const pub = s.pub.filter((p) => !provenUnneeded(s, p, d));
    const key = pub.join('\0');
    const group = groups.get(key);
    if (group) group.stores.push(d);
    else groups.set(key, { stores: [d], pub });
  }
  const dataNets: DataNet[] = [];
  const netOf = new Map<string, DataNet>();
  for (const { stores, pub } of groups.values()) {
    const net: DataNet = {
      key: s.ctx.freshName('data', taken),
      members: new Set([...stores, ...s.app, ...pub]),
      internal: !publishes(s, stores),
    };
    dataNets.push(net);
    for (const d of stores) netOf.set(d, net);
  }
  // A store that needs another store, or a public service, keeps it.
  for (const d of s.data) {
    for (const t of s.needed.get(d) ?? []) {
      const other = netOf.get(t);
      if (other) other.members.add(d);
      else netOf.get(d)!.members.add(t);
    }
  }
  return candidate(s, tierNet, dataNets, netOf, true);
}

/** Each data store on its own network with the services known to use it. */
function leastPrivilegeSplit(s: Split): Candidate | undefined {
  const taken = s.ctx.takenNetworkKeys();
  const tierNet = tierNetwork(s, taken);
  const dataNets: DataNet[] = [];
  const netOf = new Map<string, DataNet>();
  for (const d of s.data) {
    const members = new Set<string>([d]);
    const users = s.needers.get(d) ?? new Set();
    for (const u of users) members.add(u);
    for (const t of s.needed.get(d) ?? []) if (s.tierOf.get(t) !== 'data') members.add(t);
    // Nobody is known to use it: whoever does is unknown, so the app tier keeps it.
    if (users.size === 0) for (const a of s.app) members.add(a);
    for (const p of s.pub) if (!provenUnneeded(s, p, d)) members.add(p);
    const net: DataNet = { key: s.ctx.freshName(`${d}-net`, taken), members, internal: !publishes(s, [d]) };
    dataNets.push(net);
    netOf.set(d, net);
  }
  for (const d of s.data) for (const t of s.needed.get(d) ?? []) netOf.get(t)?.members.add(d);
  const c = candidate(s, tierNet, dataNets, netOf, false);
  if (!c) return undefined;
  // Only worth offering when it takes away more than the preferred split does.
  const lost = losses(s, netOf);
  const beyond = lost.filter(([u]) => s.tierOf.get(u) !== 'public' || s.pub.length === 0);
  return beyond.length > 0 ? c : undefined;
}

/** `[unit, data unit]` pairs that reach each other now and no longer would. */
function losses(s: Split, netOf: Map<string, DataNet>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const d of s.data) {
    const net = netOf.get(d)!;
    for (const u of s.units.keys()) {
      if (u === d || s.tierOf.get(u) === 'data') continue;
      if (!net.members.has(u)) out.push([u, d]);
    }
  }
  // Stores that shared the network and no longer share one.
  for (let i = 0; i < s.data.length; i++) {
    for (let j = i + 1; j < s.data.length; j++) {
      const [a, b] = [s.data[i]!, s.data[j]!];
      if (!netOf.get(a)!.members.has(b) && !netOf.get(b)!.members.has(a)) out.push([a, b]);
    }
  }
  return out;
}

/** `web loses postgres, redis; worker loses postgres`: the links a split removes, by user. */
function describeLosses(lost: Array<[string, string]>): string {
  const by = new Map<string, string[]>();
  for (const [u, d] of lost) (by.get(u) ?? by.set(u, []).get(u)!).push(d);
  return [...by].map(([u, ds]) => `${u} loses ${ds.join(', ')}`).join('; ');
}

function candidate(
  s: Split,
  tierNet: string | undefined,
  dataNets: DataNet[],
  netOf: Map<string, DataNet>,
  preferred: boolean,
): Candidate | undefined {
  const { ctx, network, isDefault } = s;
  const plan = new Map<string, NetworkChange>();
  for (const o of s.units.keys()) {
    const own = netOf.get(o);
    const joins = dataNets.filter((n) => n.members.has(o) && n !== own).map((n) => n.key);
    if (s.tierOf.get(o) === 'data') {
      plan.set(o, { move: { from: network, to: own!.key }, add: joins });
    } else if (isDefault && s.pinned.has(o)) {
      // Its address belongs to the network's subnet: it stays, and joins its peers.
      plan.set(o, { add: [...(tierNet ? [tierNet] : []), ...joins] });
    } else if (isDefault) {
      if (!tierNet) return undefined;
      // Settings written under an explicit `default` entry (aliases) follow to the tier network.
      const listsDefault = ctx.model.services.get(o)?.networks?.some((r) => r.network === network);
      plan.set(
        o,
        listsDefault
          ? { move: { from: network, to: tierNet }, add: joins }
          : { remove: [network], add: [tierNet, ...joins] },
      );
    } else {
      plan.set(o, { add: joins });
    }
  }

  let edits: TextEdit[];
  try {
    edits = [];
    /** New network → the files whose services' edits use it. */
    const usedIn = new Map<string, Set<string>>();
    for (const [o, change] of plan) {
      const e = serviceNetworkEdits(ctx, o, change);
      edits.push(...e);
      // A file uses a network when an edit there writes its name (not when it only removes).
      for (const k of [...(change.move ? [change.move.to] : []), ...(change.add ?? [])]) {
        const word = new RegExp(`(^|[^\\w.-])${k.replace(/[.]/g, '\\.')}($|[^\\w.-])`);
        for (const x of e)
          if (word.test(x.newText)) (usedIn.get(k) ?? usedIn.set(k, new Set()).get(k)!).add(x.file);
      }
    }
    const decls: Array<[string, boolean]> = [];
    if (tierNet && isDefault) decls.push([tierNet, s.g.networks.get(network)?.internal === true]);
    for (const n of dataNets) decls.push([n.key, n.internal]);
    edits.push(...declarations(ctx, network, decls, usedIn));
  } catch (e) {
    if (e instanceof CannotEdit) return undefined;
    throw e;
  }

  const lost = losses(s, netOf);
  const planned = new Map([...plan].map(([o, c]) => [o, changedNetworks(ctx, o, c)]));
  const created = [...(tierNet && isDefault ? [tierNet] : []), ...dataNets.map((n) => n.key)];
  const open = dataNets.filter((n) => !n.internal);
  const publishers = s.data.filter((d) => open.some((n) => n.members.has(d)) && publishes(s, [d]));
  const keepNote =
    open.length > 0
      ? `; ${open.map((n) => n.key).join(', ')} not internal, so ${publishers.join(', ')} ${publishers.length === 1 ? 'keeps its' : 'keep their'} published ports`
      : '';
  const stores = s.data.length === 1 ? s.data[0]! : 'data stores';
  const internal = dataNets.every((n) => n.internal) ? 'internal ' : '';
  const nets = `${internal}${dataNets.length === 1 ? 'network' : 'networks'} ${dataNets.map((n) => n.key).join(', ')}`;
  const title = preferred
    ? `Split ${network}: ${stores} to ${nets}${s.app.length > 0 ? ' with the app tier' : ''}` +
      (lost.length > 0 ? `; ${describeLosses(lost)}` : '') +
      keepNote
    : `Split ${network} with least privilege, a network per data store; ${describeLosses(lost)}${keepNote}`;

  return {
    fix: preferred ? 'split-tiers' : 'split-least-privilege',
    title,
    isPreferred: preferred,
    ...(preferred ? {} : { optIn: 'least-privilege' as const }),
    edits,
    expect: (after) =>
      splitProblems(ctx, after, {
        planned,
        pub: s.pub.flatMap((o) => s.units.get(o)!),
        data: s.data.flatMap((o) => s.units.get(o)!),
        touched: new Set(created.concat(s.isDefault ? [] : [network])),
        internal: dataNets.filter((n) => n.internal).map((n) => n.key),
        unneeded: (p, d) => s.rules.unneeded(p, d),
      }),
  };
}

/**
 * Declares the new networks in the files whose services use them, so each compose file stays
 * valid alone; beside the split network's declaration when that file is one of them. An
 * included file is validated on its own, so services across an include boundary get no split.
 */
function declarations(
  ctx: FixContext,
  network: string,
  decls: Array<[string, boolean]>,
  usedIn: Map<string, Set<string>>,
): TextEdit[] {
  const units = new Set<string>();
  for (const files of usedIn.values()) for (const f of files) units.add(ctx.unitOf(f));
  const decl = ctx.model.networks.get(network)?.keySpan?.file;
  if (decl && network !== 'default') units.add(ctx.unitOf(decl));
  if (units.size > 1) throw new CannotEdit('the services to move live in different included files');
  const byFile = new Map<string, Array<[string, YValue]>>();
  for (const [key, internal] of decls) {
    const files = [...(usedIn.get(key) ?? [])];
    const where = files.length > 0 ? files : [decl ?? ctx.mainFile()];
    for (const f of where) {
      (byFile.get(f) ?? byFile.set(f, []).get(f)!).push([
        key,
        internal ? { map: [['internal', true]] } : null,
      ]);
    }
  }
  // In load order, so edits come out in a stable order.
  return ctx.model.files.flatMap((f) => {
    const d = byFile.get(f);
    return d ? declareNetworkEdits(ctx, f, d) : [];
  });
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
    /** Data networks that must be internal. */
    internal: string[];
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
  for (const k of plan.internal)
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
