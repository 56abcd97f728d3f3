/**
 * Whether a service is a data store by its own configuration, when its image does not say
 * (`build: ./elasticsearch`, a private registry's `pg-custom`, a pooler listening on 5432).
 *
 * Clues have weights and a service is a store at 2. Strong clues (2) are what only a store
 * does: a volume on a store's data directory, a store's healthcheck run against itself,
 * variables only a store's image reads, a store's well-known port in `ports`. Weak clues (1)
 * are what its clients do too, or what gets copied by mistake: the `POSTGRES_PASSWORD` an app
 * reads to log in, an `expose` entry, a build directory or service name like `db`. Weak
 * variables count once, so an app with `POSTGRES_USER`, `POSTGRES_PASSWORD` and
 * `POSTGRES_DB` is still an app; and a service that names another host for its database
 * (`POSTGRES_HOST=db`, `DATABASE_URL=…@db/…`) is a client, whatever store variables it
 * carries.
 */
import type { EffectivePort } from '../graph/graph';
import type { ServiceModel } from '../model/types';
import { buildNames, exposedPorts, healthcheckCommand, volumeMounts } from '../evidence/definition';

/**
 * Well-known container ports of data stores. Not 9000 (ClickHouse's native port): PHP-FPM,
 * Portainer and MinIO listen there too.
 */
// prettier-ignore
const DATA_PORTS: ReadonlyMap<string, string> = new Map([
  ['5432', 'PostgreSQL'], ['3306', 'MySQL'], ['33060', 'MySQL X'], ['27017', 'MongoDB'], ['6379', 'Redis'],
  ['9200', 'Elasticsearch'], ['9300', 'Elasticsearch transport'], ['5672', 'AMQP'], ['9092', 'Kafka'],
  ['11211', 'Memcached'], ['8086', 'InfluxDB'], ['9042', 'Cassandra'], ['7687', 'Neo4j Bolt'],
  ['1433', 'SQL Server'], ['8123', 'ClickHouse HTTP'], ['5984', 'CouchDB'], ['26257', 'CockroachDB'],
  ['2181', 'ZooKeeper'], ['4222', 'NATS'], ['1521', 'Oracle'], ['8529', 'ArangoDB'], ['28015', 'RethinkDB'],
]);

/** Container directories where stores keep their data (the directory or below it). */
// prettier-ignore
const DATA_DIRS = [
  '/var/lib/postgresql', '/var/lib/pgsql', '/var/lib/mysql', '/var/lib/mariadb', '/data/db', '/data/configdb',
  '/var/lib/mongodb', '/usr/share/elasticsearch/data', '/usr/share/opensearch/data', '/var/lib/redis',
  '/var/lib/rabbitmq', '/var/lib/cassandra', '/var/lib/influxdb', '/var/lib/influxdb2', '/var/lib/clickhouse',
  '/var/opt/mssql', '/opt/couchdb/data', '/var/lib/neo4j/data', '/var/lib/kafka', '/bitnami/postgresql',
  '/bitnami/mysql', '/bitnami/mariadb', '/bitnami/mongodb', '/bitnami/redis', '/bitnami/rabbitmq',
  '/bitnami/kafka', '/bitnami/elasticsearch', '/bitnami/cassandra', '/bitnami/zookeeper', '/bitnami/valkey',
  '/docker-entrypoint-initdb.d',
];

/** Variables only a store's own image reads. */
// prettier-ignore
const STORE_KEYS = new Set([
  'MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD',
  'MYSQL_ROOT_HOST', 'MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_FILE', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD',
  'MARIADB_RANDOM_ROOT_PASSWORD', 'MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD',
  'MONGO_INITDB_ROOT_USERNAME_FILE', 'MONGO_INITDB_ROOT_PASSWORD_FILE', 'MONGO_INITDB_DATABASE',
  'POSTGRES_INITDB_ARGS', 'POSTGRES_INITDB_WALDIR', 'POSTGRES_HOST_AUTH_METHOD', 'PGDATA',
  'RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_PASS', 'RABBITMQ_DEFAULT_VHOST', 'discovery.type', 'ES_JAVA_OPTS',
  'OPENSEARCH_JAVA_OPTS', 'OPENSEARCH_INITIAL_ADMIN_PASSWORD', 'MSSQL_SA_PASSWORD', 'MSSQL_PID',
  'DOCKER_INFLUXDB_INIT_MODE', 'CASSANDRA_CLUSTER_NAME', 'CASSANDRA_SEEDS', 'KAFKA_BROKER_ID',
  'KAFKA_CFG_NODE_ID', 'KAFKA_ADVERTISED_LISTENERS', 'KAFKA_CFG_ADVERTISED_LISTENERS', 'ZOO_MY_ID',
  'ZOOKEEPER_CLIENT_PORT', 'NEO4J_AUTH',
]);

/** Variables of a store's image that its clients commonly carry too. */
// prettier-ignore
const SHARED_KEYS = new Set([
  'POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE', 'POSTGRES_USER', 'POSTGRES_USER_FILE', 'POSTGRES_DB',
  'POSTGRES_DB_FILE', 'MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_PASSWORD_FILE',
  'MARIADB_DATABASE', 'MARIADB_USER', 'MARIADB_PASSWORD', 'ELASTIC_PASSWORD', 'REDIS_PASSWORD',
  'ALLOW_EMPTY_PASSWORD',
]);

/** Names of stores beyond image names, for build directories and service names. */
const STORE_NAMES = new Set(['db', 'database', 'pg', 'pgsql']);

/** Healthcheck commands that ask a store about itself; `host` reads the host it asks, if given. */
// prettier-ignore
const HEALTHCHECKS: ReadonlyArray<{ test: RegExp; what: string }> = [
  { test: /\bpg_isready\b/, what: 'pg_isready' },
  { test: /\b(?:redis|valkey|keydb)-cli\b.*\bping\b/, what: 'redis-cli ping' },
  { test: /\b(?:mysqladmin|mariadb-admin)\b.*\bping\b/, what: 'mysqladmin ping' },
  { test: /\bhealthcheck\.sh\b.*--(?:connect|innodb_initialized)/, what: 'healthcheck.sh --connect' },
  { test: /\bmongo(?:sh)?\b.*--eval\b/, what: 'mongosh --eval' },
  { test: /\bcqlsh\b/, what: 'cqlsh' },
  { test: /\bcypher-shell\b/, what: 'cypher-shell' },
  { test: /\brabbitmq-diagnostics\b|\brabbitmqctl\b/, what: 'rabbitmq-diagnostics' },
  { test: /\bclickhouse-client\b/, what: 'clickhouse-client' },
  { test: /\binflux\s+ping\b/, what: 'influx ping' },
  { test: /\/_cluster\/health\b/, what: 'a cluster health request' },
];

const LOCAL_HOSTS = /^(localhost|127(?:\.\d+){3}|::1|\[::1\]|0\.0\.0\.0|%|\$\(hostname\)|\$\$\(hostname\))$/i;

/** True when `host` is the container itself. */
function isLocal(host: string): boolean {
  return LOCAL_HOSTS.test(host);
}

/** The host a healthcheck asks, when it names one (`-h db`, `--host=db`, `http://db:9200/…`). */
function healthcheckHost(cmd: string): string | undefined {
  const flag = /(?:^|\s)(?:-h|--host)(?:\s+|=)['"]?([^\s'"]+)/.exec(cmd);
  if (flag) return flag[1]!.replace(/:\d+$/, '');
  const url = /[a-z]+:\/\/(?:[^@\s/]*@)?([^:/\s'"]+)/i.exec(cmd);
  return url ? url[1] : undefined;
}

const CLIENT_KEY = /(?:^|_)(?:HOST|HOSTNAME|SERVER|ADDR|ADDRESS|URL|URI|DSN)$/;

/**
 * True when a variable points the service at a host other than itself: it is a client of
 * some store (`POSTGRES_HOST=db`, `DATABASE_URL=postgres://…@db/app`). A pass-through
 * variable (value from the shell) counts: its name alone says it addresses a server.
 */
function namesOtherHost(key: string, value: string | null): boolean {
  if (!CLIENT_KEY.test(key)) return false;
  if (value === null) return true;
  const v = value.trim();
  if (v === '') return false;
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#,]*)/i.exec(v);
  const host = url ? url[1]! : v.replace(/:\d+$/, '');
  return host !== '' && !isLocal(host);
}

/** True when `dir` is `base` or below it. */
function under(dir: string, base: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return d === base || d.startsWith(base + '/');
}

/**
 * The clues that make `svc` a data store, as a phrase for the tier's reason (`its volume at
 * /var/lib/mysql and port 3306 (MySQL)`), or undefined when they weigh less than 2.
 */
export function dataClues(
  svc: ServiceModel,
  ports: readonly EffectivePort[],
  /** The data image a name is (`elasticsearch`, `postgresql` → `postgres`), if any. */
  dataName: (name: string) => string | undefined,
): string | undefined {
  const clues: Array<{ weight: number; what: string }> = [];
  let weight = 0;
  const add = (w: number, what: string): void => {
    clues.push({ weight: w, what });
    weight += w;
  };

  for (const m of volumeMounts(svc)) {
    const dir = m.target !== undefined ? DATA_DIRS.find((d) => under(m.target!, d)) : undefined;
    if (dir) {
      add(2, `its volume at ${m.target}`);
      break;
    }
  }

  const hc = healthcheckCommand(svc);
  if (hc) {
    const check = HEALTHCHECKS.find((h) => h.test.test(hc.text));
    const host = check ? healthcheckHost(hc.text) : undefined;
    if (check && (host === undefined || isLocal(host))) add(2, `its healthcheck (${check.what})`);
  }

  // `expose` is documentation Docker does not check, and gets copied from service to
  // service: weak. A port in `ports` is one the service is expected to answer on.
  const port = ports.map((p) => p.target).find((t) => DATA_PORTS.has(t));
  const exposed = port ? undefined : exposedPorts(svc).find((p) => DATA_PORTS.has(p.port))?.port;
  if (port) add(2, `port ${port} (${DATA_PORTS.get(port)})`);
  else if (exposed) add(1, `its exposed port ${exposed} (${DATA_PORTS.get(exposed)})`);

  // Variables say nothing once the service points at another host: it is that host's client.
  if (!svc.environment.some((e) => namesOtherHost(e.key, e.value))) {
    const store = svc.environment.find((e) => STORE_KEYS.has(e.key) || e.key.startsWith('MONGO_INITDB_'));
    if (store) add(2, `its variable ${store.key}`);
    else {
      const shared = svc.environment.find((e) => SHARED_KEYS.has(e.key));
      if (shared) add(1, `its variable ${shared.key}`);
    }
  }

  for (const b of buildNames(svc)) {
    if (STORE_NAMES.has(b.name) || dataName(b.name)) {
      add(1, `its build from ${b.name}`);
      break;
    }
  }

  const name = svc.name.toLowerCase();
  if (STORE_NAMES.has(name) || dataName(name)) add(1, `its name`);

  if (weight < 2) return undefined;
  return andJoin(clues.sort((a, b) => b.weight - a.weight).map((c) => c.what));
}

function andJoin(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
