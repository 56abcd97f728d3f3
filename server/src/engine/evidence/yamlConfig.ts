/**
 * YAML (and JSON) configuration files: Prometheus targets, Envoy socket addresses, Traefik's
 * file provider. The `yaml` parser skips comments for us; scalars are located through their
 * source ranges.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Node as YNode } from 'yaml';
import { tokenHost, type EvidenceRef } from './refs';

/** A string scalar with the offset its characters start at, when the source spells it as is. */
interface Located {
  value: string;
  at: number;
}

function located(node: unknown, text: string): Located | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const first = text[node.range[0]];
  const at = first === '"' || first === "'" ? node.range[0] + 1 : node.range[0];
  return text.startsWith(node.value, at) ? { value: node.value, at } : undefined;
}

/** Every value of a key named one of `keys`, anywhere in the document. */
function valuesOf(text: string, keys: ReadonlySet<string>): YNode[] {
  const out: YNode[] = [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return out;
  }
  if (doc.errors.length > 0) return out;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && keys.has(String(pair.key.value)) && pair.value) out.push(pair.value as YNode);
    },
  });
  return out;
}

/** Scalars of a value: itself, or the items of a list. */
function scalars(node: YNode, text: string): Located[] {
  const items = isSeq(node) ? node.items : [node];
  return items.map((i) => located(i, text)).filter((l): l is Located => l !== undefined);
}

/** Hosts in the values (a scalar or a list of them) of keys named one of `keys`. */
function hostsUnder(text: string, keys: ReadonlySet<string>): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const node of valuesOf(text, keys)) {
    for (const s of scalars(node, text)) {
      const ref = tokenHost(s.value, s.at, false);
      if (ref) out.push(ref);
    }
  }
  return out;
}

const PROMETHEUS_KEYS = new Set(['targets', 'url']);
const GRAFANA_KEYS = new Set(['url']);
const TRAEFIK_KEYS = new Set(['url', 'address']);

/** Prometheus and Alertmanager `targets: ['x:9100']`, and `url:`s (remote write, alerting). */
export function prometheusHosts(text: string): EvidenceRef[] {
  return hostsUnder(text, PROMETHEUS_KEYS);
}

/** Grafana's provisioned data sources: `datasources: [{url: http://prometheus:9090}]`. */
export function grafanaHosts(text: string): EvidenceRef[] {
  return hostsUnder(text, GRAFANA_KEYS);
}

/** Envoy `socket_address: {address: x, port_value: 80}`. */
export function envoyHosts(text: string): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const node of valuesOf(text, new Set(['socket_address']))) {
    if (!isMap(node)) continue;
    const s = located(node.get('address', true), text);
    const ref = s && tokenHost(s.value, s.at, true);
    if (ref) out.push(ref);
  }
  return out;
}

/** Traefik's file provider in YAML: `servers: [{url: http://x:80}]`, TCP `address: x:80`. */
export function traefikYamlHosts(text: string): EvidenceRef[] {
  return hostsUnder(text, TRAEFIK_KEYS);
}
