/**
 * The reachability matrix: who reaches whom laid out service × service, with what each
 * service exposes on the host. Pure data derived from a ReachabilityReport, shared by the CLI
 * and the matrix webview so both show the same order and the same port labels.
 */
import type {
  Attachment,
  Location,
  PublishedPort,
  ReachabilityReport,
  ServiceNode,
  Tier,
  Via,
} from './report';
import { reportReachability } from './reach';

/** Tiers in the order the matrix shows them: from the outside in. */
export const TIER_ORDER: readonly Tier[] = ['public', 'app', 'data'];

/** A published port, labelled the way `docker ps` shows it. */
export interface MatrixPort {
  /** `0.0.0.0:80->80/tcp`, `[::1]:8080->80/tcp`, `0.0.0.0:(random)->80/tcp`; `80/tcp` when not published. */
  label: string;
  /** The port entry in the compose file. */
  location: Location;
}

/** One active service: a row and the column of the same index. */
export interface MatrixService {
  name: string;
  /** The service's tier; `app` when the rules stage gave it none. */
  tier: Tier;
  /** Why the rules stage chose the tier; absent when it defaulted to `app`. */
  tierReason?: string;
  /** How the service is attached (host mode exposes every port it listens on, without `ports:`). */
  attachment: Attachment;
  /** Ports Docker publishes on a non-loopback host address: reachable from outside the host. */
  exposed: MatrixPort[];
  /** Ports Docker publishes on a loopback address only: reachable from the host itself. */
  hostOnly: MatrixPort[];
  /** Ports written in `ports:` that Docker will not publish (internal networks only, or a network mode without ports). */
  unpublished: MatrixPort[];
  /** True when the service can open connections outside Docker. */
  egress: boolean;
  /** The service's key in `services:`. */
  location: Location;
  /** The Docker socket mount, when the service holds the Docker API (its row reaches everyone). */
  dockerSocket?: Location;
}

/** A run of consecutive services of the same tier in `Matrix.services`. */
export interface MatrixGroup {
  tier: Tier;
  /** Index of the group's first service in `Matrix.services`. */
  start: number;
  /** Number of services in the group (never 0: empty tiers have no group). */
  count: number;
}

/** A service whose profiles are not enabled: declared, but it does not run. */
export interface InactiveService {
  name: string;
  profiles: string[];
  location: Location;
}

/**
 * Who can reach whom among the active services. `cell(i, j)` says how `services[i]` can
 * open a connection to `services[j]`; null when it cannot, and always null on the diagonal.
 * Cells are computed when asked: a view shows a window of them, and 2,000 services would be
 * four million.
 */
export interface Matrix {
  project: string;
  /** Active services, grouped by tier in `TIER_ORDER`, by name inside a group. */
  services: MatrixService[];
  /** The tier groups of `services`, in order. */
  groups: MatrixGroup[];
  /** How `services[from]` reaches `services[to]`, or null when it cannot. */
  cell(from: number, to: number): Via[] | null;
  /** How many services `services[from]` reaches. */
  reachCount(from: number): number;
  /** Services left out because their profiles are not enabled, by name. */
  inactive: InactiveService[];
}

/** A service as the matrix reads it: the report's, without the services it needs. */
export type MatrixServiceNode = Omit<ServiceNode, 'needs'>;

/**
 * A report as the matrix reads it (a whole `ReachabilityReport` is one too). The matrix webview
 * is posted this, from `matrixReport`: every byte posted to a webview is copied before it can
 * render, and at 2,000 services the needs the matrix does not show are 38 % of the report.
 */
export type MatrixReport = Omit<ReachabilityReport, 'services'> & { services: MatrixServiceNode[] };

/** The report without what the matrix does not read. */
export function matrixReport(report: ReachabilityReport): MatrixReport {
  return { ...report, services: report.services.map(({ needs: _needs, ...s }) => s) };
}

/** Builds the matrix of a report: O(services + memberships); cells cost when they are asked for. */
export function buildMatrix(report: MatrixReport): Matrix {
  const active = report.services.filter((s) => s.active);
  const services = active.map(toMatrixService).sort(byTierThenName);
  const reach = reportReachability(report);
  const cell = (from: number, to: number): Via[] | null => {
    const a = services[from];
    const b = services[to];
    if (!a || !b || from === to) return null;
    const via = reach.vias(a.name, b.name);
    return via.length > 0 ? via : null;
  };
  const reachCount = (from: number): number => {
    const a = services[from];
    return a ? reach.count(a.name) : 0;
  };

  const groups: MatrixGroup[] = [];
  services.forEach((s, i) => {
    const last = groups[groups.length - 1];
    if (last && last.tier === s.tier) last.count++;
    else groups.push({ tier: s.tier, start: i, count: 1 });
  });

  const inactive = report.services
    .filter((s) => !s.active)
    .map((s) => ({ name: s.name, profiles: [...s.profiles], location: s.location }))
    .sort((a, b) => compareNames(a.name, b.name));

  return { project: report.project, services, groups, cell, reachCount, inactive };
}

/**
 * The `docker ps` style label of a published port: `hostIp:published->target/protocol`.
 * An empty host address means every interface and is shown as `0.0.0.0`; IPv6 addresses
 * are bracketed so the port stays readable.
 */
export function portLabel(port: PublishedPort): string {
  const target = `${port.target}/${port.protocol}`;
  if (!port.effective) return target;
  const ip = port.hostIp === '' ? '0.0.0.0' : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  const published = port.published === '' ? '(random)' : port.published;
  return `${ip}:${published}->${target}`;
}

function toMatrixService(s: MatrixServiceNode): MatrixService {
  const label = (p: PublishedPort): MatrixPort => ({ label: portLabel(p), location: p.location });
  return {
    name: s.name,
    tier: s.tier?.tier ?? 'app',
    ...(s.tier ? { tierReason: s.tier.reason } : {}),
    attachment: s.attachment,
    exposed: s.ports.filter((p) => p.effective && !p.loopback).map(label),
    hostOnly: s.ports.filter((p) => p.effective && p.loopback).map(label),
    unpublished: s.ports.filter((p) => !p.effective).map(label),
    egress: s.egress,
    location: s.location,
    ...(s.dockerSocket ? { dockerSocket: s.dockerSocket } : {}),
  };
}

function byTierThenName(a: MatrixService, b: MatrixService): number {
  return TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier) || compareNames(a.name, b.name);
}

// Code-unit order, not localeCompare: the same order on every machine and in every locale.
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
