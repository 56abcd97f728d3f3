import type { Tier } from '../../../../shared/src/report';
import { buildGraph, type Graph } from '../graph/graph';
import type { ProjectAnalysis } from '../index';
import type { ServiceModel } from '../model/types';
import { CannotEdit, isAlias, isMap, YamlFile, type YNode } from './yamlEdit';
import type { YAMLMap } from 'yaml';

/** A service's entry in one file: `services.<name>` written there. */
export interface ServiceOccurrence {
  yaml: YamlFile;
  /** The service's mapping, undefined when written `name:` with nothing under it. */
  map: YAMLMap<YNode, YNode | null> | undefined;
  pair: NonNullable<ReturnType<YamlFile['pair']>>;
}

/** What every fix reads: the analysis, the files as YAML, tiers, needs over all profiles. */
export class FixContext {
  private readonly files = new Map<string, YamlFile | null>();
  private full?: Graph;

  constructor(readonly analysis: ProjectAnalysis) {}

  get model(): ProjectAnalysis['model'] {
    return this.analysis.model;
  }

  get graph(): Graph {
    return this.analysis.graph;
  }

  /** The file as YAML; throws `CannotEdit` when it has no text or does not parse. */
  yaml(file: string): YamlFile {
    const y = this.yamlIfParsed(file);
    if (!y) throw new CannotEdit(`${file} cannot be edited (not loaded, or not valid YAML)`);
    return y;
  }

  yamlIfParsed(file: string): YamlFile | undefined {
    let y = this.files.get(file);
    if (y === undefined) {
      const text = this.model.texts.get(file);
      y = text === undefined ? null : new YamlFile(file, text, this.analysis.project.documents.get(file));
      if (y && !y.ok) y = null;
      this.files.set(file, y);
    }
    return y ?? undefined;
  }

  /** The service's tier (as the rules computed it), `app` when unknown. */
  tier(name: string): Tier {
    return this.analysis.tiers.get(name)?.tier ?? 'app';
  }

  /**
   * The graph as if every profile were on. A split moves services the current profiles do
   * not run too: left behind on the old network, they would lose their peers when enabled.
   */
  fullGraph(): Graph {
    if (!this.full) {
      const services = new Map<string, ServiceModel>();
      for (const [name, s] of this.model.services) services.set(name, s.active ? s : { ...s, active: true });
      this.full = buildGraph({ ...this.model, services }, this.analysis.mounted);
    }
    return this.full;
  }

  /** The service whose network namespace `name` lives in, in `graph` (itself unless `service:x`). */
  owner(name: string, graph: Graph = this.graph): string {
    const seen = new Set<string>();
    let cur = name;
    for (;;) {
      const a = graph.attachment.get(cur);
      if (a?.kind !== 'service' || !graph.attachment.has(a.service) || seen.has(cur)) return cur;
      seen.add(cur);
      cur = a.service;
    }
  }

  /** Targets `name` needs, in `graph`. */
  needs(name: string, graph: Graph = this.graph): Set<string> {
    return new Set((graph.needs.get(name) ?? []).map((n) => n.target));
  }

  /** The file new top-level entries go to: the first compose file. */
  mainFile(): string {
    return this.analysis.project.composeFiles[0] ?? this.model.files[0]!;
  }

  /**
   * The project a file belongs to as compose validates it: the compose files form one, and an
   * included file is checked on its own, so its networks must be declared in it.
   */
  unitOf(file: string): string {
    return this.analysis.project.composeFiles.includes(file) ? '' : file;
  }

  /** Network keys in use or declared, for names that must not collide. */
  takenNetworkKeys(): Set<string> {
    const taken = new Set<string>(['default', 'bridge', 'host', 'none']);
    for (const key of this.model.networks.keys()) taken.add(key);
    for (const key of this.fullGraph().networks.keys()) taken.add(key);
    return taken;
  }

  /** `base`, else `base-net`, else `base-2`, `base-3`...: the first not in `taken` (which it joins). */
  freshName(base: string, taken: Set<string>): string {
    const candidates = base.endsWith('-net') ? [base] : [base, `${base}-net`];
    let name = candidates.find((c) => !taken.has(c));
    for (let i = 2; name === undefined; i++) if (!taken.has(`${base}-${i}`)) name = `${base}-${i}`;
    taken.add(name);
    return name;
  }

  /** Every file's own `services.<name>` entry, in load order. */
  serviceOccurrences(name: string): ServiceOccurrence[] {
    const out: ServiceOccurrence[] = [];
    for (const file of this.model.files) {
      const y = this.yamlIfParsed(file);
      const services = y?.mapAt(y.root(), 'services');
      const pair = y?.pair(services, name);
      if (!y || !pair) continue;
      const v = pair.value;
      // `web: *base`: the whole service is an alias, and an edit would change the anchor's other users.
      if (isAlias(v)) throw new CannotEdit(`service ${name} is an alias`);
      out.push({ yaml: y, map: isMap(v) ? (v as YAMLMap<YNode, YNode | null>) : undefined, pair });
    }
    return out;
  }
}
