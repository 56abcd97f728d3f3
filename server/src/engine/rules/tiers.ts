import type { Tier } from '../../../../shared/src/report';
import { child, scalarText, type Span } from '../load/tree';
import type { EffectivePort } from '../graph/graph';
import type { ServiceModel } from '../model/types';

/** Image repositories (last path segment, no tag) of web servers and edge proxies. */
export const DEFAULT_PUBLIC_IMAGES = [
  'nginx', 'nginx-unprivileged', 'openresty', 'httpd', 'apache', 'caddy', 'traefik', 'haproxy', 'envoy', 'kong',
  'varnish', 'squid', 'nginx-proxy', 'oauth2-proxy',
];

/** Image repositories of databases, caches, search engines and brokers. */
export const DEFAULT_DATA_IMAGES = [
  'postgres', 'postgis', 'timescaledb', 'mysql', 'mariadb', 'percona-server', 'mongo', 'mongodb', 'mongodb-community-server',
  'redis', 'redis-stack', 'redis-stack-server', 'valkey', 'keydb', 'dragonfly', 'memcached', 'elasticsearch',
  'opensearch', 'solr', 'meilisearch', 'typesense', 'cassandra', 'scylla', 'couchdb', 'couchbase', 'neo4j',
  'influxdb', 'clickhouse-server', 'clickhouse', 'mssql-server', 'mssql', 'azure-sql-edge', 'oracle-free', 'db2',
  'cockroach', 'rabbitmq', 'kafka', 'cp-kafka', 'zookeeper', 'cp-zookeeper', 'nats', 'activemq', 'artemis',
  'pulsar', 'etcd', 'minio', 'consul', 'vault', 'questdb', 'victoria-metrics', 'qdrant', 'weaviate', 'milvus',
  'chromadb', 'rethinkdb', 'arangodb', 'dgraph', 'surrealdb',
];

/** Extra image names per tier (settings, CLI flags). */
export interface TierSettings {
  publicImages?: readonly string[];
  dataImages?: readonly string[];
}

/** A service's tier and the reason, with where an explicit override is written. */
export interface TierInfo {
  tier: Tier;
  reason: string;
  /** The `x-reachability.tier` value when the tier was set by hand. */
  overrideSpan?: Span;
}

const TIERS: readonly string[] = ['public', 'app', 'data'];

/**
 * The repository name of an image reference, whatever its registry, namespace, tag or digest:
 * `docker.io/library/postgres:16-alpine` → `postgres`, `bitnami/redis@sha256:…` → `redis`.
 */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

/**
 * Matches an image against repository names, allowing the common spellings of the same
 * product (`bitnami/postgresql` is `postgres`). No `name-*` prefix match: `redis-commander`,
 * `mongo-express` and `kafka-ui` are admin UIs, not data stores.
 */
function matchesImage(repo: string, names: ReadonlySet<string>): string | undefined {
  if (names.has(repo)) return repo;
  for (const n of names) if (repo.startsWith(n) && /^(ql|db|sql|-server)$/.test(repo.slice(n.length))) return n;
  return undefined;
}

/** Builds the tier function for a project's settings. */
export function tierClassifier(settings: TierSettings = {}): (svc: ServiceModel, ports: readonly EffectivePort[]) => TierInfo {
  const publicImages = new Set([...DEFAULT_PUBLIC_IMAGES, ...(settings.publicImages ?? [])].map((s) => s.toLowerCase()));
  const dataImages = new Set([...DEFAULT_DATA_IMAGES, ...(settings.dataImages ?? [])].map((s) => s.toLowerCase()));
  return (svc, ports) => {
    const override = child(svc.xReachability, 'tier');
    const written = scalarText(override);
    if (override && written !== undefined && TIERS.includes(written)) {
      return { tier: written as Tier, reason: 'set by x-reachability.tier', overrideSpan: override.span };
    }
    const repo = svc.image !== undefined ? imageRepository(svc.image) : undefined;
    const data = repo !== undefined ? matchesImage(repo, dataImages) : undefined;
    if (data) return { tier: 'data', reason: `image ${svc.image} is a data store (${data})` };
    const exposed = ports.find((p) => p.effective && !p.loopback);
    if (exposed) {
      return { tier: 'public', reason: `publishes port ${exposed.published || exposed.target} on ${exposed.hostIp || 'all interfaces'}` };
    }
    const web = repo !== undefined ? matchesImage(repo, publicImages) : undefined;
    if (web) return { tier: 'public', reason: `image ${svc.image} is a web server or proxy (${web})` };
    return { tier: 'app', reason: 'neither a data store nor exposed' };
  };
}
