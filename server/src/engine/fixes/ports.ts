/**
 * Fixes for a port that should not be open to the outside (`data-port-published`,
 * `admin-console-exposed`, and `public-reaches-data` through a port): bind it to the loopback
 * address in the port's own syntax, or stop publishing it.
 */
import type { Span } from '../load/tree';
import type { PortSpec } from '../model/ports';
import type { FixContext } from './context';
import type { TextEdit } from './edits';
import type { Candidate } from './types';
import { CannotEdit, isMap, isPair, isScalar, isSeq, scalarLike, type YNode, type YPair } from './yamlEdit';
import type { YAMLMap, YAMLSeq } from 'yaml';

/** The port of `service` written at `span`. */
function portAt(ctx: FixContext, service: string, span: Span): PortSpec | undefined {
  return ctx.model.services
    .get(service)
    ?.ports.find((p) => p.span.file === span.file && p.span.start === span.start);
}

/** `5432`, `5432/udp`: how titles name a port. */
function portName(p: PortSpec): string {
  return `${p.published || p.target}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/** Bind to 127.0.0.1 (preferred), then stop publishing. */
export function portFixes(ctx: FixContext, service: string, span: Span): Candidate[] {
  const port = portAt(ctx, service, span);
  if (!port) return [];
  const out: Candidate[] = [];
  for (const make of [bindLocalhost, stopPublishing]) {
    try {
      out.push(make(ctx, service, port));
    } catch (e) {
      if (!(e instanceof CannotEdit)) throw e;
    }
  }
  return out;
}

function bindLocalhost(ctx: FixContext, service: string, port: PortSpec): Candidate {
  const y = ctx.yaml(port.span.file);
  const v6 = port.hostIp.includes(':');
  const address = v6 ? '::1' : '127.0.0.1';
  let edits: TextEdit[];
  if (port.syntax === 'long') {
    const map = y.nodeAt(port.span.start);
    if (!isMap(map) || y.isShared(map)) throw new CannotEdit('the port is not a mapping of its own');
    const hostIp = y.pair(map as YAMLMap<YNode, YNode | null>, 'host_ip');
    edits =
      hostIp && isScalar(hostIp.value)
        ? y.setScalar(hostIp.value, scalarLike(hostIp.value, address))
        : y.appendToMap(map as YAMLMap, 'host_ip', address);
  } else {
    const s = y.scalarAt(port.span.start);
    if (!s || y.isShared(s)) throw new CannotEdit('the port is not a scalar of its own');
    if (typeof s.value === 'number') {
      edits = y.setScalar(s, `"127.0.0.1::${port.target}"`);
    } else if (port.hostIpSpan) {
      edits = [
        {
          file: y.file,
          start: port.hostIpSpan.start,
          end: port.hostIpSpan.end,
          newText: v6 ? '[::1]' : address,
        },
      ];
    } else if (port.hostIp !== '') {
      throw new CannotEdit('the address comes from a variable');
    } else if (port.publishedSpan) {
      edits = y.insert(port.publishedSpan.start, `${address}:`);
    } else if (s.type === 'PLAIN' || s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') {
      // Written through a variable (`"${PORT}:5432"`): the address goes first, where the text
      // is still the user's and not the variable's.
      const at = port.span.start + (s.type === 'PLAIN' ? 0 : 1);
      edits = y.insert(at, port.published !== '' ? `${address}:` : `${address}::`);
    } else {
      throw new CannotEdit('a port written as a block scalar');
    }
  }
  return {
    fix: 'bind-localhost',
    title: `Bind port ${portName(port)} to ${address}`,
    isPreferred: true,
    edits,
    expect: (after) => {
      const now = after.model.services.get(service)?.ports ?? [];
      const same = now.filter((p) => p.target === port.target && p.protocol === port.protocol);
      return same.some((p) => p.loopback) && !same.some((p) => !p.loopback && p.published === port.published)
        ? []
        : [`port ${portName(port)} of ${service} is not bound to ${address}`];
    },
  };
}

function stopPublishing(ctx: FixContext, service: string, port: PortSpec): Candidate {
  const y = ctx.yaml(port.span.file);
  const node = y.nodeAt(port.span.start);
  const seq = y.parent(node);
  const pair = y.parent(seq);
  const svc = y.parent(pair);
  if (!node || !isSeq(seq) || !isPair(pair) || !isMap(svc) || y.isShared(seq)) {
    throw new CannotEdit('the port is not an item of a service’s own list');
  }
  // The last port goes with its key: `ports:` with nothing under it is refused.
  const edits =
    (seq as YAMLSeq).items.length === 1
      ? y.removeEntry(svc as YAMLMap, pair as YPair)
      : y.removeFromSeq(seq as YAMLSeq, node);
  return {
    fix: 'stop-publishing',
    title: `Stop publishing port ${portName(port)}`,
    isPreferred: false,
    edits,
    expect: (after) =>
      (after.model.services.get(service)?.ports ?? []).some(
        (p) => p.target === port.target && p.published === port.published && p.hostIp === port.hostIp,
      )
        ? [`port ${portName(port)} of ${service} is still published`]
        : [],
  };
}
