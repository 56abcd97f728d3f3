/**
 * Traefik's Docker provider routes to the containers whose labels configure it: a router or
 * service label on X (`traefik.http.routers.*`, `traefik.http.services.*.loadbalancer...`,
 * `traefik.enable=true`) means the Traefik service connects to X.
 */
import { child, scalarBool, scalarText, type Span } from '../load/tree';
import type { ServiceModel } from '../model/types';
import { commandWords, dockerSocketAccess, imageRepository } from './definition';

/** The label that makes a service a Traefik backend, and the network it asks Traefik to use. */
export interface TraefikBackend {
  /** The label key, as written. */
  key: string;
  keySpan: Span;
  /** `traefik.docker.network`, when set. */
  network?: string;
}

/** True when the service runs Traefik: its image is traefik, or it mounts the Docker socket and runs `traefik`. */
export function isTraefikProxy(s: ServiceModel): boolean {
  if (s.image !== undefined && imageRepository(s.image) === 'traefik') return true;
  if (!dockerSocketAccess(s)) return false;
  return commandWords(s).some((w) => w.slice(w.lastIndexOf('/') + 1) === 'traefik');
}

/**
 * The label making `s` a Traefik backend: a service's load balancer, else a router, else
 * `traefik.enable=true`. None when `traefik.enable` is false or no label routes to it.
 */
export function traefikBackend(s: ServiceModel): TraefikBackend | undefined {
  const labels = child(s.node, 'labels');
  if (labels?.kind !== 'map') return undefined;
  let best: { rank: number; key: string; keySpan: Span } | undefined;
  let network: string | undefined;
  for (const e of labels.entries.values()) {
    const key = e.key.toLowerCase();
    if (!key.startsWith('traefik.')) continue;
    if (key === 'traefik.enable') {
      if (scalarBool(e.value) === false) return undefined;
      if (scalarBool(e.value) !== true) continue;
    }
    if (key === 'traefik.docker.network') network = scalarText(e.value);
    const rank = /^traefik\.(http|tcp|udp)\.services\./.test(key)
      ? 0
      : /^traefik\.(http|tcp|udp)\.routers\./.test(key)
        ? 1
        : key === 'traefik.enable'
          ? 2
          : undefined;
    if (rank !== undefined && (!best || rank < best.rank)) best = { rank, key: e.key, keySpan: e.keySpan };
  }
  if (!best) return undefined;
  return { key: best.key, keySpan: best.keySpan, ...(network !== undefined ? { network } : {}) };
}
