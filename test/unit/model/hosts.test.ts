import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHostRefs } from '../../../server/src/engine/model/hosts';

const KNOWN = new Set([
  'db',
  'cache',
  'rabbitmq',
  'mongo1',
  'mongo2',
  'api',
  'es1',
  'es2',
  'kafka',
  'kafka1',
  'kafka2',
  'web',
  'redis',
  'node',
  'pg',
  'mssql',
  'dind',
]);
const known = (h: string): boolean => KNOWN.has(h);

/** The hosts found, each checked against the text at its offset. */
function hosts(key: string, value: string, isKnown: (h: string) => boolean = known): string[] {
  return findHostRefs(key, value, isKnown).map((r) => {
    assert.equal(value.slice(r.offset, r.offset + r.length), r.host, `offset of ${r.host} in ${value}`);
    return r.host;
  });
}

test('a bare name under a key that names a host', () => {
  assert.deepEqual(hosts('DB_HOST', 'db'), ['db']);
  assert.deepEqual(hosts('DB_HOSTNAME', 'db'), ['db']);
  assert.deepEqual(hosts('REDIS_ADDR', 'cache'), ['cache']);
  assert.deepEqual(hosts('SMTP_SERVER', 'web'), ['web']);
  assert.deepEqual(hosts('DB_HOST_NAME', 'db'), ['db'], '_HOST_ inside the name');
  assert.deepEqual(hosts('redisHost', 'cache'), ['cache'], 'camelCase keys');
  assert.deepEqual(hosts('spring.kafka.bootstrap-servers', 'kafka'), ['kafka']);
  assert.deepEqual(hosts('KAFKA_BROKERS', 'kafka1,kafka2'), ['kafka1', 'kafka2']);
  assert.deepEqual(
    hosts('db_host', 'DB'),
    ['DB'],
    'Docker DNS is case-insensitive; the name is returned as written',
  );
});

test('a bare name under any other key is not a host', () => {
  assert.deepEqual(hosts('MODE', 'web'), []);
  assert.deepEqual(hosts('CACHE', 'cache'), []);
  assert.deepEqual(hosts('COMMAND', 'run db migrate'), []);
  assert.deepEqual(hosts('DB_HOST', 'db/x'), [], 'a bare name with a path is not a host');
});

test('HOSTNAME and other keys that describe the container itself yield nothing', () => {
  // Docker sets HOSTNAME to the container's own host name: setting it says who the
  // container is, not whom it talks to.
  assert.deepEqual(hosts('HOSTNAME', 'web'), []);
  assert.deepEqual(hosts('VIRTUAL_HOST', 'web'), []);
  assert.deepEqual(hosts('KAFKA_ADVERTISED_LISTENERS', 'PLAINTEXT://kafka:9092'), []);
  assert.deepEqual(hosts('KAFKA_CFG_LISTENERS', 'PLAINTEXT://kafka:9092'), []);
  assert.deepEqual(hosts('BIND_ADDRESS', 'web'), []);
});

test('URLs count under any key', () => {
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://u:p@db:5432/x'), ['db']);
  assert.deepEqual(hosts('REDIS_URL', 'redis://cache:6379/0'), ['cache']);
  assert.deepEqual(hosts('AMQP', 'amqp://guest:guest@rabbitmq'), ['rabbitmq']);
  assert.deepEqual(hosts('UPSTREAM', 'http://api:8080/path'), ['api']);
  assert.deepEqual(hosts('JDBC', 'jdbc:mysql://db:3306/x'), ['db']);
  assert.deepEqual(hosts('DOCKER_HOST', 'tcp://dind:2376'), ['dind']);
  assert.deepEqual(hosts('X', 'jdbc:sqlserver://mssql:1433;databaseName=x'), ['mssql']);
});

test('several hosts in one value', () => {
  assert.deepEqual(hosts('MONGO', 'mongodb://a:b@mongo1:27017,mongo2:27017/db?replicaSet=x'), [
    'mongo1',
    'mongo2',
  ]);
  assert.deepEqual(hosts('MONGO', 'mongodb://mongo1,mongo2/db'), ['mongo1', 'mongo2']);
  assert.deepEqual(hosts('ES_HOSTS', 'http://es1:9200,http://es2:9200'), ['es1', 'es2']);
  assert.deepEqual(hosts('ES', 'http://es1:9200 http://es2:9200'), ['es1', 'es2']);
  assert.deepEqual(hosts('KAFKA_BOOTSTRAP_SERVERS', 'kafka1:9092,kafka2:9092'), ['kafka1', 'kafka2']);
});

test('only the URL host counts, not user names, paths or queries', () => {
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://db:secret@pg:5432/cache'), ['pg']);
  assert.deepEqual(hosts('PROXY', 'http://api/?upstream=db'), ['api']);
  // A space ends the authority's host list: the next word is not a continuation.
  assert.deepEqual(hosts('ARGS', 'http://api:8080 db'), ['api']);
});

test('host:port counts under any key', () => {
  assert.deepEqual(hosts('KAFKA_BOOTSTRAP_SERVERS', 'kafka:9092'), ['kafka']);
  assert.deepEqual(hosts('CACHE', 'cache:6379'), ['cache']);
  assert.deepEqual(hosts('UPSTREAM', 'api:80/v1'), ['api']);
  assert.deepEqual(hosts('GIT_SSH', 'web:22'), ['web'], 'well-known low ports');
});

test('name:tag values that look like host:port do not count', () => {
  assert.deepEqual(hosts('BASE_IMAGE', 'redis:7'), []);
  assert.deepEqual(hosts('IMAGE', 'redis:6379'), [], 'an image key never holds a host:port');
  assert.deepEqual(hosts('BUILDER', 'node:20'), [], 'a low port under an ordinary key reads as a tag');
  assert.deepEqual(hosts('REDIS_HOST', 'redis:7'), ['redis'], 'under a host key any port counts');
  assert.deepEqual(hosts('X', 'db:0'), []);
  assert.deepEqual(hosts('DB_HOST', 'db:70000'), []);
});

test('connection strings of the key=value kind', () => {
  assert.deepEqual(hosts('ConnectionStrings__Default', 'Server=mssql;Database=app;User Id=sa;Password=x'), [
    'mssql',
  ]);
  assert.deepEqual(hosts('ConnectionStrings__Default', 'Server=tcp:mssql,1433;Database=app'), ['mssql']);
  assert.deepEqual(hosts('PG', 'Host=pg;Port=5432;Username=u'), ['pg']);
  assert.deepEqual(hosts('X', 'Data Source=db\\SQLEXPRESS;Initial Catalog=x'), ['db']);
  assert.deepEqual(hosts('X', 'Database=db;User=web'), [], 'only host keys of the string');
});

test('never localhost, IP addresses or unknown names', () => {
  const everything = (): boolean => true;
  assert.deepEqual(hosts('DB_HOST', 'localhost', everything), []);
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://u:p@localhost:5432/x', everything), []);
  assert.deepEqual(hosts('X', 'localhost:5432', everything), []);
  assert.deepEqual(hosts('DB_HOST', 'LOCALHOST', everything), []);
  assert.deepEqual(hosts('DB_HOST', '127.0.0.1', everything), []);
  assert.deepEqual(hosts('X', '127.0.0.1:5432', everything), []);
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://10.0.0.5:5432/x', everything), []);
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://[::1]:5432/x', everything), []);
  assert.deepEqual(hosts('DB_HOST', 'unknown'), []);
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://u:p@elsewhere:5432/x'), []);
  assert.deepEqual(hosts('DB_HOST', 'db.example.com'), []);
  assert.deepEqual(hosts('SENTRY_DSN', 'https://key@o1.ingest.sentry.io/1'), []);
});

test('isKnownName receives the lower-cased name', () => {
  const seen: string[] = [];
  findHostRefs('DATABASE_URL', 'postgres://DB:5432/x', (h) => {
    seen.push(h);
    return false;
  });
  assert.deepEqual(seen, ['db']);
});

test('empty and odd values yield nothing', () => {
  assert.deepEqual(hosts('DB_HOST', ''), []);
  assert.deepEqual(hosts('DATABASE_URL', 'file:///var/lib/db.sqlite'), []);
  assert.deepEqual(hosts('DOCKER_HOST', 'unix:///var/run/docker.sock'), []);
  assert.deepEqual(hosts('URL', 'http://:8080'), []);
  assert.deepEqual(hosts('', 'db'), []);
});

test('keys whose last word ends in a host word, run together', () => {
  assert.deepEqual(hosts('PGHOST', 'pg'), ['pg']);
  assert.deepEqual(hosts('REDISHOST', 'redis'), ['redis']);
  assert.deepEqual(hosts('DBHOST', 'db'), ['db']);
  assert.deepEqual(hosts('MYSQLHOST', 'db'), ['db']);
  assert.deepEqual(hosts('PAPERLESS_DBHOST', 'db'), ['db']);
  assert.deepEqual(hosts('PGHOSTNAME', 'db'), ['db']);
  assert.deepEqual(hosts('REDISADDR', 'cache'), ['cache']);
  assert.deepEqual(hosts('SMTPSERVER', 'web'), ['web']);
  assert.deepEqual(hosts('DATABASEURL', 'db'), ['db']);
  assert.deepEqual(hosts('MONGOURI', 'mongo1'), ['mongo1']);
  assert.deepEqual(hosts('SENTRYDSN', 'web'), ['web']);
  assert.deepEqual(hosts('KAFKASERVERS', 'kafka1,kafka2'), ['kafka1', 'kafka2']);
});

test('run-together keys keep the exclusions of the container itself and known look-alikes', () => {
  assert.deepEqual(hosts('HOSTNAME', 'web'), [], 'HOSTNAME alone is the container itself');
  assert.deepEqual(hosts('VIRTUALHOST', 'web'), []);
  assert.deepEqual(hosts('VIRTUAL_HOST', 'web'), []);
  assert.deepEqual(hosts('APP_BIND_HOST', 'web'), []);
  assert.deepEqual(hosts('LISTENADDR', 'web'), [], 'a self key run together');
  assert.deepEqual(hosts('BINDHOST', 'web'), []);
  assert.deepEqual(hosts('KAFKA_ADVERTISEDHOST', 'kafka'), []);
  assert.deepEqual(hosts('GHOST', 'web'), [], 'a word that merely ends in HOST');
  assert.deepEqual(hosts('OBSERVER', 'node'), []);
  assert.deepEqual(hosts('CURL', 'web'), []);
  assert.deepEqual(hosts('PGHOST', 'not-a-service'), [], 'the value must still be a known name');
});

test('hosts in URL query parameters that name a host', () => {
  assert.deepEqual(hosts('S3_URL', 's3://bucket?endpoint=web:8333'), ['web']);
  assert.deepEqual(hosts('STORAGE', 's3://bucket?region=x&endpoint=web:8333'), ['web']);
  assert.deepEqual(hosts('DATABASE_URL', 'postgresql://u:p@/app?host=db&port=5432'), ['db']);
  assert.deepEqual(hosts('DATABASE_URL', 'postgresql:///app?sslmode=off&host=pg'), ['pg']);
  assert.deepEqual(hosts('CALLBACK', 'http://web:80/cb?upstream_url=http://api:8000/x'), ['web', 'api']);
});

test('other query parameters name no host', () => {
  const KNOWN_TOO = new Set([...KNOWN, 'admin', 'rs0', 'bucket']);
  const k = (h: string): boolean => KNOWN_TOO.has(h);
  assert.deepEqual(hosts('MONGO_URL', 'mongodb://mongo1:27017/db?authSource=admin&replicaSet=rs0', k), [
    'mongo1',
  ]);
  assert.deepEqual(hosts('MONGO_URL', 'mongodb://mongo1,mongo2/db?replicaSet=rs0', k), ['mongo1', 'mongo2']);
  assert.deepEqual(hosts('DATABASE_URL', 'postgres://db/x?application_name=web', k), ['db']);
  assert.deepEqual(
    hosts('DATABASE_URL', 'postgres://db/x?host=%2Fvar%2Frun', k),
    ['db'],
    'encoded values are skipped',
  );
  assert.deepEqual(hosts('URL', 'http://web/x#host=api', k), ['web'], 'a fragment is no query');
});

test('host lists under a host key', () => {
  assert.deepEqual(hosts('REDIS_HOSTS', 'cache:6379,redis:6380'), ['cache', 'redis']);
  assert.deepEqual(hosts('ES_HOSTS', 'es1 es2'), ['es1', 'es2']);
  assert.deepEqual(hosts('ES_HOSTS', 'es1;es2'), ['es1', 'es2']);
  assert.deepEqual(hosts('KAFKABROKERS', 'kafka1:9092, kafka2:9092'), ['kafka1', 'kafka2']);
});
