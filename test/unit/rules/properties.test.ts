/**
 * Random projects through the rules: they never throw, every finding lies on text of its file,
 * and what they claim agrees with the report's own edges and needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isFindingData } from '../../../shared/src/findingData';
import { analyzeYaml } from '../../support/rules';
import { reportEdges, reportReachability } from '../../../shared/src/reach';
import type { ServiceNode, Via } from '../../../shared/src/report';

const NAMES = ['web', 'api', 'db', 'cache', 'proxy', 'worker'];
const NETS = ['front', 'back', 'data'];

const service = fc.record({
  image: fc.constantFrom('nginx', 'postgres', 'redis', 'myapp', 'traefik:v3', 'mongo:7'),
  networks: fc.option(fc.subarray(NETS, { minLength: 1 }), { nil: undefined }),
  mode: fc.option(fc.constantFrom('host', 'none', 'bridge', 'service:web', 'service:db', 'container:x'), {
    freq: 5,
    nil: undefined,
  }),
  ports: fc.subarray(['"80:80"', '"127.0.0.1:5432:5432"', '"6379"', '"8080:8080"']),
  needs: fc.subarray(NAMES, { maxLength: 2 }),
  env: fc.boolean(),
  profile: fc.boolean(),
});

const project = fc.record({
  services: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), service), {
    minLength: 1,
    maxLength: 6,
    selector: ([n]) => n,
  }),
  internal: fc.subarray(NETS),
  external: fc.subarray(NETS, { maxLength: 1 }),
});

type Project = typeof project extends fc.Arbitrary<infer T> ? T : never;

function toYaml(p: Project): string {
  const names = new Set(p.services.map(([n]) => n));
  let y = 'services:\n';
  for (const [name, s] of p.services) {
    y += `  ${name}:\n    image: ${s.image}\n`;
    if (
      s.mode &&
      (!s.mode.startsWith('service:') || (names.has(s.mode.slice(8)) && s.mode.slice(8) !== name))
    ) {
      y += `    network_mode: "${s.mode}"\n`;
    } else if (s.networks) {
      y += `    networks: [${s.networks.join(', ')}]\n`;
    }
    if (s.ports.length > 0) y += `    ports: [${s.ports.join(', ')}]\n`;
    const needs = s.needs.filter((n) => names.has(n) && n !== name);
    if (needs.length > 0 && !s.env) y += `    depends_on: [${needs.join(', ')}]\n`;
    if (needs.length > 0 && s.env) y += `    environment:\n      PEER_URL: http://${needs[0]}:8080/\n`;
    if (s.profile) y += '    profiles: [extra]\n';
  }
  y += 'networks:\n';
  for (const n of NETS) {
    y += `  ${n}:\n`;
    if (p.internal.includes(n)) y += '    internal: true\n';
    if (p.external.includes(n)) y += '    external: true\n';
  }
  return y;
}

test('random projects: no throw, findings on their file, claims agree with edges and needs', () => {
  fc.assert(
    fc.property(project, (p) => {
      const yaml = toYaml(p);
      const r = analyzeYaml(yaml);
      const edges = new Map(reportEdges(r).map((e) => [`${e.from}->${e.to}`, e.via]));
      const tier = new Map(r.services.map((s) => [s.name, s.tier?.tier]));
      const needs = new Set(r.services.flatMap((s) => s.needs.map((n) => `${s.name}->${n.target}`)));
      for (const d of r.diagnostics) {
        assert.ok(
          r.textAt(d.location).length > 0 || d.code === 'invalid-yaml',
          `${d.code} on empty text\n${yaml}`,
        );
        assert.equal(
          r.textAt(d.location),
          r.textAt(d.location).trim(),
          `${d.code} range has outer whitespace`,
        );
        const data = d.data;
        if (isFindingData(data, 'public-reaches-data')) {
          const pairs =
            data.via === 'network'
              ? data.to.map((to) => [data.from, to])
              : data.via === 'published-port'
                ? data.from.map((from) => [from, data.to])
                : [[data.from, data.to]];
          for (const [from, to] of pairs) {
            assert.equal(tier.get(from!), 'public');
            assert.equal(tier.get(to!), 'data');
            assert.ok(edges.has(`${from}->${to}`), `no edge ${from}->${to}\n${yaml}`);
            assert.ok(!needs.has(`${from}->${to}`), `needed ${from}->${to}\n${yaml}`);
          }
        }
        if (isFindingData(data, 'unreachable-dependency') && data.certain) {
          assert.ok(needs.has(`${data.from}->${data.to}`));
          const via = edges.get(`${data.from}->${data.to}`) ?? [];
          assert.ok(!via.some((v) => v.kind === 'namespace'), yaml);
        }
      }
    }),
    { numRuns: 300 },
  );
});

/**
 * Docker's rules read pair by pair, the slow way: the reachability index (which never lists
 * pairs) must agree with it on every pair, in every one of its three queries.
 */
function pairwise(r: ReturnType<typeof analyzeYaml>, from: string, to: string): Via[] {
  const byName = new Map(r.services.filter((s) => s.active).map((s) => [s.name, s]));
  const a = byName.get(from)!;
  const b = byName.get(to)!;
  // Followed until a service without `service:` mode, or, in a cycle (which Docker refuses),
  // until the first service met again: the last one before it is the root.
  const root = (name: string): string => {
    const path: string[] = [];
    let cur = name;
    for (;;) {
      const at = byName.get(cur)!.attachment;
      if (at.kind !== 'service' || !byName.has(at.service) || path.includes(cur)) return cur;
      path.push(cur);
      cur = at.service;
    }
  };
  const out: Via[] = [];
  for (const n of r.networks) {
    const on = (s: ServiceNode): boolean => s.networks.some((m) => m.network === n.key);
    if (on(a) && on(b)) out.push({ kind: 'network', network: n.key });
  }
  if (root(from) === root(to)) out.push({ kind: 'namespace' });
  const hostMode = byName.get(root(from))!.attachment.kind === 'host';
  const open = a.networks.some((m) => r.networks.find((n) => n.key === m.network)?.internal === false);
  for (const p of b.ports) {
    if (p.effective && (hostMode || (open && !p.loopback))) {
      const { hostIp, published, target, protocol } = p;
      out.push({ kind: 'published-port', hostIp, published, target, protocol });
    }
  }
  return out;
}

test('random projects: the reachability index agrees with a pair-by-pair reading', () => {
  fc.assert(
    fc.property(project, (p) => {
      const yaml = toYaml(p);
      const r = analyzeYaml(yaml);
      const reach = reportReachability(r);
      const active = r.services.filter((s) => s.active).map((s) => s.name);
      for (const from of active) {
        const row = reach.row(from);
        // A filtered row: the services whose name sorts after `from`'s.
        const after = (to: string): boolean => to > from;
        const filtered = reach.row(from, after);
        for (const to of active) {
          const want = from === to ? [] : pairwise(r, from, to);
          assert.deepEqual(reach.vias(from, to), want, `${from}->${to}\n${yaml}`);
          assert.deepEqual(row.get(to) ?? [], want, `row ${from}->${to}\n${yaml}`);
          assert.deepEqual(filtered.get(to) ?? [], after(to) ? want : [], `filtered ${from}->${to}\n${yaml}`);
        }
        assert.deepEqual([...filtered.keys()], [...row.keys()].filter(after), `filtered order ${from}`);
        assert.equal(reach.count(from), row.size, `count ${from}\n${yaml}`);
      }
    }),
    { numRuns: 300 },
  );
});
