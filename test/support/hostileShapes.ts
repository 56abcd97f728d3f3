/**
 * Hostile project shapes from issue 16: inputs of at most a few megabytes that once made the
 * loader take seconds to minutes, gigabytes, or overflow the stack. Generated, not stored: the
 * unit tests take small sizes of each, the benchmark (test/bench/hostile.ts) the sizes of the issue.
 */

/** A project as files (relative to the project directory) and the process environment. */
export interface HostileShape {
  /** `include-fanout-16`, `dotenv-doubling-27`, ... */
  name: string;
  files: Record<string, string>;
  env?: Record<string, string>;
}

/** Each file includes the next twice: without loading each file once, file k is loaded 2^k times. */
export function includeFanout(levels: number): HostileShape {
  const files: Record<string, string> = {};
  for (let k = 0; k < levels; k++) {
    const name = k === 0 ? 'compose.yaml' : `f${k}.yaml`;
    const next = `f${k + 1}.yaml`;
    files[name] = `include:\n  - ${next}\n  - ${next}\nservices:\n  s${k}:\n    image: busybox\n`;
  }
  files[`f${levels}.yaml`] = `services:\n  s${levels}:\n    image: busybox\n`;
  return { name: `include-fanout-${levels}`, files };
}

/** `s{i}` extends `s{i-1}`: one chain through every service. */
export function extendsChain(services: number): HostileShape {
  const lines = ['services:', '  s0:', '    image: busybox', '    networks: [n0]'];
  for (let i = 1; i < services; i++) lines.push(`  s${i}:`, `    extends: s${i - 1}`, `    hostname: h${i}`);
  lines.push('networks:', '  n0:', '');
  return { name: `extends-chain-${services}`, files: { 'compose.yaml': lines.join('\n') } };
}

/** Every service extends a service of the same other file. */
export function extendsFile(services: number): HostileShape {
  const lines = ['services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  s${i}:`, '    extends: { file: common.yaml, service: base }', `    labels: { l: "${i}" }`);
  }
  lines.push('');
  const common = 'services:\n  base:\n    image: busybox\n    environment: { A: "1" }\n';
  return {
    name: `extends-file-${services}`,
    files: { 'compose.yaml': lines.join('\n'), 'common.yaml': common },
  };
}

/** A block mapping nested `depth` levels under one service's labels. */
export function yamlNesting(depth: number): HostileShape {
  const lines = ['services:', '  a:', '    image: busybox', '    x-deep:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(6 + i)}k:`);
  lines.push(`${' '.repeat(6 + depth)}leaf`, '');
  return { name: `yaml-nesting-${depth}`, files: { 'compose.yaml': lines.join('\n') } };
}

/** `${A:-${A:-...}}` nested `depth` times in one value. */
export function interpolationNesting(depth: number): HostileShape {
  const value = '${A:-'.repeat(depth) + 'x' + '}'.repeat(depth);
  return {
    name: `interpolation-nesting-${depth}`,
    files: { 'compose.yaml': `services:\n  a:\n    image: "${value}"\n` },
  };
}

/** `.env` where each variable is the previous one twice: line `lines` expands to 2^lines characters. */
export function dotenvDoubling(lines: number): HostileShape {
  const env = ['V0=xx'];
  for (let i = 1; i < lines; i++) env.push(`V${i}=\${V${i - 1}}\${V${i - 1}}`);
  return {
    name: `dotenv-doubling-${lines}`,
    files: {
      '.env': env.join('\n') + '\n',
      // Used, so the value is flattened: an unused rope of 2^n characters costs nothing.
      'compose.yaml': `services:\n  a:\n    image: "\${V${lines - 1}}"\n`,
    },
  };
}

/** One quoted `.env` value of `bytes` characters. */
export function dotenvQuoted(bytes: number): HostileShape {
  return {
    name: `dotenv-quoted-${Math.round(bytes / 2 ** 20)}mb`,
    files: {
      '.env': `BIG="${'a'.repeat(bytes)}"\nOTHER=1\n`,
      'compose.yaml': 'services:\n  a:\n    image: busybox\n',
    },
  };
}

/** The shapes at the sizes issue 16 reports (the benchmark's cases). */
export function issueShapes(): HostileShape[] {
  return [
    includeFanout(16),
    includeFanout(20),
    extendsChain(1000),
    extendsFile(2000),
    yamlNesting(1500),
    interpolationNesting(2000),
    dotenvDoubling(27),
    dotenvQuoted(10 * 2 ** 20),
  ];
}
