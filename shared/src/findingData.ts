/**
 * The `data` each isolation rule attaches to its findings (`Finding.data`): what a quick fix
 * or a hover needs without parsing the message. Plain JSON. Every shape names its rule in
 * `rule`, so a reader can narrow `unknown` with `isFindingData`.
 */
import type { NeedSource, Tier } from './report';

/** A published port, as in `PublishedPort` without its location. */
export interface PortRef {
  /** `''` = all interfaces. */
  hostIp: string;
  /** `''` = an ephemeral host port. */
  published: string;
  target: string;
  protocol: string;
}

/**
 * `public-reaches-data`: a public service can open a connection to a data service it does not
 * need. One finding per token to change, so `from`/`to` hold every service that token covers;
 * narrow on `via` first.
 */
export type PublicReachesDataData =
  | {
      rule: 'public-reaches-data';
      /** Both ends are attached to `network`; the finding is on `from`'s membership. */
      via: 'network';
      /** The public service. */
      from: string;
      /** The data services it reaches over this network without needing them (file order). */
      to: string[];
      /** Network key. */
      network: string;
      /**
       * How `from` is on the network: `entry` = an item of its `networks:` (the finding's
       * range; removing it is the direct fix), `implicit-default` = it has no `networks:` key
       * and so is on `default` (the finding is on the service key), `namespace` = it inherits
       * the networks of the service named in its `network_mode: service:x` (the finding is on
       * that value).
       */
      membership: 'entry' | 'implicit-default' | 'namespace';
      /**
       * Services `from` needs and reaches only through this network: taking `from` off the
       * network would break them, so the fix is to move the `to` services away instead.
       */
      breaks: string[];
      /** Published ports through which `from` could still reach a `to` service after leaving the network. */
      alsoViaPorts: Array<PortRef & { service: string }>;
    }
  | {
      rule: 'public-reaches-data';
      /**
       * No direct path: through a port `to` publishes on a non-loopback address (or any
       * address, for a host-mode `from`); the finding is on that port.
       */
      via: 'published-port';
      /** The public services that reach `to` only this way. */
      from: string[];
      to: string;
      port: PortRef;
    }
  | {
      rule: 'public-reaches-data';
      /** They share a network namespace; the finding is on the `network_mode` that joins them. */
      via: 'namespace';
      from: string;
      to: string;
      /** The service whose `network_mode: service:x` the finding is on. */
      service: string;
    };

/** `flat-network`: one network carries public, app and data services together. */
export interface FlatNetworkData {
  rule: 'flat-network';
  network: string;
  /** True for the implicit `default` network (no declaration to put the finding on). */
  implicit: boolean;
  /** Members by tier, in file order. */
  members: Record<Tier, string[]>;
}

/** `unreachable-dependency`: a service needs another one it cannot reach. */
export interface UnreachableDependencyData {
  rule: 'unreachable-dependency';
  from: string;
  to: string;
  /** Every way `from` says it needs `to` that cannot work (the first is the finding's range). */
  needs: Array<{ source: NeedSource; name: string }>;
  /** Networks of each end (keys); empty for `host`, `none` and `container:` modes. */
  fromNetworks: string[];
  toNetworks: string[];
  /** Ports of `to` `from` can use, although the service name does not resolve through them. */
  viaPorts: PortRef[];
  /** False when the file cannot tell (a `container:` network mode, a target in host mode). */
  certain: boolean;
}

/** `data-port-published`: a data service publishes a port on a non-loopback address. */
export interface DataPortPublishedData extends PortRef {
  rule: 'data-port-published';
  service: string;
  /** Short syntax (`"5432:5432"`) or long syntax (a mapping with `target:` ...). */
  syntax: 'short' | 'long';
}

/** `network-not-internal`: a network carrying a data service is not `internal: true`. */
export interface NetworkNotInternalData {
  rule: 'network-not-internal';
  network: string;
  implicit: boolean;
  /** Data services on the network. */
  dataServices: string[];
  /** True when the network says `internal: false` (the finding is on that value). */
  internalWritten: boolean;
}

/** `ports-unpublished-internal`: a service only on internal networks lists ports. */
export interface PortsUnpublishedInternalData {
  rule: 'ports-unpublished-internal';
  service: string;
  /** The internal networks it is on. */
  networks: string[];
  ports: PortRef[];
}

/** `host-network-mode`: `network_mode: host`. */
export interface HostNetworkModeData {
  rule: 'host-network-mode';
  service: string;
  /** True when the service also lists `ports` (ignored in host mode). */
  hasPorts: boolean;
}

/** `docker-socket`: a service holds the Docker Engine API. */
export interface DockerSocketData {
  rule: 'docker-socket';
  service: string;
  /** Its tier: any but public is reported one step milder than the rule's default level. */
  tier: Tier;
  /** A bind mount of the socket (the finding is on the volume entry), or `use_api_socket: true`. */
  access: 'mount' | 'use_api_socket';
  /** The mount is read-only, which limits nothing the API allows. */
  readOnly: boolean;
  /** How many other active services it reaches through the API (all of them). */
  reaches: number;
}

/** `admin-console-exposed`: an administration console publishes its UI on a non-loopback address. */
export interface AdminConsoleExposedData extends PortRef {
  rule: 'admin-console-exposed';
  service: string;
  /** The console, as messages name it (`pgAdmin`, `the RabbitMQ management UI`). */
  console: string;
  /** Short syntax (`"5050:80"`) or long syntax (a mapping with `target:` ...). */
  syntax: 'short' | 'long';
}

/** `external-network`: a service joins a network created outside the project. */
export interface ExternalNetworkData {
  rule: 'external-network';
  service: string;
  /** Network key (`bridge` for `network_mode: bridge`). */
  network: string;
  /** The name Docker knows it by. */
  dockerName: string;
  /** `network_mode: bridge` (Docker's default bridge) rather than a declared external network. */
  defaultBridge: boolean;
}

/** `unused-network`: a declared network no service uses. */
export interface UnusedNetworkData {
  rule: 'unused-network';
  network: string;
}

/** Data of any isolation rule. */
export type FindingData =
  | PublicReachesDataData
  | FlatNetworkData
  | UnreachableDependencyData
  | DataPortPublishedData
  | NetworkNotInternalData
  | PortsUnpublishedInternalData
  | HostNetworkModeData
  | DockerSocketData
  | AdminConsoleExposedData
  | ExternalNetworkData
  | UnusedNetworkData;

/** Narrows a finding's `data` to the shape of rule `code`. */
export function isFindingData<C extends FindingData['rule']>(
  data: unknown,
  code: C,
): data is Extract<FindingData, { rule: C }> {
  return typeof data === 'object' && data !== null && (data as { rule?: unknown }).rule === code;
}
