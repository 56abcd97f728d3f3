/**
 * Random compose projects for property tests, written the many ways people write them:
 * 2 or 4 spaces, list dashes indented or not, flow or block lists, quoted or plain ports,
 * comments between and after things, override files, merge keys, profiles, sidecars.
 * Every project is valid for compose except for deliberate undefined networks.
 */
import fc from 'fast-check';

type Gen = fc.GeneratorValue;
type Tier = 'public' | 'app' | 'data';

const POOL: Record<Tier, Array<[string, string]>> = {
  public: [
    ['web', 'nginx:1.27'],
    ['proxy', 'traefik:v3'],
    ['edge', 'caddy'],
  ],
  app: [
    ['api', 'acme/api:2'],
    ['worker', 'acme/worker'],
    ['auth', 'ghcr.io/acme/auth'],
    ['admin', 'acme/admin'],
  ],
  data: [
    ['db', 'postgres:16'],
    ['cache', 'redis:7'],
    ['queue', 'rabbitmq:3'],
    ['search', 'opensearchproject/opensearch'],
  ],
};
const NETWORK_KEYS = ['front', 'back', 'shared', 'lan'];

interface Port {
  form: 'short' | 'long' | 'number';
  hostIp: string;
  published: string;
  target: string;
}

interface Service {
  name: string;
  image: string;
  tier: Tier;
  /** Undefined: the implicit default network. */
  networks?: string[];
  networksAsMap: boolean;
  ports: Port[];
  dependsOn: string[];
  dependsAsMap: boolean;
  env: Array<[string, string]>;
  envAsList: boolean;
  profile: boolean;
  sidecarOf?: string;
  /** Networks and ports written in compose.override.yaml instead. */
  inOverride: boolean;
  /** Networks come from a `<<: *nets` merge key. */
  merged: boolean;
}

interface Style {
  step: number;
  seqIndent: number;
  flow: boolean;
  quote: string;
  comments: boolean;
  blankLines: boolean;
}

/** A generated project: its files, relative to the project directory. */
export interface GeneratedProject {
  files: Record<string, string>;
  /** True when some service refers to a network that is not declared (an error to fix). */
  undefinedNetwork: boolean;
}

const pick = <T>(g: Gen, items: readonly T[]): T => items[g(fc.integer, { min: 0, max: items.length - 1 })]!;
const chance = (g: Gen, p: number): boolean => g(fc.integer, { min: 0, max: 99 }) < p * 100;

/** Draws a project with `g` (inside a `fc.gen()` property). */
export function generateProject(g: Gen): GeneratedProject {
  const style: Style = {
    step: pick(g, [2, 4]),
    seqIndent: 0,
    flow: chance(g, 0.3),
    quote: pick(g, ['"', "'", '']),
    comments: chance(g, 0.5),
    blankLines: chance(g, 0.3),
  };
  style.seqIndent = chance(g, 0.3) ? 0 : style.step;

  const services: Service[] = [];
  const used = new Set<string>();
  const count = g(fc.integer, { min: 2, max: 6 });
  for (let i = 0; i < count; i++) {
    const tier = pick(g, ['public', 'app', 'app', 'data', 'data'] as Tier[]);
    const options = POOL[tier].filter(([n]) => !used.has(n));
    if (options.length === 0) continue;
    const [name, image] = pick(g, options);
    used.add(name);
    services.push({
      name,
      image,
      tier,
      networksAsMap: chance(g, 0.2),
      ports: [],
      dependsOn: [],
      dependsAsMap: chance(g, 0.2),
      env: [],
      envAsList: chance(g, 0.5),
      profile: chance(g, 0.08),
      inOverride: false,
      merged: false,
    });
  }

  const declared = chance(g, 0.5);
  const networks: Array<{ key: string; internal: boolean; form: 'null' | 'block' | 'flow' }> = [];
  if (declared) {
    const n = g(fc.integer, { min: 1, max: 3 });
    for (const key of NETWORK_KEYS.slice(0, n)) {
      networks.push({ key, internal: chance(g, 0.2), form: pick(g, ['null', 'block', 'flow'] as const) });
    }
  }
  let undefinedNetwork = false;
  for (const s of services) {
    if (declared && !chance(g, 0.15)) {
      const keys = networks.map((n) => n.key).filter(() => chance(g, 0.6));
      s.networks = keys.length > 0 ? keys : [networks[0]!.key];
      if (chance(g, 0.05)) {
        s.networks.push('missing');
        undefinedNetwork = true;
      }
    }
    const ports = s.tier === 'public' ? 0.6 : s.tier === 'data' ? 0.4 : 0.15;
    if (chance(g, ports)) {
      const target = s.tier === 'data' ? pick(g, ['5432', '6379', '5672']) : pick(g, ['80', '8080', '443']);
      const n = g(fc.integer, { min: 1, max: 2 });
      for (let i = 0; i < n; i++) {
        const t = String(Number(target) + i);
        s.ports.push({
          form: pick(g, ['short', 'short', 'short', 'long', 'number'] as const),
          hostIp: pick(g, ['', '', '0.0.0.0', '127.0.0.1']),
          published: pick(g, [t, String(Number(t) + 10000)]),
          target: t,
        });
      }
    }
  }
  // Needs: depends_on or a host name in the environment.
  for (const s of services) {
    for (const other of services) {
      if (other === s || !chance(g, 0.3)) continue;
      if (chance(g, 0.5)) s.dependsOn.push(other.name);
      else {
        const key = `${other.name.toUpperCase()}_HOST`;
        s.env.push(
          chance(g, 0.5)
            ? [key, other.name]
            : [`${other.name.toUpperCase()}_URL`, `tcp://${other.name}:1234/x`],
        );
      }
    }
  }
  // A sidecar in another service's namespace: no networks or ports of its own.
  const app = services.find((s) => s.tier === 'app' && s.ports.length === 0 && !s.profile);
  if (app && chance(g, 0.1)) {
    const host = services.find((s) => s !== app && !s.sidecarOf);
    if (host) {
      app.sidecarOf = host.name;
      delete app.networks;
      for (const s of services) s.dependsOn = s.dependsOn.filter((d) => d !== app.name);
      app.dependsOn = [];
      app.env = [];
    }
  }
  let override = chance(g, 0.25);
  if (override) {
    // Only services with something to move: an empty entry would replace the service.
    for (const s of services)
      s.inOverride = !s.sidecarOf && (s.ports.length > 0 || !!s.networks) && chance(g, 0.5);
    override = services.some((s) => s.inOverride);
  }
  const anchor = declared && !override && chance(g, 0.15);
  if (anchor) {
    for (const s of services) {
      if (s.networks && !s.sidecarOf && s.networks.join() === networks[0]!.key && chance(g, 0.6))
        s.merged = true;
    }
  }

  const files: Record<string, string> = { 'compose.yaml': render(services, networks, style, 'main', anchor) };
  if (override) files['compose.override.yaml'] = render(services, [], style, 'override', false);
  return { files, undefinedNetwork };
}

function render(
  services: Service[],
  networks: Array<{ key: string; internal: boolean; form: 'null' | 'block' | 'flow' }>,
  style: Style,
  part: 'main' | 'override',
  anchor: boolean,
): string {
  const pad = (level: number): string => ' '.repeat(level * style.step);
  const out: string[] = [];
  const comment = (text: string): string => (style.comments ? `  # ${text}` : '');
  const list = (level: number, key: string, items: string[]): void => {
    if (style.flow) {
      out.push(`${pad(level)}${key}: [${items.join(', ')}]`);
      return;
    }
    out.push(`${pad(level)}${key}:`);
    for (const item of items) out.push(`${pad(level)}${' '.repeat(style.seqIndent)}- ${item}`);
  };
  const portText = (p: Port): string => {
    const body = [p.hostIp, p.published, p.target].filter((x, i) => x !== '' || i === 2).join(':');
    return `${style.quote}${body}${style.quote}`;
  };

  if (part === 'main' && style.comments) out.push('# generated project');
  if (anchor) {
    out.push('x-nets: &nets');
    list(1, 'networks', [networks[0]!.key]);
  }
  out.push('services:');
  for (const s of services) {
    const netsHere = part === 'main' ? !s.inOverride : s.inOverride;
    if (part === 'override' && !s.inOverride) continue;
    if (style.blankLines && out.length > 2) out.push('');
    if (style.comments && part === 'main') out.push(`${pad(1)}# ${s.tier} tier`);
    out.push(`${pad(1)}${s.name}:${comment('service')}`);
    if (part === 'main') {
      if (s.merged) out.push(`${pad(2)}<<: *nets`);
      out.push(`${pad(2)}image: ${s.image}${comment('image')}`);
      if (s.profile) list(2, 'profiles', ['debug']);
      if (s.sidecarOf) out.push(`${pad(2)}network_mode: service:${s.sidecarOf}`);
      if (s.dependsOn.length > 0) {
        if (s.dependsAsMap) {
          out.push(`${pad(2)}depends_on:`);
          for (const d of s.dependsOn) out.push(`${pad(3)}${d}:`, `${pad(4)}condition: service_started`);
        } else list(2, 'depends_on', s.dependsOn);
      }
      if (s.env.length > 0) {
        if (s.envAsList)
          list(
            2,
            'environment',
            s.env.map(([k, v]) => `${k}=${v}`),
          );
        else {
          out.push(`${pad(2)}environment:`);
          for (const [k, v] of s.env) out.push(`${pad(3)}${k}: ${v}`);
        }
      }
    }
    if (!netsHere) continue;
    if (s.ports.length > 0) {
      out.push(`${pad(2)}ports:`);
      for (const p of s.ports) {
        const dash = `${pad(2)}${' '.repeat(style.seqIndent)}- `;
        if (p.form === 'number') out.push(`${dash}${p.target}`);
        else if (p.form === 'short') out.push(`${dash}${portText(p)}${comment('port')}`);
        else {
          const inner = ' '.repeat(dash.length);
          out.push(`${dash}target: ${p.target}`, `${inner}published: ${p.published}`);
          if (p.hostIp) out.push(`${inner}host_ip: ${p.hostIp}`);
        }
      }
    }
    if (s.networks && !s.merged) {
      if (s.networksAsMap) {
        out.push(`${pad(2)}networks:`);
        for (const n of s.networks) out.push(`${pad(3)}${n}:`);
      } else list(2, 'networks', s.networks);
    }
  }
  if (networks.length > 0) {
    if (style.blankLines) out.push('');
    out.push(`networks:${comment('declared networks')}`);
    for (const n of networks) {
      if (n.form === 'flow') out.push(`${pad(1)}${n.key}: {${n.internal ? 'internal: true' : ''}}`);
      else if (n.form === 'null' && !n.internal) out.push(`${pad(1)}${n.key}:`);
      else {
        out.push(`${pad(1)}${n.key}:`);
        out.push(`${pad(2)}driver: bridge`);
        if (n.internal) out.push(`${pad(2)}internal: true`);
      }
    }
  }
  return out.join('\n') + '\n';
}
