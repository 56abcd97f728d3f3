/**
 * A deterministic generator of realistic compose projects for benchmarks: comments, anchors
 * and merge keys, environment with URLs, short and long ports, several networks, an
 * override file. The same size and seed always give the same bytes.
 */

/** A generated project: file name → text. */
export interface GeneratedProject {
  files: Record<string, string>;
  services: number;
}

/** Small, fast, seedable PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DATA_IMAGES = [
  'postgres:16',
  'redis:7-alpine',
  'mysql:8',
  'mongo:7',
  'rabbitmq:3-management',
  'elasticsearch:8.13.0',
];
const DATA_PORTS: Record<string, number> = {
  postgres: 5432,
  redis: 6379,
  mysql: 3306,
  mongo: 27017,
  rabbitmq: 5672,
  elasticsearch: 9200,
};
const URL_SCHEMES: Record<string, string> = {
  postgres: 'postgres',
  redis: 'redis',
  mysql: 'mysql',
  mongo: 'mongodb',
  rabbitmq: 'amqp',
  elasticsearch: 'http',
};

/**
 * A project of `count` services: about 1 proxy per 20 services, 1 data store per 5, the rest
 * app services that talk to a few data stores and to each other.
 */
export function generateProject(count: number, seed = 42): GeneratedProject {
  const rand = rng(seed + count);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const proxies = Math.max(1, Math.round(count / 20));
  const datas = Math.max(1, Math.round(count / 5));
  const apps = Math.max(1, count - proxies - datas);
  const networks = Math.max(2, Math.min(12, Math.round(count / 40)));
  const dataNames: Array<{ name: string; kind: string; network: string }> = [];
  const out: string[] = [];
  const over: string[] = ['# Local development overrides', 'services:'];

  out.push('# Generated for benchmarks: realistic shape, deterministic content.');
  out.push('');
  out.push('x-logging: &logging');
  out.push('  logging:');
  out.push('    driver: json-file');
  out.push('    options:');
  out.push('      max-size: "10m"');
  out.push('');
  out.push('x-restart: &restart');
  out.push('  restart: unless-stopped');
  out.push('');
  out.push('services:');
  for (let i = 0; i < datas; i++) {
    const image = pick(DATA_IMAGES);
    const kind = image.split(':')[0]!;
    const name = `${kind}-${i}`;
    dataNames.push({ name, kind, network: `data-${i % networks}` });
    out.push(`  # data store ${i}`);
    out.push(`  ${name}:`);
    out.push('    <<: [*logging, *restart]');
    out.push(`    image: ${image}`);
    out.push('    networks:');
    out.push(`      - data-${i % networks}`);
    out.push('    environment:');
    out.push(`      PASSWORD: \${DB_PASSWORD:-secret}`);
    if (rand() < 0.3) {
      out.push('    ports:');
      out.push(`      - "127.0.0.1:${20000 + i}:${DATA_PORTS[kind]}"`);
    }
    out.push('    volumes:');
    out.push(`      - ${name}-data:/var/lib/data`);
  }
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const deps = [...new Set([pick(dataNames), pick(dataNames)])];
    out.push(`  ${name}:`);
    out.push('    <<: *logging');
    out.push(`    image: registry.example.com/team/${name}:1.${i % 10}.0`);
    out.push('    networks:');
    out.push(`      backend-${i % networks}:`);
    out.push(`        aliases: [${name}.internal]`);
    for (const net of new Set(deps.map((d) => d.network))) out.push(`      ${net}: {}`);
    out.push('    depends_on:');
    out.push(`      ${deps[0]!.name}:`);
    out.push('        condition: service_healthy');
    out.push('    environment:');
    for (const d of deps) {
      out.push(
        `      - ${d.kind.toUpperCase()}_URL=${URL_SCHEMES[d.kind]}://user:pw@${d.name}:${DATA_PORTS[d.kind]}/db`,
      );
    }
    // Apps call the next app on the same backend network.
    if (apps > networks) out.push(`      - UPSTREAM=http://app-${(i + networks) % apps}:8080/api`);
    out.push(`      - LOG_LEVEL=\${LOG_LEVEL:-info}`);
    out.push('    expose:');
    out.push('      - "8080"');
    if (i % 7 === 0) {
      over.push(`  ${name}:`);
      over.push('    ports:');
      over.push('      - target: 8080');
      over.push(`        published: "${30000 + i}"`);
      over.push('        host_ip: 127.0.0.1');
    }
  }
  for (let i = 0; i < proxies; i++) {
    out.push(`  proxy-${i}:`);
    out.push('    image: nginx:1.27-alpine');
    out.push('    ports:');
    out.push(`      - "${8000 + i}:80"`);
    out.push('      - target: 443');
    out.push(`        published: ${9000 + i}`);
    out.push('    networks:');
    out.push(`      - frontend`);
    for (let n = 0; n < Math.min(networks, 3); n++) out.push(`      - backend-${(i + n) % networks}`);
  }
  out.push('');
  out.push('networks:');
  out.push('  frontend:');
  for (let n = 0; n < networks; n++) {
    out.push(`  backend-${n}:`);
    out.push(`  data-${n}:`);
    out.push('    internal: true');
  }
  out.push('');
  out.push('volumes:');
  for (const d of dataNames) out.push(`  ${d.name}-data:`);
  return {
    files: { 'compose.yaml': out.join('\n') + '\n', 'compose.override.yaml': over.join('\n') + '\n' },
    services: datas + apps + proxies,
  };
}
