/**
 * Which parser reads a mounted configuration file: by its name (inside the container or on
 * the host) and what it contains. A file no parser knows gets the careful free-text scan
 * only when its extension says it is a text configuration; anything else is not read.
 */
import { caddyHosts } from './caddy';
import { haproxyHosts } from './haproxy';
import { nginxHosts } from './nginx';
import type { EvidenceRef } from './refs';
import { blankComments, freeTextHosts } from './text';
import { traefikTomlHosts } from './traefik';
import { envoyHosts, grafanaHosts, prometheusHosts, traefikYamlHosts } from './yamlConfig';

/** The formats recognised. */
export type ConfigFormat =
  'nginx' | 'caddy' | 'haproxy' | 'traefik' | 'prometheus' | 'grafana' | 'envoy' | 'generic';

/** Extensions of text configuration files the free-text scan may read. */
const TEXT_CONFIG = /\.(conf|cfg|cnf|ini|toml|ya?ml|json|properties|config|template|tmpl|hcl|xml)$/i;

/** File names worth reading at all (a bind mount of a data file is not). */
export function isConfigName(name: string): boolean {
  const base = baseName(name);
  return TEXT_CONFIG.test(base) || /^caddyfile/i.test(base) || /^haproxy/i.test(base);
}

/**
 * The format of a file, from its names (`names` are the host path and the container path)
 * and its text; undefined when it is not a configuration this reads.
 */
export function configFormat(
  names: readonly string[],
  text: string,
  generic = true,
): ConfigFormat | undefined {
  const bases = names.map(baseName);
  const any = (re: RegExp): boolean => bases.some((b) => re.test(b)) || names.some((n) => re.test(n));
  const yaml = bases.some((b) => /\.(ya?ml|json)$/i.test(b));
  if (bases.some((b) => /^caddyfile/i.test(b))) return 'caddy';
  if (any(/haproxy/i) || (bases.some((b) => /\.cfg$/i.test(b)) && /^\s*(backend|listen)\s/m.test(text)))
    return 'haproxy';
  if (yaml && (any(/prometheus|alertmanager/i) || /^\s*scrape_configs\s*:/m.test(text))) return 'prometheus';
  // Grafana provisioning: a mounted directory is read with format parsers only, so it needs its own.
  if (yaml && /^datasources\s*:/m.test(text)) return 'grafana';
  if (yaml && /\bsocket_address\b/.test(text)) return 'envoy';
  if (/\bloadbalancer\b/i.test(text) && (yaml || bases.some((b) => /\.toml$/i.test(b)))) return 'traefik';
  if (/\b(proxy_pass|fastcgi_pass|uwsgi_pass|grpc_pass|scgi_pass|upstream)\b/.test(text) && !yaml)
    return 'nginx';
  if (generic && bases.some((b) => TEXT_CONFIG.test(b))) return 'generic';
  return undefined;
}

/** Host references in a configuration file of `format`, offsets in `text`. */
export function configHosts(format: ConfigFormat, names: readonly string[], text: string): EvidenceRef[] {
  switch (format) {
    case 'nginx':
      return nginxHosts(text);
    case 'caddy':
      return caddyHosts(text);
    case 'haproxy':
      return haproxyHosts(text);
    case 'prometheus':
      return prometheusHosts(text);
    case 'grafana':
      return grafanaHosts(text);
    case 'envoy':
      return envoyHosts(text);
    case 'traefik':
      return names.some((n) => /\.toml$/i.test(n)) ? traefikTomlHosts(text) : traefikYamlHosts(text);
    case 'generic': {
      // `;` starts comments in INI files, `//` in JSON-with-comments and HCL.
      const markers = names.some((n) => /\.(ini|cnf)$/i.test(n)) ? ['#', ';'] : ['#', '//'];
      return freeTextHosts(blankComments(text, markers));
    }
  }
}

function baseName(p: string): string {
  return p.slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');
}
