/**
 * Turns one run's results into docs/benchmarks.md and its scaling chart. Pure formatting: the
 * same results always give the same bytes (the only date in them is the run's own), so the
 * files can be committed and diffed between runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchResults, CliResult, EngineResult, Fixture, LspResult, Stat, WebviewResult } from './types';

/** Where `writeReport` writes, and the command that reproduces the run. */
export interface ReportOptions {
  /** Shown verbatim as the way to reproduce the figures (`npm run bench`). */
  command: string;
  markdownPath: string;
  svgPath: string;
}

/** The fixture the keystroke, engine and CLI targets are set for (~50 KB). */
const TARGET_FIXTURE = 'gen-120';
/** The fixture of the "at 2,000 services" targets. */
const LARGE_FIXTURE = 'gen-2000';
const LARGE_SERVICES = 2000;
/** The .vsix target is read in decimal megabytes, the stricter reading. */
const MB = 1_000_000;

/** Writes the Markdown report and the chart (creating their directories). */
export function writeReport(results: BenchResults, options: ReportOptions): void {
  const chartLink = path
    .relative(path.dirname(path.resolve(options.markdownPath)), path.resolve(options.svgPath))
    .split(path.sep)
    .join('/');
  for (const [file, text] of [
    [options.markdownPath, renderMarkdown(results, options.command, chartLink)],
    [options.svgPath, renderChart(results)],
  ] as const) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** The report as Markdown; `chartLink` is the chart's path relative to the Markdown file. */
export function renderMarkdown(results: BenchResults, command: string, chartLink: string): string {
  const m = results.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    `Reproduce with \`${command}\` (it builds first, then runs every stage below; the figures ` +
      'depend on the machine, the ratios much less).',
    '',
    `- Run: ${results.date}`,
    `- Machine: ${m.cpus}, ${plural(m.cores, 'core')}, ${fmtNumber(m.memoryGb)} GB memory, Node ${m.node}`,
    '',
    'Ratios compare tools measured in the same run on the same files, which is what makes them ' +
      'worth more than the raw figures. "Ours" is compose-reachability.',
    '',
    '## Targets',
    '',
    ...targetsTable(results),
    '',
    `![Time against project size, log-log: engine, parse, language servers, CLIs, webview](${chartLink})`,
    '',
    '## Language server: keystroke → diagnostics',
    '',
    'Each server runs as its own process over stdio, driven the way VS Code drives it; open = `didOpen` → ' +
      'first `publishDiagnostics`, edit = one-character `didChange` → the diagnostics of that version. ' +
      'yaml-language-server validates against the compose schema. RSS is the peak of the server process.',
    '',
    ...lspTable(results),
    '',
    '## Command line: `check` against dclint',
    '',
    'Wall time of the whole process (start-up included), as CI pays it; RSS is the peak of the process.',
    '',
    ...cliTable(results),
    '',
    '## Engine against a bare YAML parse',
    '',
    'In-process: `yaml.parseDocument` of every compose file against the whole analysis ' +
      '(load, model, graph, rules, report), p50; the stages are p50 each. This is a one-off analysis, ' +
      'as the CLI makes: load reads the files through the fast path (server/src/engine/load/fastParse.ts), ' +
      'which builds the tree without a yaml Document, hence a load below the parse. The language server ' +
      'parses with yaml through its parse cache; its cost is the keystroke table above.',
    '',
    ...engineTable(results),
    '',
    '## Matrix webview',
    '',
    'Headless Chromium, the page built as the extension builds it (CSP with a nonce), the report of a ' +
      'generated project posted as VS Code posts it; first render = posted → the webview says it rendered ' +
      '(new page), update = the report after a one-port edit, same page.',
    '',
    ...webviewTable(results),
    '',
    '## Hostile inputs (issue 16)',
    '',
    'Shapes that once hung or blew up the loader (test/support/hostileShapes.ts), each analysed in a ' +
      'process of its own from memory; the slowest of the runs and the peak RSS of the process. ' +
      'Target: answered (findings or a clear error with file and position) within 2 s and 500 MB.',
    '',
    ...hostileTable(results),
    '',
  ];
  return out.join('\n');
}

/** Time and memory of each hostile shape against the 2 s / 500 MB target. */
function hostileTable(r: BenchResults): string[] {
  if (!r.hostile || r.hostile.length === 0) return ['Not run.'];
  return table(
    ['Shape', 'Size', 'Time', 'Peak RSS', 'Target met', 'Answer'],
    r.hostile.map((h) => [
      h.name,
      `${fmtNumber(Math.round(h.bytes / 1024))} KB`,
      fmtMs(h.ms),
      `${fmtNumber(Math.round(h.peakRssMb))} MB`,
      h.ms <= 2000 && h.peakRssMb <= 500 ? 'yes' : 'no',
      oneLine(h.outcome, 120),
    ]),
    ['---', '--:', '--:', '--:', ':-:', '---'],
  );
}

interface TargetRow {
  target: string;
  goal: string;
  measured: string;
  peer: string;
  pass: boolean | undefined;
}

function targetsTable(r: BenchResults): string[] {
  const ours = (fixture: string): LspResult | undefined => lspOf(r, 'compose-reachability', fixture);
  const yls = (fixture: string): LspResult | undefined => lspOf(r, 'yaml-language-server', fixture);
  const rows: TargetRow[] = [];

  const o120 = ours(TARGET_FIXTURE);
  const y120 = yls(TARGET_FIXTURE);
  const edit = (l: LspResult | undefined, q: 'p50' | 'p95'): number | undefined => usable(l)?.edit[q];
  const kb = fixtureOf(r, TARGET_FIXTURE);
  const where = kb ? `${TARGET_FIXTURE}, ${fmtKb(kb.bytes)}` : TARGET_FIXTURE;
  for (const [q, goal] of [
    ['p50', 50],
    ['p95', 80],
  ] as const) {
    const mine = edit(o120, q);
    const theirs = edit(y120, q);
    rows.push({
      target: `Keystroke → diagnostics ${q} (${where})`,
      goal: `≤ ${goal} ms`,
      measured: mine !== undefined ? fmtMs(mine) : missing(o120),
      peer:
        mine !== undefined && theirs !== undefined
          ? `${faster(theirs, mine)} than yaml-language-server`
          : peerMissing(y120, 'yaml-language-server'),
      pass: atMost(mine, goal),
    });
  }
  {
    const mine = edit(o120, 'p50');
    const theirs = edit(y120, 'p50');
    const ratio = mine !== undefined && theirs !== undefined ? theirs / mine : undefined;
    rows.push({
      target: `Keystroke → diagnostics against yaml-language-server (${TARGET_FIXTURE}, p50)`,
      goal: '≥ 4× faster',
      measured: ratio !== undefined ? faster(theirs!, mine!) : missing(mine === undefined ? o120 : y120),
      peer:
        theirs !== undefined
          ? `yaml-language-server ${fmtMs(theirs)}`
          : peerMissing(y120, 'yaml-language-server'),
      pass: ratio !== undefined && Number.isFinite(ratio) ? ratio >= 4 : undefined,
    });
  }

  const engine = r.engine.find((e) => e.fixture === TARGET_FIXTURE);
  {
    const ratio = engine ? engine.engine.p50 / engine.parse.p50 : undefined;
    rows.push({
      target: `Engine (load + graph + rules) against a bare \`yaml\` parse (${TARGET_FIXTURE}, p50)`,
      goal: '≤ 1.5× the parse',
      measured: engine ? `${fmtMs(engine.engine.p50)} (${timesThe(ratio!, 'parse')})` : missing(engine),
      peer: engine ? `parse ${fmtMs(engine.parse.p50)}` : '—',
      pass: atMost(ratio, 1.5),
    });
  }

  {
    const mine = cliOf(r, 'compose-reachability', TARGET_FIXTURE);
    const theirs = cliOf(r, 'dclint', TARGET_FIXTURE);
    const both = mine && theirs;
    rows.push({
      target: `CLI check wall time against dclint (${TARGET_FIXTURE}, p50)`,
      goal: '≤ ¼ of dclint',
      measured: mine ? fmtMs(mine.wall.p50) : missing(mine),
      peer: both
        ? `${faster(theirs.wall.p50, mine.wall.p50)} than dclint (${fmtMs(theirs.wall.p50)})`
        : peerMissing(theirs, 'dclint'),
      pass: both ? atMost(mine.wall.p50 / theirs.wall.p50, 0.25) : undefined,
    });
  }

  const o2000 = ours(LARGE_FIXTURE);
  const y2000 = yls(LARGE_FIXTURE);
  {
    const mine = edit(o2000, 'p50');
    const theirs = edit(y2000, 'p50');
    rows.push({
      target: `Diagnostics after an edit at ${fmtInt(LARGE_SERVICES)} services (${LARGE_FIXTURE}, p50)`,
      goal: '≤ 150 ms',
      measured: mine !== undefined ? fmtMs(mine) : missing(o2000),
      peer:
        mine !== undefined && theirs !== undefined
          ? `${faster(theirs, mine)} than yaml-language-server`
          : peerMissing(y2000, 'yaml-language-server'),
      pass: atMost(mine, 150),
    });
  }
  {
    const w = r.webview.find((x) => x.services === LARGE_SERVICES);
    rows.push({
      target: `Matrix rendered at ${fmtInt(LARGE_SERVICES)} services (first render, p50)`,
      goal: '≤ 500 ms',
      measured: w ? fmtMs(w.firstRender.p50) : missing(w),
      peer: '—',
      pass: atMost(w?.firstRender.p50, 500),
    });
  }
  {
    const mine = usable(o2000)?.peakRssMb;
    const theirs = usable(y2000)?.peakRssMb;
    rows.push({
      target: `Language server peak RSS at ${fmtInt(LARGE_SERVICES)} services (${LARGE_FIXTURE})`,
      goal: '≤ 150 MB',
      measured: mine !== undefined ? `${fmtNumber(mine)} MB` : missing(o2000),
      peer:
        mine !== undefined && theirs !== undefined
          ? `${ratioText(theirs / mine, 'less', 'more')} than yaml-language-server (${fmtNumber(theirs)} MB)`
          : peerMissing(y2000, 'yaml-language-server'),
      pass: atMost(mine, 150),
    });
  }
  {
    const ms = r.extension?.activationMs;
    rows.push({
      target: 'Extension activation',
      goal: '≤ 100 ms',
      measured: ms !== undefined ? fmtMs(ms) : 'not measured',
      peer: '—',
      pass: atMost(ms, 100),
    });
  }
  {
    const bytes = r.extension?.vsixBytes;
    rows.push({
      target: 'Packaged extension (.vsix)',
      goal: '≤ 1 MB',
      measured:
        bytes !== undefined ? `${fmtNumber(bytes / MB, 2)} MB (${fmtInt(bytes)} bytes)` : 'not measured',
      peer: '—',
      pass: atMost(bytes, MB),
    });
  }

  return table(
    ['Target', 'Goal', 'Measured', 'Against the peer', 'Met'],
    rows.map((t) => [
      t.target,
      t.goal,
      t.measured,
      t.peer,
      t.pass === undefined ? '—' : t.pass ? '✅' : '❌',
    ]),
    ['---', '---', '---', '---', ':-:'],
  );
}

function lspTable(r: BenchResults): string[] {
  if (r.lsp.length === 0) return ['Not run.'];
  const rows = fixtureNames(
    r,
    r.lsp.map((l) => l.fixture),
  ).map((name) => {
    const f = fixtureOf(r, name);
    const ours = lspOf(r, 'compose-reachability', name);
    const yls = lspOf(r, 'yaml-language-server', name);
    const pair = (get: (l: LspResult) => string): string => `${cellOf(ours, get)} / ${cellOf(yls, get)}`;
    const o = usable(ours);
    const y = usable(yls);
    return [
      name,
      f ? fmtInt(f.services) : '—',
      f ? fmtKb(f.bytes) : '—',
      pair((l) => fmtMs(l.openMs)),
      pair((l) => fmtMs(l.edit.p50)),
      pair((l) => fmtMs(l.edit.p95)),
      pair((l) => fmtNumber(l.peakRssMb)),
      o && y ? faster(y.edit.p50, o.edit.p50) : '—',
      o && y ? ratioText(y.peakRssMb / o.peakRssMb, 'less', 'more') : '—',
    ];
  });
  return [
    ...table(
      [
        'Fixture',
        'Services',
        'Size',
        'Open (ours / yls)',
        'Edit p50 (ours / yls)',
        'Edit p95 (ours / yls)',
        'Peak RSS MB (ours / yls)',
        'Edit p50',
        'Memory',
      ],
      rows,
    ),
    ...errorNotes(r.lsp.map((l) => [`${l.server} on ${l.fixture}`, l] as const)),
  ];
}

function cliTable(r: BenchResults): string[] {
  if (r.cli.length === 0) return ['Not run.'];
  const rows = fixtureNames(
    r,
    r.cli.map((c) => c.fixture),
  ).map((name) => {
    const f = fixtureOf(r, name);
    const ours = cliOf(r, 'compose-reachability', name);
    const dclint = cliOf(r, 'dclint', name);
    const pair = (get: (c: CliResult) => string): string => `${cellOf(ours, get)} / ${cellOf(dclint, get)}`;
    return [
      name,
      f ? fmtInt(f.services) : '—',
      f ? fmtKb(f.bytes) : '—',
      pair((c) => fmtMs(c.wall.p50)),
      pair((c) => fmtNumber(c.peakRssMb)),
      pair((c) => String(c.exitCode)),
      ours && dclint ? faster(dclint.wall.p50, ours.wall.p50) : '—',
    ];
  });
  return [
    ...table(
      [
        'Fixture',
        'Services',
        'Size',
        'Wall p50 (ours / dclint)',
        'Peak RSS MB (ours / dclint)',
        'Exit',
        'Wall',
      ],
      rows,
    ),
    ...errorNotes(r.cli.map((c) => [`${c.tool} on ${c.fixture}`, c] as const)),
  ];
}

function engineTable(r: BenchResults): string[] {
  if (r.engine.length === 0) return ['Not run.'];
  const rows = fixtureNames(
    r,
    r.engine.map((e) => e.fixture),
  ).map((name) => {
    const f = fixtureOf(r, name);
    const e = r.engine.find((x) => x.fixture === name);
    const cell = (get: (x: EngineResult) => string): string => cellOf(e, get);
    return [
      name,
      f ? fmtInt(f.services) : '—',
      f ? fmtKb(f.bytes) : '—',
      cell((x) => fmtMs(x.parse.p50)),
      cell((x) => fmtMs(x.engine.p50)),
      cell((x) => timesThe(x.engine.p50 / x.parse.p50, 'parse')),
      ...(['load', 'model', 'graph', 'rules', 'report'] as const).map((k) => cell((x) => fmtMs(x.stages[k]))),
    ];
  });
  return [
    ...table(
      [
        'Fixture',
        'Services',
        'Size',
        'Parse p50',
        'Engine p50',
        'Engine',
        'load',
        'model',
        'graph',
        'rules',
        'report',
      ],
      rows,
    ),
    ...errorNotes(r.engine.map((e) => [e.fixture, e] as const)),
  ];
}

/** The webview bench may add the webview's own account of its renders (test/bench/webview.ts). */
interface WebviewOwn {
  renderMs: Stat;
  model: Stat;
  dom: Stat;
  delivered?: Stat;
  painted?: Stat;
}

function ownOf(w: WebviewResult): { firstRender: WebviewOwn; update: WebviewOwn } | undefined {
  const own = (w as WebviewResult & { own?: unknown }).own as
    { firstRender?: WebviewOwn; update?: WebviewOwn } | undefined;
  return own?.firstRender?.renderMs && own.update?.renderMs
    ? { firstRender: own.firstRender, update: own.update }
    : undefined;
}

function webviewTable(r: BenchResults): string[] {
  if (r.webview.length === 0) return ['Not run.'];
  const sorted = [...r.webview].sort((a, b) => a.services - b.services);
  const withOwn = sorted.some((w) => ownOf(w));
  const p50p95 = (s: Stat): string => `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`;
  const rows = sorted.map((w) => {
    const own = ownOf(w);
    const row = [
      cellOf(w, (x) => fmtInt(x.services)),
      cellOf(w, (x) => fmtBytes(x.messageBytes)),
      cellOf(w, (x) => p50p95(x.firstRender)),
      cellOf(w, (x) => p50p95(x.update)),
    ];
    if (withOwn) {
      const split = (o: WebviewOwn): string =>
        `${fmtMs(o.renderMs.p50)} (model ${fmtMs(o.model.p50)}, DOM ${fmtMs(o.dom.p50)})`;
      row.push(
        own ? `${split(own.firstRender)} / ${split(own.update)}` : '—',
        own?.firstRender.delivered ? fmtMs(own.firstRender.delivered.p50) : '—',
        own?.firstRender.painted ? fmtMs(own.firstRender.painted.p50) : '—',
      );
    }
    return row;
  });
  const head = ['Services', 'Message', 'First render p50 / p95', 'Update p50 / p95'];
  if (withOwn) head.push("Webview's own render p50 (first / update)", 'Delivery p50', 'Painted p50');
  const notes = withOwn
    ? [
        '',
        "The webview's own figure is the time it spends in its message handler (building the matrix model, " +
          'then the DOM with style and layout); delivery is posted → the message data readable in the ' +
          'webview (the structured clone, both ways); ' +
          'painted is posted → the end of the next frame, for the first render.',
      ]
    : [];
  return [
    ...table(head, rows),
    ...notes,
    ...errorNotes(sorted.map((w) => [`${fmtInt(w.services)} services`, w] as const)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Lookups and formatting

function lspOf(r: BenchResults, server: LspResult['server'], fixture: string): LspResult | undefined {
  return r.lsp.find((l) => l.server === server && l.fixture === fixture);
}

function cliOf(r: BenchResults, tool: CliResult['tool'], fixture: string): CliResult | undefined {
  return r.cli.find((c) => c.tool === tool && c.fixture === fixture);
}

function fixtureOf(r: BenchResults, name: string): Fixture | undefined {
  return r.fixtures.find((f) => f.name === name);
}

/** The fixtures' order (generated by size, then the corpus), then any name only the results know. */
function fixtureNames(r: BenchResults, used: readonly string[]): string[] {
  const known = r.fixtures.map((f) => f.name).filter((n) => used.includes(n));
  return [...new Set([...known, ...used])];
}

/** The error a stage recorded on an entry, if any (only some result types have the field today). */
function errorOf(entry: unknown): string | undefined {
  const e = (entry as { error?: unknown } | undefined)?.error;
  return typeof e === 'string' && e !== '' ? e : undefined;
}

/** An entry whose figures can be trusted: present and without an error. */
function usable<T>(entry: T | undefined): T | undefined {
  return entry !== undefined && errorOf(entry) === undefined ? entry : undefined;
}

function cellOf<T>(entry: T | undefined, get: (x: T) => string): string {
  if (entry === undefined) return '—';
  return errorOf(entry) !== undefined ? 'error' : get(entry);
}

/** Met or not; undefined (shown as —) when there is no figure to judge. */
function atMost(value: number | undefined, goal: number): boolean | undefined {
  return value !== undefined && Number.isFinite(value) ? value <= goal : undefined;
}

/** The peer column when the peer has no figure: say so when it failed, since that is a result too. */
function peerMissing(entry: unknown, name: string): string {
  return errorOf(entry) !== undefined ? `${name}: error (below)` : '—';
}

/** What to show for a measurement that is not there: the stage's error, or that it did not run. */
function missing(entry: unknown): string {
  const e = errorOf(entry);
  return e !== undefined ? `error: ${oneLine(e, 120)}` : 'not measured';
}

function errorNotes(entries: ReadonlyArray<readonly [string, unknown]>): string[] {
  const notes = entries.flatMap(([what, e]) => {
    const err = errorOf(e);
    return err !== undefined ? [`- ${what}: ${oneLine(err, 300)}`] : [];
  });
  return notes.length > 0 ? ['', 'Errors:', '', ...notes] : [];
}

/** A Markdown table; by default the first column is a name and the others numbers (right-aligned). */
function table(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: readonly string[] = head.map((_, i) => (i === 0 ? '---' : '--:')),
): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(head), `| ${align.join(' | ')} |`, ...rows.map(line)];
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `×12 faster` (`slower` when it is): how many times `theirs` takes ours. */
function faster(theirs: number, ours: number): string {
  return ratioText(theirs / ours, 'faster', 'slower');
}

function ratioText(ratio: number, better: string, worse: string): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '—';
  return ratio >= 1 ? `×${fmtRatio(ratio)} ${better}` : `×${fmtRatio(1 / ratio)} ${worse}`;
}

/** `1.3× the parse`. */
function timesThe(ratio: number, what: string): string {
  return Number.isFinite(ratio) ? `${fmtRatio(ratio)}× the ${what}` : '—';
}

function fmtRatio(x: number): string {
  return x >= 10 ? fmtInt(Math.round(x)) : x.toFixed(1);
}

/** Milliseconds with as many digits as are meaningful at that size. */
function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${fmtNumber(ms / 1000, 2)} s`;
  return `${ms >= 100 ? Math.round(ms) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

function fmtNumber(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? fmtInt(Math.round(x)) : x.toFixed(digits);
}

/** Thousands separated by commas, independent of the machine's locale. */
function fmtInt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fmtKb(bytes: number): string {
  return `${fmtNumber(bytes / 1024)} KB`;
}

function fmtBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${fmtNumber(bytes / (1024 * 1024), 2)} MB` : fmtKb(bytes);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// The chart

interface Series {
  label: string;
  color: string;
  /** Ours solid with filled markers; the tool we compare with dashed with hollow ones. */
  peer: boolean;
  points: Array<{ x: number; y: number }>;
}

const WIDTH = 900;
const HEIGHT = 540;
const PLOT = { left: 78, right: 640, top: 56, bottom: 470 };
const INK = '#1f2328';
const MUTED = '#59636e';
const GRID_MAJOR = '#d1d9e0';
const GRID_MINOR = '#eef1f4';
const WEBVIEW_LABEL = 'matrix webview: first render';
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif";

/** The series of the chart: p50 of each stage on the generated fixtures, by service count. */
export function chartSeries(r: BenchResults): Series[] {
  const generated = r.fixtures.filter((f) => f.generated);
  const servicesOf = (fixture: string): number | undefined =>
    generated.find((f) => f.name === fixture)?.services;
  const points = <T>(entries: readonly T[], fixture: (e: T) => string, y: (e: T) => number | undefined) =>
    entries
      .flatMap((e) => {
        const x = servicesOf(fixture(e));
        const v = usable(e) !== undefined ? y(e) : undefined;
        return x !== undefined && v !== undefined && Number.isFinite(v) && v > 0 ? [{ x, y: v }] : [];
      })
      .sort((a, b) => a.x - b.x);
  const lsp = (server: LspResult['server']) => r.lsp.filter((l) => l.server === server);
  const cli = (tool: CliResult['tool']) => r.cli.filter((c) => c.tool === tool);
  // Okabe–Ito colours: told apart with colour-blindness too, and each pair shares one.
  return [
    {
      label: 'engine (analyse)',
      color: '#0072b2',
      peer: false,
      points: points(
        r.engine,
        (e) => e.fixture,
        (e) => e.engine.p50,
      ),
    },
    {
      label: 'bare yaml parse',
      color: '#0072b2',
      peer: true,
      points: points(
        r.engine,
        (e) => e.fixture,
        (e) => e.parse.p50,
      ),
    },
    {
      label: 'our LSP: edit → diagnostics',
      color: '#d55e00',
      peer: false,
      points: points(
        lsp('compose-reachability'),
        (l) => l.fixture,
        (l) => l.edit.p50,
      ),
    },
    {
      label: 'yaml-language-server: edit',
      color: '#d55e00',
      peer: true,
      points: points(
        lsp('yaml-language-server'),
        (l) => l.fixture,
        (l) => l.edit.p50,
      ),
    },
    {
      label: 'our CLI check (wall)',
      color: '#009e73',
      peer: false,
      points: points(
        cli('compose-reachability'),
        (c) => c.fixture,
        (c) => c.wall.p50,
      ),
    },
    {
      label: 'dclint (wall)',
      color: '#009e73',
      peer: true,
      points: points(
        cli('dclint'),
        (c) => c.fixture,
        (c) => c.wall.p50,
      ),
    },
    {
      label: WEBVIEW_LABEL,
      color: '#cc79a7',
      peer: false,
      points: r.webview
        .filter((w) => usable(w) !== undefined && Number.isFinite(w.firstRender.p50) && w.firstRender.p50 > 0)
        .map((w) => ({ x: w.services, y: w.firstRender.p50 }))
        .sort((a, b) => a.x - b.x),
    },
  ];
}

/** A dependency-free SVG line chart, log-log, on a white background (readable in light and dark pages). */
export function renderChart(r: BenchResults): string {
  const series = chartSeries(r);
  const all = series.flatMap((s) => s.points);
  // Without data the axes still come out, over a plausible range, so the file is always valid.
  const [x0, x1] = logDomain(all.length > 0 ? all.map((p) => p.x) : [10, 2000]);
  const [y0, y1] = logDomain(all.length > 0 ? all.map((p) => p.y) : [1, 1000]);
  const scale = (v: number, lo: number, hi: number): number =>
    (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  const sx = (x: number): number => PLOT.left + scale(x, x0, x1) * (PLOT.right - PLOT.left);
  const sy = (y: number): number => PLOT.bottom - scale(y, y0, y1) * (PLOT.bottom - PLOT.top);
  const text = (attrs: Attrs, content: string): string =>
    tag('text', { fill: INK, ...attrs }, escapeXml(content));

  const out: string[] = [
    `<svg ${attributes({
      xmlns: 'http://www.w3.org/2000/svg',
      width: WIDTH,
      height: HEIGHT,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      'font-family': FONT,
      'font-size': 13,
      role: 'img',
      'aria-labelledby': 'title desc',
    })}>`,
    tag('title', { id: 'title' }, 'Compose Reachability benchmarks: time against project size'),
    tag(
      'desc',
      { id: 'desc' },
      escapeXml(
        'Log-log line chart of milliseconds (p50) against the number of services in generated compose ' +
          `projects, run of ${r.date}.`,
      ),
    ),
    tag('rect', { width: WIDTH, height: HEIGHT, fill: '#ffffff' }),
    text(
      { x: PLOT.left, y: 30, 'font-size': 16, 'font-weight': 600 },
      'Time against project size (p50, log-log)',
    ),
  ];

  // Gridlines first, so the lines draw over them.
  const xTicks = logTicks(x0, x1);
  const yTicks = logTicks(y0, y1);
  const grid = (major: boolean): Attrs => ({ stroke: major ? GRID_MAJOR : GRID_MINOR, 'stroke-width': 1 });
  for (const t of xTicks) {
    const x = fmtCoord(sx(t.value));
    out.push(tag('line', { x1: x, y1: PLOT.top, x2: x, y2: PLOT.bottom, ...grid(t.major) }));
  }
  for (const t of yTicks) {
    const y = fmtCoord(sy(t.value));
    out.push(tag('line', { x1: PLOT.left, y1: y, x2: PLOT.right, y2: y, ...grid(t.major) }));
  }
  out.push(
    tag('rect', {
      x: PLOT.left,
      y: PLOT.top,
      width: PLOT.right - PLOT.left,
      height: PLOT.bottom - PLOT.top,
      fill: 'none',
      stroke: MUTED,
      'stroke-width': 1,
    }),
  );
  for (const t of xTicks.filter((t) => t.label)) {
    const x = fmtCoord(sx(t.value));
    out.push(text({ x, y: PLOT.bottom + 20, 'text-anchor': 'middle' }, fmtTick(t.value, false)));
  }
  for (const t of yTicks.filter((t) => t.label)) {
    const y = fmtCoord(sy(t.value) + 4);
    out.push(text({ x: PLOT.left - 8, y, 'text-anchor': 'end' }, fmtTick(t.value, true)));
  }
  out.push(
    text(
      { x: (PLOT.left + PLOT.right) / 2, y: PLOT.bottom + 48, 'text-anchor': 'middle' },
      'services in the generated project',
    ),
    text(
      { transform: `translate(22 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle' },
      'time (p50)',
    ),
  );

  const stroke = (s: Series): Attrs => ({
    stroke: s.color,
    'stroke-width': 2.25,
    ...(s.peer ? { 'stroke-dasharray': '7 5' } : {}),
  });
  for (const s of series) {
    if (s.points.length > 1) {
      const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmtCoord(sx(p.x))} ${fmtCoord(sy(p.y))}`);
      out.push(tag('path', { d: d.join(' '), fill: 'none', ...stroke(s), 'stroke-linejoin': 'round' }));
    }
    for (const p of s.points) {
      out.push(marker(s, sx(p.x), sy(p.y), `${s.label}: ${fmtMs(p.y)} at ${fmtInt(p.x)} services`));
    }
  }

  // Legend on the right, outside the plot so it never hides a line.
  const lx = PLOT.right + 24;
  let ly = PLOT.top + 6;
  out.push(text({ x: lx, y: ly, 'font-weight': 600 }, 'Series'));
  ly += 22;
  for (const s of series) {
    out.push(
      tag('line', { x1: lx, y1: ly - 4, x2: lx + 34, y2: ly - 4, ...stroke(s) }),
      marker(s, lx + 17, ly - 4, undefined),
      // Greyed when the series has no point (its stage failed or did not run); the tables say why.
      text({ x: lx + 44, y: ly, fill: s.points.length > 0 ? INK : MUTED }, s.label),
    );
    ly += 24;
  }
  ly += 8;
  const webviewAt = series.find((s) => s.label === WEBVIEW_LABEL)?.points.map((p) => fmtInt(p.x)) ?? [];
  for (const line of [
    'solid: compose-reachability',
    'dashed: what it is compared with',
    ...(webviewAt.length > 0 ? [`webview measured at ${webviewAt.join(', ')} services`] : []),
  ]) {
    out.push(text({ x: lx, y: ly, 'font-size': 12, fill: MUTED }, line));
    ly += 18;
  }
  out.push(
    text(
      { x: WIDTH - 12, y: HEIGHT - 12, 'text-anchor': 'end', 'font-size': 11, fill: MUTED },
      `${r.machine.cpus} · Node ${r.machine.node} · ${r.date}`,
    ),
    '</svg>',
    '',
  );
  return out.join('\n');
}

type Attrs = Record<string, string | number>;

function attributes(attrs: Attrs): string {
  return Object.entries(attrs)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');
}

/** An element; `content` is markup (escape text before passing it). */
function tag(name: string, attrs: Attrs, content?: string): string {
  return content === undefined
    ? `<${name} ${attributes(attrs)}/>`
    : `<${name} ${attributes(attrs)}>${content}</${name}>`;
}

function marker(s: Series, x: number, y: number, title: string | undefined): string {
  const attrs = {
    cx: fmtCoord(x),
    cy: fmtCoord(y),
    r: 4,
    fill: s.peer ? '#ffffff' : s.color,
    stroke: s.color,
    'stroke-width': 2,
  };
  // The title is the tooltip a browser shows over the point.
  return tag('circle', attrs, title === undefined ? undefined : tag('title', {}, escapeXml(title)));
}

/** A log domain a little wider than the data, so no point sits on the frame. */
function logDomain(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = 0.08 * Math.max(1, Math.log10(hi) - Math.log10(lo));
  return [10 ** (Math.log10(lo) - pad), 10 ** (Math.log10(hi) + pad)];
}

/** 1-2-5 ticks within the domain: decades are major; 2 and 5 are labelled while the range is small. */
function logTicks(lo: number, hi: number): Array<{ value: number; major: boolean; label: boolean }> {
  const decades = Math.log10(hi) - Math.log10(lo);
  const ticks: Array<{ value: number; major: boolean; label: boolean }> = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** e;
      if (value < lo || value > hi) continue;
      ticks.push({ value, major: m === 1, label: m === 1 || decades <= 4 });
    }
  }
  return ticks;
}

/** Tick labels: `0.5`, `20`, `2,000`; with `ms`, milliseconds become `ms` and seconds `s`. */
function fmtTick(v: number, ms: boolean): string {
  const n = (x: number): string => (x >= 1 ? fmtInt(x) : String(Number(x.toPrecision(1))));
  if (!ms) return n(v);
  return v >= 1000 ? `${n(v / 1000)} s` : `${n(v)} ms`;
}

function fmtCoord(v: number): string {
  return (Math.round(v * 10) / 10).toFixed(1);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
