import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { LEntry, LNode, Span } from '../../../server/src/engine/load/tree';
import { parsePort, portKey, type PortSpec } from '../../../server/src/engine/model/ports';
import { dedent } from '../../support/dedent';

const FILE = '/project/compose.yaml';

/** A located tree from the `yaml` package's nodes: enough of the loader for these tests. */
function toL(node: unknown): LNode {
  if (node === null || node === undefined)
    return { kind: 'scalar', value: null, span: { file: FILE, start: 0, end: 0 } };
  const range = (node as { range?: [number, number, number] }).range ?? [0, 0, 0];
  const span: Span = { file: FILE, start: range[0], end: range[1] };
  if (isMap(node)) {
    const entries = new Map<string, LEntry>();
    for (const pair of node.items) {
      const key = pair.key as { value: unknown; range: [number, number, number] };
      entries.set(String(key.value), {
        key: String(key.value),
        keySpan: { file: FILE, start: key.range[0], end: key.range[1] },
        value: toL(pair.value),
      });
    }
    return { kind: 'map', entries, span };
  }
  if (isSeq(node)) return { kind: 'seq', items: node.items.map(toL), span };
  const value = isScalar(node) ? node.value : (node as { value: unknown }).value;
  return { kind: 'scalar', value: value as string | number | boolean | null, span };
}

/** The items of the top-level `ports:` list of `text`, with `text` itself. */
function items(text: string): { items: LNode[]; text: string } {
  const doc = parseDocument(text);
  const ports = doc.get('ports', true);
  assert.ok(isSeq(ports), 'fixture must have a ports list');
  return { items: ports.items.map(toL), text };
}

/** Parses the single entry written after `- `. */
function one(entry: string): { ports: PortSpec[]; issues: { message: string; span: Span }[]; text: string } {
  const { items: list, text } = items(`ports:\n  - ${entry}\n`);
  const node = list[0];
  assert.ok(node);
  return { ...parsePort(node, text), text };
}

/** The normalised fields, without spans, of the single spec an entry yields. */
function spec(entry: string): Omit<PortSpec, 'span' | 'hostIpSpan' | 'publishedSpan'> {
  const r = one(entry);
  assert.deepEqual(r.issues, [], `unexpected issues for ${entry}`);
  assert.equal(r.ports.length, 1);
  const p = r.ports[0];
  assert.ok(p);
  return {
    hostIp: p.hostIp,
    published: p.published,
    target: p.target,
    protocol: p.protocol,
    loopback: p.loopback,
    syntax: p.syntax,
  };
}

function short(
  hostIp: string,
  published: string,
  target: string,
  protocol = 'tcp',
  loopback = false,
): object {
  return { hostIp, published, target, protocol, loopback, syntax: 'short' };
}

/** The single issue an entry yields (and that it yields no spec). */
function issue(entry: string): string {
  const r = one(entry);
  assert.deepEqual(r.ports, [], `expected no spec for ${entry}`);
  assert.equal(r.issues.length, 1, `expected one issue for ${entry}: ${JSON.stringify(r.issues)}`);
  return r.issues[0]?.message ?? '';
}

function textOf(text: string, span: Span | undefined): string | undefined {
  return span && text.slice(span.start, span.end);
}

test('short syntax: container port only', () => {
  assert.deepEqual(spec('"80"'), short('', '', '80'));
  assert.deepEqual(spec('80'), short('', '', '80'), 'a bare integer is a container port');
  assert.deepEqual(spec('"0080"'), short('', '', '80'), 'leading zeros are accepted and dropped');
});

test('short syntax: host and container ports', () => {
  assert.deepEqual(spec('"8080:80"'), short('', '8080', '80'));
  assert.deepEqual(spec('8080:80'), short('', '8080', '80'), 'plain scalar, a string in YAML 1.2');
  assert.deepEqual(spec('":80"'), short('', '', '80'), 'an empty host port is ephemeral');
});

test('short syntax: host IP', () => {
  assert.deepEqual(spec('"127.0.0.1:8001:8001"'), short('127.0.0.1', '8001', '8001', 'tcp', true));
  assert.deepEqual(spec('"127.0.0.1::80"'), short('127.0.0.1', '', '80', 'tcp', true));
  assert.deepEqual(
    spec('"127.0.0.2:80:80"'),
    short('127.0.0.2', '80', '80', 'tcp', true),
    'all of 127/8 is loopback',
  );
  assert.deepEqual(spec('"0.0.0.0:80:80"'), short('0.0.0.0', '80', '80'));
  assert.deepEqual(spec('"192.168.1.10:80:80"'), short('192.168.1.10', '80', '80'));
});

test('short syntax: IPv6 host IP, bracketed or not', () => {
  assert.deepEqual(spec('"[::1]:6001:6001"'), short('::1', '6001', '6001', 'tcp', true));
  assert.deepEqual(spec('"[::1]::6001"'), short('::1', '', '6001', 'tcp', true));
  assert.deepEqual(spec('"::1:6001:6001"'), short('::1', '6001', '6001', 'tcp', true));
  assert.deepEqual(spec('"::1::6001"'), short('::1', '', '6001', 'tcp', true));
  assert.deepEqual(spec('"2001:db8::1:8080:80"'), short('2001:db8::1', '8080', '80'));
  assert.deepEqual(spec('"[::]:80:80"'), short('::', '80', '80'));
  assert.deepEqual(spec('"::ffff:127.0.0.1:80:80"'), short('::ffff:127.0.0.1', '80', '80', 'tcp', true));
});

test('short syntax: ranges', () => {
  assert.deepEqual(spec('"9090-9091:8080-8081"'), short('', '9090-9091', '8080-8081'));
  assert.deepEqual(spec('"49153-49154"'), short('', '', '49153-49154'));
  assert.deepEqual(
    spec('"8000-8010:80"'),
    short('', '8000-8010', '80'),
    'a host pool for one container port',
  );
  assert.deepEqual(
    spec('"127.0.0.1:5000-5001:5000-5001/udp"'),
    short('127.0.0.1', '5000-5001', '5000-5001', 'udp', true),
  );
  assert.deepEqual(spec('"80-80:80"'), short('', '80', '80'), 'a one-port range is a port');
});

test('short syntax: protocols', () => {
  assert.deepEqual(spec('"6060:6060/udp"'), short('', '6060', '6060', 'udp'));
  assert.deepEqual(spec('"5000:5000/sctp"'), short('', '5000', '5000', 'sctp'));
  assert.deepEqual(spec('"53:53/UDP"'), short('', '53', '53', 'udp'), 'protocols are case-insensitive');
  assert.deepEqual(spec('"80/"'), short('', '', '80', 'tcp'), 'an empty protocol is tcp');
});

test('short syntax: invalid strings name the value and the problem', () => {
  assert.equal(issue('"abc"'), 'Invalid port "abc": container port "abc" is not a port number or range');
  assert.equal(issue('"70000"'), 'Invalid port "70000": container port "70000" is out of range (0-65535)');
  assert.equal(
    issue('"80:70000"'),
    'Invalid port "80:70000": container port "70000" is out of range (0-65535)',
  );
  assert.equal(issue('"70000:80"'), 'Invalid port "70000:80": host port "70000" is out of range (0-65535)');
  assert.equal(issue('"x:80"'), 'Invalid port "x:80": host port "x" is not a port number or range');
  assert.equal(
    issue('"91-90"'),
    'Invalid port "91-90": container port "91-90" is a range that ends before it starts',
  );
  assert.equal(
    issue('"1-2-3"'),
    'Invalid port "1-2-3": container port "1-2-3" is not a port number or range',
  );
  assert.equal(issue('"-1"'), 'Invalid port "-1": container port "-1" is not a port number or range');
  assert.equal(issue('"8080:"'), 'Invalid port "8080:": no container port');
  assert.equal(issue('""'), 'Invalid port "": no container port');
  assert.equal(issue('"/udp"'), 'Invalid port "/udp": no container port');
  assert.equal(
    issue('"80/http"'),
    'Invalid port "80/http": unknown protocol "http" (expected tcp, udp or sctp)',
  );
  assert.equal(
    issue('"80/tcp/udp"'),
    'Invalid port "80/tcp/udp": unknown protocol "tcp/udp" (expected tcp, udp or sctp)',
  );
});

test('short syntax: host IPs must be IP addresses', () => {
  assert.equal(
    issue('"localhost:80:80"'),
    'Invalid port "localhost:80:80": host IP "localhost" is not an IP address',
  );
  assert.equal(
    issue('"127.0.1:80:80"'),
    'Invalid port "127.0.1:80:80": host IP "127.0.1" is not an IP address',
  );
  assert.equal(
    issue('"127.000.0.1:80:80"'),
    'Invalid port "127.000.0.1:80:80": host IP "127.000.0.1" is not an IP address',
  );
  assert.equal(
    issue('"256.0.0.1:80:80"'),
    'Invalid port "256.0.0.1:80:80": host IP "256.0.0.1" is not an IP address',
  );
  assert.equal(
    issue('"[::1:80:80"'),
    'Invalid port "[::1:80:80": host IP "[::1" is not a valid bracketed address',
  );
  assert.equal(issue('"[db]:80:80"'), 'Invalid port "[db]:80:80": host IP "[db]" is not an IP address');
  // go-connections splits on the last two colons, so without a host-port field an
  // unbracketed IPv6 address is cut in the wrong place.
  assert.equal(
    issue('"::1:80"'),
    'Invalid port "::1:80": host IP ":" is not an IP address (write IPv6 addresses in brackets, as in "[::1]:8080:80")',
  );
  assert.match(
    issue('"1:2:3:4:5:6:7:8:9:80:80"'),
    /^Invalid port "1:2:3:4:5:6:7:8:9:80:80": host IP "1:2:3:4:5:6:7:8:9" is not an IP address/,
  );
  assert.match(
    issue('"fe80::1%eth0:80:80"'),
    /^Invalid port "fe80::1%eth0:80:80": host IP "fe80::1%eth0" is not an IP address/,
  );
});

test('short syntax: host and container ranges of different lengths are refused', () => {
  assert.equal(
    issue('"9090-9092:8080-8081"'),
    'Invalid port "9090-9092:8080-8081": host range 9090-9092 and container range 8080-8081 are not the same length',
  );
  assert.equal(
    issue('"8080:80-81"'),
    'Invalid port "8080:80-81": host range 8080 and container range 80-81 are not the same length',
  );
});

test('scalars that are not port strings', () => {
  assert.equal(issue('true'), 'Invalid port true: expected a string, a number or a mapping');
  assert.equal(issue(''), 'Empty port entry');
  assert.equal(issue('80.5'), 'Invalid port 80.5: expected a container port number (0-65535)');
  assert.equal(issue('-1'), 'Invalid port -1: expected a container port number (0-65535)');
  assert.equal(issue('70000'), 'Invalid port 70000: expected a container port number (0-65535)');
  assert.equal(issue('[80, 81]'), 'Invalid port entry: expected a string, a number or a mapping, got a list');
});

test('long syntax: every field', () => {
  const text = dedent`
    ports:
      - target: 80
        published: 8080
        host_ip: 127.0.0.1
        protocol: udp
        mode: host
        name: web
        app_protocol: http
        x-note: kept out of the model
  `;
  const node = items(text).items[0];
  assert.ok(node);
  const r = parsePort(node, text);
  assert.deepEqual(r.issues, []);
  const p = r.ports[0];
  assert.ok(p);
  assert.deepEqual(
    {
      hostIp: p.hostIp,
      published: p.published,
      target: p.target,
      protocol: p.protocol,
      loopback: p.loopback,
      syntax: p.syntax,
    },
    { hostIp: '127.0.0.1', published: '8080', target: '80', protocol: 'udp', loopback: true, syntax: 'long' },
  );
  assert.equal(p.span, node.span, 'the whole map');
  assert.equal(textOf(text, p.hostIpSpan), '127.0.0.1');
  assert.equal(textOf(text, p.publishedSpan), '8080');
});

test('long syntax: defaults, strings and ranges', () => {
  assert.deepEqual(spec('{target: 80}'), {
    hostIp: '',
    published: '',
    target: '80',
    protocol: 'tcp',
    loopback: false,
    syntax: 'long',
  });
  assert.deepEqual(spec('{target: "80", published: "8000-8010"}'), {
    hostIp: '',
    published: '8000-8010',
    target: '80',
    protocol: 'tcp',
    loopback: false,
    syntax: 'long',
  });
  assert.equal(spec('{target: 80, published: ""}').published, '', 'an empty published port is ephemeral');
  assert.equal(spec('{target: 80, published: null}').published, '');
  assert.deepEqual(spec('{target: 80, host_ip: "::1"}'), {
    hostIp: '::1',
    published: '',
    target: '80',
    protocol: 'tcp',
    loopback: true,
    syntax: 'long',
  });
  assert.equal(spec('{target: 80, host_ip: ""}').hostIp, '');
  assert.equal(spec('{target: 80, protocol: SCTP}').protocol, 'sctp');
});

test('long syntax: invalid fields name the value', () => {
  assert.equal(issue('{published: 8080}'), 'Port mapping is missing "target" (the container port)');
  assert.equal(issue('{target: abc}'), 'Invalid target "abc": is not a port number');
  assert.equal(issue('{target: 70000}'), 'Invalid target "70000": is out of range (0-65535)');
  assert.equal(
    issue('{target: "8080-8081"}'),
    'Invalid target "8080-8081": must be a single port; ranges need the short syntax',
  );
  assert.equal(issue('{target: 80.5}'), '"target" must be a container port number');
  assert.equal(issue('{target: [80]}'), '"target" must be a container port number');
  assert.equal(
    issue('{target: 80, published: abc}'),
    'Invalid published port "abc": is not a port number or range',
  );
  assert.equal(
    issue('{target: 80, published: "9-1"}'),
    'Invalid published port "9-1": is a range that ends before it starts',
  );
  assert.equal(issue('{target: 80, published: true}'), '"published" must be a host port number or range');
  assert.equal(
    issue('{target: 80, host_ip: localhost}'),
    'Invalid host_ip "localhost": must be an IP address',
  );
  assert.equal(issue('{target: 80, host_ip: "[::1]"}'), 'Invalid host_ip "[::1]": must be an IP address');
  assert.equal(issue('{target: 80, host_ip: 127}'), '"host_ip" must be a string');
  assert.equal(issue('{target: 80, protocol: http}'), 'Invalid protocol "http": expected tcp, udp or sctp');
  assert.equal(issue('{target: 80, mode: 1}'), '"mode" must be a string');
  assert.equal(issue('{target: 80, name: {a: b}}'), '"name" must be a string');
});

test('long syntax: issues point at the offending value, or the map when target is missing', () => {
  const r = one('{target: 80, published: abc}');
  assert.equal(textOf(r.text, r.issues[0]?.span), 'abc');
  const m = one('{published: 8080}');
  assert.equal(textOf(m.text, m.issues[0]?.span), '{published: 8080}');
});

test('long syntax: an unknown key is reported on the key, and the binding is still modelled', () => {
  const r = one('{target: 80, published: 8080, hostip: 127.0.0.1}');
  assert.deepEqual(
    r.issues.map((i) => [i.message, textOf(r.text, i.span)]),
    [['Unknown key "hostip" in port mapping', 'hostip']],
  );
  assert.equal(r.ports.length, 1);
  assert.equal(r.ports[0]?.hostIp, '', 'the misspelt host IP does not apply: all interfaces');
  assert.equal(r.ports[0]?.published, '8080');
});

test('spans: the whole token, quotes included, and the parts inside it', () => {
  const r = one('"127.0.0.1:8001:8002"');
  const p = r.ports[0];
  assert.ok(p);
  assert.equal(textOf(r.text, p.span), '"127.0.0.1:8001:8002"');
  assert.equal(textOf(r.text, p.hostIpSpan), '127.0.0.1');
  assert.equal(textOf(r.text, p.publishedSpan), '8001');
});

test('spans: plain and single-quoted tokens, bracketed IPv6', () => {
  const plain = one('127.0.0.1:8080:80');
  assert.equal(textOf(plain.text, plain.ports[0]?.hostIpSpan), '127.0.0.1');
  assert.equal(textOf(plain.text, plain.ports[0]?.publishedSpan), '8080');
  const single = one("'[::1]:6001:6002'");
  assert.equal(textOf(single.text, single.ports[0]?.span), "'[::1]:6001:6002'");
  assert.equal(
    textOf(single.text, single.ports[0]?.hostIpSpan),
    '[::1]',
    'brackets included: replacing them gives a valid token',
  );
  assert.equal(textOf(single.text, single.ports[0]?.publishedSpan), '6001');
  const v6 = one('"::1:6001:6002"');
  assert.equal(textOf(v6.text, v6.ports[0]?.hostIpSpan), '::1');
  assert.equal(textOf(v6.text, v6.ports[0]?.publishedSpan), '6001');
});

test('spans: absent parts have no span', () => {
  const r = one('"127.0.0.1::80"');
  assert.equal(textOf(r.text, r.ports[0]?.hostIpSpan), '127.0.0.1');
  assert.equal(r.ports[0]?.publishedSpan, undefined);
  const s = one('"8080:80"');
  assert.equal(s.ports[0]?.hostIpSpan, undefined);
  assert.equal(textOf(s.text, s.ports[0]?.publishedSpan), '8080');
  const n = one('80');
  assert.equal(n.ports[0]?.hostIpSpan, undefined);
  assert.equal(n.ports[0]?.publishedSpan, undefined);
});

test('spans: no sub-spans without the source text, through escapes, or after interpolation', () => {
  const { items: list } = items('ports:\n  - "127.0.0.1:8080:80"\n');
  const node = list[0];
  assert.ok(node);
  const bare = parsePort(node).ports[0];
  assert.ok(bare);
  assert.equal(bare.hostIpSpan, undefined);
  assert.equal(bare.publishedSpan, undefined);
  assert.equal(bare.hostIp, '127.0.0.1', 'the value is still parsed');

  const escaped = one('"127.0.0.1:8080\\x3a80"');
  assert.equal(escaped.ports[0]?.hostIp, '127.0.0.1');
  assert.equal(escaped.ports[0]?.hostIpSpan, undefined);
  assert.equal(escaped.ports[0]?.publishedSpan, undefined);

  // The loader hands over interpolated values: the source shows the variable, not the address.
  const source = 'ports:\n  - "${IP}:8080:80"\n';
  const start = source.indexOf('"');
  const interpolated: LNode = {
    kind: 'scalar',
    value: '127.0.0.1:8080:80',
    span: { file: FILE, start, end: source.lastIndexOf('"') + 1 },
  };
  const p = parsePort(interpolated, source).ports[0];
  assert.ok(p);
  assert.equal(p.hostIp, '127.0.0.1');
  assert.equal(p.hostIpSpan, undefined);
  assert.equal(p.publishedSpan, undefined);
});

test('portKey: what compose treats as the same binding when merging files', () => {
  const key = (entry: string): string => {
    const p = one(entry).ports[0];
    assert.ok(p, entry);
    return portKey(p);
  };
  assert.equal(key('"8080:80"'), '0.0.0.0:8080:80/tcp');
  assert.equal(key('"0.0.0.0:8080:80"'), key('"8080:80"'), 'no host IP is keyed as 0.0.0.0');
  assert.equal(key('{target: 80, published: 8080}'), key('"8080:80"'), 'long and short syntax');
  assert.equal(key('{target: "80", published: "8080", protocol: tcp}'), key('"8080:80"'));
  assert.equal(key('"[::1]:80:80"'), key('"::1:80:80"'));
  assert.equal(key('{target: 80, published: 80, host_ip: "::1"}'), key('"[::1]:80:80"'));
  assert.equal(key('"80"'), key('80'));
  assert.notEqual(key('"127.0.0.1:8080:80"'), key('"8080:80"'));
  assert.notEqual(key('"8080:80/udp"'), key('"8080:80"'));
  assert.notEqual(key('"8081:80"'), key('"8080:80"'));
  assert.notEqual(key('"8080:81"'), key('"8080:80"'));
  assert.notEqual(key('"80"'), key('"80:80"'), 'ephemeral and fixed host ports differ');
});
