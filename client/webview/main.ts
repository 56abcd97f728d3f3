/**
 * The reachability matrix webview: a virtualised ARIA grid of who can reach whom, fed by the
 * extension with the server's report over postMessage. Browser code only.
 *
 * Every piece of data goes into the DOM as text (textContent, title, aria-label): a service
 * named `<img src=x onerror=alert(1)>` is shown as those characters, never parsed.
 */
import { buildMatrix, type Matrix, type MatrixReport, type MatrixServiceNode } from '../../shared/src/matrix';
import type { Finding, Location } from '../../shared/src/report';
import * as L from './labels';
import {
  EGRESS_COLUMN,
  EXPOSED_COLUMN,
  SERVICE_COLUMN,
  type CellRef,
  type FromWebview,
  type MatrixSnapshot,
  type MatrixViewState,
  type RenderInfo,
  type TestAction,
  type ToWebview,
} from './messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): MatrixViewState | undefined;
  setState(state: MatrixViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ownScript = document.currentScript;
const testMode = document.body.dataset.testMode === 'true';

// Geometry, in CSS pixels. Fixed sizes are what make the grid cheap to virtualise.
const ROW_H = 26;
const BAND_H = 20;
const HEAD_H = 34;
// Column widths fit the project's names (see fitColumns), within bounds; rows are fixed.
let ROW_HEAD_W = 160;
let COL_W = 96;
let EXPOSED_W = 160;
const EGRESS_W = 68;
const OVERSCAN_ROWS = 6;
const OVERSCAN_COLS = 2;

/** Column index of the row header; service columns are 0..n-1, then exposed (n) and egress (n+1). */
const ROW_HEADER = -1;

interface Model {
  report: MatrixReport;
  matrix: Matrix;
  index: Map<string, number>;
  nodes: Map<string, MatrixServiceNode>;
  /** Findings per cell, keyed `row,col` (col as in the grid: n = exposed, -1 = row header). */
  findings: Map<string, Finding[]>;
  findingCount: number;
  linkCount: number;
}

interface Visible {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

let model: Model | undefined;
let message: string | null = 'Loading the reachability report…';
let documentUri: string | undefined;
let state: MatrixViewState = vscode.getState() ?? {};
let active: { row: number; col: number } = { row: 0, col: 0 };
let rendered: Visible | undefined;
let seq = 0;
let firstReportRendered = false;
let pendingFrame = 0;

// ---------------------------------------------------------------------------------------------
// Static skeleton

const app = el('div', 'app');
const toolbar = el('header', 'toolbar');
const title = el('h1', 'title');
const summary = el('span', 'summary');
const copyButton = el('button', 'copy');
copyButton.type = 'button';
copyButton.textContent = 'Copy as Markdown';
copyButton.title =
  'Copy the matrix as a Markdown table (the same one `compose-reachability matrix --format markdown` prints)';
copyButton.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
toolbar.append(title, summary, copyButton);

const legend = el('p', 'legend');
legend.textContent =
  'Can the row service connect to the column service? Cells name the shared networks · ns = same namespace · ' +
  ':port = published on the host · docker = through the Docker API · "·" = no way. Arrows move, Enter opens the source.';

const notice = el('div', 'notice');
notice.setAttribute('role', 'status');

const viewport = el('div', 'viewport');
viewport.setAttribute('role', 'grid');
viewport.tabIndex = -1;
const canvas = el('div', 'canvas');
canvas.setAttribute('role', 'presentation');
const head = el('div', 'head');
head.setAttribute('role', 'rowgroup');
const bands = el('div', 'bands');
bands.setAttribute('aria-hidden', 'true');
const headRow = el('div', 'row head-row');
headRow.setAttribute('role', 'row');
headRow.setAttribute('aria-rowindex', '1');
head.append(bands, headRow);
const body = el('div', 'body');
body.setAttribute('role', 'rowgroup');
canvas.append(head, body);
viewport.append(canvas);

const inactive = el('p', 'inactive');

app.append(toolbar, legend, notice, viewport, inactive);
document.body.append(app);

// ---------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg.type === 'report') {
    applyReport(msg.reportJson, msg.documentUri, msg.message);
  } else if (msg.type === 'test' && testMode) {
    runTestAction(msg.action);
  }
});

function applyReport(reportJson: string | null, uri: string | undefined, why: string | undefined): void {
  const started = performance.now();
  const report = reportJson === null ? null : (JSON.parse(reportJson) as MatrixReport);
  const previous = model ? cellRef(active) : state.selection;
  if (uri !== documentUri) {
    documentUri = uri;
  }
  model = report ? buildModel(report) : undefined;
  const built = performance.now();
  message = report ? null : (why ?? 'No compose project.');
  if (model) {
    active = previous ? resolveRef(previous, active) : { row: 0, col: 0 };
    clampActive();
  }
  const first = !firstReportRendered && !!model;
  const restored = first && (!!state.selection || !!state.scrollTop || !!state.scrollLeft);
  renderAll();
  if (first && (state.scrollTop || state.scrollLeft)) {
    // After a hide/show or a reload the DOM is new: put the scroll back where the user left it.
    viewport.scrollTop = state.scrollTop ?? 0;
    viewport.scrollLeft = state.scrollLeft ?? 0;
    renderWindow(true);
  }
  if (model) firstReportRendered = true;
  saveState();
  // Style and layout of the new rows are part of the cost a user waits for.
  void body.offsetHeight;
  announce(restored ? 'restore' : 'report', performance.now() - started, first, {
    model: built - started,
    dom: performance.now() - built,
  });
}

function buildModel(report: MatrixReport): Model {
  const matrix = buildMatrix(report);
  const index = new Map(matrix.services.map((s, i) => [s.name, i]));
  const n = matrix.services.length;
  const findings = new Map<string, Finding[]>();
  const add = (row: number | undefined, col: number | undefined, f: Finding): void => {
    if (row === undefined || col === undefined) return;
    const key = `${row},${col}`;
    const list = findings.get(key);
    if (list) list.push(f);
    else findings.set(key, [f]);
  };
  for (const f of report.diagnostics) {
    const data = f.data as { rule?: unknown; from?: unknown; to?: unknown; service?: unknown } | undefined;
    if (!data || typeof data !== 'object') continue;
    // A finding between services (shared/src/findingData.ts): `from` and `to` name one service
    // or, when one token covers several, a list of them; every pair gets the highlight.
    const from = names(data.from);
    const to = names(data.to);
    if (from.length > 0 && to.length > 0) {
      for (const a of from) for (const b of to) add(index.get(a), index.get(b), f);
    } else if (typeof data.service === 'string') {
      const row = index.get(data.service);
      const portRule = data.rule === 'data-port-published' || data.rule === 'ports-unpublished-internal';
      add(row, portRule ? n : ROW_HEADER, f);
    }
  }
  const findingCount = new Set([...findings.values()].flat()).size;
  let linkCount = 0;
  for (let i = 0; i < n; i++) linkCount += matrix.reachCount(i);
  return {
    report,
    matrix,
    index,
    nodes: new Map(report.services.map((s) => [s.name, s])),
    findings,
    findingCount,
    linkCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderAll(): void {
  if (!model) {
    title.textContent = 'Reachability matrix';
    summary.textContent = '';
    copyButton.disabled = true;
    notice.textContent = message ?? '';
    notice.hidden = false;
    viewport.hidden = true;
    legend.hidden = true;
    inactive.hidden = true;
    rendered = undefined;
    return;
  }
  const { matrix } = model;
  const n = matrix.services.length;
  title.textContent = `Reachability: ${matrix.project}`;
  const findingsOnCells = model.findingCount;
  summary.textContent =
    `${plural(n, 'service')} · ${plural(model.linkCount, 'link')}` +
    (findingsOnCells > 0 ? ` · ${plural(findingsOnCells, 'finding')} in the grid` : '');
  copyButton.disabled = false;
  legend.hidden = false;
  notice.hidden = n > 0;
  notice.textContent = n > 0 ? '' : 'No active services.';
  viewport.hidden = n === 0;
  viewport.setAttribute(
    'aria-label',
    `Reachability matrix of ${matrix.project}: can the row service connect to the column service`,
  );
  viewport.setAttribute('aria-rowcount', String(n + 1));
  viewport.setAttribute('aria-colcount', String(n + 3));

  fitColumns(model);
  viewport.style.setProperty('--rowhead-w', `${ROW_HEAD_W}px`);
  viewport.style.setProperty('--col-w', `${COL_W}px`);
  viewport.style.setProperty('--exposed-w', `${EXPOSED_W}px`);
  canvas.style.width = `${totalWidth(n)}px`;
  canvas.style.height = `${HEAD_H + BAND_H + n * ROW_H}px`;
  body.style.height = `${n * ROW_H}px`;

  bands.replaceChildren(
    ...matrix.groups.map((g) => {
      const band = el('div', `band tier-${g.tier}`);
      band.style.left = `${ROW_HEAD_W + g.start * COL_W}px`;
      band.style.width = `${g.count * COL_W}px`;
      band.textContent = g.tier;
      return band;
    }),
  );

  if (matrix.inactive.length > 0) {
    inactive.hidden = false;
    inactive.textContent = `Not running (profiles not enabled): ${matrix.inactive
      .map((s) => `${s.name} (${s.profiles.join(', ')})`)
      .join(', ')}`;
  } else {
    inactive.hidden = true;
  }
  renderWindow(true);
}

/** Renders the rows and columns in view (plus a margin); skips the work when they haven't changed. */
function renderWindow(force: boolean): void {
  if (!model) return;
  const n = model.matrix.services.length;
  const height = viewport.clientHeight || 600;
  const width = viewport.clientWidth || 800;
  const top = viewport.scrollTop;
  const left = viewport.scrollLeft;
  const win: Visible = {
    r0: clamp(Math.floor(top / ROW_H) - OVERSCAN_ROWS, 0, n),
    r1: clamp(Math.ceil((top + height - HEAD_H - BAND_H) / ROW_H) + OVERSCAN_ROWS, 0, n),
    c0: clamp(Math.floor(left / COL_W) - OVERSCAN_COLS, 0, n),
    c1: clamp(Math.ceil((left + width - ROW_HEAD_W) / COL_W) + OVERSCAN_COLS, 0, n),
  };
  if (!force && rendered && sameWindow(rendered, win)) return;
  const hadFocus = viewport.contains(document.activeElement) && document.activeElement !== viewport;
  rendered = win;

  headRow.replaceChildren(...headerCells(win));
  const rows: HTMLElement[] = [];
  for (let r = win.r0; r < win.r1; r++) rows.push(renderRow(r, win));
  body.replaceChildren(...rows);

  // Exposed and egress stick to the right edge only when that leaves room for service columns.
  viewport.classList.toggle('sticky-extras', stickyExtras());

  const target = activeElement();
  viewport.tabIndex = target ? -1 : 0;
  if (hadFocus) (target ?? viewport).focus({ preventScroll: true });
}

function headerCells(win: Visible): HTMLElement[] {
  const { matrix } = model!;
  const n = matrix.services.length;
  const corner = el('div', 'cell corner');
  corner.setAttribute('role', 'columnheader');
  corner.setAttribute('aria-colindex', '1');
  corner.textContent = 'from ↓  to →';
  const cells: HTMLElement[] = [corner, spacer(win.c0 * COL_W)];
  for (let c = win.c0; c < win.c1; c++) {
    const s = matrix.services[c]!;
    const h = el('div', `cell colhead tier-${s.tier}`);
    if (isGroupStart(c)) h.classList.add('group-start');
    if (c === active.col) h.classList.add('crosshair');
    h.setAttribute('role', 'columnheader');
    h.setAttribute('aria-colindex', String(c + 2));
    h.textContent = s.name;
    h.title = L.serviceTitle(s, model!.nodes.get(s.name)?.image, []);
    h.addEventListener('click', () => reveal(s.location));
    cells.push(h);
  }
  cells.push(spacer((n - win.c1) * COL_W));
  const exposed = el('div', 'cell colhead extra exposed');
  exposed.setAttribute('role', 'columnheader');
  exposed.setAttribute('aria-colindex', String(n + 2));
  exposed.textContent = 'Exposed';
  exposed.title =
    'Exposed outside: ports Docker publishes on the host (host address:host port->container port)';
  const egress = el('div', 'cell colhead extra egress');
  egress.setAttribute('role', 'columnheader');
  egress.setAttribute('aria-colindex', String(n + 3));
  egress.textContent = 'Egress';
  egress.title = 'Can the service open connections outside Docker?';
  cells.push(exposed, egress);
  return cells;
}

function renderRow(r: number, win: Visible): HTMLElement {
  const m = model!;
  const { matrix } = m;
  const n = matrix.services.length;
  const s = matrix.services[r]!;
  const row = el('div', 'row');
  if (isGroupStart(r)) row.classList.add('group-start');
  row.setAttribute('role', 'row');
  row.setAttribute('aria-rowindex', String(r + 2));
  row.style.top = `${r * ROW_H}px`;

  const rowFindings = m.findings.get(`${r},${ROW_HEADER}`) ?? [];
  const rh = cellElement(r, ROW_HEADER, `cell rowhead tier-${s.tier}`, 'rowheader');
  if (r === active.row) rh.classList.add('crosshair');
  const name = el('span', 'name');
  name.textContent = s.name;
  rh.append(name);
  if (r === 0 || isGroupStart(r)) {
    const tier = el('span', 'tier');
    tier.textContent = s.tier;
    rh.append(tier);
  }
  markFindings(rh, rowFindings);
  rh.title = L.serviceTitle(s, m.nodes.get(s.name)?.image, rowFindings);
  rh.setAttribute('aria-label', L.serviceAria(s, rowFindings));
  const cells: HTMLElement[] = [rh, spacer(win.c0 * COL_W)];

  for (let c = win.c0; c < win.c1; c++) {
    const to = matrix.services[c]!;
    const cell = cellElement(r, c, 'cell link', 'gridcell');
    if (isGroupStart(c)) cell.classList.add('group-start');
    if (r === c) {
      cell.classList.add('self');
      cell.textContent = '—';
      cell.setAttribute('aria-label', `${s.name} itself`);
      cell.title = `${s.name} itself`;
    } else {
      const via = matrix.cell(r, c);
      const findings = m.findings.get(`${r},${c}`) ?? [];
      cell.classList.add(via ? 'reach' : 'none');
      if (via?.some((v) => v.kind === 'docker-api')) cell.classList.add('docker-api');
      setCellText(cell, L.cellText(via), findings);
      cell.title = L.cellTitle(s.name, to.name, via, findings);
      cell.setAttribute('aria-label', L.cellAria(s.name, to.name, via, findings));
    }
    cells.push(cell);
  }
  cells.push(spacer((n - win.c1) * COL_W));

  const exposedFindings = m.findings.get(`${r},${n}`) ?? [];
  const exposed = cellElement(r, n, 'cell extra exposed', 'gridcell');
  if (s.exposed.length > 0 || s.attachment.kind === 'host') exposed.classList.add('open');
  setCellText(exposed, L.exposedText(s), exposedFindings);
  exposed.title = L.exposedTitle(s, exposedFindings);
  exposed.setAttribute('aria-label', L.exposedAria(s, exposedFindings));

  const egress = cellElement(r, n + 1, 'cell extra egress', 'gridcell');
  egress.classList.add(s.egress ? 'open' : 'closed');
  egress.textContent = L.egressText(s);
  egress.title = L.egressTitle(s);
  egress.setAttribute('aria-label', L.egressAria(s));
  cells.push(exposed, egress);

  row.append(...cells);
  return row;
}

function cellElement(row: number, col: number, className: string, role: string): HTMLElement {
  const cell = el('div', className);
  cell.setAttribute('role', role);
  cell.setAttribute('aria-colindex', String(col + 2));
  cell.dataset.row = String(row);
  cell.dataset.col = String(col);
  const isActive = row === active.row && col === active.col;
  cell.tabIndex = isActive ? 0 : -1;
  if (isActive) {
    cell.classList.add('active');
    cell.setAttribute('aria-selected', 'true');
  }
  return cell;
}

function setCellText(cell: HTMLElement, text: string, findings: readonly Finding[]): void {
  const severity = L.worstSeverity(findings);
  if (severity) {
    cell.classList.add('finding', `sev-${severity}`);
    const glyph = el('span', 'glyph');
    glyph.setAttribute('aria-hidden', 'true');
    glyph.textContent = L.severityGlyph(severity);
    const label = el('span', 'text');
    label.textContent = text;
    cell.append(glyph, label);
  } else {
    cell.textContent = text;
  }
}

function markFindings(cell: HTMLElement, findings: readonly Finding[]): void {
  const severity = L.worstSeverity(findings);
  if (!severity) return;
  cell.classList.add('finding', `sev-${severity}`);
  const glyph = el('span', 'glyph');
  glyph.setAttribute('aria-hidden', 'true');
  glyph.textContent = L.severityGlyph(severity);
  cell.prepend(glyph);
}

function spacer(width: number): HTMLElement {
  const s = el('div', 'spacer');
  s.setAttribute('aria-hidden', 'true');
  s.style.width = `${width}px`;
  return s;
}

function isGroupStart(i: number): boolean {
  return i > 0 && model!.matrix.groups.some((g) => g.start === i);
}

let measureContext: CanvasRenderingContext2D | null | undefined;
let lastFont = '';

/** Texts whose estimated width is at least this share of the widest estimate are measured. */
const NEAR_WIDEST = 0.85;

/** Width of a text in a font, and a cheaper estimate: the sum of its characters' widths. */
interface Measure {
  width(text: string): number;
  estimate(text: string): number;
}

/** A text measurer for a CSS font; an estimate when canvas text metrics are unavailable. */
function measurer(font: string): Measure {
  if (measureContext === undefined) measureContext = document.createElement('canvas').getContext('2d');
  const ctx = measureContext;
  if (!ctx) {
    const guess = (text: string): number => text.length * 7.5;
    return { width: guess, estimate: guess };
  }
  const width = (text: string): number => {
    if (lastFont !== font) ctx.font = lastFont = font;
    return ctx.measureText(text).width;
  };
  let chars = charWidths.get(font);
  if (!chars) charWidths.set(font, (chars = new Map()));
  const widths = chars;
  const estimate = (text: string): number => {
    let w = 0;
    for (const c of text) {
      let cw = widths.get(c);
      if (cw === undefined) widths.set(c, (cw = width(c)));
      w += cw;
    }
    return w;
  };
  return { width, estimate };
}

/** Character widths by font, for `Measure.estimate`. */
const charWidths = new Map<string, Map<string, number>>();

/**
 * Widths that fit the longest name and cell text, within bounds: narrow projects stay narrow
 * (a 3-service matrix fits beside its editor), long names are cut with an ellipsis and shown
 * whole in the tooltip. Measures each distinct text once.
 */
function fitColumns(m: Model): void {
  const { matrix } = m;
  const names = new Set(matrix.services.map((s) => s.name));
  // Cell texts of a sample of the cells: at 2,000 services there are four million, and the
  // width is capped anyway. The column shifts with the row so a stride that is a multiple of
  // n does not sample one column only.
  const texts = new Set<string>();
  const n = matrix.services.length;
  const step = Math.max(1, Math.floor((n * n) / 2000));
  for (let k = 0; k < n * n; k += step) {
    const row = Math.floor(k / n);
    const via = matrix.cell(row, (k + row) % n);
    if (via) texts.add(L.cellText(via));
  }
  const style = getComputedStyle(document.body);
  const size = parseFloat(style.fontSize) || 13;
  const mono = style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const ui = measurer(`600 ${size}px ${style.fontFamily}`);
  const code = measurer(`${size * 0.92}px ${mono}`);
  const widest = (items: Iterable<string>, measure: Measure): number => {
    // Measuring is the cost (a canvas measurement per name, 2,000 of them in a large
    // project's first render): each text is estimated from its characters' widths, and only
    // the texts whose estimate comes near the widest one are measured, since kerning moves a
    // width by far less than that margin.
    const texts = [...items];
    const estimates = texts.map((t) => measure.estimate(t));
    const near = Math.max(0, ...estimates) * NEAR_WIDEST;
    let w = 0;
    texts.forEach((t, i) => {
      if (estimates[i]! >= near) w = Math.max(w, measure.width(t));
    });
    return w;
  };
  const nameW = widest(names, ui);
  ROW_HEAD_W = Math.round(clamp(nameW + 64, 120, 240));
  // Names decide; long cell texts (many shared networks) only up to a point, then an ellipsis.
  COL_W = Math.round(clamp(Math.max(nameW + 18, Math.min(widest(texts, ui) + 18, 112)), 64, 132));
  const portLabels = new Set(matrix.services.map((s) => L.exposedText(s)));
  EXPOSED_W = Math.round(clamp(widest(portLabels, code) + 18, 96, 280));
}

function totalWidth(n: number): number {
  return ROW_HEAD_W + n * COL_W + EXPOSED_W + EGRESS_W;
}

// ---------------------------------------------------------------------------------------------
// Focus, keyboard, mouse

function activeElement(): HTMLElement | null {
  return body.querySelector<HTMLElement>(`[data-row="${active.row}"][data-col="${active.col}"]`);
}

function clampActive(): void {
  const n = model?.matrix.services.length ?? 0;
  active = { row: clamp(active.row, 0, Math.max(0, n - 1)), col: clamp(active.col, ROW_HEADER, n + 1) };
}

/** Moves the active cell, scrolls it into view, re-renders and focuses it. */
function moveTo(row: number, col: number, focus: boolean): void {
  if (!model) return;
  const started = performance.now();
  active = { row, col };
  clampActive();
  scrollIntoView();
  renderWindow(true);
  if (focus) activeElement()?.focus({ preventScroll: true });
  saveState();
  announce('selection', performance.now() - started, false);
}

/** Pinning Exposed and Egress to the right edge covers service columns: only worth it with room for several. */
function stickyExtras(): boolean {
  return (viewport.clientWidth || 800) >= ROW_HEAD_W + EXPOSED_W + EGRESS_W + 4 * COL_W;
}

/** Scrolls so that the active cell is fully visible between the sticky headers and extra columns. */
function scrollIntoView(): void {
  const n = model!.matrix.services.length;
  const rowTop = active.row * ROW_H;
  const visibleH = Math.max(ROW_H, viewport.clientHeight - HEAD_H - BAND_H);
  if (rowTop < viewport.scrollTop) viewport.scrollTop = rowTop;
  else if (rowTop + ROW_H > viewport.scrollTop + visibleH) viewport.scrollTop = rowTop + ROW_H - visibleH;

  const sticky = stickyExtras();
  if (active.col === ROW_HEADER || (sticky && active.col >= n)) return;
  // x of the column in the scrolling part of the canvas (right of the sticky row headers).
  const x = active.col < n ? active.col * COL_W : n * COL_W + (active.col === n ? 0 : EXPOSED_W);
  const width = active.col < n ? COL_W : active.col === n ? EXPOSED_W : EGRESS_W;
  const visibleW = Math.max(width, viewport.clientWidth - ROW_HEAD_W - (sticky ? EXPOSED_W + EGRESS_W : 0));
  if (x < viewport.scrollLeft) viewport.scrollLeft = x;
  else if (x + width > viewport.scrollLeft + visibleW) viewport.scrollLeft = x + width - visibleW;
}

viewport.addEventListener('keydown', (e) => {
  if (!model || model.matrix.services.length === 0) return;
  const n = model.matrix.services.length;
  const page = Math.max(1, Math.floor((viewport.clientHeight - HEAD_H - BAND_H) / ROW_H) - 1);
  const { row, col } = active;
  let next: [number, number] | undefined;
  switch (e.key) {
    case 'ArrowUp':
      next = [row - 1, col];
      break;
    case 'ArrowDown':
      next = [row + 1, col];
      break;
    case 'ArrowLeft':
      next = [row, col - 1];
      break;
    case 'ArrowRight':
      next = [row, col + 1];
      break;
    case 'Home':
      next = e.ctrlKey ? [0, ROW_HEADER] : [row, ROW_HEADER];
      break;
    case 'End':
      next = e.ctrlKey ? [n - 1, n + 1] : [row, n + 1];
      break;
    case 'PageUp':
      next = [row - page, col];
      break;
    case 'PageDown':
      next = [row + page, col];
      break;
    case 'Enter':
    case ' ':
      e.preventDefault();
      revealCell(row, col);
      return;
    default:
      return;
  }
  e.preventDefault();
  moveTo(next[0], next[1], true);
});

viewport.addEventListener('focus', (e) => {
  // Tabbing into the grid while the active cell is scrolled away: bring it back and focus it.
  if (e.target === viewport && model) moveTo(active.row, active.col, true);
});

body.addEventListener('click', (e) => {
  const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
  if (!cell) return;
  const row = Number(cell.dataset.row);
  const col = Number(cell.dataset.col);
  moveTo(row, col, true);
  revealCell(row, col);
});

let scrollFrame = 0;
viewport.addEventListener('scroll', () => {
  if (scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => {
    scrollFrame = 0;
    renderWindow(false);
    saveState();
  });
});

window.addEventListener('resize', () => {
  if (pendingFrame) return;
  pendingFrame = requestAnimationFrame(() => {
    pendingFrame = 0;
    renderWindow(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Reveal: the entry in the compose file that makes a cell what it is

function revealCell(row: number, col: number): void {
  const location = cellLocation(row, col);
  if (location) reveal(location);
}

function reveal(location: Location): void {
  vscode.postMessage({ type: 'reveal', location });
}

function cellLocation(row: number, col: number): Location | undefined {
  if (!model) return undefined;
  const { matrix, nodes, findings } = model;
  const n = matrix.services.length;
  const s = matrix.services[row];
  if (!s) return undefined;
  const node = nodes.get(s.name);
  const cellFindings = findings.get(`${row},${col}`) ?? [];
  if (col === ROW_HEADER || col === row) return s.location;
  if (col === n) {
    return (
      s.exposed[0]?.location ??
      s.hostOnly[0]?.location ??
      s.unpublished[0]?.location ??
      (s.attachment.kind === 'host' ? node?.networkModeLocation : undefined) ??
      cellFindings[0]?.location
    );
  }
  if (col === n + 1) {
    if (s.attachment.kind === 'host') return node?.networkModeLocation ?? s.location;
    const internal = new Map(model.report.networks.map((net) => [net.key, net.internal]));
    const open = node?.networks.find((sn) => sn.location && internal.get(sn.network) === false);
    return open?.location ?? node?.networkModeLocation ?? s.location;
  }
  const to = matrix.services[col];
  const via = matrix.cell(row, col);
  if (!to) return undefined;
  if (!via || via.length === 0) return cellFindings[0]?.location;
  const parts = L.viaParts(via);
  if (parts.networks.length > 0) {
    // The network a finding names first: clicking a flagged cell lands on the flagged entry.
    const flagged = cellFindings
      .map((f) => (f.data as { network?: unknown } | undefined)?.network)
      .find((net): net is string => typeof net === 'string' && parts.networks.includes(net));
    const order = flagged ? [flagged, ...parts.networks] : parts.networks;
    for (const net of order) {
      const entry = node?.networks.find((sn) => sn.network === net && sn.location);
      if (entry?.location) return entry.location;
    }
    // The implicit default network, or networks inherited through network_mode: service:x.
    return node?.networkModeLocation ?? s.location;
  }
  if (parts.namespace) {
    return node?.networkModeLocation ?? nodes.get(to.name)?.networkModeLocation ?? s.location;
  }
  const port = parts.ports[0];
  if (port) {
    const target = nodes
      .get(to.name)
      ?.ports.find(
        (p) =>
          p.hostIp === port.hostIp &&
          p.published === port.published &&
          p.target === port.target &&
          p.protocol === port.protocol,
      );
    return target?.location ?? to.location;
  }
  if (parts.dockerApi) return s.dockerSocket ?? s.location;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// State, snapshots, test hooks

function cellRef(pos: { row: number; col: number }): CellRef | undefined {
  const services = model?.matrix.services;
  if (!services) return undefined;
  const from = services[pos.row]?.name;
  if (from === undefined) return undefined;
  const n = services.length;
  const to =
    pos.col === ROW_HEADER
      ? SERVICE_COLUMN
      : pos.col === n
        ? EXPOSED_COLUMN
        : pos.col === n + 1
          ? EGRESS_COLUMN
          : services[pos.col]?.name;
  return to === undefined ? undefined : { from, to };
}

/** The position of a cell named by services; the old position (clamped) when a name is gone. */
function resolveRef(ref: CellRef, fallback: { row: number; col: number }): { row: number; col: number } {
  const m = model!;
  const n = m.matrix.services.length;
  const row = m.index.get(ref.from) ?? fallback.row;
  const col =
    ref.to === SERVICE_COLUMN
      ? ROW_HEADER
      : ref.to === EXPOSED_COLUMN
        ? n
        : ref.to === EGRESS_COLUMN
          ? n + 1
          : (m.index.get(ref.to) ?? fallback.col);
  return { row, col };
}

function saveState(): void {
  state = {
    ...(documentUri !== undefined ? { documentUri } : {}),
    ...(model ? { selection: cellRef(active) } : state.selection ? { selection: state.selection } : {}),
    scrollTop: model ? viewport.scrollTop : (state.scrollTop ?? 0),
    scrollLeft: model ? viewport.scrollLeft : (state.scrollLeft ?? 0),
  };
  vscode.setState(state);
}

function announce(
  cause: RenderInfo['cause'],
  renderMs: number,
  first: boolean,
  phases?: { model: number; dom: number },
): void {
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  const info: RenderInfo = {
    seq: ++seq,
    cause,
    renderMs: round(renderMs),
    ...(phases ? { phases: { model: round(phases.model), dom: round(phases.dom) } } : {}),
    services: model?.matrix.services.length ?? 0,
    ...(first ? { sinceStartMs: Math.round(performance.now()) } : {}),
    ...(testMode ? { snapshot: snapshot() } : {}),
  };
  vscode.postMessage({ type: 'rendered', rendered: info });
}

function snapshot(): MatrixSnapshot {
  const services = model?.matrix.services ?? [];
  const cells: MatrixSnapshot['cells'] = [];
  for (const cell of body.querySelectorAll<HTMLElement>('[data-row]')) {
    const ref = cellRef({ row: Number(cell.dataset.row), col: Number(cell.dataset.col) });
    if (!ref) continue;
    cells.push({
      ...ref,
      label: cell.getAttribute('aria-label') ?? '',
      text: cell.textContent ?? '',
      title: cell.title,
      finding: cell.classList.contains('finding'),
    });
  }
  const activeRef = model ? cellRef(active) : undefined;
  const focusedEl = document.activeElement as HTMLElement | null;
  return {
    project: model?.matrix.project ?? null,
    diagnostics: model?.report.diagnostics.length ?? 0,
    message: model ? (services.length === 0 ? 'No active services.' : null) : message,
    services: services.map((s) => s.name),
    columnHeaders: [...headRow.querySelectorAll<HTMLElement>('[role=columnheader]')].map(
      (h) => h.textContent ?? '',
    ),
    cells,
    active: activeRef ? { ...activeRef, focused: !!focusedEl && focusedEl === activeElement() } : null,
    renderedRows: body.childElementCount,
    renderedCells: cells.length,
    injected: injectedElements(),
    gridLabel: viewport.getAttribute('aria-label'),
    scrollTop: viewport.scrollTop,
    scrollLeft: viewport.scrollLeft,
  };
}

/** Elements data could have smuggled in: anything that loads or runs, or has an inline handler. */
function injectedElements(): string[] {
  // The script VS Code injects to define acquireVsCodeApi, and our own bundle, are expected.
  const expected = (e: Element): boolean =>
    e === ownScript || (e.tagName === 'SCRIPT' && e.id === '_vscodeApiScript');
  return [...document.querySelectorAll('*')]
    .filter(
      (e) =>
        (/^(IMG|IFRAME|OBJECT|EMBED|SCRIPT|LINK|STYLE|META)$/.test(e.tagName) && app.contains(e)) ||
        (e.tagName === 'SCRIPT' && !expected(e)) ||
        [...e.attributes].some((a) => a.name.startsWith('on')),
    )
    .map((e) => e.outerHTML.slice(0, 120));
}

function runTestAction(action: TestAction): void {
  switch (action.kind) {
    case 'key': {
      const target = activeElement() ?? viewport;
      target.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: action.key,
          ctrlKey: !!action.ctrlKey,
          bubbles: true,
          cancelable: true,
        }),
      );
      break;
    }
    case 'click': {
      if (!model) return;
      const pos = resolveRef(action.cell, active);
      active = pos;
      scrollIntoView();
      renderWindow(true);
      activeElement()?.click();
      break;
    }
    case 'focus': {
      if (!model) return;
      const pos = resolveRef(action.cell, active);
      moveTo(pos.row, pos.col, true);
      break;
    }
    case 'copy':
      copyButton.click();
      break;
    case 'scroll':
      viewport.scrollTop = action.top;
      viewport.scrollLeft = action.left;
      renderWindow(false);
      saveState();
      announce('scroll', 0, false);
      break;
  }
}

// ---------------------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function names(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function sameWindow(a: Visible, b: Visible): boolean {
  return a.r0 === b.r0 && a.r1 === b.r1 && a.c0 === b.c0 && a.c1 === b.c1;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

renderAll();
vscode.postMessage({ type: 'ready', state });
