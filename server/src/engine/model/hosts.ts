/**
 * Service host names mentioned in one environment variable, as evidence that a service
 * needs another one.
 *
 * Precision comes before recall: a wrong "needs" edge makes isolation rules report a
 * problem that is not there, while a missed one only leaves a finding out. So a name counts
 * only where it sits in a host position (a URL authority, `host:port`, a connection-string
 * `Server=`), or as the whole value of a variable whose name says it holds a host.
 */
import { detach } from '../strings';

/** One host name found in a value. */
export interface HostRef {
  /** The name as written (callers resolve it case-insensitively). */
  host: string;
  /** UTF-16 offset of the name within the value. */
  offset: number;
  length: number;
}

/** Last key tokens that say the value is a host, an address or something that contains one. */
const HOST_KEY_SUFFIXES = new Set([
  'HOST',
  'HOSTNAME',
  'HOSTS',
  'ADDR',
  'ADDRS',
  'ADDRESS',
  'ADDRESSES',
  'SERVER',
  'SERVERS',
  'BOOTSTRAPSERVERS',
  'URL',
  'URLS',
  'URI',
  'URIS',
  'DSN',
  'ENDPOINT',
  'ENDPOINTS',
  'BROKER',
  'BROKERS',
  'CONNECTION',
  'CONNECTIONSTRING',
]);

/**
 * Endings of a key's last token that say it holds a host even when run together with the
 * word before: `PGHOST`, `REDISHOST`, `PAPERLESS_DBHOST`, `DATABASEURL`, `MYSQLADDR`.
 *
 * The trade-off: any word that merely ends so (`GHOST`, `OBSERVER`, `CURL`) reads as a host
 * key too. That costs little: under a host key only a value that is a whole host name (or a
 * host list) counts, and the caller keeps it only when it names a service of the project, so
 * a false need takes a key ending in HOST/URL/... whose value is exactly a service's name.
 * The words where that is known to happen are listed in `NOT_HOST_WORDS`.
 */
const HOST_KEY_ENDINGS = [
  'HOST',
  'HOSTS',
  'HOSTNAME',
  'ADDR',
  'ADDRS',
  'SERVER',
  'SERVERS',
  'URL',
  'URLS',
  'URI',
  'URIS',
  'DSN',
];

/** Words that end like a host key and are not one. */
const NOT_HOST_WORDS = new Set(['GHOST', 'GHOSTS', 'OBSERVER', 'OBSERVERS', 'CURL', 'LOCALHOST']);

/**
 * Tokens of keys that name the container itself (what it listens on or advertises), not
 * a peer: `KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:9092` on the kafka service is not a need.
 */
const SELF_KEY_TOKENS = new Set(['BIND', 'LISTEN', 'LISTENER', 'LISTENERS', 'ADVERTISED']);

/** Tokens of keys whose `name:tag` values look like `host:port` (`IMAGE=redis:7`). */
const IMAGE_KEY_TOKENS = new Set(['IMAGE', 'TAG', 'VERSION']);

/** Ports below 80 that are still plausible in a bare `host:port` under an arbitrary key. */
const LOW_WELL_KNOWN_PORTS = new Set([21, 22, 25, 53]);

/** Connection-string keys (ADO.NET, Npgsql, ...) whose value is a host. */
const CONN_STRING_HOST_KEYS = new Set([
  'server',
  'host',
  'hostname',
  'data source',
  'address',
  'addr',
  'network address',
]);

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Host names in `key=value` that `isKnownName` recognises (it is called with the lower-cased
 * name: Docker's DNS is case-insensitive and Compose names are lower case).
 *
 * Counted for any key: URL authorities (`postgres://u:p@db:5432/x`, several hosts in
 * `mongodb://a,b/x`, lists of URLs), `host:port` and lists of them, and `Server=db;...`
 * connection strings, and URL query parameters naming a host (`?host=db`, `?endpoint=s3:8333`).
 * A bare `db` counts only under a key naming a host (`DB_HOST`, `*_URL`, `*_SERVERS`,
 * `*_HOST_*`, run together as in `PGHOST` or `DATABASEURL` ...). Never `localhost` or an IP address. Keys that
 * describe the container itself (`HOSTNAME`, `VIRTUAL_HOST`, `*_BIND_*`, `*_LISTEN*`,
 * `*_ADVERTISED_*`) yield nothing; references to the service itself are the caller's to drop.
 */
export function findHostRefs(key: string, value: string, isKnownName: (host: string) => boolean): HostRef[] {
  const candidates = hostCandidates(key, value);
  return candidates.length === 0 ? [] : candidates.filter((ref) => isKnownName(ref.host.toLowerCase()));
}

/**
 * Every name in a host position of `key=value`, known to the project or not (`findHostRefs`
 * keeps the known ones). The same array for the same key and value: do not change it.
 */
export function hostCandidates(key: string, value: string): readonly HostRef[] {
  // By key, then value: no string is built per lookup, and the strings of an unchanged
  // service are the same objects from one keystroke to the next, with their hashes.
  let byValue = candidateMemo.get(key);
  if (!byValue) {
    // Bounded: an editor session types many passing keys and values.
    if (candidateMemo.size >= CANDIDATE_MEMO_KEYS) candidateMemo.clear();
    candidateMemo.set(detach(key), (byValue = new Map()));
  }
  let candidates = byValue.get(value);
  if (!candidates) {
    if (byValue.size >= CANDIDATE_MEMO_VALUES) byValue.clear();
    byValue.set(detach(value), (candidates = scanHosts(key, value)));
  }
  return candidates;
}

/**
 * Host positions by variable name and value, before the project's names are known: a
 * keystroke's analysis reads the same few thousand variables as the last one did.
 */
const candidateMemo = new Map<string, Map<string, readonly HostRef[]>>();
const CANDIDATE_MEMO_KEYS = 5_000;
const CANDIDATE_MEMO_VALUES = 5_000;

function scanHosts(key: string, value: string): HostRef[] {
  const tokens = keyTokens(key);
  if (isSelfKey(tokens)) return [];

  const refs: HostRef[] = [];
  const add = (host: string, offset: number): void => {
    if (!HOST_NAME.test(host)) return;
    const lower = host.toLowerCase();
    if (lower === 'localhost' || /^[0-9.]+$/.test(host)) return;
    refs.push({ host, offset, length: host.length });
  };

  if (isConnectionString(value)) {
    connectionStringHosts(value, add);
    return refs;
  }

  const hostKey = isHostKey(tokens);
  const imageKey = tokens.some((t) => IMAGE_KEY_TOKENS.has(t));
  // After a URL whose authority runs to the end of its segment, a comma continues its
  // host list (`mongodb://u:p@a:27017,b:27017/db`): the next segment is a host whatever the key.
  let continuesAuthority = false;

  for (const m of value.matchAll(/[^\s,;]+/g)) {
    const seg = m[0];
    const at = m.index;
    const afterComma = at > 0 && value[at - 1] === ',';
    const scheme = seg.indexOf('://');

    if (scheme >= 0) {
      continuesAuthority = authorityHost(seg, at, scheme + 3, add);
      queryHosts(seg, at, add);
      continue;
    }
    if (continuesAuthority && afterComma) {
      continuesAuthority = authorityHost(seg, at, 0, add);
      queryHosts(seg, at, add);
      continue;
    }
    continuesAuthority = false;

    const hp = /^([^:/?#@]+)(?::([0-9]+))?(?:\/.*)?$/.exec(seg);
    if (!hp) continue;
    const host = hp[1] ?? '';
    const port = hp[2];
    if (port === undefined) {
      // A bare name is a host only where the key says so, and then it must be the whole item.
      if (hostKey && seg === host) add(host, at);
      continue;
    }
    const n = Number(port);
    if (n < 1 || n > 65535) continue;
    if (hostKey || (!imageKey && (n >= 80 || LOW_WELL_KNOWN_PORTS.has(n)))) add(host, at);
  }
  return refs;
}

/**
 * The host of the authority starting at `from` in `seg` (which starts at `segAt` in the
 * value). Returns whether the authority runs to the end of the segment, so that a following
 * comma-separated segment may continue its host list.
 */
function authorityHost(
  seg: string,
  segAt: number,
  from: number,
  add: (host: string, offset: number) => void,
): boolean {
  const rest = seg.slice(from);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const user = authority.lastIndexOf('@');
  const hostPort = authority.slice(user + 1);
  // Bracketed IPv6 literals are never service names.
  if (!hostPort.startsWith('[')) {
    const colon = hostPort.indexOf(':');
    const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    const port = colon < 0 ? '' : hostPort.slice(colon + 1);
    if (host !== '' && /^[0-9]*$/.test(port)) add(host, segAt + from + user + 1);
  }
  return end < 0;
}

/**
 * Hosts in a URL's query, under parameters whose name says they hold one
 * (`s3://bucket?endpoint=store:8333`, `postgresql:///x?host=db&port=5432`); other parameters
 * (`authSource=admin`, `replicaSet=rs0`) name no host. A percent-encoded value is skipped: its
 * characters are not the file's.
 */
function queryHosts(seg: string, segAt: number, add: (host: string, offset: number) => void): void {
  const q = seg.indexOf('?');
  if (q < 0) return;
  const hash = seg.indexOf('#', q);
  const query = seg.slice(q + 1, hash < 0 ? seg.length : hash);
  let at = segAt + q + 1;
  for (const param of query.split('&')) {
    const eq = param.indexOf('=');
    if (eq > 0 && !param.includes('%')) {
      const tokens = keyTokens(param.slice(0, eq));
      if (isHostKey(tokens) && !isSelfKey(tokens)) {
        const valueAt = at + eq + 1;
        for (const ref of scanHosts(param.slice(0, eq), param.slice(eq + 1)))
          add(ref.host, valueAt + ref.offset);
      }
    }
    at += param.length + 1;
  }
}

/** `Server=db;Database=x` style: semicolon-separated `key=value` pairs, one of them a host key. */
function isConnectionString(value: string): boolean {
  if (!value.includes('=') || !value.includes(';')) return false;
  return value.split(';').some((part) => {
    const eq = part.indexOf('=');
    return eq > 0 && CONN_STRING_HOST_KEYS.has(part.slice(0, eq).trim().toLowerCase());
  });
}

function connectionStringHosts(value: string, add: (host: string, offset: number) => void): void {
  let at = 0;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && CONN_STRING_HOST_KEYS.has(part.slice(0, eq).trim().toLowerCase())) {
      // `Server=tcp:db,1433`, `Host=db:5432`, `Data Source=db\\SQLEXPRESS`: the host is the
      // leading run of name characters after an optional `tcp:` prefix.
      const v = part.slice(eq + 1);
      const m = /^(\s*(?:tcp:)?)([A-Za-z0-9_.-]+)(?=$|[\s,:\\])/i.exec(v);
      if (m) add(m[2] ?? '', at + eq + 1 + (m[1] ?? '').length);
    }
    at += part.length + 1;
  }
}

/** Upper-case words of a key: `spring.kafka.bootstrap-servers`, `redisHost`, `DB_HOST` alike. */
function keyTokens(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((t) => t !== '');
}

function isHostKey(tokens: string[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return false;
  if (HOST_KEY_SUFFIXES.has(last)) return true;
  if (!NOT_HOST_WORDS.has(last) && HOST_KEY_ENDINGS.some((e) => last.endsWith(e))) return true;
  const prev = tokens[tokens.length - 2];
  if (prev === 'CONNECTION' && (last === 'STRING' || last === 'STRINGS')) return true;
  // `DB_HOST_NAME`, `REDIS_HOST_ADDR`: HOST inside the name.
  return tokens.slice(0, -1).includes('HOST');
}

function isSelfKey(tokens: string[]): boolean {
  const joined = tokens.join('_');
  // Docker sets HOSTNAME to the container's own name; VIRTUAL_HOST and LETSENCRYPT_HOST
  // (nginx-proxy) are the public domain the container itself serves.
  if (
    joined === 'HOSTNAME' ||
    joined.endsWith('VIRTUAL_HOST') ||
    joined.endsWith('VIRTUALHOST') ||
    joined.endsWith('LETSENCRYPT_HOST')
  )
    return true;
  if (tokens.some((t) => SELF_KEY_TOKENS.has(t))) return true;
  // Run together too: `LISTENADDR`, `BINDHOST`, `ADVERTISEDHOST`.
  const last = tokens[tokens.length - 1] ?? '';
  return SELF_KEY_PREFIXES.some((p) => last.startsWith(p) && last.length > p.length);
}

const SELF_KEY_PREFIXES = ['BIND', 'LISTEN', 'ADVERTISED'];
