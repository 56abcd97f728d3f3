import type { Tier } from '../../../../shared/src/report';
import { child, scalarText, type Span } from '../load/tree';
import type { EffectivePort } from '../graph/graph';
import type { ServiceModel } from '../model/types';
import { detach } from '../strings';
import { isAdminConsoleImage } from './adminConsoles';
import { dataClues } from './dataEvidence';
import { buildNames, imagePath } from '../evidence/definition';

/**
 * Image repositories (last path segment, no tag) of web servers and edge proxies. A name with
 * a `/` matches the end of the image's path instead (for repositories whose last segment is
 * too generic to list alone).
 */
// prettier-ignore
export const DEFAULT_PUBLIC_IMAGES = [
  'nginx', 'nginx-unprivileged', 'openresty', 'httpd', 'apache', 'caddy', 'traefik', 'haproxy', 'envoy',
  'kong', 'varnish', 'squid', 'nginx-proxy', 'oauth2-proxy', 'nginx-proxy-manager', 'swag', 'lighttpd',
  'pomerium',
];

/** Image repositories of databases, caches, search engines and brokers. */
// prettier-ignore
export const DEFAULT_DATA_IMAGES = [
  'postgres', 'postgis', 'timescaledb', 'timescaledb-ha', 'pgvector', 'mysql', 'mariadb', 'percona-server',
  'mongo', 'mongodb', 'mongodb-community-server', 'percona-server-mongodb', 'redis', 'redis-stack',
  'redis-stack-server', 'redis-cluster', 'redismod', 'rejson', 'redisearch', 'valkey', 'keydb', 'dragonfly',
  'memcached', 'elasticsearch', 'opensearch', 'solr', 'meilisearch', 'typesense', 'cassandra', 'scylla',
  'couchdb', 'couchbase', 'neo4j', 'memgraph', 'influxdb', 'clickhouse-server', 'clickhouse', 'mssql-server',
  'mssql', 'mssql/server', 'azure-sql-edge', 'oracle-free', 'oracle-xe', 'oracle/database', 'db2',
  'cockroach', 'yugabyte', 'ravendb', 'edgedb', 'rabbitmq', 'kafka', 'cp-kafka', 'redpanda', 'zookeeper',
  'cp-zookeeper', 'nats', 'activemq', 'artemis', 'pulsar', 'mosquitto', 'eclipse-mosquitto', 'emqx', 'etcd',
  'minio', 'consul', 'vault', 'questdb', 'victoria-metrics', 'qdrant', 'weaviate', 'milvus', 'chroma',
  'chromadb', 'rethinkdb', 'arangodb', 'dgraph', 'surrealdb',
];

/** Extra image names per tier (settings, CLI flags, the file's `x-reachability.tiers`). */
export interface TierSettings {
  publicImages?: readonly string[];
  dataImages?: readonly string[];
}

/**
 * What decided a tier, strongest first. `data-evidence` is the service's own configuration
 * (data volume, store-only variables, healthcheck, well-known port, build and service names)
 * when its image says nothing; `public-evidence` is a web server's or proxy's build directory
 * or Dockerfile name, weaker than a published port and, unlike `public-image`, no evidence of
 * what the service connects to.
 */
export type TierBasis =
  | 'override'
  | 'data-image'
  | 'public-image'
  | 'data-evidence'
  | 'published-port'
  | 'public-evidence'
  | 'default';

/** A service's tier and the reason, with where an explicit override is written. */
export interface TierInfo {
  tier: Tier;
  reason: string;
  /**
   * What decided it. `public-image` matters beyond the tier: a web server or proxy image is
   * evidence that the service does not itself open connections to data stores.
   */
  basis: TierBasis;
  /** The `x-reachability.tier` value when the tier was set by hand. */
  overrideSpan?: Span;
}

/** The tiers `x-reachability.tier` accepts. */
export const TIERS: readonly Tier[] = ['public', 'app', 'data'];

export { imagePath, imageRepository } from '../evidence/definition';

/**
 * Matches an image against repository names, allowing the common spellings of the same
 * product (`bitnami/postgresql` is `postgres`). No `name-*` prefix match: `redis-commander`,
 * `mongo-express` and `kafka-ui` are admin UIs, not data stores.
 */
export function matchesImage(image: string, names: ReadonlySet<string>): string | undefined {
  let matcher = matchers.get(names);
  if (!matcher) matchers.set(names, (matcher = imageMatcher(names)));
  const memo = matcher.memo;
  // Bounded: an editor session types many passing image names.
  if (memo.size >= MATCH_MEMO_SIZE) memo.clear();
  let got = memo.get(image);
  if (got === undefined) memo.set(detach(image), (got = matchImage(image, matcher) ?? null));
  return got ?? undefined;
}

/** A set of names made ready to match images against, and the matches made so far. */
interface ImageMatcher {
  /** Each name's position in the set: where several match, the first one wins. */
  order: ReadonlyMap<string, number>;
  /** The names with a `/` (`mssql/server`), which match a path's end. */
  paths: readonly string[];
  memo: Map<string, string | null>;
}

/**
 * Matchers by set of names: the default sets live as long as the process, so a keystroke's
 * analysis does not compare 2,000 images with a hundred names again.
 */
const matchers = new WeakMap<ReadonlySet<string>, ImageMatcher>();
const MATCH_MEMO_SIZE = 10_000;
/** What may follow a name in the same product's repository: `postgres` + `ql`, `mongo` + `db`. */
const SPELLINGS = ['ql', 'db', 'sql', '-server'];

function imageMatcher(names: ReadonlySet<string>): ImageMatcher {
  const order = new Map<string, number>();
  const paths: string[] = [];
  for (const n of names) {
    order.set(n, order.size);
    if (n.includes('/')) paths.push(n);
  }
  return { order, paths, memo: new Map() };
}

/**
 * The first name (in the set's order) the image is, by exact repository, by path end for names
 * with a `/`, or by a name and one of its SPELLINGS. Looked up, not compared with every name:
 * most images match none, and a loop over the set cost a whole cold `check` ~0.3 MB of
 * iterator results.
 */
function matchImage(image: string, m: ImageMatcher): string | undefined {
  const path = imagePath(image);
  const repo = path.slice(path.lastIndexOf('/') + 1);
  if (m.order.has(repo)) return repo;
  let best: string | undefined;
  let bestAt = Infinity;
  const consider = (n: string): void => {
    const at = m.order.get(n);
    if (at !== undefined && at < bestAt) {
      best = n;
      bestAt = at;
    }
  };
  for (let i = 0; i < m.paths.length; i++) {
    const n = m.paths[i]!;
    if (path === n || path.endsWith('/' + n)) consider(n);
  }
  for (let i = 0; i < SPELLINGS.length; i++) {
    const suffix = SPELLINGS[i]!;
    if (repo.length > suffix.length && repo.endsWith(suffix)) consider(repo.slice(0, -suffix.length));
  }
  return best;
}

// A name may be given as a full reference (`ghcr.io/team/db:1`): only its path counts.
const imageSet = (names: readonly string[]): Set<string> => new Set(names.map(imagePath));
// Built once: every analysis (each keystroke in the editor) classifies against them.
const DEFAULT_PUBLIC_SET = imageSet(DEFAULT_PUBLIC_IMAGES);
/** The default data images, as a set `matchesImage` takes. */
export const DEFAULT_DATA_SET: ReadonlySet<string> = imageSet(DEFAULT_DATA_IMAGES);

function withExtra(defaults: ReadonlySet<string>, extra: readonly string[] | undefined): ReadonlySet<string> {
  return extra && extra.length > 0 ? new Set([...defaults, ...imageSet(extra)]) : defaults;
}

/**
 * Builds the tier function for a project's settings. `ports` are the service's ports with
 * whether Docker publishes them: a port on an internal-only network exposes nothing.
 */
export function tierClassifier(
  settings: TierSettings = {},
): (svc: ServiceModel, ports: readonly EffectivePort[]) => TierInfo {
  const publicImages = withExtra(DEFAULT_PUBLIC_SET, settings.publicImages);
  const dataImages = withExtra(DEFAULT_DATA_SET, settings.dataImages);
  return (svc, ports) => {
    const override = child(svc.xReachability, 'tier');
    const written = scalarText(override);
    if (override && written !== undefined && (TIERS as readonly string[]).includes(written)) {
      return {
        tier: written as Tier,
        reason: 'set by x-reachability.tier',
        basis: 'override',
        overrideSpan: override.span,
      };
    }
    // A data image wins over a published port: a published database is still a database,
    // and that is what `data-port-published` is about.
    const data = svc.image !== undefined ? matchesImage(svc.image, dataImages) : undefined;
    if (data)
      return { tier: 'data', reason: `image ${svc.image} is a data store (${data})`, basis: 'data-image' };
    const web = svc.image !== undefined ? matchesImage(svc.image, publicImages) : undefined;
    if (web) {
      return {
        tier: 'public',
        reason: `image ${svc.image} is a web server or proxy (${web})`,
        basis: 'public-image',
      };
    }
    // An admin UI of a store carries the store's variables and names: it is no store.
    const clues = dataClues(svc, ports, (n) => matchesImage(n, dataImages));
    if (clues && (svc.image === undefined || !isAdminConsoleImage(svc.image)))
      return { tier: 'data', reason: `data store by ${clues}`, basis: 'data-evidence' };
    const exposed = ports.find((p) => p.effective && !p.loopback);
    if (exposed) {
      return {
        tier: 'public',
        reason: `publishes port ${exposed.published || exposed.target} on ${exposed.hostIp || 'all interfaces'}`,
        basis: 'published-port',
      };
    }
    for (const b of buildNames(svc)) {
      const web = matchesImage(b.name, publicImages);
      if (web) {
        return {
          tier: 'public',
          reason: `built from ${b.name} (${web}), a web server or proxy`,
          basis: 'public-evidence',
        };
      }
    }
    return { tier: 'app', reason: 'neither a data store nor exposed', basis: 'default' };
  };
}
