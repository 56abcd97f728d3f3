/**
 * What each benchmark stage measures, as plain data: `run.ts` collects these into one
 * results file and `report.ts` turns that into docs/benchmarks.md and its chart.
 */

/** A project the benchmarks run on, written to disk so that processes can read it. */
export interface Fixture {
  /** `gen-100`, `corpus-pihole-cloudflared-DoH`, ... */
  name: string;
  services: number;
  /** Total bytes of the project's compose files. */
  bytes: number;
  /** The project directory (absolute). */
  dir: string;
  /** Its compose files (absolute), main file first, then the override file if any. */
  files: string[];
  /** True for generated projects (the chart's x axis), false for real files from the corpus. */
  generated: boolean;
}

/** A distribution of timings in milliseconds (or megabytes, where the field says so). */
export interface Stat {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/** One language server on one fixture, driven over stdio as an editor would. */
export interface LspResult {
  server: 'compose-reachability' | 'yaml-language-server';
  fixture: string;
  /** didOpen of the main file → its first publishDiagnostics. */
  openMs: number;
  /** One-character didChange → the publishDiagnostics for that version. */
  edit: Stat;
  /** Peak resident set size of the server process (VmHWM), MB. */
  peakRssMb: number;
  /** Set when the run could not complete (timeout, crash): the figures are then absent or partial. */
  error?: string;
}

/** One command-line tool checking one fixture, as a whole process. */
export interface CliResult {
  tool: 'compose-reachability' | 'dclint';
  fixture: string;
  /** Wall time of the whole process, ms. */
  wall: Stat;
  /** Peak resident set size (maxRSS), MB. */
  peakRssMb: number;
  exitCode: number;
}

/** The engine in-process against a bare `yaml` parse of the same text. */
export interface EngineResult {
  fixture: string;
  /** `yaml.parseDocument` of every compose file of the fixture, default options. */
  parse: Stat;
  /** analyzeProject: load + model + graph + rules + report. */
  engine: Stat;
  /** The engine's stages, p50 each. */
  stages: { load: number; model: number; graph: number; rules: number; report: number };
}

/** The matrix webview in headless Chromium. */
export interface WebviewResult {
  services: number;
  /** Report message posted → first render done (the webview's own `rendered` message), ms. */
  firstRender: Stat;
  /** A second report (after an edit) posted → render done, ms. */
  update: Stat;
  /** Bytes of the message posted to the webview. */
  messageBytes: number;
}

/** One hostile shape of issue 16 analysed in a process of its own (test/bench/hostile.ts). */
export interface HostileResult {
  /** `include-fanout-16`, `dotenv-quoted-10mb`, ... */
  name: string;
  /** Characters of all its files. */
  bytes: number;
  /** analyzeProject, ms (the slowest run). */
  ms: number;
  /** Peak resident set size of the process, MB. */
  peakRssMb: number;
  /** The findings it gave, or how it failed. */
  outcome: string;
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  /** ISO date of the run. */
  date: string;
  machine: { cpus: string; cores: number; memoryGb: number; node: string };
  fixtures: Fixture[];
  engine: EngineResult[];
  lsp: LspResult[];
  cli: CliResult[];
  webview: WebviewResult[];
  /** Issue 16's hostile shapes, when measured (`--only hostile`). */
  hostile?: HostileResult[];
  /** Extension activation (ms, p50) and the packaged .vsix size (bytes), when measured. */
  extension?: { activationMs?: number; vsixBytes?: number };
}

/** Percentiles of a list of numbers (nearest-rank). */
export function stat(values: readonly number[]): Stat {
  const xs = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))] ?? NaN;
  return { n: xs.length, p50: at(0.5), p95: at(0.95), min: xs[0] ?? NaN, max: xs[xs.length - 1] ?? NaN };
}
