import { FindingSink, type RawFinding } from '../diagnostics';
import type { LoadedProject } from '../load/project';
import {
  child,
  entry,
  scalarBool,
  scalarText,
  type LEntry,
  type LMap,
  type LNode,
  type Span,
} from '../load/tree';
import { parsePort, type PortSpec } from './ports';
import type { Dependency, EnvVar, Model, NetworkModel, NetworkRef, ServiceModel } from './types';

/** Top-level keys of the compose specification. */
const TOP_LEVEL_KEYS = new Set([
  'version',
  'name',
  'include',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'models',
]);

/** Service keys of the compose specification (compose-spec.json, `service` definition). */
const SERVICE_KEYS = new Set([
  'annotations',
  'attach',
  'build',
  'blkio_config',
  'cap_add',
  'cap_drop',
  'cgroup',
  'cgroup_parent',
  'command',
  'configs',
  'container_name',
  'cpu_count',
  'cpu_percent',
  'cpu_shares',
  'cpu_quota',
  'cpu_period',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpus',
  'cpuset',
  'credential_spec',
  'depends_on',
  'deploy',
  'develop',
  'device_cgroup_rules',
  'devices',
  'dns',
  'dns_opt',
  'dns_search',
  'domainname',
  'entrypoint',
  'env_file',
  'label_file',
  'environment',
  'expose',
  'extends',
  'external_links',
  'extra_hosts',
  'gpus',
  'group_add',
  'healthcheck',
  'hostname',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'links',
  'logging',
  'mac_address',
  'mem_limit',
  'mem_reservation',
  'mem_swappiness',
  'memswap_limit',
  'models',
  'network_mode',
  'networks',
  'oom_kill_disable',
  'oom_score_adj',
  'pid',
  'pids_limit',
  'platform',
  'ports',
  'post_start',
  'pre_stop',
  'privileged',
  'profiles',
  'provider',
  'pull_policy',
  'pull_refresh_after',
  'read_only',
  'restart',
  'runtime',
  'scale',
  'secrets',
  'security_opt',
  'shm_size',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'storage_opt',
  'sysctls',
  'tmpfs',
  'tty',
  'ulimits',
  'use_api_socket',
  'user',
  'userns_mode',
  'uts',
  'volumes',
  'volumes_from',
  'working_dir',
]);

const NETWORK_KEYS = new Set([
  'name',
  'driver',
  'driver_opts',
  'ipam',
  'external',
  'internal',
  'enable_ipv4',
  'enable_ipv6',
  'attachable',
  'labels',
]);

const SERVICE_NETWORK_KEYS = new Set([
  'aliases',
  'interface_name',
  'ipv4_address',
  'ipv6_address',
  'link_local_ips',
  'mac_address',
  'driver_opts',
  'priority',
  'gw_priority',
]);

const isExtension = (key: string): boolean => key.startsWith('x-');

/** A service's model and the findings building it gave, kept while its node lives. */
interface ServiceMemo {
  name: string;
  keySpan: Span;
  /** The active profiles it was built under (they decide `active`). */
  profiles: string;
  svc: ServiceModel | undefined;
  findings: RawFinding[];
}

/**
 * Service models by merged service node. The language server's parse cache keeps an unchanged
 * service's node from one keystroke to the next, and the load stage hands it on as it is when
 * no other file merges into it, so at 2,000 services a keystroke builds one model, not 2,000.
 * A node is its text, and what the model cuts out of its spans follows them (`subSpan`), so a
 * model stays right wherever the node moves. The same node under another name (a YAML alias)
 * or other profiles is built again.
 */
const serviceMemo = new WeakMap<LNode, ServiceMemo>();

class ModelBuilder {
  private readonly profilesKey: string;

  constructor(
    readonly project: LoadedProject,
    readonly sink: FindingSink,
  ) {
    this.profilesKey = [...project.profiles].sort().join(',');
  }

  invalid(message: string, span: Span): void {
    this.sink.error('invalid-compose', message, span);
  }

  unknownKeys(map: LMap, known: Set<string>, where: string): void {
    for (const e of map.entries.values()) {
      const key = e.key;
      if (!known.has(key) && !isExtension(key)) {
        this.invalid(`${where}: unknown key \`${key}\` (not in the compose specification).`, e.keySpan);
      }
    }
  }

  /** A map, or undefined with a finding when the value is of another kind (null is an empty map). */
  mapOf(node: LNode | undefined, what: string): LMap | undefined {
    if (!node || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (node.kind !== 'map') {
      this.invalid(`${what} must be a mapping.`, node.span);
      return undefined;
    }
    return node;
  }

  build(): Model {
    const root = this.project.root;
    this.unknownKeys(root, TOP_LEVEL_KEYS, 'top level');
    const networks = this.networks(root);
    const services = new Map<string, ServiceModel>();
    const servicesNode = this.mapOf(child(root, 'services'), '`services`');
    if (servicesNode) {
      for (const [name, e] of servicesNode.entries) {
        const svc = this.service(name, e);
        if (svc) services.set(name, svc);
      }
    }
    this.checkReferences(services, networks);
    const xr = child(root, 'x-reachability');
    const networksKey = entry(root, 'networks');
    return {
      project: this.project.name,
      directory: this.project.directory,
      files: this.project.files,
      texts: this.project.texts,
      services,
      networks,
      root,
      ...(xr ? { xReachability: xr } : {}),
      ...(networksKey ? { networksKeySpan: networksKey.keySpan } : {}),
    };
  }

  networks(root: LMap): Map<string, NetworkModel> {
    const out = new Map<string, NetworkModel>();
    const node = this.mapOf(child(root, 'networks'), 'top-level `networks`');
    if (!node) return out;
    for (const e of node.entries.values()) {
      const key = e.key;
      const def =
        e.value.kind === 'scalar' && e.value.value === null
          ? undefined
          : this.mapOf(e.value, `network ${key}`);
      const net: NetworkModel = { key, declared: true, keySpan: e.keySpan, internal: false, external: false };
      if (def) {
        this.unknownKeys(def, NETWORK_KEYS, `network ${key}`);
        net.node = def;
        const name = scalarText(child(def, 'name'));
        if (name !== undefined) net.name = name;
        const internal = child(def, 'internal');
        if (internal) {
          const v = scalarBool(internal);
          if (v === undefined)
            this.invalid(`network ${key}: \`internal\` must be true or false.`, internal.span);
          net.internal = v ?? false;
          net.internalSpan = internal.span;
        }
        const external = child(def, 'external');
        if (external) {
          // The old form `external: { name: x }` still means external.
          const v = external.kind === 'map' ? true : scalarBool(external);
          if (v === undefined)
            this.invalid(`network ${key}: \`external\` must be true or false.`, external.span);
          net.external = v ?? false;
          net.externalSpan = external.span;
          const legacyName = scalarText(child(external, 'name'));
          if (legacyName !== undefined && net.name === undefined) net.name = legacyName;
        }
      }
      out.set(key, net);
    }
    return out;
  }

  /** The model of one service, from the memo when its node, name and profiles are the same. */
  service(name: string, e: LEntry): ServiceModel | undefined {
    const memo = serviceMemo.get(e.value);
    if (memo && memo.name === name && memo.keySpan === e.keySpan && memo.profiles === this.profilesKey) {
      for (const f of memo.findings) this.sink.add(f);
      return memo.svc;
    }
    // Built with a sink of its own, so the memo keeps the findings that are this service's.
    const own = new FindingSink();
    const svc = new ModelBuilder(this.project, own).buildService(name, e);
    for (const f of own.findings) this.sink.add(f);
    serviceMemo.set(e.value, {
      name,
      keySpan: e.keySpan,
      profiles: this.profilesKey,
      svc,
      findings: own.findings,
    });
    return svc;
  }

  private buildService(name: string, e: LEntry): ServiceModel | undefined {
    const node = e.value;
    if (node.kind !== 'map') {
      // `web:` with nothing under it is an empty service; anything else is a type error.
      if (!(node.kind === 'scalar' && node.value === null)) {
        this.invalid(`service ${name} must be a mapping.`, node.span);
        return undefined;
      }
    }
    const map: LMap = node.kind === 'map' ? node : { kind: 'map', entries: new Map(), span: node.span };
    this.unknownKeys(map, SERVICE_KEYS, `service ${name}`);
    const svc: ServiceModel = {
      name,
      keySpan: e.keySpan,
      profiles: [],
      active: true,
      ports: [],
      dependsOn: [],
      links: [],
      environment: [],
      node: map,
    };
    const image = child(map, 'image');
    const imageText = scalarText(image);
    if (image && imageText !== undefined) {
      svc.image = imageText;
      svc.imageSpan = image.span;
    } else if (image && !(image.kind === 'scalar' && image.value === null)) {
      this.invalid(`service ${name}: \`image\` must be a string.`, image.span);
    }
    const cn = scalarText(child(map, 'container_name'));
    if (cn !== undefined) svc.containerName = cn;
    svc.profiles = this.stringList(child(map, 'profiles'), `service ${name}: \`profiles\``);
    svc.active =
      svc.profiles.length === 0 ||
      svc.profiles.some((p) => this.project.profiles.has(p)) ||
      this.project.profiles.has('*');
    const nm = child(map, 'network_mode');
    if (nm) {
      const v = scalarText(nm);
      if (v === undefined) this.invalid(`service ${name}: \`network_mode\` must be a string.`, nm.span);
      else svc.networkMode = { value: v, span: nm.span };
    }
    const nets = entry(map, 'networks');
    if (nets) {
      svc.networksKeySpan = nets.keySpan;
      const refs = this.networkRefs(name, nets.value);
      if (refs.length > 0) svc.networks = refs;
    }
    const ports = entry(map, 'ports');
    if (ports) {
      svc.portsKeySpan = ports.keySpan;
      svc.ports = this.ports(name, ports.value);
    }
    svc.dependsOn = this.dependsOn(name, child(map, 'depends_on'));
    svc.links = this.links(name, child(map, 'links'));
    svc.environment = this.environment(name, child(map, 'environment'));
    const xr = child(map, 'x-reachability');
    if (xr) svc.xReachability = xr;
    return svc;
  }

  stringList(node: LNode | undefined, what: string): string[] {
    if (!node || (node.kind === 'scalar' && node.value === null)) return [];
    if (node.kind !== 'seq') {
      this.invalid(`${what} must be a list of strings.`, node.span);
      return [];
    }
    const out: string[] = [];
    for (const item of node.items) {
      const s = scalarText(item);
      if (s === undefined) this.invalid(`${what} must be a list of strings.`, item.span);
      else out.push(s);
    }
    return out;
  }

  networkRefs(service: string, node: LNode): NetworkRef[] {
    if (node.kind === 'scalar' && node.value === null) return [];
    if (node.kind === 'seq') {
      // Canonical form failed to make a map: some item is not a name.
      for (const item of node.items) {
        if (scalarText(item) === undefined)
          this.invalid(`service ${service}: a network in the list must be a name.`, item.span);
      }
      return [];
    }
    if (node.kind !== 'map') {
      this.invalid(
        `service ${service}: \`networks\` must be a list or a mapping, not ${describe(node)}.`,
        node.span,
      );
      return [];
    }
    const refs: NetworkRef[] = [];
    for (const e of node.entries.values()) {
      const key = e.key;
      const ref: NetworkRef = { network: key, span: e.keySpan, aliases: [] };
      const v = e.value;
      if (v.kind === 'map') {
        this.unknownKeys(v, SERVICE_NETWORK_KEYS, `service ${service}, network ${key}`);
        ref.aliases = this.stringList(child(v, 'aliases'), `service ${service}, network ${key}: \`aliases\``);
      } else if (!(v.kind === 'scalar' && v.value === null)) {
        this.invalid(`service ${service}, network ${key}: expected a mapping or nothing.`, v.span);
      }
      refs.push(ref);
    }
    return refs;
  }

  ports(service: string, node: LNode): PortSpec[] {
    if (node.kind === 'scalar' && node.value === null) return [];
    if (node.kind !== 'seq') {
      this.invalid(`service ${service}: \`ports\` must be a list.`, node.span);
      return [];
    }
    const out: PortSpec[] = [];
    for (const item of node.items) {
      const { ports, issues } = parsePort(item, this.project.texts.get(item.span.file));
      for (const issue of issues) this.invalid(`service ${service}: ${issue.message}`, issue.span);
      out.push(...ports);
    }
    return out;
  }

  dependsOn(service: string, node: LNode | undefined): Dependency[] {
    if (!node || (node.kind === 'scalar' && node.value === null)) return [];
    if (node.kind === 'seq') {
      this.invalid(`service ${service}: \`depends_on\` entries must be service names.`, node.span);
      return [];
    }
    if (node.kind !== 'map') {
      this.invalid(`service ${service}: \`depends_on\` must be a list or a mapping.`, node.span);
      return [];
    }
    return [...node.entries.values()].map((e) => ({ service: e.key, span: e.keySpan }));
  }

  links(service: string, node: LNode | undefined): Dependency[] {
    const out: Dependency[] = [];
    for (const link of this.stringList(node, `service ${service}: \`links\``).entries()) {
      const [i, text] = link;
      const item = node!.kind === 'seq' ? node!.items[i]! : node!;
      const colon = text.indexOf(':');
      out.push(
        colon < 0
          ? { service: text, span: item.span }
          : { service: text.slice(0, colon), alias: text.slice(colon + 1), span: item.span },
      );
    }
    return out;
  }

  environment(service: string, node: LNode | undefined): EnvVar[] {
    if (!node || (node.kind === 'scalar' && node.value === null)) return [];
    if (node.kind !== 'map') {
      this.invalid(
        `service ${service}: \`environment\` must be a list of KEY=VALUE or a mapping.`,
        node.span,
      );
      return [];
    }
    const out: EnvVar[] = [];
    for (const e of node.entries.values()) {
      const key = e.key;
      const v = e.value;
      if (v.kind !== 'scalar') {
        this.invalid(`service ${service}: environment ${key} must be a string, number or boolean.`, v.span);
        continue;
      }
      out.push({
        key,
        keySpan: e.keySpan,
        value: v.value === null ? null : String(v.value),
        valueSpan: v.span,
      });
    }
    return out;
  }

  checkReferences(services: Map<string, ServiceModel>, networks: Map<string, NetworkModel>): void {
    for (const svc of services.values()) {
      if (svc.networkMode && svc.networks) {
        this.sink.error(
          'network-mode-conflict',
          `service ${svc.name} sets both \`network_mode\` and \`networks\`; Docker refuses the project (mutually exclusive).`,
          svc.networkMode.span,
          [{ span: svc.networksKeySpan!, message: '`networks` of the same service' }],
        );
      }
      const mode = svc.networkMode?.value;
      if (mode?.startsWith('service:')) {
        const target = mode.slice('service:'.length);
        if (!services.has(target)) {
          this.sink.error(
            'unknown-namespace-service',
            `service ${svc.name} shares the network namespace of service ${target}, which is not defined.`,
            svc.networkMode!.span,
          );
        }
      }
      for (const ref of svc.networks ?? []) {
        if (ref.network !== 'default' && !networks.has(ref.network)) {
          this.sink.error(
            'undefined-network',
            `service ${svc.name} refers to undefined network ${ref.network}.`,
            ref.span,
            [],
          );
        }
      }
      for (const dep of svc.dependsOn) {
        if (!services.has(dep.service)) {
          this.invalid(`service ${svc.name} depends on undefined service ${dep.service}.`, dep.span);
        }
      }
    }
  }
}

function describe(node: LNode): string {
  if (node.kind === 'scalar')
    return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return node.kind === 'seq' ? 'a list' : 'a mapping';
}

/** Builds the typed model of a loaded project; type errors become `invalid-compose` findings. */
export function buildModel(project: LoadedProject, sink: FindingSink): Model {
  return new ModelBuilder(project, sink).build();
}
