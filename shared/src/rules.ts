import type { Severity } from './report';

/** Metadata of a rule: what the CLI's SARIF, the README and the editor's links say about it. */
export interface RuleMeta {
  code: string;
  defaultSeverity: Severity;
  /** One line, shown as SARIF shortDescription. */
  short: string;
  /** What it means and why it matters. */
  full: string;
  /** What to do about it. */
  help: string;
  /** Anchor of the rule's README section (`rule-<code>`), for links and SARIF `helpUri`. */
  anchor?: string;
}

/** Load errors: the project cannot be read as Docker would read it. */
export const LOAD_RULES = {
  'invalid-yaml': {
    code: 'invalid-yaml',
    defaultSeverity: 'error',
    short: 'The file is not valid YAML.',
    full: 'The YAML parser rejected the file; Docker Compose would refuse to load it.',
    help: 'Fix the YAML syntax at the position given.',
  },
  'invalid-compose': {
    code: 'invalid-compose',
    defaultSeverity: 'error',
    short: 'A value has the wrong type or form for the compose specification.',
    full: 'Docker Compose validates the file against the compose specification; this value does not fit it.',
    help: 'Use the form the compose specification gives for this key.',
  },
  'undefined-network': {
    code: 'undefined-network',
    defaultSeverity: 'error',
    short: 'A service refers to a network that is not declared.',
    full: 'Every network a service joins, other than `default`, must be declared under the top-level `networks:`; Docker Compose refuses the project otherwise.',
    help: 'Declare the network under the top-level `networks:` key, or fix the name.',
  },
  'network-mode-conflict': {
    code: 'network-mode-conflict',
    defaultSeverity: 'error',
    short: '`networks` and `network_mode` are both set.',
    full: 'A service with `network_mode` cannot also join networks: Docker Compose refuses the project ("mutually exclusive").',
    help: 'Remove one of the two keys.',
  },
  'unknown-namespace-service': {
    code: 'unknown-namespace-service',
    defaultSeverity: 'error',
    short: '`network_mode: service:x` names a service that does not exist.',
    full: 'The service would share the network namespace of a service that is not in the project.',
    help: 'Name an existing service, or use networks instead.',
  },
  'include-cycle': {
    code: 'include-cycle',
    defaultSeverity: 'error',
    short: 'Files include or extend each other in a cycle.',
    full: 'An `include` or `extends` chain comes back to a file or service already being loaded.',
    help: 'Break the cycle.',
  },
  'missing-file': {
    code: 'missing-file',
    defaultSeverity: 'error',
    short: 'A referenced file cannot be read.',
    full: 'A file named by `include`, `extends.file` or `env_file`-like settings does not exist or cannot be read.',
    help: 'Fix the path, or create the file.',
  },
  'env-file-not-read': {
    code: 'env-file-not-read',
    defaultSeverity: 'warning',
    short: 'An env file (`env_file`, `.env`, `--env-file`) is not read by the analysis.',
    full:
      'The file is larger than 1 MiB, is not a regular file (a directory, FIFO or device), cannot be read, lies in a ' +
      'kernel pseudo file system (`/proc`, `/sys`, `/dev`), or is a `.env` that a symlink leads outside the project ' +
      'directory. The analysis does not read it, so its variables and host names are not seen.',
    help: 'Point `env_file` at the configuration file meant, keep the env file small, or make `.env` a regular file of the project.',
  },
} as const satisfies Record<string, RuleMeta>;

/** Isolation rules: what the reachability graph says is wrong with the project's networks. */
export const ISOLATION_RULES = {
  'public-reaches-data': {
    code: 'public-reaches-data',
    defaultSeverity: 'warning',
    short: 'A public service can open a connection to a data service it does not need.',
    full:
      'A public service (it publishes a port, or runs a web server or proxy image) shares a network with a data service ' +
      '(database, cache, search engine, broker), or can reach a port the data service publishes on the host, although ' +
      'nothing in the file says it needs it. Whoever takes over the public service gets a direct path to the data.',
    help:
      'Take the public service off the network it shares with the data service (give it its own front network and ' +
      'keep the data service on a back network only the services that use it join), or bind the data port to ' +
      '`127.0.0.1`. When the public service does use it, say so with `depends_on` or an environment variable naming it.',
    anchor: 'rule-public-reaches-data',
  },
  'flat-network': {
    code: 'flat-network',
    defaultSeverity: 'warning',
    short: 'One network carries public, app and data services together.',
    full:
      'Every service on a network can open a connection to every other one on it. A network that carries public, app ' +
      'and data services together (typically the implicit `default`) gives the public tier a path to the data tier that ' +
      'no service needs.',
    help:
      'Split it: a front network for the public services and the apps they call, a back network (`internal: true`) ' +
      'for the apps and the data services they use.',
    anchor: 'rule-flat-network',
  },
  'unreachable-dependency': {
    code: 'unreachable-dependency',
    defaultSeverity: 'error',
    short: 'A service needs another service it cannot reach.',
    full:
      'The service names another one in `depends_on`, `links` or an environment value (a host, a URL), but they share ' +
      'no network, so the connection fails at run time: the usual result of tightening networks by hand.',
    help: 'Put both services on a common network, or remove the dependency if it is stale.',
    anchor: 'rule-unreachable-dependency',
  },
  'data-port-published': {
    code: 'data-port-published',
    defaultSeverity: 'warning',
    short: 'A data service publishes a port on a non-loopback address.',
    full:
      'A port published without a host IP listens on all interfaces: the database, cache or broker is reachable from ' +
      'outside the host (Docker bypasses host firewalls such as ufw) and from every container with a route out, ' +
      'whatever the networks say.',
    help:
      'Remove the port if only other services use it (they reach it over their network), or bind it to the loopback ' +
      'address: `"127.0.0.1:5432:5432"`.',
    anchor: 'rule-data-port-published',
  },
  'network-not-internal': {
    code: 'network-not-internal',
    defaultSeverity: 'information',
    short: 'A network that carries a data service is not `internal: true`.',
    full:
      'Containers on a network that is not internal have a route out of the host. A data service rarely needs one, ' +
      'and no member of this network relies on it for its own egress or published ports.',
    help: 'Add `internal: true` to the network.',
    anchor: 'rule-network-not-internal',
  },
  'ports-unpublished-internal': {
    code: 'ports-unpublished-internal',
    defaultSeverity: 'warning',
    short: 'A service attached only to internal networks lists `ports`: Docker does not publish them.',
    full:
      'An internal network has no gateway, and Docker silently skips publishing the ports of a container whose ' +
      'networks are all internal. The `ports` entry looks like it works, but nothing listens on the host.',
    help:
      'Remove the `ports` entries, or attach the service to a non-internal network as well if the port must be ' +
      'reachable from the host.',
    anchor: 'rule-ports-unpublished-internal',
  },
  'host-network-mode': {
    code: 'host-network-mode',
    defaultSeverity: 'warning',
    short: '`network_mode: host`: the service bypasses every network boundary.',
    full:
      "The container shares the host's network stack: whatever it listens on is open on the host's interfaces, it " +
      'can reach every port bound on the host, loopback included, and no compose network isolates it. Its `ports` ' +
      'are ignored.',
    help: 'Use networks and publish only the ports that must be reachable, unless the service truly needs the host stack.',
    anchor: 'rule-host-network-mode',
  },
  'docker-socket': {
    code: 'docker-socket',
    defaultSeverity: 'warning',
    short: 'A service mounts the Docker socket: it can reach and control every container.',
    full:
      'Whoever holds the Docker Engine API (a bind mount of `/var/run/docker.sock`, read-only or not, or ' +
      '`use_api_socket: true`) can start a container on any network, exec into any container and mount the ' +
      "host's root filesystem: the service reaches every other service whatever the networks say, and taking it " +
      'over means taking over the host. A service that is not public is reported one step milder (information): ' +
      'socket proxies, updaters and CI runners hold the socket by design.',
    help:
      'Give the socket only to services that must manage containers, never to a public one; prefer a socket ' +
      'proxy that allows only the API calls the service needs (for a reverse proxy: read-only container listing).',
    anchor: 'rule-docker-socket',
  },
  'admin-console-exposed': {
    code: 'admin-console-exposed',
    defaultSeverity: 'warning',
    short: 'An administration console publishes its UI on a non-loopback address.',
    full:
      'A database, broker, mail or Docker console (Adminer, phpMyAdmin, pgAdmin, mongo-express, Redis Commander, ' +
      'Kafka UI, Portainer, the RabbitMQ management UI, the Traefik dashboard with `--api.insecure`, MailHog ...) ' +
      'published without a host IP listens on all interfaces: its login page, or no login at all, is one step ' +
      'from the data it manages for whoever reaches the host.',
    help:
      'Bind the port to the loopback address (`"127.0.0.1:5050:80"`) and reach it through an SSH tunnel, or put ' +
      'it behind an authenticating proxy.',
    anchor: 'rule-admin-console-exposed',
  },
  'external-network': {
    code: 'external-network',
    defaultSeverity: 'information',
    short: "A service joins an external network: other projects' containers may reach it.",
    full:
      'An external network (or Docker’s default bridge) is created outside this project; containers of other projects ' +
      'may be attached to it, and the file cannot say which. Reachability through it is not bounded by this file.',
    help: 'Keep external networks for the services that must be shared (a reverse proxy’s backends), and nothing else.',
    anchor: 'rule-external-network',
  },
  'unused-network': {
    code: 'unused-network',
    defaultSeverity: 'hint',
    short: 'A declared network no service uses.',
    full: 'The network is declared under the top-level `networks:` but no service joins it.',
    help: 'Remove the declaration, or attach the services that were meant to use it.',
    anchor: 'rule-unused-network',
  },
} as const satisfies Record<string, RuleMeta>;

/** Every rule the engine knows, by code. */
export const RULES: Record<string, RuleMeta> = { ...LOAD_RULES, ...ISOLATION_RULES };

/** The code of an isolation rule. */
export type IsolationRuleCode = keyof typeof ISOLATION_RULES;

/** A rule code. */
export type RuleCode = keyof typeof LOAD_RULES | IsolationRuleCode | (string & {});
