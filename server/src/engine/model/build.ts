import * as path from 'node:path';
import { FindingSink, type RawFinding } from '../diagnostics';
import { describeReadProblem, type ReadProblem } from '../host';
import { offsetAt, parseDotEnv, parseRawEnv, type DotEnvSpan } from '../load/dotenv';
import { ENV_FILE_MAX_CHARS, type EnvFileRead, type LoadedProject } from '../load/project';
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
import { printableLine } from '../strings';
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
  /** What it read outside its node: it is built again when one of them changed. */
  inputs: Input[];
}

/**
 * Something a service's model read besides its node: an `env_file`, or a variable of the
 * project's environment (a pass-through entry, or interpolation inside an env file).
 */
type Input =
  | { kind: 'file'; file: string; read: EnvFileRead }
  | { kind: 'var'; name: string; value: string | undefined; span: Span | undefined };

/**
 * Service models by merged service node. The language server's parse cache keeps an unchanged
 * service's node from one keystroke to the next, and the load stage hands it on as it is when
 * no other file merges into it, so at 2,000 services a keystroke builds one model, not 2,000.
 * A node is its text, and what the model cuts out of its spans follows them (`subSpan`), so a
 * model stays right wherever the node moves. The same node under another name (a YAML alias)
 * or other profiles is built again.
 */
const serviceMemo = new WeakMap<LNode, ServiceMemo>();

const sameSpan = (a: Span | undefined, b: Span | undefined): boolean =>
  a === b ||
  (a !== undefined && b !== undefined && a.file === b.file && a.start === b.start && a.end === b.end);

class ModelBuilder {
  private readonly profilesKey: string;
  /** What the service being built read outside its node (see `Input`). */
  readonly inputs: Input[] = [];

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
    if (
      memo &&
      memo.name === name &&
      memo.keySpan === e.keySpan &&
      memo.profiles === this.profilesKey &&
      memo.inputs.every((i) => this.holds(i))
    ) {
      for (const f of memo.findings) this.sink.add(f);
      return memo.svc;
    }
    // Built with a sink of its own, so the memo keeps the findings that are this service's.
    const own = new FindingSink();
    const builder = new ModelBuilder(this.project, own);
    const svc = builder.buildService(name, e);
    for (const f of own.findings) this.sink.add(f);
    serviceMemo.set(e.value, {
      name,
      keySpan: e.keySpan,
      profiles: this.profilesKey,
      svc,
      findings: own.findings,
      inputs: builder.inputs,
    });
    return svc;
  }

  /** Whether an input a memoised model read is still what it was. */
  private holds(input: Input): boolean {
    if (input.kind === 'var') {
      return (
        this.project.environment(input.name) === input.value &&
        sameSpan(this.project.environmentSpans.get(input.name), input.span)
      );
    }
    const now = this.project.readEnvFile(input.file);
    const was = input.read;
    return 'text' in now
      ? 'text' in was && now.text === was.text
      : 'problem' in was && now.problem === was.problem;
  }

  /** A variable of the project's environment, remembered as an input of the service. */
  private projectVar(name: string): string | undefined {
    const value = this.project.environment(name);
    this.inputs.push({ kind: 'var', name, value, span: this.project.environmentSpans.get(name) });
    return value;
  }

  private buildService(name: string, e: LEntry): ServiceModel | undefined {
    const node = e.value;
    // The compose schema's pattern for service names; Docker rejects any other.
    if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
      this.invalid(
        `service name "${printableLine(name)}" is not valid: Docker takes letters, digits, '.', '_' and '-' only.`,
        e.keySpan,
      );
    }
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
    svc.environment = this.withEnvFiles(
      name,
      this.environment(name, child(map, 'environment')),
      child(map, 'env_file'),
    );
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
      for (const issue of issues) {
        // The parser quotes parts of the value; after interpolation those parts may be a
        // variable's (a token in `${TOKEN}:80`), so quote only the text as written.
        const written = this.writtenIfInterpolated(issue.span);
        const message =
          written === undefined
            ? issue.message
            : `Invalid port ${written}: not a valid port mapping once interpolated (the value is not shown)`;
        this.invalid(`service ${service}: ${message}`, issue.span);
      }
      out.push(...ports);
    }
    return out;
  }

  /** The source text of `span` when it holds an interpolation (`$`), else undefined. */
  writtenIfInterpolated(span: Span): string | undefined {
    const written = this.project.texts.get(span.file)?.slice(span.start, span.end);
    return written !== undefined && written.includes('$') ? written : undefined;
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
      if (v.value !== null) {
        out.push({ key, keySpan: e.keySpan, value: String(v.value), valueSpan: v.span });
        continue;
      }
      // Pass-through: Docker takes the value from the project's environment. The evidence is
      // where the project's env file writes it, which is what a user changes; a value from the
      // process environment is in no file, so the entry's key stands for it.
      const value = this.projectVar(key);
      const written = value === undefined ? undefined : this.project.environmentSpans.get(key);
      out.push({ key, keySpan: e.keySpan, value: value ?? null, valueSpan: written ?? e.keySpan });
    }
    return out;
  }

  /**
   * The service's environment with its `env_file`s, as compose-go's
   * `WithServicesEnvironmentResolved` builds it: the files in order (a later file wins), each
   * interpolated against the project's environment and then the service's own entries, and
   * `environment:` over them all.
   */
  withEnvFiles(service: string, inline: EnvVar[], node: LNode | undefined): EnvVar[] {
    const files = this.envFileRefs(service, node);
    if (files.length === 0) return inline;
    const own = new Map(inline.map((v) => [v.key, v.value]));
    const lookup = (name: string): string | undefined => this.projectVar(name) ?? own.get(name) ?? undefined;
    const fromFiles = new Map<string, EnvVar>();
    for (const ref of files) {
      const read = this.project.readEnvFile(ref.file);
      this.inputs.push({ kind: 'file', file: ref.file, read });
      if (!('text' in read)) {
        this.envFileProblem(service, ref, read.problem);
        continue;
      }
      const spans = new Map<string, DotEnvSpan>();
      const parsed = ref.raw ? parseRawEnv(read.text, lookup, spans) : parseDotEnv(read.text, lookup, spans);
      for (const issue of parsed.issues) {
        const at = offsetAt(read.text, issue.line, issue.character);
        // The parser's messages may quote the line; an env file's values stay out of messages.
        const what = issue.message.replace(/\s*["'].*$/s, '');
        this.invalid(
          `service ${service}: env file ${ref.written}, line ${issue.line + 1}: ${what}; docker compose refuses the project.`,
          { file: ref.file, start: at, end: at },
        );
      }
      for (const [key, value] of parsed.vars) {
        const w = spans.get(key);
        const keySpan = w ? { file: ref.file, start: w.keyStart, end: w.keyEnd } : ref.span;
        const valueSpan = w ? { file: ref.file, start: w.valueStart, end: w.valueEnd } : ref.span;
        fromFiles.delete(key);
        fromFiles.set(key, { key, keySpan, value, valueSpan, source: 'env_file' });
      }
    }
    const out = [...inline];
    for (const v of fromFiles.values()) if (!own.has(v.key)) out.push(v);
    return out;
  }

  /** The `env_file` entries: a path, a list of paths, or `{path, required, format}` items. */
  envFileRefs(service: string, node: LNode | undefined): EnvFileRef[] {
    if (!node || (node.kind === 'scalar' && node.value === null)) return [];
    const what = `service ${service}: \`env_file\``;
    const items = node.kind === 'seq' ? node.items : [node];
    const out: EnvFileRef[] = [];
    for (const item of items) {
      let pathNode: LNode | undefined = item;
      let required = true;
      let raw = false;
      if (item.kind === 'map') {
        pathNode = child(item, 'path');
        this.unknownKeys(item, ENV_FILE_KEYS, `service ${service}, env_file`);
        const req = child(item, 'required');
        if (req) {
          const b = scalarBool(req);
          if (b === undefined) this.invalid(`${what}: \`required\` must be true or false.`, req.span);
          else required = b;
        }
        const format = child(item, 'format');
        const f = scalarText(format);
        if (format && f !== undefined && f !== 'raw' && f !== 'env') {
          this.invalid(`${what}: unsupported format \`${f}\` (docker compose knows \`raw\`).`, format.span);
          continue;
        }
        raw = f === 'raw';
      }
      const written =
        pathNode?.kind === 'scalar' && typeof pathNode.value === 'string' ? pathNode.value : undefined;
      if (!pathNode || written === undefined || written === '') {
        this.invalid(
          `${what} takes a path, a list of paths or { path, required, format }.`,
          (pathNode ?? item).span,
        );
        continue;
      }
      const file = pathNode.span.file;
      const base = this.project.baseDirectories.get(file) ?? path.dirname(file);
      out.push({ file: path.resolve(base, written), written, span: pathNode.span, required, raw });
    }
    return out;
  }

  private envFileProblem(service: string, ref: EnvFileRef, problem: ReadProblem): void {
    if (problem === 'missing') {
      if (ref.required)
        this.sink.error(
          'missing-file',
          `service ${service}: env file ${ref.written} not found (${ref.file}); docker compose refuses the project. Create it, or mark it \`required: false\`.`,
          ref.span,
        );
      return;
    }
    // Docker cannot read these either: a required one stops the project, as a missing one does.
    if (ref.required && (problem === 'unreadable' || problem === 'not-a-file')) {
      this.sink.error(
        'missing-file',
        `service ${service}: env file ${ref.written} (${ref.file}) ${describeReadProblem(problem)}; docker compose refuses the project.`,
        ref.span,
      );
      return;
    }
    this.sink.add({
      code: 'env-file-not-read',
      severity: 'warning',
      message:
        problem === 'too-large'
          ? `service ${service}: env file ${ref.written} is larger than ${ENV_FILE_MAX_CHARS / (1 << 20)} MiB; it is not read, so host names in it are not seen.`
          : `service ${service}: env file ${ref.written} (${ref.file}) ${describeReadProblem(problem)}; it is not read, so host names in it are not seen.`,
      span: ref.span,
    });
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

/** One `env_file` entry, resolved. */
interface EnvFileRef {
  /** Absolute path. */
  file: string;
  /** The path as written, for messages. */
  written: string;
  /** The path in the compose file. */
  span: Span;
  required: boolean;
  /** `format: raw`: `docker run --env-file` syntax, values verbatim. */
  raw: boolean;
}

const ENV_FILE_KEYS = new Set(['path', 'required', 'format']);

function describe(node: LNode): string {
  if (node.kind === 'scalar')
    return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return node.kind === 'seq' ? 'a list' : 'a mapping';
}

/** Builds the typed model of a loaded project; type errors become `invalid-compose` findings. */
export function buildModel(project: LoadedProject, sink: FindingSink): Model {
  return new ModelBuilder(project, sink).build();
}
