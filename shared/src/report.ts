/**
 * The report contract: the one shape the engine produces and the language server,
 * the CLI and the matrix webview read. Plain JSON-serialisable data only.
 */

/** A zero-based position in UTF-16 code units, as in the Language Server Protocol. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range `[start, end)` of a text document. */
export interface Range {
  start: Position;
  end: Position;
}

/** Where something was written: an absolute file path and the exact range of the token. */
export interface Location {
  file: string;
  range: Range;
}

/** Severity of a finding, from most to least serious (LSP's order). */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** How a service is attached to networks, from its `network_mode` (or the lack of one). */
export type Attachment =
  /** Declared networks, or the implicit `default` network. */
  | { kind: 'networks' }
  /** `network_mode: host`: the host's own network stack; no network boundary applies. */
  | { kind: 'host' }
  /** `network_mode: none`: loopback only. */
  | { kind: 'none' }
  /** `network_mode: bridge`: Docker's default bridge, shared with every container on the host (IP only). */
  | { kind: 'bridge' }
  /** `network_mode: service:x`: shares x's network namespace (and so its networks). */
  | { kind: 'service'; service: string }
  /** `network_mode: container:c`: a container outside the file; its networks are unknown. */
  | { kind: 'container'; container: string };

/** A port a service publishes on the host, normalised from any short or long syntax. */
export interface PublishedPort {
  /** Host address: `0.0.0.0` (all IPv4), `::` (all IPv6), `127.0.0.1`, `::1`, or another address. Empty string = all interfaces. */
  hostIp: string;
  /** Host port or range (`"8080"`, `"9090-9091"`); empty string = an ephemeral port chosen by Docker. */
  published: string;
  /** Container port or range. */
  target: string;
  /** `tcp`, `udp` or `sctp`. */
  protocol: string;
  /** True when bound to a loopback address only (127.0.0.0/8, ::1): reachable from the host, not from outside. */
  loopback: boolean;
  /**
   * False when Docker will not publish it: the service is attached only to internal networks,
   * or runs in `host`/`none`/`service:` network mode.
   */
  effective: boolean;
  location: Location;
}

/**
 * Where a need was read:
 * - `depends_on`, `links`: the service's own declarations;
 * - `environment`: a variable of its `environment` (inline, or a pass-through entry whose value
 *   came from the shell or the project's `.env`);
 * - `env_file`: a line of one of its `env_file` files;
 * - `command`, `entrypoint`, `healthcheck`: an argument of those (`wait-for-it db:5432`, `--db-host=db`);
 * - `config-file`: a configuration file mounted into the service (nginx `proxy_pass`, Prometheus targets ...);
 * - `label`: a label naming a peer (a Traefik router on the target counts as the proxy's need);
 * - `host-gateway`: `host.docker.internal:PORT`, a need on the service publishing PORT.
 */
export type NeedSource =
  | 'depends_on'
  | 'links'
  | 'environment'
  | 'env_file'
  | 'command'
  | 'entrypoint'
  | 'healthcheck'
  | 'config-file'
  | 'label'
  | 'host-gateway';

/** Why one service needs another: a declared dependency or a host name found in its configuration. */
export interface Need {
  /** The service that is needed (resolved through aliases and `container_name`). */
  target: string;
  /** Where the need comes from. */
  source: NeedSource;
  /** The name as written (an alias, a link alias, a host in a URL). */
  name: string;
  /** The evidence: the exact token that names the peer (in the compose file, an env file or a mounted config file). */
  location: Location;
}

/** A service's membership in one network, with where it is written. */
export interface ServiceNetwork {
  /** Network key in the project (`default` when implicit). */
  network: string;
  /** Extra DNS names on that network (`aliases`). */
  aliases: string[];
  /** The network entry in the service's `networks` (absent for the implicit `default` or when inherited from `service:x`). */
  location?: Location;
}

/** Tier of a service for the isolation rules. */
export type Tier = 'public' | 'app' | 'data';

/** One service of the project, after merging, interpolation and profiles. */
export interface ServiceNode {
  name: string;
  image?: string;
  /** `container_name`, an extra DNS name. */
  containerName?: string;
  /** False when the service's profiles are not active: it is reported but does not run. */
  active: boolean;
  profiles: string[];
  attachment: Attachment;
  /** Networks the service is on (for `service:x`, x's networks). Empty for host/none/bridge/container modes. */
  networks: ServiceNetwork[];
  ports: PublishedPort[];
  /** True when the service can open connections outside Docker (a non-internal network, or host mode). */
  egress: boolean;
  needs: Need[];
  /** Tier and why it was chosen (filled by the rules stage; absent before it). */
  tier?: { tier: Tier; reason: string };
  /** The service's key in `services:`. */
  location: Location;
  /** `network_mode` value, when present. */
  networkModeLocation?: Location;
  /**
   * The mount of the Docker Engine's socket (or `use_api_socket: true`), when it has one:
   * through the API it can start containers on any network, so it reaches every service.
   */
  dockerSocket?: Location;
}

/** One network of the project. */
export interface NetworkNode {
  /** Key under `networks:` (or `default`). */
  key: string;
  /** Name Docker gives it: `name:` verbatim, the key when external, else `<project>_<key>`. */
  dockerName: string;
  internal: boolean;
  external: boolean;
  /** True when not declared at top level (the implicit `default`). */
  implicit: boolean;
  /** Active services attached to it (directly or through `service:x`). */
  members: string[];
  /** The top-level key, when declared. */
  location?: Location;
  /** The `internal:` value, when written. */
  internalLocation?: Location;
  /** The `external:` value, when written. */
  externalLocation?: Location;
}

/** How one service can open a connection to another. */
export type Via =
  /** Both are on this network (key). */
  | { kind: 'network'; network: string }
  /** Same network namespace (`network_mode: service:x`). */
  | { kind: 'namespace' }
  /** Through a port the target publishes on the host. */
  | { kind: 'published-port'; hostIp: string; published: string; target: string; protocol: string }
  /**
   * Through the Docker Engine API (`from` mounts the socket): not a connection of its own,
   * but it can start a container on any of `to`'s networks, or exec into `to` itself.
   */
  | { kind: 'docker-api' };

/** A directed edge: `from` can open a connection to `to`. */
export interface ReachEdge {
  from: string;
  to: string;
  via: Via[];
}

/** Another place a finding points at (the other end, the network declaration ...). */
export interface RelatedLocation {
  location: Location;
  message: string;
}

/** One problem found in the project. */
export interface Finding {
  /** Stable rule code (see `rules.ts`). */
  code: string;
  severity: Severity;
  message: string;
  location: Location;
  related?: RelatedLocation[];
  /** Rule-specific data the quick fixes use. */
  data?: unknown;
  /** Tags as in LSP: an unused element is `unnecessary`. */
  tags?: Array<'unnecessary' | 'deprecated'>;
}

/** Everything the engine knows about one compose project. */
export interface ReachabilityReport {
  schemaVersion: 1;
  /** Compose project name, as compose computes it. */
  project: string;
  /** Project directory (absolute). */
  projectDirectory: string;
  /** Loaded files (absolute paths), in merge order; included and extended files follow the file that named them. */
  files: string[];
  services: ServiceNode[];
  networks: NetworkNode[];
  /**
   * Who reaches whom is not listed: it follows from the services' networks, namespaces and
   * ports (`reach.ts` answers it), and the list grows with the square of a flat network.
   */
  diagnostics: Finding[];
}

/** `check --format json`: the report with every ordered pair `from != to` of active services where `from` can open a connection to `to`. */
export interface ReportJson extends ReachabilityReport {
  edges: ReachEdge[];
}
