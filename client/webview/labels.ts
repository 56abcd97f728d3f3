/**
 * The words of the matrix: what a cell shows, what its tooltip says and what a screen reader
 * reads. Pure functions of the matrix data, no DOM.
 */
import type { MatrixService } from '../../shared/src/matrix';
import type { Finding, Severity, Via } from '../../shared/src/report';

type PortVia = Extract<Via, { kind: 'published-port' }>;

/** A via list split by kind; networks sorted and unique. */
export interface ViaParts {
  networks: string[];
  namespace: boolean;
  ports: PortVia[];
  /** The row holds the Docker API (mounts the Docker socket). */
  dockerApi: boolean;
}

export function viaParts(via: readonly Via[]): ViaParts {
  const networks = [...new Set(via.flatMap((v) => (v.kind === 'network' ? [v.network] : [])))].sort(compare);
  return {
    networks,
    namespace: via.some((v) => v.kind === 'namespace'),
    ports: via.filter((v): v is PortVia => v.kind === 'published-port'),
    dockerApi: via.some((v) => v.kind === 'docker-api'),
  };
}

/** `0.0.0.0:8080->80/tcp`, as `docker ps` and the CLI show a published port. */
export function portViaLabel(p: PortVia): string {
  const ip = p.hostIp === '' ? '0.0.0.0' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.published === '' ? '(random)' : p.published}->${p.target}/${p.protocol}`;
}

/**
 * The cell's visible text: network names, `ns`, `:port` per published port, then `docker`
 * for the Docker API; `·` when unreachable.
 */
export function cellText(via: readonly Via[] | null): string {
  if (!via || via.length === 0) return '·';
  const parts = viaParts(via);
  const out = [...parts.networks];
  if (parts.namespace) out.push('ns');
  for (const p of parts.ports) out.push(`:${p.published === '' ? '?' : p.published}`);
  if (parts.dockerApi) out.push('docker');
  return [...new Set(out)].join(', ');
}

/** "web can reach api via backend", "web cannot reach db"; findings follow as sentences. */
export function cellAria(
  from: string,
  to: string,
  via: readonly Via[] | null,
  findings: readonly Finding[],
): string {
  let text: string;
  if (!via || via.length === 0) {
    text = `${from} cannot reach ${to}`;
  } else {
    const parts = viaParts(via);
    const ways = [
      ...parts.networks,
      ...(parts.namespace ? ['the same network namespace'] : []),
      ...parts.ports.map((p) => `published port ${portViaLabel(p)}`),
      ...(parts.dockerApi ? ['the Docker API'] : []),
    ];
    text = `${from} can reach ${to} via ${list(ways)}`;
  }
  return text + findingSentences(findings);
}

/** The tooltip of a service × service cell. */
export function cellTitle(
  from: string,
  to: string,
  via: readonly Via[] | null,
  findings: readonly Finding[],
): string {
  const lines = [`${from} → ${to}`];
  if (!via || via.length === 0) {
    lines.push('Cannot connect: no shared network, namespace or published port.');
  } else {
    const parts = viaParts(via);
    if (parts.networks.length > 0) {
      lines.push(
        `${parts.networks.length === 1 ? 'Shared network' : 'Shared networks'}: ${parts.networks.join(', ')}`,
      );
    }
    if (parts.namespace) lines.push('Same network namespace (network_mode: service:…)');
    for (const p of parts.ports) lines.push(`Published port on the host: ${portViaLabel(p)}`);
    if (parts.dockerApi)
      lines.push(`Docker API: ${from} mounts the Docker socket and can start containers on any network`);
  }
  lines.push(...findingLines(findings));
  if (via && via.length > 0) lines.push('Click or press Enter to go to the entry that creates this link.');
  else if (findings.length > 0) lines.push('Click or press Enter to go to the finding.');
  return lines.join('\n');
}

/** Exposed-outside column: ports reachable from outside the host, then host-only ones. */
export function exposedText(s: MatrixService): string {
  const parts: string[] = [];
  if (s.attachment.kind === 'host') parts.push('every port (host network)');
  parts.push(...s.exposed.map((p) => p.label));
  parts.push(...s.hostOnly.map((p) => `${p.label} (host only)`));
  return parts.length > 0 ? parts.join(', ') : '—';
}

export function exposedAria(s: MatrixService, findings: readonly Finding[]): string {
  const parts: string[] = [];
  if (s.attachment.kind === 'host')
    parts.push(`${s.name} uses the host's network: every port it listens on is exposed`);
  if (s.exposed.length > 0)
    parts.push(`${s.name} is exposed outside on ${list(s.exposed.map((p) => p.label))}`);
  if (s.hostOnly.length > 0)
    parts.push(`reachable from the host only on ${list(s.hostOnly.map((p) => p.label))}`);
  if (parts.length === 0) parts.push(`${s.name} is not exposed outside`);
  return parts.join('; ') + findingSentences(findings);
}

export function exposedTitle(s: MatrixService, findings: readonly Finding[]): string {
  const lines = [`${s.name}: exposed outside`];
  if (s.attachment.kind === 'host')
    lines.push('network_mode: host — every port it listens on is open on the host.');
  for (const p of s.exposed) lines.push(`Outside the host: ${p.label}`);
  for (const p of s.hostOnly) lines.push(`This host only (loopback): ${p.label}`);
  for (const p of s.unpublished) lines.push(`Not published by Docker: ${p.label}`);
  if (lines.length === 1) lines.push('No published port.');
  lines.push(...findingLines(findings));
  return lines.join('\n');
}

export function egressText(s: MatrixService): string {
  return s.egress ? 'yes' : 'no';
}

export function egressAria(s: MatrixService): string {
  return s.egress
    ? `${s.name} can open connections outside Docker`
    : `${s.name} cannot open connections outside Docker`;
}

export function egressTitle(s: MatrixService): string {
  return s.egress
    ? `${s.name} can open connections outside Docker (a network that is not internal${s.attachment.kind === 'host' ? ', or the host network' : ''}).`
    : `${s.name} has no route outside Docker (internal networks only, or no network).`;
}

export function serviceTitle(
  s: MatrixService,
  image: string | undefined,
  findings: readonly Finding[],
): string {
  const lines = [`${s.name} — ${s.tier} tier${s.tierReason ? ` (${s.tierReason})` : ''}`];
  if (image) lines.push(`image: ${image}`);
  if (s.attachment.kind === 'service') lines.push(`network_mode: service:${s.attachment.service}`);
  else if (s.attachment.kind === 'container') lines.push(`network_mode: container:${s.attachment.container}`);
  else if (s.attachment.kind !== 'networks') lines.push(`network_mode: ${s.attachment.kind}`);
  lines.push(...findingLines(findings));
  lines.push('Click or press Enter to go to the service.');
  return lines.join('\n');
}

export function serviceAria(s: MatrixService, findings: readonly Finding[]): string {
  return `${s.name}, ${s.tier} tier` + findingSentences(findings);
}

const SEVERITY_WORD: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Info',
  hint: 'Hint',
};

const SEVERITY_GLYPH: Record<Severity, string> = {
  error: '⛔',
  warning: '⚠',
  information: 'ℹ',
  hint: '…',
};

export function severityGlyph(s: Severity): string {
  return SEVERITY_GLYPH[s];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The most serious severity among findings, or undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings)
    if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

function findingSentences(findings: readonly Finding[]): string {
  return findings.map((f) => `. ${SEVERITY_WORD[f.severity]} ${f.code}: ${stripPeriod(f.message)}`).join('');
}

function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${SEVERITY_GLYPH[f.severity]} ${f.code}: ${f.message}`);
}

function stripPeriod(s: string): string {
  return s.replace(/\.\s*$/, '');
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
