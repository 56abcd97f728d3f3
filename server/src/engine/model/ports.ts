/**
 * One entry of a service's `ports:` list, normalised the way Compose reads it.
 *
 * The short syntax follows docker/go-connections `nat.ParsePortSpec` (which compose-go's
 * `ParsePortConfig` delegates to), so that a string Compose rejects is reported here and a
 * string it accepts means the same binding. The long syntax follows the Compose schema.
 *
 * One deliberate difference: compose-go expands a container range (`"8080-8081"`) into one
 * binding per port. Here a range stays one spec, so that a mapping of thousands of ports is
 * one finding on one token rather than thousands; reachability is the same either way.
 */

import { subSpan, type LEntry, type LMap, type LNode, type LScalar, type Span } from '../load/tree';

/** A port binding after normalisation, whichever syntax it was written in. */
export interface PortSpec {
  /** Host address without brackets; `''` when absent (= all interfaces). */
  hostIp: string;
  /** Host port or range (`'8080'`, `'9090-9091'`); `''` when Docker picks an ephemeral port. */
  published: string;
  /** Container port or range (`'80'`, `'8080-8081'`). */
  target: string;
  /** `'tcp'`, `'udp'` or `'sctp'`. */
  protocol: string;
  /** True when bound to a loopback address only (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). */
  loopback: boolean;
  /** The whole entry: the scalar token (quotes included) or the long-form map. */
  span: Span;
  /**
   * Long form: the `host_ip` value. Short form: the address as written inside the token
   * (brackets included, so replacing it with any address yields a valid token), when present
   * and when the token's text can be mapped back to the source.
   */
  hostIpSpan?: Span;
  /** Long form: the `published` value. Short form: the host port part, under the same conditions. */
  publishedSpan?: Span;
  syntax: 'short' | 'long';
}

/** Why an entry cannot be used, and where. */
export interface PortIssue {
  message: string;
  span: Span;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);
const LONG_KEYS = new Set(['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol']);
const MAX_PORT = 65535;
const NOT_A_NUMBER = 'is not a port number';

/**
 * Parses one item of `ports:`. Never throws: whatever Compose would refuse becomes an issue.
 *
 * `sourceText` is the text of the file the node was read from. Without it the short syntax
 * gets no sub-spans, because a span alone does not say whether the token was quoted.
 */
export function parsePort(node: LNode, sourceText?: string): { ports: PortSpec[]; issues: PortIssue[] } {
  if (node.kind === 'map') return parseLong(node);
  if (node.kind === 'seq') {
    return fail('Invalid port entry: expected a string, a number or a mapping, got a list', node.span);
  }
  return parseScalar(node, sourceText);
}

/**
 * The key Compose de-duplicates `ports` with when merging files: host IP, published port,
 * target and protocol (compose-go's `portIndexer`). An absent host IP counts as `0.0.0.0`
 * there, so `"8080:80"` and `"0.0.0.0:8080:80"` collapse into one.
 */
export function portKey(p: PortSpec): string {
  return `${p.hostIp === '' ? '0.0.0.0' : p.hostIp}:${p.published}:${p.target}/${p.protocol}`;
}

function fail(message: string, span: Span): { ports: PortSpec[]; issues: PortIssue[] } {
  return { ports: [], issues: [{ message, span }] };
}

function parseScalar(
  node: LScalar,
  sourceText: string | undefined,
): { ports: PortSpec[]; issues: PortIssue[] } {
  const v = node.value;
  if (v === null) return fail('Empty port entry', node.span);
  if (typeof v === 'boolean') {
    return fail(`Invalid port ${String(v)}: expected a string, a number or a mapping`, node.span);
  }
  if (typeof v === 'number') {
    // compose-go turns a bare integer into `{target: n}`: a container port, never published
    // on a chosen host port.
    if (!Number.isInteger(v) || v < 0 || v > MAX_PORT) {
      return fail(`Invalid port ${String(v)}: expected a container port number (0-${MAX_PORT})`, node.span);
    }
    return {
      ports: [
        {
          hostIp: '',
          published: '',
          target: String(v),
          protocol: 'tcp',
          loopback: false,
          span: node.span,
          syntax: 'short',
        },
      ],
      issues: [],
    };
  }

  const parsed = parseShort(v);
  if (typeof parsed === 'string') return fail(`Invalid port "${v}": ${parsed}`, node.span);

  const spec: PortSpec = {
    hostIp: parsed.ip,
    published: parsed.published,
    target: parsed.target,
    protocol: parsed.protocol,
    loopback: parsed.ip !== '' && isLoopback(parsed.ip),
    span: node.span,
    syntax: 'short',
  };
  const base = contentStart(node.span, v, sourceText);
  if (base !== undefined) {
    const sub = (at: [number, number]): Span =>
      subSpan(node.span, base - node.span.start + at[0], base - node.span.start + at[1]);
    if (parsed.ipAt) spec.hostIpSpan = sub(parsed.ipAt);
    if (parsed.publishedAt) spec.publishedSpan = sub(parsed.publishedAt);
  }
  return { ports: [spec], issues: [] };
}

interface ShortParts {
  ip: string;
  published: string;
  target: string;
  protocol: string;
  /** Offsets `[start, end)` inside the token text. */
  ipAt?: [number, number];
  publishedAt?: [number, number];
}

/**
 * `[IP:][HOST:]CONTAINER[/PROTO]`, split as go-connections does: the container part follows
 * the last colon, the host port the one before, and everything earlier is the address. So an
 * unbracketed IPv6 address works only with a host-port field present (`"::1:6001:6001"`);
 * `"::1:80"` reads as address `:`, and is refused.
 * Returns an error message (without the value) when Docker would refuse the string.
 */
function parseShort(raw: string): ShortParts | string {
  const last = raw.lastIndexOf(':');
  const beforeLast = last > 0 ? raw.lastIndexOf(':', last - 1) : -1;
  const containerRaw = raw.slice(last + 1);
  const hostRaw = last < 0 ? '' : raw.slice(beforeLast + 1, last);
  const ipRaw = beforeLast < 0 ? '' : raw.slice(0, beforeLast);

  const slash = containerRaw.indexOf('/');
  const containerPort = slash < 0 ? containerRaw : containerRaw.slice(0, slash);
  let protocol = slash < 0 ? '' : containerRaw.slice(slash + 1);
  if (containerPort === '') return 'no container port';
  protocol = protocol === '' ? 'tcp' : protocol.toLowerCase();
  if (!PROTOCOLS.has(protocol)) return `unknown protocol "${protocol}" (expected tcp, udp or sctp)`;

  let ip = ipRaw;
  if (ip.startsWith('[')) {
    const m = /^\[([^[\]]*)\]$/.exec(ip);
    if (!m) return `host IP "${ipRaw}" is not a valid bracketed address`;
    ip = m[1] ?? '';
  }
  if (ip !== '' && !isIp(ip)) {
    // The split above eats colons from the right, so an unbracketed IPv6 address is cut wrong.
    const hint =
      ip === ipRaw && ip.includes(':') ? ' (write IPv6 addresses in brackets, as in "[::1]:8080:80")' : '';
    return `host IP "${ipRaw}" is not an IP address${hint}`;
  }

  const target = parseRange(containerPort);
  if (typeof target === 'string') return `container port "${containerPort}" ${target}`;

  let published = '';
  if (hostRaw !== '') {
    const host = parseRange(hostRaw);
    if (typeof host === 'string') return `host port "${hostRaw}" ${host}`;
    const containerIsRange = target[1] !== target[0];
    // A host range with a single container port is a pool Docker picks one port from;
    // two ranges map one to one, so they must be the same length.
    if (containerIsRange && host[1] - host[0] !== target[1] - target[0]) {
      return `host range ${hostRaw} and container range ${containerPort} are not the same length`;
    }
    published = formatRange(host);
  }

  const parts: ShortParts = { ip, published, target: formatRange(target), protocol };
  if (ipRaw !== '') parts.ipAt = [0, ipRaw.length];
  if (hostRaw !== '') parts.publishedAt = [beforeLast + 1, last];
  return parts;
}

/** `"80"` or `"8080-8081"` as `[start, end]`, or what is wrong with it (go-connections rules). */
function parseRange(s: string): [number, number] | string {
  const dash = s.indexOf('-');
  const a = parsePortNumber(dash < 0 ? s : s.slice(0, dash));
  const b = dash < 0 ? a : parsePortNumber(s.slice(dash + 1));
  if (a === NOT_A_NUMBER || b === NOT_A_NUMBER) return 'is not a port number or range';
  if (typeof a === 'string') return a;
  if (typeof b === 'string') return b;
  if (b < a) return 'is a range that ends before it starts';
  return [a, b];
}

/** Decimal digits only, like Go's `strconv.ParseUint(s, 10, 16)`: no sign, no spaces, leading zeros allowed. */
function parsePortNumber(s: string): number | string {
  if (!/^[0-9]+$/.test(s)) return NOT_A_NUMBER;
  const n = Number(s);
  if (n > MAX_PORT) return `is out of range (0-${MAX_PORT})`;
  return n;
}

function formatRange([a, b]: [number, number]): string {
  return a === b ? String(a) : `${a}-${b}`;
}

function parseLong(node: LMap): { ports: PortSpec[]; issues: PortIssue[] } {
  const issues: PortIssue[] = [];
  let valid = true;
  const bad = (message: string, span: Span): void => {
    issues.push({ message, span });
    valid = false;
  };

  for (const e of node.entries.values()) {
    // An unknown key makes Compose refuse the file, but it changes nothing in the binding,
    // so the spec is still produced: the model stays useful while the typo is fixed.
    if (!LONG_KEYS.has(e.key) && !e.key.startsWith('x-')) {
      issues.push({ message: `Unknown key "${e.key}" in port mapping`, span: e.keySpan });
    }
  }

  const targetEntry = node.entries.get('target');
  let target = '';
  if (!targetEntry) {
    bad('Port mapping is missing "target" (the container port)', node.span);
  } else {
    const t = scalarString(targetEntry.value);
    if (t === undefined || t === '') {
      bad('"target" must be a container port number', targetEntry.value.span);
    } else if (t.includes('-') && typeof parseRange(t) !== 'string') {
      bad(
        `Invalid target "${t}": must be a single port; ranges need the short syntax`,
        targetEntry.value.span,
      );
    } else {
      const n = parsePortNumber(t);
      if (typeof n === 'string') bad(`Invalid target "${t}": ${n}`, targetEntry.value.span);
      else target = String(n);
    }
  }

  const publishedEntry = node.entries.get('published');
  let published = '';
  if (publishedEntry && !isNull(publishedEntry.value)) {
    const p = scalarString(publishedEntry.value);
    if (p === undefined) {
      bad('"published" must be a host port number or range', publishedEntry.value.span);
    } else if (p !== '') {
      const r = parseRange(p);
      if (typeof r === 'string') bad(`Invalid published port "${p}": ${r}`, publishedEntry.value.span);
      else published = formatRange(r);
    }
  }

  const ipEntry = node.entries.get('host_ip');
  let hostIp = '';
  if (ipEntry && !isNull(ipEntry.value)) {
    const ip = stringValue(ipEntry, bad);
    // The engine parses host_ip as a bare address: brackets are only a short-syntax device.
    if (ip !== undefined && ip !== '' && !isIp(ip)) {
      bad(`Invalid host_ip "${ip}": must be an IP address`, ipEntry.value.span);
    } else if (ip !== undefined) {
      hostIp = ip;
    }
  }

  let protocol = 'tcp';
  const protoEntry = node.entries.get('protocol');
  if (protoEntry && !isNull(protoEntry.value)) {
    const p = stringValue(protoEntry, bad);
    if (p !== undefined && p !== '') {
      const lower = p.toLowerCase();
      if (PROTOCOLS.has(lower)) protocol = lower;
      else bad(`Invalid protocol "${p}": expected tcp, udp or sctp`, protoEntry.value.span);
    }
  }

  for (const key of ['mode', 'name', 'app_protocol']) {
    const e = node.entries.get(key);
    if (e && !isNull(e.value)) stringValue(e, bad);
  }

  if (!valid) return { ports: [], issues };

  const spec: PortSpec = {
    hostIp,
    published,
    target,
    protocol,
    loopback: hostIp !== '' && isLoopback(hostIp),
    span: node.span,
    syntax: 'long',
  };
  if (ipEntry && hostIp !== '') spec.hostIpSpan = ipEntry.value.span;
  if (publishedEntry && published !== '') spec.publishedSpan = publishedEntry.value.span;
  return { ports: [spec], issues };
}

function isNull(n: LNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

/** A string or a number as text; undefined for anything else (compose-go decodes both into the field). */
function scalarString(n: LNode): string | undefined {
  if (n.kind !== 'scalar') return undefined;
  if (typeof n.value === 'string') return n.value;
  if (typeof n.value === 'number' && Number.isInteger(n.value)) return String(n.value);
  return undefined;
}

/** A field the schema types as string; reports any other type. */
function stringValue(e: LEntry, bad: (message: string, span: Span) => void): string | undefined {
  if (e.value.kind === 'scalar' && typeof e.value.value === 'string') return e.value.value;
  bad(`"${e.key}" must be a string`, e.value.span);
  return undefined;
}

/**
 * Where the scalar's text starts in the source, when the source shows it verbatim. Anything
 * else (interpolation, escapes, folding, block scalars) changes offsets inside the token, so
 * no sub-span is better than a wrong one.
 */
function contentStart(span: Span, value: string, sourceText: string | undefined): number | undefined {
  if (sourceText === undefined) return undefined;
  const first = sourceText[span.start];
  const quote = first === '"' || first === "'" ? first : undefined;
  const start = quote ? span.start + 1 : span.start;
  const end = start + value.length;
  if (end > sourceText.length || sourceText.slice(start, end) !== value) return undefined;
  if (quote) {
    if (sourceText[end] !== quote) return undefined;
    if (quote === '"' && sourceText.slice(start, end).includes('\\')) return undefined;
  } else if (end < sourceText.length && !/[\s#,\]}]/.test(sourceText[end] ?? '')) {
    return undefined;
  }
  return start;
}

/** Go's `net.ParseIP`: dotted IPv4 without leading zeros, or IPv6 without a zone. */
export function isIp(s: string): boolean {
  return parseIPv4(s) !== undefined || parseIPv6(s) !== undefined;
}

function isLoopback(ip: string): boolean {
  const v4 = parseIPv4(ip);
  if (v4) return v4[0] === 127;
  const v6 = parseIPv6(ip);
  if (!v6) return false;
  if (v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1) return true;
  // IPv4-mapped addresses are IPv4 to the kernel: ::ffff:127.0.0.1 is loopback too.
  return v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff && (v6[6] ?? 0) >> 8 === 127;
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The eight 16-bit groups, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined;
  const ellipsis = s.indexOf('::');
  if (ellipsis >= 0 && s.indexOf('::', ellipsis + 1) >= 0) return undefined;
  const head = ellipsis >= 0 ? s.slice(0, ellipsis) : s;
  const tail = ellipsis >= 0 ? s.slice(ellipsis + 2) : '';
  // An embedded IPv4 address may only end the whole address.
  const h = groups(head, ellipsis < 0);
  const t = groups(tail, true);
  if (!h || !t) return undefined;
  if (ellipsis < 0) return h.length === 8 ? h : undefined;
  const missing = 8 - h.length - t.length;
  if (missing < 1) return undefined;
  return [...h, ...new Array<number>(missing).fill(0), ...t];
}

function groups(s: string, v4AllowedAtEnd: boolean): number[] | undefined {
  if (s === '') return [];
  const parts = s.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? '';
    if (i === parts.length - 1 && v4AllowedAtEnd && p.includes('.')) {
      const v4 = parseIPv4(p);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      return undefined;
    }
  }
  return out;
}
