/**
 * `host.docker.internal` and the `extra_hosts` names mapped to `host-gateway` reach the host:
 * `host.docker.internal:8080` is a connection to whichever service publishes host port 8080.
 */
import { child, scalarText, type LMap } from '../load/tree';
import type { PortSpec } from '../model/ports';

/** Docker Desktop's name of the host, also what `extra_hosts: [host.docker.internal:host-gateway]` adds on Linux. */
export const HOST_GATEWAY_NAME = 'host.docker.internal';

/** The lower-cased names that reach the host from a service: `host.docker.internal` and its `host-gateway` extra hosts. */
export function gatewayNames(node: LMap): Set<string> {
  const names = new Set([HOST_GATEWAY_NAME]);
  const extra = child(node, 'extra_hosts');
  const add = (name: string, ip: string | undefined): void => {
    if (ip?.trim() === 'host-gateway') names.add(name.trim().toLowerCase());
  };
  if (extra?.kind === 'map') for (const e of extra.entries.values()) add(e.key, scalarText(e.value));
  if (extra?.kind === 'seq') {
    for (const item of extra.items) {
      const text = scalarText(item);
      // `name:ip` (the historical form) or `name=ip` (Compose 2.24+).
      const m = text === undefined ? null : /^([^:=]+)[:=](.*)$/.exec(text);
      if (m) add(m[1] ?? '', m[2]);
    }
  }
  return names;
}

/** True when `port` publishes host port `hostPort` (a single port or inside a range). */
export function publishes(port: PortSpec, hostPort: number): boolean {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(port.published);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return hostPort >= lo && hostPort <= hi;
}
