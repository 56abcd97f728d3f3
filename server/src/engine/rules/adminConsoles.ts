/**
 * Administration consoles: web UIs that manage a database, a broker, a proxy, Docker or
 * outgoing mail. They are no data stores (they carry a store's variables and names, and the
 * tiers must not count those), and published on every interface they put a login page, or
 * none, one step from the data they manage.
 */
import type { EnvVar, ServiceModel } from '../model/types';
import { commandWords } from '../evidence/definition';
import { imagePath } from './tiers';

/** What an admin console is and which of its container ports serve the UI. */
export interface AdminConsole {
  /** The product, as messages name it (`pgAdmin`, `the Traefik dashboard`). */
  name: string;
  /** What whoever gets in controls. */
  controls: string;
  /** Container ports of the UI; undefined: every port the image publishes is the UI. */
  ports?: readonly string[];
  /**
   * True when the image is only the console. False for a store or proxy that also serves one
   * (RabbitMQ's management plugin, Traefik's dashboard): only its UI port counts.
   */
  only: boolean;
}

const DB = 'the databases it connects to';

/** Console images by image path end (`dpage/pgadmin4` matches `pgadmin4`). */
// prettier-ignore
const CONSOLE_IMAGES: ReadonlyMap<string, AdminConsole> = new Map([
  ['adminer', { name: 'Adminer', controls: DB, only: true }],
  ['phpmyadmin', { name: 'phpMyAdmin', controls: DB, only: true }],
  ['pgadmin4', { name: 'pgAdmin', controls: DB, only: true }],
  ['pgadmin', { name: 'pgAdmin', controls: DB, only: true }],
  ['pgweb', { name: 'pgweb', controls: DB, only: true }],
  ['dbgate', { name: 'DbGate', controls: DB, only: true }],
  ['cloudbeaver', { name: 'CloudBeaver', controls: DB, only: true }],
  ['mongo-express', { name: 'mongo-express', controls: 'the MongoDB server it connects to', only: true }],
  ['redis-commander', { name: 'Redis Commander', controls: 'the Redis servers it connects to', only: true }],
  ['redisinsight', { name: 'RedisInsight', controls: 'the Redis servers it connects to', only: true }],
  ['kafka-ui', { name: 'Kafka UI', controls: 'the Kafka clusters it connects to', only: true }],
  ['akhq', { name: 'AKHQ', controls: 'the Kafka clusters it connects to', only: true }],
  ['kafdrop', { name: 'Kafdrop', controls: 'the Kafka clusters it connects to', only: true }],
  ['portainer-ce', { name: 'Portainer', controls: 'control of Docker on this host', ports: ['9000', '9443'], only: true }],
  ['portainer-ee', { name: 'Portainer', controls: 'control of Docker on this host', ports: ['9000', '9443'], only: true }],
  ['portainer/portainer', { name: 'Portainer', controls: 'control of Docker on this host', ports: ['9000', '9443'], only: true }],
  ['mailhog', { name: 'MailHog', controls: 'every mail the project sends', ports: ['8025'], only: true }],
  ['mailpit', { name: 'Mailpit', controls: 'every mail the project sends', ports: ['8025'], only: true }],
  ['maildev', { name: 'MailDev', controls: 'every mail the project sends', ports: ['1080'], only: true }],
  ['rabbitmq', { name: 'the RabbitMQ management UI', controls: 'the broker', ports: ['15672'], only: false }],
]);

const TRAEFIK: AdminConsole = {
  name: 'the Traefik dashboard and API (--api.insecure)',
  controls: 'the routing configuration it shows, with no login',
  ports: ['8080'],
  only: false,
};

function byImage(image: string): AdminConsole | undefined {
  const path = imagePath(image);
  const repo = path.slice(path.lastIndexOf('/') + 1);
  return CONSOLE_IMAGES.get(path) ?? CONSOLE_IMAGES.get(repo);
}

/** True when the image is an admin console and nothing else (not a store that serves one). */
export function isAdminConsoleImage(image: string): boolean {
  return byImage(image)?.only === true;
}

function envTrue(env: readonly EnvVar[], key: string): boolean {
  const v = env.find((e) => e.key === key)?.value;
  return v !== undefined && v !== null && /^(true|1|yes)$/i.test(v.trim());
}

/**
 * The console `svc` serves, if any: by image, and for Traefik only when its API is served
 * without authentication (`--api.insecure`, or `TRAEFIK_API_INSECURE=true`).
 */
export function adminConsoleOf(svc: ServiceModel): AdminConsole | undefined {
  if (svc.image === undefined) return undefined;
  const found = byImage(svc.image);
  if (found) return found;
  const path = imagePath(svc.image);
  if (path.slice(path.lastIndexOf('/') + 1) !== 'traefik') return undefined;
  const insecure =
    commandWords(svc).some((w) => /^--api\.insecure(=true)?$/i.test(w)) ||
    envTrue(svc.environment, 'TRAEFIK_API_INSECURE');
  return insecure ? TRAEFIK : undefined;
}

/** True when container port (or range) `target` holds one of the console's UI ports. */
export function servesConsole(c: AdminConsole, target: string): boolean {
  if (!c.ports) return true;
  const [lo, hi = lo] = target.split('-').map(Number);
  return c.ports.some((p) => Number(p) >= lo! && Number(p) <= hi!);
}
