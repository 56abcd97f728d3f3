/**
 * Hand-built ReachabilityReports for tests of the report's readers (matrix, CLI formats),
 * so they do not depend on the engine. Every builder fills the fields a test does not care
 * about with plausible defaults.
 */
import type {
  Finding,
  Location,
  NetworkNode,
  PublishedPort,
  ReachabilityReport,
  ReachEdge,
  RelatedLocation,
  ServiceNode,
  Severity,
  Tier,
  Via,
} from '../../shared/src/report';

/** The project directory of the built reports. */
export const PROJECT_DIR = '/srv/shop';
/** The main compose file of the built reports. */
export const COMPOSE_FILE = `${PROJECT_DIR}/compose.yaml`;

/** A location from zero-based `line`/`character`, `length` code units long on one line. */
export function loc(line: number, character: number, length = 1, file = COMPOSE_FILE): Location {
  return { file, range: { start: { line, character }, end: { line, character: character + length } } };
}

/** Overrides of `service()`; `tier` may be given as a bare tier. */
export type ServiceOverrides = Omit<Partial<ServiceNode>, 'tier'> & {
  tier?: Tier | { tier: Tier; reason: string };
};

/** An active service on the implicit `default` network, with egress and no ports. */
export function service(name: string, overrides: ServiceOverrides = {}): ServiceNode {
  const { tier, ...rest } = overrides;
  return {
    name,
    active: true,
    profiles: [],
    attachment: { kind: 'networks' },
    networks: [{ network: 'default', aliases: [] }],
    ports: [],
    egress: true,
    needs: [],
    location: loc(0, 2, name.length),
    ...(tier ? { tier: typeof tier === 'string' ? { tier, reason: `test: ${tier}` } : tier } : {}),
    ...rest,
  };
}

/**
 * A published port from compose's short syntax: `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`,
 * IPv6 host addresses in brackets (`[::1]:8080:80`). Without a published port it is ephemeral.
 */
export function port(spec: string, overrides: Partial<PublishedPort> = {}): PublishedPort {
  const m = /^(?:(?:\[([^\]]*)\]|([^:]*)):)??(?:([^:]*):)?([^:/]+)(?:\/(\w+))?$/.exec(spec);
  if (!m) throw new Error(`bad port spec: ${spec}`);
  const hostIp = m[1] ?? m[2] ?? '';
  return {
    hostIp,
    published: m[3] ?? '',
    target: m[4]!,
    protocol: m[5] ?? 'tcp',
    loopback: hostIp.startsWith('127.') || hostIp === '::1',
    effective: true,
    location: loc(1, 6, spec.length),
    ...overrides,
  };
}

/** A declared, non-internal network whose Docker name is `shop_<key>`. */
export function network(key: string, overrides: Partial<NetworkNode> = {}): NetworkNode {
  return {
    key,
    dockerName: `shop_${key}`,
    internal: false,
    external: false,
    implicit: false,
    members: [],
    location: loc(20, 2, key.length),
    ...overrides,
  };
}

/** Ways through, for `edge()`. */
export const via = {
  net: (network: string): Via => ({ kind: 'network', network }),
  ns: (): Via => ({ kind: 'namespace' }),
  port: (p: PublishedPort): Via => ({
    kind: 'published-port',
    hostIp: p.hostIp,
    published: p.published,
    target: p.target,
    protocol: p.protocol,
  }),
};

/** `from` can connect to `to` through `ways`. */
export function edge(from: string, to: string, ...ways: Via[]): ReachEdge {
  return { from, to, via: ways };
}

/** A finding at `location`. */
export function finding(
  code: string,
  severity: Severity,
  message: string,
  location: Location,
  related?: RelatedLocation[],
): Finding {
  return { code, severity, message, location, ...(related ? { related } : {}) };
}

/** A report of project `shop` in `PROJECT_DIR` with one file and nothing else unless given. */
export function report(overrides: Partial<ReachabilityReport> = {}): ReachabilityReport {
  return {
    schemaVersion: 1,
    project: 'shop',
    projectDirectory: PROJECT_DIR,
    files: [COMPOSE_FILE],
    services: [],
    networks: [],
    diagnostics: [],
    ...overrides,
  };
}

/**
 * A small three-tier shop: `proxy` (public) on `front`, `api` on `front` and `back`, `worker`
 * (no tier) and `db` (data) on the internal `back`, `debug` behind a profile. Who reaches
 * whom follows: proxy ↔ api over front, api also through proxy's port 80; api, worker and db
 * among themselves over back.
 */
export function shopReport(overrides: Partial<ReachabilityReport> = {}): ReachabilityReport {
  const http = port('80:80');
  return report({
    services: [
      service('db', {
        tier: 'data',
        networks: [{ network: 'back', aliases: [] }],
        ports: [port('5432:5432', { effective: false })],
        egress: false,
      }),
      service('worker', { networks: [{ network: 'back', aliases: [] }], egress: false }),
      service('proxy', {
        tier: 'public',
        networks: [{ network: 'front', aliases: [] }],
        ports: [http, port('127.0.0.1:8081:8081')],
      }),
      service('api', {
        tier: 'app',
        networks: [
          { network: 'front', aliases: [] },
          { network: 'back', aliases: [] },
        ],
      }),
      service('debug', { active: false, profiles: ['debug'] }),
    ],
    networks: [
      network('front', { members: ['api', 'proxy'] }),
      network('back', { internal: true, members: ['api', 'db', 'worker'] }),
    ],
    ...overrides,
  });
}
