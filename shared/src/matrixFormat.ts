/**
 * The reachability matrix for people (an aligned grid in the terminal, a table in Markdown)
 * and for programs (JSON). Shared so the CLI's `matrix` and the webview's "Copy as Markdown"
 * give the same text.
 */
import type { Matrix, MatrixService } from './matrix';
import { printableLine } from './printable';
import type { Via } from './report';

/** Text made safe for one Markdown table cell: pipes escaped, line breaks folded. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * A name from the file in a Markdown cell, rendering nothing it writes: a service named
 * `![x](https://...)`, `<img ...>` or with terminal escapes stays text (Docker rejects such
 * names, and the report says so, but the table still shows them).
 */
function nameCell(name: string): string {
  return cell(printableLine(name).replace(/[\\`[\]<>&]/g, (c) => `\\${c}`));
}

/** Options of the text matrix. */
export interface MatrixTextOptions {
  /**
   * Widest grid, in columns, before column headers switch from service names to numbers
   * (rows keep the names, so the numbers are their own legend). Default 80.
   */
  maxWidth?: number;
}

const NONE = '·';
const SELF = '-';
const GAP = '  ';
const HOST_MODE = 'every listening port (network_mode: host)';

const LEGEND = [
  'Cells: the networks both services are on; ns = same network namespace;',
  `       port = a port published on the host; ${NONE} = cannot connect.`,
];
/** Only when a service holds the Docker API: most matrices never show `docker`. */
const DOCKER_LEGEND = '       docker = through the Docker API (the row mounts the Docker socket).';

/**
 * What a cell shows: shared network names joined by `,`, then `ns` (same namespace), `port`
 * (a published port) and `docker` (the Docker API), or `·` when there is no way through.
 */
export function cellLabel(via: readonly Via[] | null): string {
  if (!via || via.length === 0) return NONE;
  const parts = [...new Set(via.flatMap((v) => (v.kind === 'network' ? [v.network] : [])))].sort(compare);
  if (via.some((v) => v.kind === 'namespace')) parts.push('ns');
  if (via.some((v) => v.kind === 'published-port')) parts.push('port');
  if (via.some((v) => v.kind === 'docker-api')) parts.push('docker');
  return parts.join(',');
}

/** The grid, its legend, a table of ports and egress per service, and the inactive services. */
export function formatMatrixText(matrix: Matrix, options: MatrixTextOptions = {}): string {
  const maxWidth = options.maxWidth ?? 80;
  const out = [`${printableLine(matrix.project)}: who can reach whom (row → column)`, ''];

  if (matrix.services.length === 0) {
    out.push('No active services.');
  } else {
    let grid = align(gridRows(matrix, false));
    if (grid.some((line) => line.length > maxWidth)) grid = align(gridRows(matrix, true));
    out.push(...grid, '', ...LEGEND, ...(dockerRows(matrix) ? [DOCKER_LEGEND] : []), '');
    out.push(
      ...align([
        ['SERVICE', 'TIER', 'EGRESS', 'PORTS'],
        ...matrix.services.map((s) => [printableLine(s.name), s.tier, s.egress ? 'yes' : 'no', portsText(s)]),
      ]),
    );
  }

  if (matrix.inactive.length > 0) {
    const names = matrix.inactive.map((s) => printableLine(`${s.name} (${s.profiles.join(', ')})`));
    out.push('', `Not running (profiles not enabled): ${names.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/** The matrix as GitHub-flavoured Markdown: a heading, the grid as a table, a table of ports and egress. */
export function formatMatrixMarkdown(matrix: Matrix): string {
  const out = [`### Reachability matrix: \`${matrix.project}\``, ''];

  if (matrix.services.length === 0) {
    out.push('No active services.');
  } else {
    const names = matrix.services.map((s) => nameCell(s.name));
    out.push(`| from ↓ to → | ${names.join(' | ')} |`, `| --- |${' --- |'.repeat(names.length)}`);
    matrix.services.forEach((s, i) => {
      const row = matrix.services.map((_, j) => cell(i === j ? SELF : cellLabel(matrix.cell(i, j))));
      out.push(`| **${nameCell(s.name)}** (${s.tier}) | ${row.join(' | ')} |`);
    });
    out.push(
      '',
      `Cells: the networks both services are on; \`ns\` = same network namespace; ` +
        `\`port\` = a port published on the host; ${NONE} = cannot connect.` +
        (dockerRows(matrix) ? ' `docker` = through the Docker API (the row mounts the Docker socket).' : ''),
      '',
      '| Service | Tier | Egress | Ports |',
      '| --- | --- | --- | --- |',
    );
    for (const s of matrix.services) {
      out.push(`| ${nameCell(s.name)} | ${s.tier} | ${s.egress ? 'yes' : 'no'} | ${portsMarkdown(s)} |`);
    }
  }

  if (matrix.inactive.length > 0) {
    // In a code span nothing renders; a name holding a backtick cannot be in one.
    const code = (n: string): string => (n.includes('`') ? nameCell(n) : `\`${cell(printableLine(n))}\``);
    const names = matrix.inactive.map((s) => `${code(s.name)} (${s.profiles.map(nameCell).join(', ')})`);
    out.push('', `Not running (profiles not enabled): ${names.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/** The Matrix, pretty printed. */
export function formatMatrixJson(matrix: Matrix): string {
  const { project, services, groups, inactive } = matrix;
  const cells = services.map((_, i) => services.map((_, j) => matrix.cell(i, j)));
  const json: MatrixJson = { project, services, groups, cells, inactive };
  return JSON.stringify(json, null, 2) + '\n';
}

/** `matrix --format json`: the matrix with every cell spelled out, `cells[from][to]` (null: no way). */
export interface MatrixJson extends Omit<Matrix, 'cell' | 'reachCount'> {
  cells: Array<Array<Via[] | null>>;
}

/**
 * Header row and one row per service: tier (on a group's first row only), service, cells.
 * With `numbered`, services get numbers and the columns show only the numbers.
 */
function gridRows(matrix: Matrix, numbered: boolean): string[][] {
  const width = String(matrix.services.length).length;
  const num = (i: number): string => String(i + 1).padStart(width);
  const header = ['', '', ...matrix.services.map((s, i) => (numbered ? num(i) : printableLine(s.name)))];
  const rows = matrix.services.map((s, i) => {
    const first = matrix.groups.some((g) => g.start === i);
    return [
      first ? s.tier : '',
      numbered ? `${num(i)} ${printableLine(s.name)}` : printableLine(s.name),
      ...matrix.services.map((_, j) => (i === j ? SELF : cellLabel(matrix.cell(i, j)))),
    ];
  });
  return [header, ...rows];
}

/** Pads every column to its widest cell; trailing spaces are dropped. */
function align(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join(GAP)
      .trimEnd(),
  );
}

function portsText(s: MatrixService): string {
  const parts = portParts(s).map((p) => (p.note ? `${p.label} (${p.note})` : p.label));
  return parts.length > 0 ? parts.join(', ') : '-';
}

function portsMarkdown(s: MatrixService): string {
  // Labels go in code spans so `->` and `[::]` are not read as Markdown.
  const parts = portParts(s).map((p) =>
    p.label === HOST_MODE ? p.label : `\`${p.label}\`${p.note ? ` (${p.note})` : ''}`,
  );
  return parts.length > 0 ? cell(parts.join(', ')) : '-';
}

/** Every port label, with what it means when that is not "reachable from outside". */
function portParts(s: MatrixService): Array<{ label: string; note?: string }> {
  return [
    ...(s.attachment.kind === 'host' ? [{ label: HOST_MODE }] : []),
    ...s.exposed.map((p) => ({ label: p.label })),
    ...s.hostOnly.map((p) => ({ label: p.label, note: 'host only' })),
    ...s.unpublished.map((p) => ({ label: p.label, note: 'not published' })),
  ];
}

/** True when some service holds the Docker API. */
function dockerRows(matrix: Matrix): boolean {
  return matrix.services.some((s) => s.dockerSocket);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
