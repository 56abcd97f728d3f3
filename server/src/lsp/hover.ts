/**
 * Hover on a service or network key: what the report knows about it, on one line.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { reportReachability } from '../../../shared/src/reach';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type {
  Location,
  Need,
  NetworkNode,
  ReachabilityReport,
  ServiceNode,
  Via,
} from '../../../shared/src/report';

/**
 * The hover at a position of a file: a service key under `services:`, a top-level network
 * key, or a network in a service's `networks:`. `textAt` reads the document's current text,
 * so a report older than the text (while a file does not parse) shows nothing rather than
 * the wrong thing.
 */
export function hoverAt(
  report: ReachabilityReport,
  file: string,
  position: Position,
  textAt: (location: Location) => string,
): Hover | null {
  const at = (loc: Location | undefined, name: string): loc is Location =>
    !!loc && loc.file === file && contains(loc, position) && unquote(textAt(loc)) === name;

  for (const s of report.services) {
    if (at(s.location, s.name)) return serviceHover(report, s);
  }
  for (const n of report.networks) {
    if (at(n.location, n.key)) return hover(networkSummary(n), n.location!);
  }
  for (const s of report.services) {
    for (const m of s.networks) {
      const n = report.networks.find((x) => x.key === m.network);
      if (n && at(m.location, m.network)) return hover(networkSummary(n), m.location!);
    }
  }
  return null;
}

/**
 * `web — public (publishes 80) · reaches api, prometheus via backend · exposed on 0.0.0.0:80 ·
 * egress · needs api`: the tier, who it can connect to and how, what the host exposes,
 * whether it can leave Docker, and whom its configuration names.
 */
export function serviceSummary(report: ReachabilityReport, s: ServiceNode): string {
  const head = s.tier ? `${s.name} — ${s.tier.tier} (${s.tier.reason})` : s.name;
  if (!s.active) {
    return `${head} · not started: profile${s.profiles.length === 1 ? '' : 's'} ${s.profiles.join(', ')} not enabled`;
  }
  const parts = [head];
  const mode = attachmentText(s);
  if (mode) parts.push(mode);

  // Targets reached the same ways are listed together: "api, db via backend; cache via cache and host port 0.0.0.0:6379".
  const byWay = new Map<string, string[]>();
  // The Docker API reaches everyone: said once below, not once per target.
  for (const [to, all] of reportReachability(report).row(s.name)) {
    const via = all.filter((v) => v.kind !== 'docker-api');
    if (via.length === 0) continue;
    const way = via.map(viaText).join(' and ');
    byWay.set(way, [...(byWay.get(way) ?? []), to]);
  }
  if (byWay.size > 0 || !s.dockerSocket)
    parts.push(
      byWay.size === 0
        ? 'reaches nothing'
        : 'reaches ' + [...byWay].map(([way, to]) => `${to.sort().join(', ')} via ${way}`).join('; '),
    );
  if (s.dockerSocket) parts.push('holds the Docker API: reaches and controls every container');

  const exposed = s.ports.filter((p) => p.effective && !p.loopback).map(hostSide);
  const hostOnly = s.ports.filter((p) => p.effective && p.loopback).map(hostSide);
  if (exposed.length > 0) parts.push(`exposed on ${exposed.join(', ')}`);
  if (hostOnly.length > 0) parts.push(`host only on ${hostOnly.join(', ')}`);
  parts.push(s.egress ? 'egress' : 'no egress');
  const needs = [...new Set(s.needs.map((n) => n.target))];
  if (needs.length > 0) parts.push(`needs ${needs.join(', ')}`);
  return parts.join(' · ');
}

/** `backend — internal network · members api, db · docker name shop_backend`. */
export function networkSummary(n: NetworkNode): string {
  const kind = `${n.internal ? 'internal network' : 'network'}${n.external ? ' (external)' : ''}`;
  const members = n.members.length > 0 ? `members ${[...n.members].sort().join(', ')}` : 'no members';
  return `${n.key} — ${kind} · ${members} · docker name ${n.dockerName}`;
}

function attachmentText(s: ServiceNode): string | undefined {
  const a = s.attachment;
  switch (a.kind) {
    case 'networks':
      return undefined;
    case 'host':
      return "the host's network";
    case 'none':
      return 'no network';
    case 'bridge':
      return "Docker's default bridge";
    case 'service':
      return `shares ${a.service}'s network namespace`;
    case 'container':
      return `shares container ${a.container}'s network namespace`;
  }
}

function viaText(v: Via): string {
  switch (v.kind) {
    case 'network':
      return v.network;
    case 'namespace':
      return 'a shared namespace';
    case 'published-port':
      return `host port ${hostSide(v)}`;
    case 'docker-api':
      return 'the Docker API';
  }
}

/** `0.0.0.0:80`, `[::1]:8080`, `127.0.0.1:(random)`: where on the host a port listens. */
function hostSide(p: { hostIp: string; published: string }): string {
  const ip = p.hostIp === '' ? '0.0.0.0' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  return `${ip}:${p.published === '' ? '(random)' : p.published}`;
}

/** Needs listed in a hover at most; the rest are counted. */
const HOVER_NEEDS = 12;

/**
 * The service's summary, then each need with a link to its evidence (the token that names
 * the peer, in the compose file, an env file or a mounted config), which the editor opens.
 */
function serviceHover(report: ReachabilityReport, s: ServiceNode): Hover {
  const lines = [escapeMarkdown(serviceSummary(report, s))];
  if (s.active && s.needs.length > 0) {
    lines.push('', 'Needs, and where they are named:');
    for (const n of s.needs.slice(0, HOVER_NEEDS)) lines.push(`- ${needLine(report, n)}`);
    if (s.needs.length > HOVER_NEEDS) lines.push(`- … and ${s.needs.length - HOVER_NEEDS} more`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: s.location.range };
}

/** `db: env_file [api.env:3](file:///…/api.env#L3)`. */
function needLine(report: ReachabilityReport, n: Need): string {
  const { file, range } = n.location;
  const line = range.start.line + 1;
  const shown = `${path.relative(report.projectDirectory, file) || path.basename(file)}:${line}`;
  const uri = `${URI.file(file).toString()}#L${line},${range.start.character + 1}`;
  return `${escapeMarkdown(n.target)}: ${n.source} [${escapeMarkdown(shown)}](${uri})`;
}

/** Text shown as is in Markdown: the characters that would start markup are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, '\\$&');
}

function hover(text: string, location: Location): Hover {
  return { contents: { kind: MarkupKind.PlainText, value: text }, range: location.range };
}

/** A key as written may be quoted; the report has its value. */
function unquote(key: string): string {
  return /^(["'])(.*)\1$/s.exec(key)?.[2] ?? key;
}

function contains(loc: Location, p: Position): boolean {
  const { start, end } = loc.range;
  const afterStart = p.line > start.line || (p.line === start.line && p.character >= start.character);
  const beforeEnd = p.line < end.line || (p.line === end.line && p.character <= end.character);
  return afterStart && beforeEnd;
}
