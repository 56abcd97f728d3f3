/**
 * What every evidence scanner returns: a name in a host position, with where it is written.
 * Scanners know nothing of the project; needs.ts keeps the names its DNS map resolves.
 */
import type { HostRef } from '../model/hosts';

/** A host name found in a text, with the port written beside it when there is one. */
export interface EvidenceRef extends HostRef {
  /** The port after the name (`db:5432` → `5432`), when written. */
  port?: string;
}

/** Host names: what Docker's embedded DNS can answer (service names, aliases, `host.docker.internal`). */
const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * True when `host` could be a peer's DNS name: not `localhost`, not an IP address, not a
 * wildcard. Whether it names a service is decided later, against the project.
 */
export function isHostName(host: string): boolean {
  if (!HOST_NAME.test(host) || host.endsWith('.') || host.endsWith('-')) return false;
  const lower = host.toLowerCase();
  return lower !== 'localhost' && !/^[0-9.]+$/.test(host);
}

/** A valid TCP/UDP port number written in decimal. */
export function isPort(port: string): boolean {
  if (!/^[0-9]{1,5}$/.test(port)) return false;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

/**
 * The host of a URL whose authority starts at `from` in `token` (just after `://`), with its
 * port: `postgres://u:p@db:5432/x` → `db`, `5432`. Offsets are `at` + index in `token`.
 */
export function urlHost(token: string, from: number, at: number): EvidenceRef | undefined {
  const rest = token.slice(from);
  const end = rest.search(/[/?#\s"'`]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const user = authority.lastIndexOf('@');
  const hostPort = authority.slice(user + 1);
  // Bracketed IPv6 literals are never service names.
  if (hostPort.startsWith('[')) return undefined;
  const colon = hostPort.indexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  if (!isHostName(host) || (port !== '' && !isPort(port))) return undefined;
  const ref: EvidenceRef = { host, offset: at + from + user + 1, length: host.length };
  if (port !== '') ref.port = port;
  return ref;
}

/**
 * A name in `token` as a host: a URL (`http://api:8080/x`), `host:port` (`db:5432`,
 * `db:5432/path`), or, when `bare` allows it, the whole token as a name. `at` is the offset
 * of `token` in the text the caller locates in.
 */
export function tokenHost(token: string, at: number, bare = false): EvidenceRef | undefined {
  const scheme = token.indexOf('://');
  if (scheme > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(token.slice(0, scheme))) {
    return urlHost(token, scheme + 3, at);
  }
  const hp = /^([^:/?#@\s]+):([0-9]+)(?:\/\S*)?$/.exec(token);
  if (hp) {
    const host = hp[1] ?? '';
    const port = hp[2] ?? '';
    return isHostName(host) && isPort(port) ? { host, offset: at, length: host.length, port } : undefined;
  }
  if (bare && isHostName(token)) return { host: token, offset: at, length: token.length };
  return undefined;
}
