import type { LMap, LNode, Span } from '../load/tree';
import type { PortSpec } from './ports';

/** A service's entry for one network in its `networks:`. */
export interface NetworkRef {
  network: string;
  /** The list item or the map key naming the network. */
  span: Span;
  aliases: string[];
}

/**
 * One variable of a service's environment as Docker resolves it: its `environment:` entries,
 * then its `env_file` variables that `environment:` does not set.
 *
 * Spans point at what a user would open to change the value: for `env_file` variables the key
 * and value in the env file; for a pass-through entry (`- VAR`, `VAR:`) the key in the compose
 * file, and its value where the project's `.env` (or `--env-file`) writes it, else the key
 * again (a value from the process environment is in no file).
 */
export interface EnvVar {
  key: string;
  keySpan: Span;
  /** Null for a pass-through entry the project's environment does not set (Docker leaves it out). */
  value: string | null;
  valueSpan: Span;
  /** Set for a variable read from one of the service's `env_file`s. */
  source?: 'env_file';
}

/** A `depends_on` or `links` entry. */
export interface Dependency {
  service: string;
  /** For links: the alias the link adds (`db:database` → `database`). */
  alias?: string;
  span: Span;
}

/** A service as the analysis sees it, every element with its span. */
export interface ServiceModel {
  name: string;
  keySpan: Span;
  image?: string;
  imageSpan?: Span;
  containerName?: string;
  profiles: string[];
  active: boolean;
  networkMode?: { value: string; span: Span };
  /** Undefined when the service has no `networks` key (or an empty one). */
  networks?: NetworkRef[];
  networksKeySpan?: Span;
  ports: PortSpec[];
  portsKeySpan?: Span;
  dependsOn: Dependency[];
  links: Dependency[];
  environment: EnvVar[];
  /** The service's `x-reachability` block, for the rules (tier override). */
  xReachability?: LNode;
  node: LMap;
}

/** A network of the project: declared at top level, or the implicit `default`. */
export interface NetworkModel {
  key: string;
  declared: boolean;
  keySpan?: Span;
  name?: string;
  internal: boolean;
  internalSpan?: Span;
  external: boolean;
  externalSpan?: Span;
  node?: LMap;
}

/** The project, typed: what the graph and the rules read. */
export interface Model {
  project: string;
  directory: string;
  files: string[];
  texts: Map<string, string>;
  services: Map<string, ServiceModel>;
  networks: Map<string, NetworkModel>;
  /** Top-level `x-reachability` block (rule settings). */
  xReachability?: LNode;
  /** The `networks:` top-level key, when present. */
  networksKeySpan?: Span;
  root: LMap;
}
